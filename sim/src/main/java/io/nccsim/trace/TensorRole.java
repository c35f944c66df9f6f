package io.nccsim.trace;

import java.util.Locale;

/** What a tensor is for; decides which compression class (weights, activations, KV cache) it belongs to. */
public enum TensorRole {
    EMBEDDING, ATTN_Q, ATTN_K, ATTN_V, ATTN_QKV, ATTN_O, MLP_GATE, MLP_UP, MLP_GATE_UP, MLP_DOWN, NORM, LM_HEAD,
    ACTIVATION, KV_CACHE;

    /** The three classes of data the NCC treats differently. */
    public enum DataClass { WEIGHTS, ACTIVATIONS, KV_CACHE }

    public DataClass dataClass() {
        return switch (this) {
            case ACTIVATION -> DataClass.ACTIVATIONS;
            case KV_CACHE -> DataClass.KV_CACHE;
            default -> DataClass.WEIGHTS;
        };
    }

    /** The lower-case name used in trace headers and reports, e.g. "attn_q". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TensorRole fromId(String id) {
        for (TensorRole r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown tensor role '" + id + "'");
    }
}
