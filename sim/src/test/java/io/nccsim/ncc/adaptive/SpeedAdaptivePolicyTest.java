package io.nccsim.ncc.adaptive;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.nccsim.ncc.adaptive.Configs.adaptive;
import static io.nccsim.ncc.adaptive.Configs.levels;
import static io.nccsim.ncc.adaptive.Configs.window;
import static io.nccsim.ncc.adaptive.LevelDecision.ALL_LAYERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeedAdaptivePolicyTest {
    private static final DataClass W = DataClass.WEIGHTS;
    private static final DataClass KV = DataClass.KV_CACHE;
    /** 1 GB/s and 1 G symbols/s: 1000 bytes or 1000 symbols take 1 us. */
    private static final double RATE = 1e9;

    /** Layer 0 (given as two tensors) gains, layer 1 is decoder-bound, layer 2 saves no bytes. */
    private static final List<LayerCost> LAYERS = List.of(
            new LayerCost(0, W, 600, 300, 500),
            new LayerCost(0, W, 400, 200, 300),  // layer 0: raw 1 us, stored 0.5 us, decode 0.8 us
            new LayerCost(1, W, 1000, 400, 2000), // raw 1 us, stored 0.4 us, decode 2 us
            new LayerCost(2, W, 1000, 1000, 100)); // raw 1 us, stored 1 us, decode 0.1 us

    @Test
    void compressesOnlyTheLayersThatGetFaster() {
        LevelController c = new LevelController(adaptive("policy: speed_adaptive", "weights: {min: 0, max: 1}"),
                levels(1, 0, 1), LAYERS, RATE, RATE);
        assertEquals(List.of(
                new LevelDecision(0, W, 0, 1, 1,
                        "compressed: max(stored 500.000 ns, decode 800.000 ns) < raw 1.000 us"),
                new LevelDecision(0, W, 1, 1, 0, "bypass, decoder-bound: decode 2.000 us >= raw 1.000 us"),
                new LevelDecision(0, W, 2, 1, 0, "bypass, no gain: stored 1.000 us >= raw 1.000 us")),
                c.decisions());
        assertEquals(1, c.level(W, 0));
        assertEquals(0, c.level(W, 1));
        assertEquals(0, c.level(W, 2));
        assertEquals(1, c.level(W, 9));          // a layer without costs keeps the configured level
        assertEquals(1, c.level(W, ALL_LAYERS)); // so does an unknown layer
        assertEquals(1, c.level(KV, 1));         // KV cache is pinned (no range): it takes no part
        assertEquals(Map.of("weights.bypass", 2, "weights.lossless", 1), c.layersAtLevel());
        // decided once: windows change nothing
        c.observe(window(0, 0.99, 0.99));
        assertEquals(3, c.decisions().size());
    }

    @Test
    void aTieWithTheRawTimeIsBypassed() {
        LevelController c = new LevelController(adaptive("policy: speed_adaptive", "weights: {min: 0, max: 1}"),
                levels(1, 0, 1), List.of(new LayerCost(0, W, 1000, 500, 1000)), RATE, RATE);
        assertEquals(0, c.level(W, 0));
        assertTrue(c.decisions().get(0).reason().startsWith("bypass, decoder-bound"));
    }

    @Test
    void needsAClassItCanDecide() {
        // KV may move, but 1..2 never includes bypass; weights are pinned
        String m = assertThrows(BadInputException.class, () -> new LevelController(
                adaptive("policy: speed_adaptive", "kv_cache: {min: 1, max: 2}"), levels(1, 0, 1), LAYERS, RATE,
                RATE)).getMessage();
        assertTrue(m.startsWith("ncc.adaptive.policy speed_adaptive has no class to decide"), m);
        // weights may be bypassed but the caller gave no weight costs
        assertThrows(IllegalArgumentException.class, () -> new LevelController(
                adaptive("policy: speed_adaptive", "weights: {min: 0, max: 1}"), levels(1, 0, 1),
                List.of(new LayerCost(0, KV, 10, 5, 10)), RATE, RATE));
    }
}
