package io.nccsim.capture;

import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * One kernel of the forward pass as traced: for one token, or for a batch of prompt tokens merged slot by slot.
 *
 * @param kind  which kernel
 * @param layer its layer, or {@link AccessListener#NO_LAYER}
 * @param macs  multiply-accumulates of every token it covers
 * @param slots what it does to memory, in order
 */
record TracedOp(EngineOp kind, int layer, long macs, List<OpSlot> slots) {
    TracedOp {
        slots = List.copyOf(slots);
    }

    /**
     * This op batched with the same op of the next prompt token. A kernel that only makes logits is the next
     * token's alone: only the last prompt token's logits are used.
     */
    TracedOp batchWith(TracedOp next) {
        if (next.kind != kind || next.layer != layer || next.slots.size() != slots.size()) {
            throw new IllegalStateException("prompt tokens ran different operations, so prefill cannot be batched: "
                    + kind + " L" + layer + " then " + next.kind + " L" + next.layer);
        }
        if (kind.logitsOnly()) {
            return next;
        }
        List<OpSlot> merged = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            merged.add(slots.get(i).merge(next.slots.get(i)));
        }
        return new TracedOp(kind, layer, macs + next.macs, merged);
    }

    /** The trace event. */
    OpEvent toEvent(CaptureLayout layout) {
        List<Access> accesses = new ArrayList<>();
        for (OpSlot s : slots) {
            s.addAccesses(layout, accesses);
        }
        return new OpEvent(kind.traceName(), layer, macs, accesses);
    }
}
