package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig.LayerOverride;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Policy {@code static}: each class at its configured level, except in the layers an override names; never
 * switches. An unknown layer ({@link LevelDecision#ALL_LAYERS}) gets the configured level.
 */
public final class StaticPolicy implements LevelPolicy {
    private final Map<DataClass, Integer> configured;
    /** Per class, the override level of each layer up to the last overridden one; -1 where none applies. */
    private final Map<DataClass, int[]> byLayer = new EnumMap<>(DataClass.class);

    public StaticPolicy(Map<DataClass, LevelBounds> bounds, List<LayerOverride> overrides) {
        Map<DataClass, Integer> c = new EnumMap<>(DataClass.class);
        bounds.forEach((dc, b) -> c.put(dc, b.configured()));
        this.configured = c;
        for (DataClass dc : DataClass.values()) {
            int last = -1;
            for (LayerOverride o : overrides) {
                if (o.levels().containsKey(dc)) {
                    last = Math.max(last, o.lastLayer());
                }
            }
            if (last < 0) {
                continue;
            }
            int[] levels = new int[last + 1];
            Arrays.fill(levels, -1);
            for (LayerOverride o : overrides) {
                Integer level = o.levels().get(dc);
                if (level != null) {
                    Arrays.fill(levels, o.firstLayer(), o.lastLayer() + 1, level);
                }
            }
            byLayer.put(dc, levels);
        }
    }

    @Override
    public int level(DataClass dc, int layer) {
        int[] levels = byLayer.get(dc);
        if (levels != null && layer >= 0 && layer < levels.length && levels[layer] >= 0) {
            return levels[layer];
        }
        return configured.get(dc);
    }

    @Override
    public List<LevelDecision> afterWindow(WindowStats w, long index) {
        return List.of();
    }
}
