package io.nccsim.cli;

import io.nccsim.testutil.Cli;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weight formats a modeled trace accepts. */
class TraceModelWeightsTest {
    @Test
    void autoSymmetryNeedsRealWeightsSoAModeledTraceRejectsIt(@TempDir Path dir) {
        Path out = dir.resolve("auto.trace");
        Cli.Result r = Cli.run("trace", "model", "--arch",
                ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(), "--weights", "int4-g128-auto",
                "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--weights int4-g128-auto") && r.err().contains("expected sym or asym"), r.err());
        assertFalse(Files.exists(out));
    }
}
