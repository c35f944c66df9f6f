package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nccsim.ncc.adaptive.Configs.US;
import static io.nccsim.ncc.adaptive.Configs.adaptive;
import static io.nccsim.ncc.adaptive.Configs.levels;
import static io.nccsim.ncc.adaptive.Configs.window;
import static io.nccsim.ncc.adaptive.LevelDecision.ALL_LAYERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandwidthPressurePolicyTest {
    private static final DataClass W = DataClass.WEIGHTS;
    private static final DataClass A = DataClass.ACTIVATIONS;
    private static final DataClass KV = DataClass.KV_CACHE;

    private static LevelController controller(int dwell, String... ranges) {
        String[] body = new String[4 + ranges.length];
        body[0] = "policy: bandwidth_pressure";
        body[1] = "high: 0.9";
        body[2] = "low: 0.6";
        body[3] = "dwell_windows: " + dwell;
        System.arraycopy(ranges, 0, body, 4, ranges.length);
        // configured: weights lossless, activations bypass, KV cache lossless (as ncc/huffman_base.yaml)
        return new LevelController(adaptive(body), levels(1, 0, 1), List.of(), 64e9, 25.6e9);
    }

    private static void run(LevelController c, double... dram) {
        for (int i = 0; i < dram.length; i++) {
            c.observe(window(i, dram[i], 0.5));
        }
    }

    @Test
    void handWorkedSequence() {
        // weights pinned (no range), activations 0..1, KV cache 1..3; windows of 10 us
        LevelController c = controller(2, "activations: {min: 0, max: 1}", "kv_cache: {min: 1, max: 3}");
        run(c, 0.5, 0.95, 0.95, 0.95, 0.4, 0.4);
        // w0 0.50 < low: nothing can go lower (KV at its min 1, activations at 0, weights pinned)
        // w1 0.95: KV first, 1 -> 2 at 20 us
        // w2 0.95: KV dwelling (switched at w1, 2 - 1 < 2), so activations 0 -> 1 at 30 us
        // w3 0.95: KV 2 -> 3 at 40 us (3 - 1 = 2)
        // w4 0.40 < low: relax in reverse order; weights pinned, activations 1 -> 0 at 50 us (4 - 2 = 2)
        // w5 0.40: activations at min (and dwelling); KV 3 -> 2 at 60 us (5 - 3 = 2)
        String up = "dram utilization 0.95 > high 0.90";
        String down = "dram utilization 0.40 < low 0.60";
        assertEquals(List.of(
                new LevelDecision(20 * US, KV, ALL_LAYERS, 1, 2, up),
                new LevelDecision(30 * US, A, ALL_LAYERS, 0, 1, up),
                new LevelDecision(40 * US, KV, ALL_LAYERS, 2, 3, up),
                new LevelDecision(50 * US, A, ALL_LAYERS, 1, 0, down),
                new LevelDecision(60 * US, KV, ALL_LAYERS, 3, 2, down)), c.decisions());
        assertEquals(2, c.level(KV, 5));
        assertEquals(0, c.level(A, ALL_LAYERS));
        assertEquals(1, c.level(W, 0));
        // KV: 0..20 us lossless, 20..40 drop1, 40..60 drop2; activations: 0..30 and 50..60 bypass, 30..50 lossless
        assertEquals(Map.of("weights.lossless", 60 * US, "activations.bypass", 40 * US,
                "activations.lossless", 20 * US, "kv_cache.lossless", 20 * US, "kv_cache.drop1", 20 * US,
                "kv_cache.drop2", 20 * US), c.timeAtLevelPs());
        assertEquals(6, c.windowsObserved());
        assertEquals("40.000 us kv_cache all layers: 2 (drop1) -> 3 (drop2): " + up, c.decisions().get(2).describe());
    }

    @Test
    void noSwitchInsideTheWatermarkBandOrOnAWatermark() {
        LevelController c = controller(0, "activations: {min: 0, max: 1}", "kv_cache: {min: 1, max: 3}");
        run(c, 0.61, 0.89, 0.62, 0.88, 0.9, 0.6, 0.75, 0.9, 0.6);
        assertTrue(c.decisions().isEmpty(), c.decisions().toString());
        assertEquals(1, c.level(KV, ALL_LAYERS));
    }

    @Test
    void dwellSpacesTheSwitchesOfOneClass() {
        // only KV can move (1..2); utilization flips across both watermarks every window
        LevelController c = controller(3, "kv_cache: {min: 1, max: 2}");
        double[] dram = new double[12];
        for (int i = 0; i < dram.length; i++) {
            dram[i] = i % 2 == 0 ? 0.95 : 0.4;
        }
        run(c, dram);
        // w0 up; w1 down blocked (1 - 0 < 3); w2 at max; w3 down; w4 blocked; w5 at min; w6 up; w9 down
        List<Long> times = c.decisions().stream().map(LevelDecision::timePs).toList();
        assertEquals(List.of(10 * US, 40 * US, 70 * US, 100 * US), times);
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) - times.get(i - 1) >= 3 * 10 * US);
        }
    }

    @Test
    void levelsStayWithinTheirRanges() {
        LevelController c = controller(0, "activations: {min: 0, max: 1}", "kv_cache: {min: 1, max: 4}");
        double[] busy = new double[10];
        java.util.Arrays.fill(busy, 0.99);
        run(c, busy);
        // KV 1 -> 2 -> 3 -> 4 (the last lossy level; 5 is learned and not allowed), then activations 0 -> 1
        assertEquals(4, c.decisions().size());
        assertEquals(4, c.level(KV, ALL_LAYERS));
        assertEquals(1, c.level(A, ALL_LAYERS));
        assertEquals(1, c.level(W, ALL_LAYERS));
        for (LevelDecision d : c.decisions()) {
            assertTrue(d.toLevel() <= AdaptiveConfig.LEVEL_LOSSY_MAX, d.describe());
        }
        LevelController idle = controller(0, "activations: {min: 0, max: 1}", "kv_cache: {min: 1, max: 4}");
        double[] quiet = new double[10];
        java.util.Arrays.fill(quiet, 0.1);
        run(idle, quiet);
        // nothing above its minimum: KV starts at its min 1, activations at 0, weights pinned
        assertTrue(idle.decisions().isEmpty());
        assertEquals(1, idle.level(KV, ALL_LAYERS));
    }
}
