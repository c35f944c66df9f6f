package io.nccsim.cli;

import static io.nccsim.testutil.Cli.run;

import io.nccsim.testutil.Cli.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.RequestTraceReader;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code nccsim trace export}: an LLM trace's baseline request stream as a DRAMSim3 or Ramulator 2 trace. */
class TraceExportTest {
    @TempDir
    static Path shared;
    static Path smallTrace;
    static final String NANO = ProjectFiles.resolve("configs/jetson_nano.yaml").toString();
    static final Pattern BYTES = Pattern.compile("(\\d+) requests of 64 B = (\\d+) bytes");

    @BeforeAll
    static void makeSmallTrace() {
        smallTrace = shared.resolve("smollm2.trace");
        Result r = run("trace", "model", "--arch", ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(),
                "--prompt-tokens", "4", "--generated-tokens", "1", "-o", smallTrace.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void exportedStreamReplaysWithTheBytesTheExportReports(@TempDir Path dir) throws Exception {
        Path exported = dir.resolve("smollm2.dramsim3");
        Result e = run("trace", "export", "--format", "dramsim3", "--config", NANO, "-o", exported.toString(),
                "--steps", "1", "--max-requests", "20000", smallTrace.toString());
        assertEquals(0, e.code(), e.err());
        Matcher m = BYTES.matcher(e.out());
        assertTrue(m.find(), e.out());
        long lines = Long.parseLong(m.group(1));
        long bytes = Long.parseLong(m.group(2));
        assertEquals(20000, lines, "stopped at --max-requests");
        assertEquals(lines * 64, bytes);
        assertTrue(e.out().contains("reached --max-requests 20000"), e.out());
        assertTrue(e.out().contains("of 1 step of"), e.out());
        assertEquals(20000, Files.readAllLines(exported).size());

        long last = -1;
        long writes = 0;
        try (RequestTraceReader r = RequestTraceReader.open(exported, null)) {
            assertEquals(RequestTrace.Format.DRAMSIM3, r.format());
            for (RequestTrace.Entry x = r.next(); x != null; x = r.next()) {
                assertTrue(x.cycle() >= last, "cycles never decrease: line " + x.line());
                assertEquals(0, x.address() % 64, "whole cache lines");
                last = x.cycle();
                writes += x.write() ? 1 : 0;
            }
        }
        assertTrue(last > 0, "requests spread over time");
        assertTrue(writes > 0, "the step writes activations and KV cache");

        Path out = dir.resolve("replay");
        Result d = run("dram", "--config", NANO, "--requests", exported.toString(), "--out", out.toString(),
                "--quiet", "--check-dram");
        assertEquals(0, d.code(), d.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(lines, j.path("requests").asLong());
        assertEquals(bytes, j.path("bytes").asLong(), "the replay moves the bytes the export reports");
        assertEquals(writes, j.path("writes").asLong());
        assertEquals(0, j.path("timing_violations").asLong());
        assertEquals(4, j.path("channels").asLong(), "jetson_nano's 64-bit bus");
    }

    @Test
    void ramulator2ToStandardOutput() {
        Result e = run("trace", "export", "--format", "ramulator2", "--config", NANO, "--max-requests", "100",
                smallTrace.toString());
        assertEquals(0, e.code(), e.err());
        List<String> lines = e.out().lines().toList();
        assertEquals(100, lines.size());
        for (String l : lines) {
            assertTrue(l.matches("(LD|ST) 0x[0-9a-f]+"), l);
        }
        assertTrue(e.err().startsWith("exported 100 requests of 64 B = 6400 bytes"), e.err());
        Result quiet = run("trace", "export", "--format", "ramulator2", "--config", NANO, "--max-requests", "5",
                "--quiet", smallTrace.toString());
        assertEquals("", quiet.err());
        assertEquals(lines.subList(0, 5), quiet.out().lines().toList(), "deterministic");
    }

    @Test
    void stepsBoundTheExportAndMoreStepsMeanMoreRequests(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.dramsim3");
        Path two = dir.resolve("two.dramsim3");
        Result a = run("trace", "export", "--format", "dramsim3", "--config", NANO, "--steps", "1", "-o",
                one.toString(), smallTrace.toString());
        Result b = run("trace", "export", "--format", "dramsim3", "--config", NANO, "--steps", "2", "-o",
                two.toString(), smallTrace.toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertFalse(a.out().contains("reached --max-requests"), a.out());
        byte[] first = Files.readAllBytes(one);
        byte[] both = Files.readAllBytes(two);
        assertTrue(first.length > 1_000_000 && both.length > first.length, first.length + " then " + both.length);
        assertArrayEquals(first, java.util.Arrays.copyOf(both, first.length), "the second step follows the first");
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForceAndBadInputWritesNothing(@TempDir Path dir) throws Exception {
        Path existing = dir.resolve("x.dramsim3");
        Files.writeString(existing, "precious");
        Result r = run("trace", "export", "--format", "dramsim3", "--config", NANO, "-o", existing.toString(),
                "--max-requests", "10", smallTrace.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("file exists; pass --force"), r.err());
        assertEquals("precious", Files.readString(existing));
        Result forced = run("trace", "export", "--format", "dramsim3", "--config", NANO, "-o", existing.toString(),
                "--max-requests", "10", "--force", smallTrace.toString());
        assertEquals(0, forced.code(), forced.err());
        assertEquals(10, Files.readAllLines(existing).size());

        Path never = dir.resolve("never.dramsim3");
        List<String[]> cases = List.of(
                new String[] {"--format", "dramsim4", "--config", NANO, smallTrace.toString()},
                new String[] {"--format", "dramsim3", "--config", NANO, dir.resolve("none.trace").toString()},
                new String[] {"--format", "dramsim3", "--config", NANO, NANO},
                new String[] {"--format", "dramsim3", "--config", NANO, "--steps", "0", smallTrace.toString()},
                new String[] {"--format", "dramsim3", "--config", NANO, "--max-requests", "0", smallTrace.toString()});
        List<String> expected = List.of("--format dramsim4: expected dramsim3 or ramulator2", "no such trace file",
                "not an nccsim trace", "--steps 0: expected at least 1", "--max-requests 0: expected at least 1");
        for (int i = 0; i < cases.size(); i++) {
            String[] base = cases.get(i);
            String[] args = new String[base.length + 4];
            args[0] = "trace";
            args[1] = "export";
            args[2] = "-o";
            args[3] = never.toString();
            System.arraycopy(base, 0, args, 4, base.length);
            Result b = run(args);
            assertEquals(2, b.code(), "case " + i + ": " + b.err());
            assertTrue(b.err().contains(expected.get(i)), "case " + i + ": " + b.err());
            assertEquals(1, b.err().strip().lines().count(), b.err());
            assertFalse(Files.exists(never));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temp file left");
        }
    }
}
