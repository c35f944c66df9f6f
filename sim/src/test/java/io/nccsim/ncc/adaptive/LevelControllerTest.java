package io.nccsim.ncc.adaptive;

import io.nccsim.common.BadInputException;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static policy, the default, and the controller's own checks. */
class LevelControllerTest {
    private static final DataClass W = DataClass.WEIGHTS;
    private static final DataClass A = DataClass.ACTIVATIONS;
    private static final DataClass KV = DataClass.KV_CACHE;

    @Test
    void staticWithPerLayerOverrides() {
        AdaptiveConfig cfg = adaptive("policy: static", "overrides:",
                "  - {layers: 0-3, weights: bypass}",
                "  - {layers: 28-31, weights: 0, kv_cache: drop1}");
        List<LayerCost> layers = List.of(new LayerCost(0, W, 10, 5, 10), new LayerCost(4, W, 10, 5, 10),
                new LayerCost(30, W, 10, 5, 10));
        LevelController c = new LevelController(cfg, levels(1, 0, 1), layers, 64e9, 25.6e9);
        for (int layer = 0; layer <= 3; layer++) {
            assertEquals(0, c.level(W, layer), "layer " + layer);
        }
        assertEquals(1, c.level(W, 4));
        assertEquals(1, c.level(W, 27));
        assertEquals(0, c.level(W, 28));
        assertEquals(0, c.level(W, 31));
        assertEquals(1, c.level(W, 32));
        assertEquals(1, c.level(W, 1000));
        assertEquals(1, c.level(W, ALL_LAYERS));
        assertEquals(1, c.level(KV, 27));
        assertEquals(2, c.level(KV, 28));
        assertEquals(0, c.level(A, 28));
        // never switches, whatever it sees
        c.observe(window(0, 0.99, 0.99));
        c.observe(window(1, 0.0, 0.0));
        assertTrue(c.decisions().isEmpty());
        assertEquals(20 * US, c.timeAtLevelPs(W, 1));
        assertEquals(Map.of("weights.bypass", 2, "weights.lossless", 1), c.layersAtLevel()); // layers 0, 30 | 4
    }

    @Test
    void theDefaultKeepsEveryClassAtItsConfiguredLevel() {
        LevelController c = new LevelController(AdaptiveConfig.STATIC_DEFAULT, levels(1, 0, 1), List.of(), 64e9,
                25.6e9);
        for (int i = 0; i < 5; i++) {
            c.observe(window(i, i % 2 == 0 ? 1.0 : 0.0, i % 2 == 0 ? 1.0 : 0.0));
        }
        assertTrue(c.decisions().isEmpty());
        assertEquals(1, c.level(W, 3));
        assertEquals(0, c.level(A, 3));
        assertEquals(1, c.level(KV, 3));
        assertEquals(Map.of("weights.lossless", 50 * US, "activations.bypass", 50 * US,
                "kv_cache.lossless", 50 * US), c.timeAtLevelPs());
        assertEquals(10 * US, c.windowPs());
    }

    @Test
    void configuredLevelsMustLieInTheirRanges() {
        AdaptiveConfig cfg = adaptive("policy: bandwidth_pressure", "kv_cache: {min: 1, max: 3}");
        String m = assertThrows(BadInputException.class,
                () -> new LevelController(cfg, levels(1, 0, 0), List.of(), 64e9, 25.6e9)).getMessage();
        assertEquals("ncc.levels.kv_cache is 0 (bypass) but ncc.adaptive.kv_cache allows only levels 1..3; widen"
                + " the range or change the level", m);
        String learned = assertThrows(BadInputException.class,
                () -> new LevelController(cfg, levels(5, 0, 1), List.of(), 64e9, 25.6e9)).getMessage();
        assertTrue(learned.startsWith("ncc.levels.weights is 5 (learned1), a learned-codec level"), learned);
    }

    @Test
    void windowsMustComeInOrder() {
        LevelController c = new LevelController(AdaptiveConfig.STATIC_DEFAULT, levels(1, 0, 1), List.of(), 64e9,
                25.6e9);
        c.observe(window(1, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> c.observe(window(0, 0.5, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> new WindowStats(0, 10, 1.01, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowStats(0, 10, Double.NaN, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowStats(10, 10, 0.5, 0, 0, 0));
    }
}
