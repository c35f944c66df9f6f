package io.nccsim.dram;

import io.nccsim.config.EnergyConfig;
import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;

/**
 * The registry of memory models, chosen by {@code memory.model} in the config: {@code lpddr} (cycle-level) or
 * {@code ideal}. A new model adds its name to {@link MemoryConfig.Model} and one case here.
 */
public final class MemoryModels {
    private MemoryModels() {
    }

    public static MemorySystem create(Simulator sim, MemoryConfig config, EnergyConfig.Dram idealEnergy,
                                      Stats stats) {
        return switch (config.model()) {
            case IDEAL -> new IdealMemory(sim, config, idealEnergy, stats);
            case LPDDR -> {
                LpddrMemory detailed = new LpddrMemory(sim, config, timingTable(config), stats);
                // The timing checker needs every command, so checking turns sampling off.
                boolean sample = config.sampling().enabled() && !config.controller().checkTiming();
                yield sample ? new SampledMemory(sim, detailed, config) : detailed;
            }
        };
    }

    /** The timing table for the config's standard and data rate; a bad pair is the user's error. */
    public static TimingTable timingTable(MemoryConfig config) {
        try {
            return TimingTables.forStandard(config.standard().name(), config.dataRateTps() / 1e6);
        } catch (IllegalArgumentException e) {
            throw new io.nccsim.common.BadInputException("memory.standard/memory.data_rate: " + e.getMessage());
        }
    }
}
