package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nccsim.ncc.adaptive.Configs.US;
import static io.nccsim.ncc.adaptive.Configs.adaptive;
import static io.nccsim.ncc.adaptive.Configs.levels;
import static io.nccsim.ncc.adaptive.Configs.window;
import static io.nccsim.ncc.adaptive.LevelDecision.ALL_LAYERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SramOccupancyPolicyTest {
    private static final DataClass W = DataClass.WEIGHTS;
    private static final DataClass A = DataClass.ACTIVATIONS;
    private static final DataClass KV = DataClass.KV_CACHE;

    private static LevelController controller(int dwell) {
        // weights 0..1, KV cache 0..2 (but configured lossless), activations pinned at bypass
        return new LevelController(adaptive("policy: sram_occupancy", "high: 0.9", "low: 0.5",
                "dwell_windows: " + dwell, "weights: {min: 0, max: 1}", "kv_cache: {min: 0, max: 2}"),
                levels(1, 0, 1), List.of(), 64e9, 25.6e9);
    }

    private static void run(LevelController c, double... buffer) {
        for (int i = 0; i < buffer.length; i++) {
            c.observe(window(i, 0.99, buffer[i])); // DRAM saturated throughout: this policy must not care
        }
    }

    @Test
    void handWorkedSequence() {
        LevelController c = controller(1);
        run(c, 0.95, 0.95, 0.95, 0.7, 0.3, 0.3, 0.3, 0.3);
        // w0 0.95 > high: relieve KV first, 1 -> 0 at 10 us
        // w1: KV at its min, activations pinned: weights 1 -> 0 at 20 us
        // w2: nothing left to relieve; w3 0.70 in the band
        // w4 0.30 < low: restore weights first, 0 -> 1 at 50 us; w5: KV 0 -> 1 at 60 us
        // w6, w7: everything back at its configured level; KV may not go to 2 although its range allows it
        String up = "buffer occupancy 0.95 > high 0.90";
        String down = "buffer occupancy 0.30 < low 0.50";
        assertEquals(List.of(
                new LevelDecision(10 * US, KV, ALL_LAYERS, 1, 0, up),
                new LevelDecision(20 * US, W, ALL_LAYERS, 1, 0, up),
                new LevelDecision(50 * US, W, ALL_LAYERS, 0, 1, down),
                new LevelDecision(60 * US, KV, ALL_LAYERS, 0, 1, down)), c.decisions());
        assertEquals(1, c.level(KV, ALL_LAYERS));
        assertEquals(1, c.level(W, 3));
        assertEquals(0, c.level(A, ALL_LAYERS));
        assertEquals(30 * US, c.timeAtLevelPs(W, 0)); // windows 1..4 after the switch at 20 us, until 50 us
        assertEquals(50 * US, c.timeAtLevelPs(KV, 0)); // 10 us .. 60 us
    }

    @Test
    void noOscillationInsideTheBand() {
        LevelController c = controller(0);
        run(c, 0.51, 0.89, 0.5, 0.9, 0.6, 0.8);
        assertTrue(c.decisions().isEmpty(), c.decisions().toString());
    }

    @Test
    void dwellHoldsAClassAfterItsSwitch() {
        LevelController c = controller(3);
        run(c, 0.95, 0.3, 0.3, 0.3);
        // w0: KV 1 -> 0; w1, w2: KV dwelling, weights at configured, activations pinned; w3: KV 0 -> 1
        assertEquals(List.of(10 * US, 40 * US), c.decisions().stream().map(LevelDecision::timePs).toList());
    }
}
