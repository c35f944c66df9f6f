package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;

/**
 * The registry of memory models, chosen by {@code memory.model} in the config. A new model (the cycle-level
 * LPDDR controller) adds its name to {@link MemoryConfig.Model} and one case here.
 */
public final class MemoryModels {
    private MemoryModels() {
    }

    public static MemorySystem create(Simulator sim, MemoryConfig config, Stats stats) {
        return switch (config.model()) {
            case IDEAL -> new IdealMemory(sim, config, stats);
        };
    }
}
