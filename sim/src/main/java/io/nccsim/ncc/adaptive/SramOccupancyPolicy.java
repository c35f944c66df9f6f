package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;

import java.util.List;
import java.util.Map;

/**
 * Policy {@code sram_occupancy}: a data buffer fuller than {@code high} over a window means tiles wait for the NCC's
 * coders, so the NCC, not DRAM, is the bottleneck: step one class one level down (less coding work per byte, down
 * to the range's minimum). Below {@code low} the NCC has slack: step one class one level back up, but never above
 * its configured level (this policy only ever gives compression back). Hysteresis and one class per window as in
 * {@link WatermarkPolicy}.
 *
 * <p>Order when relieving the NCC: KV cache, then activations, then weights. The write path's encoders are the
 * narrower side of the NCC (8 lanes against 32 decoder lanes in {@code configs/ncc/huffman_base.yaml}), so the
 * classes they carry are the likelier cause of a full buffer; weights move last because a weight switch needs a
 * second stored copy. Compression is given back in the reverse order: weights first, as the largest stream it
 * recovers the most DRAM bandwidth.
 */
public final class SramOccupancyPolicy extends WatermarkPolicy {
    private static final List<DataClass> RELIEVE_ORDER =
            List.of(DataClass.KV_CACHE, DataClass.ACTIVATIONS, DataClass.WEIGHTS);
    private static final List<DataClass> RESTORE_ORDER =
            List.of(DataClass.WEIGHTS, DataClass.ACTIVATIONS, DataClass.KV_CACHE);

    public SramOccupancyPolicy(Map<DataClass, LevelBounds> bounds, double high, double low, int dwellWindows) {
        super(bounds, high, low, dwellWindows);
    }

    @Override
    double measure(WindowStats w) {
        return w.bufferOccupancy();
    }

    @Override
    String measureName() {
        return "buffer occupancy";
    }

    @Override
    List<DataClass> orderAboveHigh() {
        return RELIEVE_ORDER;
    }

    @Override
    int stepAboveHigh(LevelBounds b, int level) {
        return Math.max(level - 1, b.range().min());
    }

    @Override
    List<DataClass> orderBelowLow() {
        return RESTORE_ORDER;
    }

    @Override
    int stepBelowLow(LevelBounds b, int level) {
        return level < b.configured() ? level + 1 : level;
    }
}
