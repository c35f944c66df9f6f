package io.nccsim.capture;

import io.nccsim.config.ConfigLoader;
import io.nccsim.config.ConfigReader;
import io.nccsim.trace.ModelShape;

import java.nio.file.Path;
import java.util.List;

/**
 * A model given by its published configuration alone (a YAML file under configs/models/): enough to lay out its
 * tensors and schedule its forward pass without its weights.
 *
 * @param name         published model name
 * @param shape        architecture numbers
 * @param fusedQkv     q, k and v projections stored as one tensor (Phi-3)
 * @param fusedGateUp  gate and up projections stored as one tensor (Phi-3)
 * @param maxSeqLen    context length the KV cache is sized for
 * @param source       where the numbers come from
 */
public record ModelArch(String name, ModelShape shape, boolean fusedQkv, boolean fusedGateUp, int maxSeqLen,
                        String source) {

    public static ModelArch load(Path file) {
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
        int maxSeq = r.integer("max_seq_len", 1, 1 << 24);
        String source = r.string("source");
        r.finish();
        long params = parameterCount(layers, hidden, ffn, heads * headDim, kvHeads * headDim, vocab, tied);
        return new ModelArch(name, new ModelShape(family, layers, hidden, ffn, heads, kvHeads, headDim, vocab, tied,
                params), fusedQkv, fusedGateUp, maxSeq, source);
    }

    /** Parameters of a Llama-family decoder: embeddings, attention and SwiGLU projections, and the norms. */
    static long parameterCount(int layers, int hidden, int ffn, int qDim, int kvDim, int vocab, boolean tied) {
        long perLayer = (long) hidden * qDim * 2 + (long) hidden * kvDim * 2 + 3L * hidden * ffn + 2L * hidden;
        long embed = (long) vocab * hidden * (tied ? 1 : 2);
        return layers * perLayer + embed + hidden;
    }
}
