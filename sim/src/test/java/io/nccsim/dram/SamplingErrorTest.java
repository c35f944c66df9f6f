package io.nccsim.dram;

import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.ModelArch;
import io.nccsim.capture.ShapeOnlyTrace;
import io.nccsim.codec.WeightQuant;
import io.nccsim.config.SimConfig;
import io.nccsim.driver.Progress;
import io.nccsim.driver.RunResult;
import io.nccsim.driver.Simulation;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Steady-state sampling against a full detailed simulation of the same trace: the goal is under 1%. */
class SamplingErrorTest {

    @Test
    void sampledRunIsWithinOnePercentOfFullDetailOnBytesTimeAndEnergy(@TempDir Path dir) {
        Path trace = dir.resolve("s.trace");
        Path arch = ProjectFiles.resolve("configs/models/smollm2-135m.yaml");
        Path fit = ShapeOnlyTrace.defaultFit(arch);
        ShapeOnlyTrace.generate(new ShapeOnlyTrace.Options(ModelArch.load(arch), "smollm2", fit, "fit",
                WeightQuant.parse("int4-g128-sym", "w"), KvPrecision.INT8, 8, 24, 1, 16384, "test"), trace);
        Path cfg = ProjectFiles.resolve("configs/jetson_nano.yaml");
        // Recalibrate rarely so most decode steps are fast-forwarded.
        RunResult full = Simulation.run(SimConfig.load(cfg, List.of("memory.sampling.enabled=false")), trace, "ncc",
                Progress.NONE);
        RunResult sampled = Simulation.run(SimConfig.load(cfg, List.of("memory.sampling.period=64")), trace, "ncc",
                Progress.NONE);
        assertTrue(sampled.dram().get("sampling_fast_steps").intValue() >= 20,
                "most decode steps fast-forwarded: " + sampled.dram());
        assertFalse(full.dram().containsKey("sampling_fast_steps"));
        assertEquals(full.memory().bytesRead(), sampled.memory().bytesRead(), "bytes are the trace's, not sampled");
        assertEquals(full.memory().bytesWritten(), sampled.memory().bytesWritten());
        assertEquals(0, rel(sampled.simTimeS(), full.simTimeS()), 0.01, "time");
        assertEquals(0, rel(sampled.decodeMsPerToken(), full.decodeMsPerToken()), 0.01, "decode per token");
        assertEquals(0, rel(sampled.energy().component("dram"), full.energy().component("dram")), 0.01, "DRAM energy");
        assertEquals(0, rel(sampled.energy().total(), full.energy().total()), 0.01, "total energy");
    }

    private static double rel(double a, double b) {
        return (a - b) / b;
    }
}
