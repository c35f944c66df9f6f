package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.Locale;
import java.util.Objects;

/**
 * One choice of the level controller: from {@code timePs} on, {@code dataClass} (in {@code layer}, or in every
 * layer when {@code layer} is {@link #ALL_LAYERS}) uses {@code toLevel} instead of {@code fromLevel}.
 *
 * @param reason why, with the numbers, e.g. "dram utilization 0.95 > high 0.90"
 */
public record LevelDecision(long timePs, DataClass dataClass, int layer, int fromLevel, int toLevel, String reason) {
    public static final int ALL_LAYERS = -1;

    public LevelDecision {
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(reason, "reason");
        if (timePs < 0 || layer < ALL_LAYERS) {
            throw new IllegalArgumentException("time " + timePs + " ps, layer " + layer);
        }
    }

    /** One line for reports: {@code 20.000 us kv_cache all layers: 1 (lossless) -> 2 (drop1): <reason>}. */
    public String describe() {
        return String.format(Locale.ROOT, "%.3f us %s %s: %s -> %s: %s", timePs / 1e6, AdaptiveConfig.key(dataClass),
                layer == ALL_LAYERS ? "all layers" : "layer " + layer, AdaptiveConfig.describeLevel(fromLevel),
                AdaptiveConfig.describeLevel(toLevel), reason);
    }
}
