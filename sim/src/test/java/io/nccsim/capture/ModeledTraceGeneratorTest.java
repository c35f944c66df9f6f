package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceReader;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ModeledTraceGeneratorTest {

    @Test
    void parameterCountsMatchThePublishedOnes() {
        // Published: Phi-3-mini 3.82 B, SmolLM2-135M 135 M, TinyLlama 1.1 B, Llama-3.2-3B 3.2 B (edge-boards.md).
        assertEquals(3.82e9, ModelArch.load(ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml")).shape()
                .parameters(), 0.005e9);
        assertEquals(135e6, ModelArch.load(ProjectFiles.resolve("configs/models/smollm2-135m.yaml")).shape()
                .parameters(), 1e6);
        assertEquals(1.1e9, ModelArch.load(ProjectFiles.resolve("configs/models/tinyllama-1.1b.yaml")).shape()
                .parameters(), 0.01e9);
        assertEquals(3.21e9, ModelArch.load(ProjectFiles.resolve("configs/models/llama-3.2-3b.yaml")).shape()
                .parameters(), 0.02e9);
    }

    @Test
    void theShippedPhi3TraceIsRemadeByteForByteByItsCommand(@TempDir Path dir) throws Exception {
        // traces/README.md gives this command; the shipped file must be what it makes.
        Path out = dir.resolve("phi3.trace");
        ModeledTraceGenerator.generate(new ModeledTraceGenerator.Options(
                ModelArch.load(ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml")),
                "configs/models/phi3-mini-4k.yaml", WeightQuant.parse("int4-g128-sym", "--weights"), "int8", 128, 128,
                1, 16384, "nccsim 0.1.0 trace model"), out);
        assertEquals(Files.size(ProjectFiles.resolve("traces/phi3.trace")), Files.size(out));
        assertTrue(Arrays.equals(Files.readAllBytes(ProjectFiles.resolve("traces/phi3.trace")),
                Files.readAllBytes(out)), "traces/phi3.trace is stale: remake it with the command in traces/README.md");
        assertTrue(Files.size(out) < 20_000_000, "shipped traces stay under 20 MB");
    }

    @Test
    void scheduleReadsEveryWeightOncePerStepAndGrowsTheKvCache(@TempDir Path dir) {
        Path out = dir.resolve("t.trace");
        ModelArch arch = ModelArch.load(ProjectFiles.resolve("configs/models/tinyllama-1.1b.yaml"));
        ModeledTraceGenerator.generate(new ModeledTraceGenerator.Options(arch, "tinyllama", WeightQuant.parse(
                "int8-channel-asym", "w"), "int8", 4, 2, 3, 65536, "test"), out);
        try (TraceReader r = TraceReader.open(out)) {
            long weightBytes = r.tensors().stream()
                    .filter(t -> t.role().dataClass() == TensorRole.DataClass.WEIGHTS && t.role() != TensorRole.EMBEDDING)
                    .mapToLong(TensorInfo::bytes).sum();
            long stepWeightReads = -1;
            long kvRead = 0;
            int steps = 0;
            long[] kvReadPerStep = new long[3];
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                if (e instanceof StepEvent) {
                    if (stepWeightReads >= 0) {
                        assertEquals(weightBytes, stepWeightReads, "every non-embedding weight read once per step");
                    }
                    stepWeightReads = 0;
                    steps++;
                } else if (e instanceof OpEvent op) {
                    for (Access a : op.accesses()) {
                        TensorInfo t = r.tensors().get(a.tensorId());
                        if (a.isRead() && t.role().dataClass() == TensorRole.DataClass.WEIGHTS
                                && t.role() != TensorRole.EMBEDDING) {
                            stepWeightReads += a.lengthBytes();
                        }
                        if (a.isRead() && t.role() == TensorRole.KV_CACHE && a.offsetBytes() == 0) {
                            kvReadPerStep[steps - 1] += a.lengthBytes();
                        }
                        if (!a.isRead() && a.histogram() != null) {
                            assertEquals(a.lengthBytes(), Arrays.stream(a.histogram()).sum(), "int8: one symbol a byte");
                        }
                    }
                }
            }
            assertEquals(weightBytes, stepWeightReads);
            assertEquals(3, steps, "prefill and two decode steps");
            // keys and values of 4, then 5, then 6 positions: 22 layers x 2 x 256 kv width x positions
            assertEquals(22L * 2 * 256 * 4, kvReadPerStep[0]);
            assertEquals(22L * 2 * 256 * 5, kvReadPerStep[1]);
            assertEquals(22L * 2 * 256 * 6, kvReadPerStep[2]);
        }
    }

    @Test
    void drawnCountsAlwaysSumToTheBlockAndFollowTheDistribution() {
        SymbolModel m = SymbolModel.estimate(SymbolModel.gaussian(new Well19937c(5)), 4, 128, true, 2048);
        double[] p = m.probabilities();
        assertEquals(0.0, p[0], "symmetric int4 never uses -8");
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-9);
        Well19937c rng = new Well19937c(9);
        long[] total = new long[16];
        for (int b = 0; b < 400; b++) {
            int[] c = m.drawCounts(16384, rng);
            assertEquals(16384, Arrays.stream(c).sum());
            for (int s = 0; s < 16; s++) {
                total[s] += c[s];
            }
        }
        for (int s = 0; s < 16; s++) {
            assertEquals(p[s], total[s] / (400.0 * 16384), 0.002, "symbol " + s);
        }
    }

    @Test
    void weightFormatsParseWithTheirStorage() {
        WeightQuant q = WeightQuant.parse("int4-g128-asym", "w");
        assertEquals(4096L * 4096 / 2, q.payloadBytes(4096, 4096));
        assertEquals(4096L * 32 * 4, q.metadataBytes(4096, 4096), "fp16 scale and zero per group of 128");
        assertEquals("int8-channel-sym", WeightQuant.parse("INT8-channel", "w").id());
        assertEquals(0, WeightQuant.parse("fp16", "w").metadataBytes(10, 10));
    }
}
