package io.nccsim.cli;

import static io.nccsim.testutil.Cli.run;

import io.nccsim.testutil.Cli.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The command line as a user meets it: exit codes, one-line errors, no partial output, identical reports. */
class CliTest {
    @TempDir
    static Path shared;
    static Path smallTrace;
    static final String NANO = ProjectFiles.resolve("configs/jetson_nano.yaml").toString();

    @BeforeAll
    static void makeSmallTrace() {
        smallTrace = shared.resolve("smollm2.trace");
        Result r = run("trace", "model", "--arch", ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(),
                "--prompt-tokens", "8", "--generated-tokens", "4", "-o", smallTrace.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("content: modeled"));
    }

    @Test
    void runWritesTheThreeReportFilesAndPrintsTheSummary(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report");
        Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bandwidth saved"), r.out());
        assertTrue(r.out().contains("content: MODELED"), "the summary says the content is modeled");
        assertEquals("", r.err(), "--quiet prints no progress");
        for (String f : List.of("report.json", "report.csv", "summary.txt")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String run : List.of("baseline", "ncc")) {
            for (String field : List.of("dram_bytes_read", "dram_bytes_written", "sim_time_s", "prefill_s",
                    "decode_ms_per_token", "tokens_per_s", "energy_j", "ncc_stall_cycles")) {
                assertTrue(j.path(run).has(field), run + "." + field);
            }
            assertTrue(j.path(run).path("energy_j").has("total"));
            assertTrue(j.path(run).path("energy_j").path("breakdown").has("dram"));
        }
        assertTrue(j.path("summary").has("bandwidth_saved_pct"));
        assertTrue(j.path("summary").has("speedup"));
        assertTrue(j.path("summary").has("energy_saved_pct"));
        assertEquals("modeled", j.path("trace").path("provenance").path("kind").asText());
        assertEquals("jetson_nano", j.path("config").path("resolved").path("name").asText());
        assertTrue(j.path("baseline").path("dram_bytes_read").asLong() > j.path("ncc").path("dram_bytes_read").asLong(),
                "the NCC moves fewer bytes than the baseline");
        assertEquals(0, j.path("baseline").path("ncc_stall_cycles").asLong());
        assertEquals(3, Files.readAllLines(out.resolve("report.csv")).size(), "header, baseline, ncc");
    }

    @Test
    void cycleLevelDramRunIsCheckedCommandByCommand(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("lpddr");
        Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out", out.toString(), "--quiet",
                "--set", "memory.model=lpddr", "--check-dram");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String run : List.of("baseline", "ncc")) {
            JsonNode dram = j.path(run).path("dram");
            assertTrue(dram.path("commands_checked").asLong() > 1_000_000, run + ": " + dram);
            assertEquals(0, dram.path("timing_violations").asLong(), run + ": " + dram);
            assertTrue(dram.path("row_hit_rate").asDouble() > 0.9, "streaming weights hit open rows");
            assertTrue(j.path(run).path("energy_j").path("breakdown").path("dram").has("activate"));
        }
        assertTrue(j.path("config").path("sets").toString().contains("check_timing=true"));
    }

    @Test
    void runSubcommandIsTheSameAsTheDefaultCommand(@TempDir Path dir) throws Exception {
        Result a = run("--config", NANO, "--trace", smallTrace.toString(), "--out", dir.resolve("a").toString(), "--quiet");
        Result b = run("run", "--config", NANO, "--trace", smallTrace.toString(), "--out", dir.resolve("b").toString(),
                "--quiet");
        assertEquals(0, a.code());
        assertEquals(0, b.code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/report.json")), Files.readAllBytes(dir.resolve("b/report.json")));
    }

    @Test
    void twoRunsGiveIdenticalReportBytes(@TempDir Path dir) throws Exception {
        List<byte[]> reports = new ArrayList<>();
        for (String name : List.of("one", "two")) {
            Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out", dir.resolve(name).toString(),
                    "--quiet", "--set", "ncc.decoder.lanes=4");
            assertEquals(0, r.code(), r.err());
            for (String f : List.of("report.json", "report.csv", "summary.txt")) {
                reports.add(Files.readAllBytes(dir.resolve(name).resolve(f)));
            }
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(reports.get(i), reports.get(i + 3), "file " + i);
        }
    }

    @Test
    void aNonEmptyOutputDirectoryIsNeverOverwrittenWithoutForce(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("keep");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out", out.toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("directory is not empty; pass --force"), r.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals(1, Files.list(out).count());
        Result forced = run("--config", NANO, "--trace", smallTrace.toString(), "--out", out.toString(), "--quiet",
                "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.exists(out.resolve("report.json")));
        assertFalse(Files.exists(out.resolve("notes.txt")));
    }

    @Test
    void badInputGivesOneLineExitTwoAndNoOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("never");
        List<String[]> cases = List.of(
                new String[] {"--config", "configs/nope.yaml", "--trace", smallTrace.toString()},
                new String[] {"--config", NANO, "--trace", dir.resolve("missing.trace").toString()},
                new String[] {"--config", NANO, "--trace", smallTrace.toString(), "--set", "ncc.decoder.lanes=many"},
                new String[] {"--config", NANO, "--trace", smallTrace.toString(), "--set", "ncc.decodr.lanes=4"},
                new String[] {"--config", NANO, "--trace", NANO});
        List<String> expected = List.of("no such config file", "no such trace file",
                "ncc.decoder.lanes: expected an integer from 0 to 4096, got 'many'",
                "unknown key 'ncc.decodr'; did you mean 'decoder'?", "not an nccsim trace");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(List.of(cases.get(i)));
            args.addAll(List.of("--out", out.toString(), "--quiet"));
            Result r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), "case " + i + ": " + r.err());
            assertTrue(r.err().startsWith("nccsim: error: "), r.err());
            assertTrue(r.err().contains(expected.get(i)), "case " + i + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertFalse(Files.exists(out), "no partial output");
        }
    }

    @Test
    void usageErrorsExitTwoAndHelpAndVersionExitZero() {
        assertEquals(2, run("--no-such-option").code());
        assertEquals(2, run().code(), "no options at all prints usage");
        Result help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--config"));
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("nccsim "), version.out());
        assertEquals(0, run("trace", "info", "--help").code());
        assertEquals(0, run("run", "--help").code());
    }

    @Test
    void traceInfoShowsProvenanceAndCounts() {
        Result r = run("trace", "info", smallTrace.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("content: MODELED"), r.out());
        assertTrue(r.out().contains("SmolLM2-135M"));
        assertTrue(r.out().contains("1 prefill (8 tokens), 4 decode (4 tokens)"), r.out());
    }

    @Test
    void traceModelRefusesToReplaceAFileWithoutForce(@TempDir Path dir) throws Exception {
        Path existing = dir.resolve("x.trace");
        Files.writeString(existing, "precious");
        Result r = run("trace", "model", "--arch", ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(),
                "--prompt-tokens", "2", "--generated-tokens", "1", "-o", existing.toString());
        assertEquals(2, r.code());
        assertEquals("precious", Files.readString(existing));
        Result bad = run("trace", "model", "--arch", ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(),
                "--weights", "int5-g7", "-o", dir.resolve("y.trace").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("'int5-g7' is not a weight format"), bad.err());
        assertFalse(Files.exists(dir.resolve("y.trace")));
    }
}
