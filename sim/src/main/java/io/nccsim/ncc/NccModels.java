package io.nccsim.ncc;

import io.nccsim.config.NccConfig;
import io.nccsim.dram.MemorySystem;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.WeightContent;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The registry of NCC models, chosen by {@code ncc.model}. */
public final class NccModels {
    private NccModels() {
    }

    /** @param dramPeakBytesPerS the memory's peak bandwidth, for the level controller's utilization measure */
    public static Ncc create(Simulator sim, NccConfig config, MemorySystem memory, double dramPeakBytesPerS,
                             List<TensorInfo> tensors, IntFunction<WeightContent> content,
                             Map<DataClass, long[]> calibration, Stats stats) {
        return switch (config.model()) {
            case BYPASS -> new BypassNcc(sim, memory, tensors);
            case HUFFMAN -> new NccDriver(sim, config, memory, dramPeakBytesPerS, tensors, content, calibration, stats);
        };
    }
}
