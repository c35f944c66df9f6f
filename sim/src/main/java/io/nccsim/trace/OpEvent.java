package io.nccsim.trace;

import java.util.List;
import java.util.Objects;

/**
 * One operation of the forward pass (a matmul, an attention, a norm...): the tensors it reads and writes, and the
 * multiply-accumulates the processor performs.
 *
 * @param name     operation name, e.g. "attn_q", "attention", "mlp_down"
 * @param layer    transformer block, or -1
 * @param macs     multiply-accumulate operations
 * @param accesses reads and writes, in the order the operation performs them
 */
public record OpEvent(String name, int layer, long macs, List<Access> accesses) implements TraceEvent {
    public OpEvent {
        Objects.requireNonNull(name, "name");
        accesses = List.copyOf(accesses);
        if (macs < 0) {
            throw new IllegalArgumentException("macs must be >= 0");
        }
    }

    /**
     * The transformer block this operation belongs to: its own {@code layer}, or when it has none, the layer of the
     * first tensor it accesses that has one; -1 when neither says (the embedding, the final norm, the classifier).
     */
    public int layerIn(List<TensorInfo> tensors) {
        if (layer >= 0) {
            return layer;
        }
        for (Access a : accesses) {
            int l = tensors.get(a.tensorId()).layer();
            if (l >= 0) {
                return l;
            }
        }
        return -1;
    }
}
