package io.nccsim.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * What one kernel has touched so far, as a tracer gathers it between operation boundaries: its layer, its accesses
 * in order, and the names of the activations it read and wrote (which tell kernels without weights apart). The
 * decoder's and the encoder's tracers extend it with what their kernels read besides (weights, the KV cache).
 *
 * <p>Every kernel reports its reads before its writes, so a read after writes belongs to the next kernel
 * ({@link #endsBefore}), and one kernel works within one layer ({@link #checkLayer}).
 */
class OpAccesses {
    final int layer;
    final List<OpSlot> slots = new ArrayList<>();
    final List<String> reads = new ArrayList<>();
    final List<String> writes = new ArrayList<>();
    boolean hasWrites;

    OpAccesses(int layer) {
        this.layer = layer;
    }

    void activation(String name, boolean write, OpSlot slot) {
        (write ? writes : reads).add(name);
        hasWrites |= write;
        slots.add(slot);
    }

    /** True when an access ({@code read} or not) starts the next kernel: a read after this one's writes. */
    boolean endsBefore(boolean read) {
        return read && hasWrites;
    }

    /** Refuses an access in another layer: engine and tracer disagree on the kernel boundaries. */
    void checkLayer(int otherLayer) {
        if (otherLayer != layer) {
            throw new IllegalStateException("one operation touched layers " + layer + " and " + otherLayer);
        }
    }
}
