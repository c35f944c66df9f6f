package io.nccsim.capture;

import io.nccsim.trace.TensorRole;

import java.util.List;

/**
 * The kernels of {@link LlamaEngine}'s forward pass, as a trace names its operations, captured or shape-only alike.
 * RoPE, the cache append and the two residual adds are operations of their own ({@code rope}, {@code kv_append},
 * {@code attn_residual}, {@code ffn_residual}), as the engine runs them.
 */
enum EngineOp {
    EMBEDDING("embedding", false),
    ATTN_NORM("attn_norm", false),
    ATTN_Q("attn_q", false),
    ATTN_K("attn_k", false),
    ATTN_V("attn_v", false),
    /** Phi-3's fused q|k|v product: one weight read, writes "q", "k", "v". */
    ATTN_QKV("attn_qkv", false),
    ROPE("rope", false),
    KV_APPEND("kv_append", false),
    ATTENTION("attention", false),
    ATTN_OUTPUT("attn_output", false),
    ATTN_RESIDUAL("attn_residual", false),
    FFN_NORM("ffn_norm", false),
    FFN_GATE("ffn_gate", false),
    FFN_UP("ffn_up", false),
    /** Phi-3's fused gate|up product: one weight read, writes "gate", "up". */
    FFN_GATE_UP("ffn_gate_up", false),
    SWIGLU("swiglu", false),
    FFN_DOWN("ffn_down", false),
    FFN_RESIDUAL("ffn_residual", false),
    OUTPUT_NORM("output_norm", true),
    OUTPUT("output", true);

    private final String traceName;
    private final boolean logitsOnly;

    EngineOp(String traceName, boolean logitsOnly) {
        this.traceName = traceName;
        this.logitsOnly = logitsOnly;
    }

    /** The operation's name in a trace. */
    String traceName() {
        return traceName;
    }

    /**
     * True for the kernels that only turn the last residual into logits: generation uses the logits of a prompt's
     * last token alone, so a batched prefill runs them for that token only.
     */
    boolean logitsOnly() {
        return logitsOnly;
    }

    /**
     * Multiply-accumulates of this kernel for one token at {@code pos}: a matrix-vector product is one per element
     * of its matrix (a bias adds, it does not multiply, and is not counted); attention one per query element and
     * cached position for the scores and again for the weighted sum of values; RoPE two per rotated element;
     * RMSNorm, SwiGLU and residual adds one per element (a convention for element-wise kernels); the embedding
     * lookup and the cache append copy and compute nothing.
     */
    long macs(LlamaConfig c, long weightElements, int pos) {
        return switch (this) {
            case EMBEDDING, KV_APPEND -> 0;
            case ATTN_Q, ATTN_K, ATTN_V, ATTN_QKV, ATTN_OUTPUT, FFN_GATE, FFN_UP, FFN_GATE_UP, FFN_DOWN, OUTPUT ->
                    weightElements;
            case ATTN_NORM, FFN_NORM, OUTPUT_NORM, ATTN_RESIDUAL, FFN_RESIDUAL -> c.dim();
            case ROPE -> 2L * (c.dim() + c.kvDim());
            case ATTENTION -> 2L * (pos + 1) * c.dim();
            case SWIGLU -> c.hiddenDim();
        };
    }

    /**
     * The kernel that performed what a listener saw between two operation boundaries: by the weight it read, or,
     * for kernels without weights, by what they touched (AccessListener documents each kernel's accesses).
     *
     * @param weightRole role of the weight read (of its matrix, when a bias follows it), or null
     * @param reads      activations read, in order
     * @param writes     activations written, in order
     * @param kvWrite    the op appended to the KV cache
     * @param kvRead     the op read the KV cache
     * @throws IllegalStateException when the pattern is none of the engine's kernels (engine and tracer disagree)
     */
    static EngineOp classify(TensorRole weightRole, List<String> reads, List<String> writes, boolean kvWrite,
                             boolean kvRead) {
        if (weightRole != null) {
            return switch (weightRole) {
                case EMBEDDING -> EMBEDDING;
                case NORM -> switch (writes.isEmpty() ? "" : writes.get(0)) {
                    case "attn_in" -> ATTN_NORM;
                    case "ffn_in" -> FFN_NORM;
                    case "final_norm" -> OUTPUT_NORM;
                    default -> throw unknown(weightRole, reads, writes, kvWrite, kvRead);
                };
                case ATTN_Q -> ATTN_Q;
                case ATTN_K -> ATTN_K;
                case ATTN_V -> ATTN_V;
                case ATTN_QKV -> ATTN_QKV;
                case ATTN_O -> ATTN_OUTPUT;
                case MLP_GATE -> FFN_GATE;
                case MLP_UP -> FFN_UP;
                case MLP_GATE_UP -> FFN_GATE_UP;
                case MLP_DOWN -> FFN_DOWN;
                case LM_HEAD -> OUTPUT;
                default -> throw unknown(weightRole, reads, writes, kvWrite, kvRead);
            };
        }
        if (kvWrite) {
            return KV_APPEND;
        }
        if (kvRead) {
            return ATTENTION;
        }
        if (writes.equals(List.of("q", "k"))) {
            return ROPE;
        }
        if (writes.equals(List.of("ffn_act"))) {
            return SWIGLU;
        }
        if (reads.equals(List.of("residual", "attn_proj"))) {
            return ATTN_RESIDUAL;
        }
        if (reads.equals(List.of("residual", "ffn_out"))) {
            return FFN_RESIDUAL;
        }
        throw unknown(null, reads, writes, kvWrite, kvRead);
    }

    private static IllegalStateException unknown(TensorRole role, List<String> reads, List<String> writes,
                                                 boolean kvWrite, boolean kvRead) {
        return new IllegalStateException("the engine reported an operation the tracer does not know: weight "
                + (role == null ? "none" : role.id()) + ", reads " + reads + ", writes " + writes
                + (kvWrite ? ", KV write" : "") + (kvRead ? ", KV read" : ""));
    }
}
