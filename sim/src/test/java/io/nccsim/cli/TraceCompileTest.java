package io.nccsim.cli;

import io.nccsim.testutil.ProjectFiles;
import io.nccsim.isa.Assembler;
import io.nccsim.isa.Instruction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code nccsim trace compile}: the program it writes assembles, and bad requests leave no file behind. */
class TraceCompileTest {
    private static int run(StringWriter err, String... args) {
        PrintWriter e = new PrintWriter(err);
        int code = Main.execute(args, new PrintWriter(new StringWriter()), e);
        e.flush();
        return code;
    }

    @Test
    void theCompiledProgramOfMiniLmAssemblesAndLoadsTablesBeforeDecoding(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("minilm.s");
        int code = run(new StringWriter(), "trace", "compile", ProjectFiles.resolve("traces/minilm.trace").toString(),
                "--config", ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "-o", out.toString(),
                "--max-instructions", "3000");
        assertEquals(0, code);
        List<Instruction> program = Assembler.assemble(Files.readString(out));
        assertEquals(3000, program.size());
        // Every DECOMPRESS names a slot that a LOAD_TABLE filled earlier in the program.
        boolean[] loaded = new boolean[256];
        int decompress = 0;
        for (Instruction i : program) {
            if (i instanceof Instruction.LoadTable t) {
                loaded[t.slot()] = true;
            } else if (i instanceof Instruction.Decompress d) {
                assertTrue(loaded[d.slot()], "DECOMPRESS with slot " + d.slot() + " before any LOAD_TABLE into it");
                decompress++;
            }
        }
        assertTrue(decompress > 0, "MiniLM's int8 weights are decoded (after the embedding rows, read raw)");
    }

    @Test
    void anExistingOutputSurvivesWithoutForceAndABypassDesignHasNoProgram(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keep.s");
        Files.writeString(out, "mine");
        StringWriter err = new StringWriter();
        int code = run(err, "trace", "compile", ProjectFiles.resolve("traces/minilm.trace").toString(), "--config",
                ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "-o", out.toString());
        assertNotEquals(0, code);
        assertEquals("mine", Files.readString(out));
        Path none = dir.resolve("none.s");
        StringWriter err2 = new StringWriter();
        code = run(err2, "trace", "compile", ProjectFiles.resolve("traces/minilm.trace").toString(), "--config",
                ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "--set", "ncc.model=bypass", "-o",
                none.toString());
        assertNotEquals(0, code);
        assertTrue(err2.toString().contains("ncc.model is bypass"), err2.toString());
        assertFalse(Files.exists(none));
    }
}
