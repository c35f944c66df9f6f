package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The common rule of the window-driven policies: one measured fraction per window against two watermarks. Above
 * {@code high} the policy steps one class one level in one direction, below {@code low} one class one level back;
 * between the watermarks it keeps every level.
 *
 * <p>At most one class switches per window, the first in the policy's order that can still move (within its
 * range) and has dwelt long enough: a class that switched at the end of window i may switch again at the end of
 * window j only if {@code j - i >= dwell_windows}. One class per window keeps each step's effect visible in the next
 * window's measurement; when the first class is still dwelling, the next one moves, so sustained pressure is still
 * answered every window. Hysteresis is therefore two-fold: the watermark gap (a measurement between low and high
 * changes nothing) and the dwell (no class flips faster than every {@code dwell_windows} windows).
 */
abstract class WatermarkPolicy implements LevelPolicy {
    private final Map<DataClass, LevelBounds> bounds;
    private final double high;
    private final double low;
    private final int dwellWindows;
    private final Map<DataClass, Integer> current = new EnumMap<>(DataClass.class);
    private final Map<DataClass, Long> lastSwitchWindow = new EnumMap<>(DataClass.class);

    WatermarkPolicy(Map<DataClass, LevelBounds> bounds, double high, double low, int dwellWindows) {
        this.bounds = Map.copyOf(bounds);
        this.high = high;
        this.low = low;
        this.dwellWindows = dwellWindows;
        bounds.forEach((dc, b) -> current.put(dc, b.configured()));
    }

    /** The measured fraction this policy watches. */
    abstract double measure(WindowStats w);

    /** Its name in decision reasons, e.g. "dram utilization". */
    abstract String measureName();

    /** Which class moves first when the measure is above high. */
    abstract List<DataClass> orderAboveHigh();

    /** The level one step from {@code level} when above high, or {@code level} itself if the class cannot move. */
    abstract int stepAboveHigh(LevelBounds b, int level);

    abstract List<DataClass> orderBelowLow();

    abstract int stepBelowLow(LevelBounds b, int level);

    @Override
    public int level(DataClass dc, int layer) {
        return current.get(dc);
    }

    @Override
    public List<LevelDecision> afterWindow(WindowStats w, long index) {
        double x = measure(w);
        boolean above = x > high;
        if (!above && !(x < low)) {
            return List.of();
        }
        String reason = above ? String.format(Locale.ROOT, "%s %.2f > high %.2f", measureName(), x, high)
                : String.format(Locale.ROOT, "%s %.2f < low %.2f", measureName(), x, low);
        for (DataClass dc : above ? orderAboveHigh() : orderBelowLow()) {
            int from = current.get(dc);
            int to = above ? stepAboveHigh(bounds.get(dc), from) : stepBelowLow(bounds.get(dc), from);
            Long last = lastSwitchWindow.get(dc);
            if (to == from || (last != null && index - last < dwellWindows)) {
                continue;
            }
            current.put(dc, to);
            lastSwitchWindow.put(dc, index);
            return List.of(new LevelDecision(w.endPs(), dc, LevelDecision.ALL_LAYERS, from, to, reason));
        }
        return List.of();
    }
}
