package io.nccsim.capture;

import io.nccsim.trace.TensorRole;

import java.util.List;

/**
 * The kernels of {@link BertEncoder}'s pass, as a captured encoder trace names its operations. Where a decoder
 * kernel does the same job the name is the same ({@code attn_q} ... {@code ffn_down}); the encoder's own are the
 * embedding sum, the LayerNorms (after the embeddings, and fused with each residual add), GELU and the pooling.
 */
enum EncoderOp {
    EMBEDDING("embedding"),
    EMBEDDING_NORM("embedding_norm"),
    ATTN_Q("attn_q"),
    ATTN_K("attn_k"),
    ATTN_V("attn_v"),
    ATTENTION("attention"),
    ATTN_OUTPUT("attn_output"),
    ATTN_ADD_NORM("attn_add_norm"),
    FFN_UP("ffn_up"),
    GELU("gelu"),
    FFN_DOWN("ffn_down"),
    FFN_ADD_NORM("ffn_add_norm"),
    POOLING("pooling");

    private final String traceName;

    EncoderOp(String traceName) {
        this.traceName = traceName;
    }

    /** The operation's name in a trace. */
    String traceName() {
        return traceName;
    }

    /**
     * The kernel that performed what a listener saw between two operation boundaries: by the role of the weights
     * it read, or, for kernels without weights, by what they touched ({@link BertEncoder} documents each kernel's
     * accesses).
     *
     * @throws IllegalStateException when the pattern is none of the encoder's kernels (encoder and tracer disagree)
     */
    static EncoderOp classify(TensorRole weightRole, List<String> reads, List<String> writes) {
        if (weightRole != null) {
            return switch (weightRole) {
                case EMBEDDING -> EMBEDDING;
                case NORM -> {
                    if (reads.equals(List.of("embeddings"))) {
                        yield EMBEDDING_NORM;
                    } else if (reads.equals(List.of("hidden", "attn_out"))) {
                        yield ATTN_ADD_NORM;
                    } else if (reads.equals(List.of("hidden", "ffn_out"))) {
                        yield FFN_ADD_NORM;
                    }
                    throw unknown(weightRole, reads, writes);
                }
                case ATTN_Q -> ATTN_Q;
                case ATTN_K -> ATTN_K;
                case ATTN_V -> ATTN_V;
                case ATTN_O -> ATTN_OUTPUT;
                case MLP_UP -> FFN_UP;
                case MLP_DOWN -> FFN_DOWN;
                default -> throw unknown(weightRole, reads, writes);
            };
        }
        if (reads.equals(List.of("q", "k", "v")) && writes.equals(List.of("context"))) {
            return ATTENTION;
        }
        if (writes.equals(List.of("ffn_act"))) {
            return GELU;
        }
        if (writes.equals(List.of(EncoderLayout.EMBEDDINGS))) {
            return POOLING;
        }
        throw unknown(null, reads, writes);
    }

    private static IllegalStateException unknown(TensorRole role, List<String> reads, List<String> writes) {
        return new IllegalStateException("the encoder reported an operation the tracer does not know: weights "
                + (role == null ? "none" : role.id()) + ", reads " + reads + ", writes " + writes);
    }
}
