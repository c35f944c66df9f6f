package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;

import java.util.List;
import java.util.Map;

/**
 * Policy {@code bandwidth_pressure}: when the DRAM bus is busier than {@code high} over a window, compress one class
 * one level more; when it is idler than {@code low}, one level less (down to the range's minimum: with bandwidth to
 * spare, the NCC's latency and energy, and the lossy levels' error, buy nothing). Hysteresis and one class per
 * window as in {@link WatermarkPolicy}.
 *
 * <p>Order under pressure: KV cache, then activations, then weights. KV cache and activations are written by the
 * NCC's encoders at run time, so their next tiles simply take the new level; weights are read from copies stored
 * before the run, so a weight switch needs a second stored copy (bypass and lossless) and costs DRAM capacity; they
 * move last. When the pressure is gone the steps are undone in the reverse order: the last class compressed is the
 * first relaxed.
 */
public final class BandwidthPressurePolicy extends WatermarkPolicy {
    private static final List<DataClass> COMPRESS_ORDER =
            List.of(DataClass.KV_CACHE, DataClass.ACTIVATIONS, DataClass.WEIGHTS);
    private static final List<DataClass> RELAX_ORDER =
            List.of(DataClass.WEIGHTS, DataClass.ACTIVATIONS, DataClass.KV_CACHE);

    public BandwidthPressurePolicy(Map<DataClass, LevelBounds> bounds, double high, double low, int dwellWindows) {
        super(bounds, high, low, dwellWindows);
    }

    @Override
    double measure(WindowStats w) {
        return w.dramUtilization();
    }

    @Override
    String measureName() {
        return "dram utilization";
    }

    @Override
    List<DataClass> orderAboveHigh() {
        return COMPRESS_ORDER;
    }

    @Override
    int stepAboveHigh(LevelBounds b, int level) {
        return Math.min(level + 1, b.range().max());
    }

    @Override
    List<DataClass> orderBelowLow() {
        return RELAX_ORDER;
    }

    @Override
    int stepBelowLow(LevelBounds b, int level) {
        return Math.max(level - 1, b.range().min());
    }
}
