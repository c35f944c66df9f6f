package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The hyper-parameters of a Llama-family decoder: what the engine needs to lay out its buffers, check the weights'
 * shapes and run the forward pass.
 *
 * <p>The variant flags say how the family's weights are laid out; llama2.c checkpoints set none of them:
 * <ul>
 *   <li>{@code attentionBias}: the q, k and v projections add a bias vector (Qwen2);</li>
 *   <li>{@code fusedQkv}: q, k and v are stored as one [dim + 2 kvDim][dim] matrix, rows q then k then v
 *       (Phi-3);</li>
 *   <li>{@code fusedGateUp}: the gate (w1) and up (w3) projections are stored as one [2 hidden][dim] matrix, gate
 *       rows first (Phi-3);</li>
 *   <li>{@code ropeLayout}: which elements of a head RoPE turns together, as the file's q/k rows are ordered
 *       ({@link RopeLayout} says which source uses which).</li>
 * </ul>
 *
 * <p>Where the numbers come from depends on the model file's format ({@link #of(ModelFile)}): llama2.c's header,
 * GGUF's metadata ({@link GgufLlamaConfig}), or the Hugging Face {@code config.json} that goes with a safetensors
 * file ({@link HfLlamaConfig}).
 *
 * @param dim              width of the residual stream
 * @param hiddenDim        width of the SwiGLU feed-forward
 * @param layers           decoder layers
 * @param heads            query heads
 * @param kvHeads          key/value heads (fewer than {@code heads} for grouped-query attention)
 * @param vocabSize        tokens in the vocabulary
 * @param seqLen           the longest context the KV cache holds
 * @param normEps          the epsilon RMSNorm adds to the mean square
 * @param ropeTheta        the base of the rotary position embedding's frequencies
 * @param sharedClassifier the classifier reuses the token-embedding table (tied embeddings)
 * @param attentionBias    q/k/v projections carry biases (Qwen2)
 * @param fusedQkv         q/k/v stored as one tensor (Phi-3)
 * @param fusedGateUp      gate and up projections stored as one tensor (Phi-3)
 * @param ropeLayout       the pairs RoPE rotates, as the checkpoint's q/k rows are ordered
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                          float normEps, float ropeTheta, boolean sharedClassifier, boolean attentionBias,
                          boolean fusedQkv, boolean fusedGateUp, RopeLayout ropeLayout) {

    /** llama2.c hard-codes RMSNorm's epsilon; its checkpoint header does not carry it. */
    public static final float LLAMA2C_NORM_EPS = 1e-5f;
    /** llama2.c hard-codes the RoPE base; its checkpoint header does not carry it. */
    public static final float LLAMA2C_ROPE_THETA = 10000f;

    public LlamaConfig {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocabSize <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("every size must be positive: dim " + dim + ", hidden_dim " + hiddenDim
                    + ", n_layers " + layers + ", n_heads " + heads + ", n_kv_heads " + kvHeads + ", vocab_size "
                    + vocabSize + ", seq_len " + seqLen);
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            // RoPE rotates pairs within a head, and each key/value head serves a whole group of query heads.
            throw new IllegalArgumentException("dim " + dim + ", n_heads " + heads + " and n_kv_heads " + kvHeads
                    + " do not make whole, even-sized heads shared by whole groups");
        }
        if (!(normEps > 0) || !(ropeTheta > 1) || Float.isInfinite(normEps) || Float.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("norm_eps " + normEps + " must be positive and rope_theta "
                    + ropeTheta + " greater than 1, both finite");
        }
        Objects.requireNonNull(ropeLayout, "ropeLayout");
    }

    /** A configuration with llama2.c's (and Meta's) interleaved RoPE pairs. */
    public LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                       float normEps, float ropeTheta, boolean sharedClassifier, boolean attentionBias,
                       boolean fusedQkv, boolean fusedGateUp) {
        this(dim, hiddenDim, layers, heads, kvHeads, vocabSize, seqLen, normEps, ropeTheta, sharedClassifier,
                attentionBias, fusedQkv, fusedGateUp, RopeLayout.INTERLEAVED);
    }

    /** Elements of one attention head. */
    public int headSize() {
        return dim / heads;
    }

    /** Width of the keys (and of the values) of one position: all key/value heads together. */
    public int kvDim() {
        return kvHeads * headSize();
    }

    /** Query heads that share one key/value head. */
    public int queriesPerKvHead() {
        return heads / kvHeads;
    }

    /**
     * The configuration of the decoder in {@code file}, from what its format carries: GGUF metadata, the
     * {@code config.json} beside a safetensors file, or (llama2.c and anything else) the llama2.c header fields.
     */
    public static LlamaConfig of(ModelFile file) {
        return switch (file.format()) {
            case "gguf" -> GgufLlamaConfig.of(file);
            case "safetensors" -> HfLlamaConfig.of(file, HfLlamaConfig.besideModel(file));
            default -> ofLlama2c(file);
        };
    }

    /**
     * The configuration of the decoder in {@code file}; {@code hfConfig}, when not null, is the Hugging Face
     * {@code config.json} to read instead of the one beside the model (safetensors only).
     */
    public static LlamaConfig of(ModelFile file, Path hfConfig) {
        if (hfConfig == null) {
            return of(file);
        }
        if (!file.format().equals("safetensors")) {
            throw new BadInputException(hfConfig + ": a config.json goes with a safetensors model; " + file.name()
                    + " is " + file.format() + ", which carries its own configuration: drop --config");
        }
        return HfLlamaConfig.of(file, hfConfig);
    }

    /**
     * The configuration llama2.c header fields give. llama2.c's loader names its header fields {@code dim},
     * {@code hidden_dim}, {@code n_layers}, {@code n_heads}, {@code n_kv_heads}, {@code vocab_size}, {@code seq_len}
     * and {@code shared_classifier}; {@code norm_eps} and {@code rope_theta} are read when present, otherwise
     * llama2.c's constants apply.
     */
    static LlamaConfig ofLlama2c(ModelFile file) {
        Map<String, Object> m = file.metadata();
        int dim = intField(file, "dim");
        int hidden = intField(file, "hidden_dim");
        int layers = intField(file, "n_layers");
        int heads = intField(file, "n_heads");
        int kvHeads = intField(file, "n_kv_heads");
        int vocab = intField(file, "vocab_size");
        int seqLen = intField(file, "seq_len");
        Object shared = m.get("shared_classifier");
        if (!(shared instanceof Boolean)) {
            throw new BadInputException(file.name() + ": metadata 'shared_classifier': expected true or false, found "
                    + describe(shared));
        }
        float eps = floatField(file, "norm_eps", LLAMA2C_NORM_EPS);
        float theta = floatField(file, "rope_theta", LLAMA2C_ROPE_THETA);
        try {
            return new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, seqLen, eps, theta, (Boolean) shared,
                    false, false, false);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file.name() + ": metadata: " + e.getMessage(), e);
        }
    }

    private static int intField(ModelFile file, String key) {
        Object v = file.metadata().get(key);
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() <= 0
                || ((Number) v).longValue() > Integer.MAX_VALUE) {
            throw new BadInputException(file.name() + ": metadata '" + key + "': expected a positive integer, found "
                    + describe(v));
        }
        return ((Number) v).intValue();
    }

    private static float floatField(ModelFile file, String key, float fallback) {
        Object v = file.metadata().get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number)) {
            throw new BadInputException(file.name() + ": metadata '" + key + "': expected a number, found "
                    + describe(v));
        }
        return ((Number) v).floatValue();
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v.getClass().getSimpleName() + " " + v;
    }
}
