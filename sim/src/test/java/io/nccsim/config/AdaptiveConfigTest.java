package io.nccsim.config;

import io.nccsim.common.BadInputException;
import io.nccsim.config.AdaptiveConfig.LayerOverride;
import io.nccsim.config.AdaptiveConfig.LevelRange;
import io.nccsim.config.AdaptiveConfig.Policy;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdaptiveConfigTest {
    /** Reads {@code ncc.adaptive} from the YAML lines (the section {@code ncc} at the top). */
    private static AdaptiveConfig read(String... lines) {
        ConfigReader root = ConfigReader.root(ConfigNode.parse(String.join("\n", lines) + "\n", "a.yaml"));
        AdaptiveConfig c = AdaptiveConfig.readOptional(root.section("ncc"));
        root.finish();
        return c;
    }

    private static String failure(String... lines) {
        return assertThrows(BadInputException.class, () -> read(lines)).getMessage();
    }

    @Test
    void readsEveryKey() {
        AdaptiveConfig c = read(
                "ncc:",
                "  adaptive:",
                "    policy: bandwidth_pressure",
                "    window: 20 us",
                "    high: 0.85",
                "    low: 0.5",
                "    dwell_windows: 3",
                "    weights: {min: 1, max: 1}",
                "    activations: {min: bypass, max: lossless}",
                "    kv_cache: {min: 1, max: drop2}",
                "    overrides:",
                "      - {layers: 0-3, weights: bypass}",
                "      - {layers: 7, kv_cache: drop1, activations: 1}");
        assertEquals(Policy.BANDWIDTH_PRESSURE, c.policy());
        assertEquals(20_000_000L, c.windowPs());
        assertEquals(0.85, c.high());
        assertEquals(0.5, c.low());
        assertEquals(3, c.dwellWindows());
        assertFalse(c.allowLearned());
        assertEquals(Map.of(DataClass.WEIGHTS, new LevelRange(1, 1), DataClass.ACTIVATIONS, new LevelRange(0, 1),
                DataClass.KV_CACHE, new LevelRange(1, 3)), c.ranges());
        assertEquals(List.of(new LayerOverride(0, 3, Map.of(DataClass.WEIGHTS, 0)),
                new LayerOverride(7, 7, Map.of(DataClass.KV_CACHE, 2, DataClass.ACTIVATIONS, 1))), c.overrides());
    }

    @Test
    void defaultsAndTheStaticDefault() {
        AdaptiveConfig c = read("ncc:", "  adaptive:", "    policy: static");
        assertEquals(Policy.STATIC, c.policy());
        assertEquals(10_000_000L, c.windowPs());
        assertEquals(0.9, c.high());
        assertEquals(0.6, c.low());
        assertEquals(2, c.dwellWindows());
        assertTrue(c.ranges().isEmpty());
        assertSame(AdaptiveConfig.STATIC_DEFAULT, readWithoutSection());
        // a class without a range is pinned to its configured level
        assertEquals(new LevelRange(1, 1), c.rangeOr(DataClass.WEIGHTS, 1));
    }

    private static AdaptiveConfig readWithoutSection() {
        ConfigReader root = ConfigReader.root(ConfigNode.parse("ncc:\n  clock: 1 GHz\n", "a.yaml"));
        ConfigReader ncc = root.section("ncc");
        ncc.frequencyHz("clock");
        AdaptiveConfig c = AdaptiveConfig.readOptional(ncc);
        root.finish();
        return c;
    }

    @Test
    void watermarksOutOfOrderNameBothKeys() {
        String m = failure("ncc:", "  adaptive:", "    policy: static", "    high: 0.6", "    low: 0.8");
        assertEquals("a.yaml:5:10: ncc.adaptive.low 0.8 must be below ncc.adaptive.high 0.6 (compress more above"
                + " high, less below low)", m);
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    high: 0.6", "    low: 0.6")
                .contains("ncc.adaptive.low 0.6 must be below ncc.adaptive.high 0.6"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    high: 1.2")
                .contains("ncc.adaptive.high: expected a number from 0 to 1, got '1.2'"));
    }

    @Test
    void strictAboutKeysAndPolicies() {
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    dwel_windows: 2")
                .contains("unknown key 'ncc.adaptive.dwel_windows'"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    weights: {min: 0, max: 1, mid: 1}")
                .contains("unknown key 'ncc.adaptive.weights.mid'"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: greedy")
                .contains("ncc.adaptive.policy: expected one of static, bandwidth_pressure, sram_occupancy,"
                        + " speed_adaptive, got 'greedy'"));
        assertTrue(failure("ncc:", "  adaptive:", "    window: 1 us").contains("missing required key 'policy'"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    window: 0 us")
                .contains("ncc.adaptive.window"));
    }

    @Test
    void levelsByNumberOrNameWithinRange() {
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    kv_cache: {min: 1, max: 8}")
                .contains("ncc.adaptive.kv_cache.max: expected a level 0..7 or one of bypass, lossless, drop1,"
                        + " drop2, drop3, learned1, learned2, learned3, got '8'"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    kv_cache: {min: 1, max: lossles}")
                .contains("got 'lossles'"));
        assertEquals("a.yaml:4:21: ncc.adaptive.kv_cache.min 3 (drop2) is above ncc.adaptive.kv_cache.max 1"
                + " (lossless)",
                failure("ncc:", "  adaptive:", "    policy: static", "    kv_cache: {min: 3, max: 1}"));
    }

    @Test
    void learnedLevelsOnlyWhenAllowed() {
        String m = failure("ncc:", "  adaptive:", "    policy: static", "    kv_cache: {min: 1, max: 5}");
        assertTrue(m.contains("ncc.adaptive.kv_cache.max: level 5 (learned1) is a learned-codec level"), m);
        assertTrue(m.contains("allow_learned: true"), m);
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    overrides:",
                "      - {layers: 0, weights: learned3}").contains("ncc.adaptive.overrides[0].weights: level 7"));
        AdaptiveConfig c = read("ncc:", "  adaptive:", "    policy: bandwidth_pressure", "    allow_learned: true",
                "    kv_cache: {min: 1, max: 7}");
        assertEquals(new LevelRange(1, 7), c.ranges().get(DataClass.KV_CACHE));
    }

    @Test
    void aDynamicPolicyNeedsAClassThatCanMove() {
        String m = failure("ncc:", "  adaptive:", "    policy: sram_occupancy", "    weights: {min: 1, max: 1}");
        assertTrue(m.contains("ncc.adaptive.policy sram_occupancy has no class to move"), m);
        // static needs none
        assertEquals(Policy.STATIC, read("ncc:", "  adaptive:", "    policy: static").policy());
    }

    @Test
    void overridesAreCheckedForShapeAndOverlap() {
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    overrides:",
                "      - {layers: 3-1, weights: 0}")
                .contains("ncc.adaptive.overrides[0].layers: expected a layer or an ascending range of layers such"
                        + " as 5 or 0-3, got '3-1'"));
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    overrides:", "      - {layers: 2}")
                .contains("ncc.adaptive.overrides[0]: an override names no class"));
        String m = failure("ncc:", "  adaptive:", "    policy: static", "    overrides:",
                "      - {layers: 0-3, weights: 0}",
                "      - {layers: 3-5, kv_cache: 2}",
                "      - {layers: 2-4, weights: 1}");
        assertEquals("a.yaml:7:18: ncc.adaptive.overrides[2].layers 2-4 overlaps overrides[0] (0-3) for weights;"
                + " give each layer of a class one override", m);
        assertTrue(failure("ncc:", "  adaptive:", "    policy: static", "    overrides:",
                "      - {layers: 1, weight: 0}")
                .contains("unknown key 'ncc.adaptive.overrides[0].weight'; did you mean 'weights'?"));
    }
}
