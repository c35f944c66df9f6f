package io.nccsim.sweep;

import io.nccsim.driver.HandComputedRunTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sweep small enough to run in milliseconds per point: the board and trace of {@code HandComputedRunTest} (one
 * weight tensor of 8192 B read, 1024 B of activations written; the baseline moves 9216 DRAM bytes).
 */
final class TinySweep {
    private TinySweep() {
    }

    static final String CONFIG = HandComputedRunTest.CONFIG;

    /** The 8-point spec: 2 traces (outermost) x 2 decoder lanes x 2 table slot counts. */
    static final String SPEC = """
            name: tiny
            base: tiny.yaml
            traces: [a.trace, b.trace]
            seed: 7
            axes:
              - key: ncc.decoder.lanes
                values: [1, 2]
              - key: ncc.tables.slots
                linear: {from: 1, to: 4, steps: 2}
            """;

    /** Writes tiny.yaml, a.trace, b.trace and spec.yaml (with {@code spec} as its text) into {@code dir}. */
    static Path write(Path dir, String spec) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tiny.yaml"), CONFIG);
        trace(dir.resolve("a.trace"), 0);
        trace(dir.resolve("b.trace"), 1);
        Path specFile = dir.resolve("spec.yaml");
        Files.writeString(specFile, spec);
        return specFile;
    }

    /** The trace of HandComputedRunTest; {@code variant} 1 makes block 1 all symbol 2 instead of 1. */
    static void trace(Path file, int variant) throws IOException {
        HandComputedRunTest.writeTrace(file, variant);
    }
}
