package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.config.ConfigLoader;
import io.nccsim.config.ConfigNode;
import io.nccsim.config.ConfigReader;
import io.nccsim.trace.ModelShape;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A Llama-family decoder given by its published configuration alone: enough to build the engine's
 * {@link LlamaConfig} and run it shape-only, without its weights. Two formats give one: a YAML file under
 * {@code configs/models/} (read here) and a Hugging Face {@code config.json} ({@link HfLlamaConfig#arch}); {@link #load}
 * picks by the file's extension.
 *
 * @param name          published model name
 * @param shape         architecture numbers, with the parameter count they imply
 * @param fusedQkv      q, k and v projections stored as one tensor (Phi-3)
 * @param fusedGateUp   gate and up projections stored as one tensor (Phi-3)
 * @param attentionBias the q, k and v projections add biases (Qwen2)
 * @param maxSeqLen     the longest context the model was trained for
 * @param normEps       RMSNorm's epsilon
 * @param ropeTheta     the base of the rotary embedding's frequencies
 * @param slidingWindow positions an attention window holds (Mistral, Phi-3), or 0 when attention sees the whole
 *                      context; the engine attends over the whole context, so a run must fit in the window
 * @param source        where the numbers come from
 */
public record ModelArch(String name, ModelShape shape, boolean fusedQkv, boolean fusedGateUp, boolean attentionBias,
                        int maxSeqLen, float normEps, float ropeTheta, int slidingWindow, String source) {

    /** The architecture in {@code file}: a Hugging Face config.json if its name ends in .json, else a YAML file. */
    public static ModelArch load(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? HfLlamaConfig.read(file).arch() : loadYaml(file);
    }

    /** A YAML model file (configs/models/*.yaml): the keys below, each published number with its source. */
    static ModelArch loadYaml(Path file) {
        ConfigReader r = ConfigReader.root(ConfigLoader.applySets(ConfigLoader.load(file), List.of()));
        String name = r.string("name");
        String family = r.string("family", "llama");
        int layers = r.integer("layers", 1, 1024);
        int hidden = r.integer("hidden", 1, 1 << 20);
        int ffn = r.integer("ffn", 1, 1 << 22);
        int heads = r.integer("heads", 1, 4096);
        int kvHeads = r.integer("kv_heads", 1, 4096);
        int headDim = r.integer("head_dim", 1, 4096);
        int vocab = r.integer("vocab", 1, 1 << 24);
        boolean tied = r.bool("tied_embeddings", false);
        boolean fusedQkv = r.bool("fused_qkv", false);
        boolean fusedGateUp = r.bool("fused_gate_up", false);
        boolean bias = r.bool("attention_bias", false);
        int maxSeq = r.integer("max_seq_len", 1, 1 << 24);
        double eps = r.number("norm_eps", Double.MIN_NORMAL, 1);
        double theta = r.number("rope_theta", 1, 1e12);
        int window = r.integer("sliding_window", 0, 1 << 24, 0);
        String source = r.string("source");
        ConfigNode headDimNode = r.raw("head_dim");
        r.finish();
        if (!family.equals("llama")) {
            throw new BadInputException(file + ": family: '" + family + "' is not a decoder the engine runs; "
                    + "expected llama (Llama, Mistral, Phi-3, Qwen2, SmolLM)");
        }
        if ((long) heads * headDim != hidden) {
            throw new BadInputException(headDimNode.location() + ": head_dim: " + headDim + " x " + heads
                    + " heads is not hidden " + hidden + "; the engine splits hidden into the heads");
        }
        return checked(file.toString(), new ModelArch(name, shape(family, layers, hidden, ffn, heads, kvHeads, vocab,
                tied), fusedQkv, fusedGateUp, bias, maxSeq, (float) eps, (float) theta, window, source));
    }

    /** The shape of a Llama-family decoder, with its parameter count. */
    static ModelShape shape(String family, int layers, int hidden, int ffn, int heads, int kvHeads, int vocab,
                            boolean tied) {
        int headDim = hidden / heads;
        return new ModelShape(family, layers, hidden, ffn, heads, kvHeads, headDim, vocab, tied,
                parameterCount(layers, hidden, ffn, heads * headDim, kvHeads * headDim, vocab, tied));
    }

    /** {@code arch}, once its numbers are known to make an engine configuration; else an error naming the file. */
    static ModelArch checked(String file, ModelArch arch) {
        try {
            arch.llamaConfig();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
        return arch;
    }

    /** The engine's configuration of this model, context as long as the model's. */
    public LlamaConfig llamaConfig() {
        ModelShape s = shape;
        return new LlamaConfig(s.hidden(), s.ffn(), s.layers(), s.heads(), s.kvHeads(), s.vocab(), maxSeqLen, normEps,
                ropeTheta, s.tiedEmbeddings(), attentionBias, fusedQkv, fusedGateUp);
    }

    /** Parameters of a Llama-family decoder: embeddings, attention and SwiGLU projections, and the norms. */
    static long parameterCount(int layers, int hidden, int ffn, int qDim, int kvDim, int vocab, boolean tied) {
        long perLayer = (long) hidden * qDim * 2 + (long) hidden * kvDim * 2 + 3L * hidden * ffn + 2L * hidden;
        long embed = (long) vocab * hidden * (tied ? 1 : 2);
        return layers * perLayer + embed + hidden;
    }
}
