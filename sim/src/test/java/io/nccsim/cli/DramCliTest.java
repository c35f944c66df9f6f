package io.nccsim.cli;

import static io.nccsim.testutil.Cli.run;

import io.nccsim.testutil.Cli.Result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code nccsim dram} as a user meets it: hand-derived latencies on one LPDDR4-3200 channel (see LpddrMemoryTest),
 * streaming bandwidth, the report.json contract, and bad input.
 */
class DramCliTest {
    static final String NANO = ProjectFiles.resolve("configs/jetson_nano.yaml").toString();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Replays {@code requests} on jetson_nano narrowed to one 16-bit channel; returns report.json. */
    static JsonNode replay(Path dir, String requests, String... extra) throws Exception {
        Path file = dir.resolve("requests.trace");
        Files.writeString(file, requests);
        Path out = dir.resolve("report");
        List<String> args = new ArrayList<>(List.of("dram", "--config", NANO, "--requests", file.toString(),
                "--set", "memory.bus_width_bits=16", "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "--quiet");
        assertTrue(r.out().contains("report: " + out), r.out());
        assertEquals(r.out().replace("report: " + out + System.lineSeparator(), ""),
                Files.readString(out.resolve("summary.txt")), "stdout is the summary");
        return JSON.readTree(out.resolve("report.json").toFile());
    }

    @Test
    void aSingleBurstReadAtCycleZeroTakes65Cycles(@TempDir Path dir) throws Exception {
        // One 32-byte burst (16-bit channel x BL16): ACT at 0, RD at 29, data [57, 65): 65 x 625 ps = 40.625 ns.
        JsonNode j = replay(dir, "# one read\n0x0 READ 0\n", "--request-bytes", "32", "--check-dram");
        assertEquals(65.0, j.path("read_latency_cycles").path("avg").asDouble(), 1e-9);
        assertEquals(65.0, j.path("read_latency_cycles").path("p50").asDouble(), 1e-9);
        assertEquals(65.0, j.path("read_latency_cycles").path("p99").asDouble(), 1e-9);
        assertEquals(40.625, j.path("read_latency_ns").path("avg").asDouble(), 1e-9);
        assertEquals(1, j.path("requests").asLong());
        assertEquals(1, j.path("row_misses").asLong());
        assertEquals(0, j.path("timing_violations").asLong());
        assertEquals(32 / 40.625, j.path("bandwidth_gb_s").asDouble(), 1e-9);
    }

    @Test
    void aDefaultSizedRequestIsACacheLineOfTwoBursts(@TempDir Path dir) throws Exception {
        // 64 B = two bursts on one 16-bit channel; the second RD comes nCCD = 8 cycles after the first: 73 cycles.
        JsonNode j = replay(dir, "0x0 READ 0\n");
        assertEquals(64, j.path("request_bytes").asLong());
        assertEquals(73.0, j.path("read_latency_cycles").path("avg").asDouble(), 1e-9);
        assertEquals(45.625, j.path("read_latency_ns").path("avg").asDouble(), 1e-9);
        assertEquals(1, j.path("row_hits").asLong());
        assertEquals(1, j.path("row_misses").asLong());
    }

    @Test
    void aRequestWithACycleIsNotIssuedBeforeIt(@TempDir Path dir) throws Exception {
        JsonNode j = replay(dir, "0x0 READ 400\n", "--request-bytes", "32");
        assertEquals(65.0, j.path("read_latency_cycles").path("avg").asDouble(), 1e-9, "timed from its arrival");
        assertEquals(400 * 0.625, j.path("first_arrival_ns").asDouble(), 1e-9);
        assertEquals(465 * 0.625, j.path("last_completion_ns").asDouble(), 1e-9, "so not issued before cycle 400");
    }

    @Test
    void sequentialCacheLinesStreamAt85To93PercentOfPeakWithNoViolations(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32768; i++) {
            sb.append("0x").append(Long.toHexString(64L * i)).append(" READ 0\n");
        }
        JsonNode j = replay(dir, sb.toString(), "--check-dram");
        double share = j.path("bandwidth_gb_s").asDouble() / 6.4;
        assertTrue(share >= 0.85 && share <= 0.93, "share of 6.4 GB/s: " + share);
        assertEquals(0, j.path("timing_violations").asLong());
        assertTrue(j.path("commands_checked").asLong() > 65536);
        assertEquals(32768, j.path("requests").asLong());
        assertTrue(j.path("row_hits").asLong() > 0.95 * 65536, "streaming hits open rows");
    }

    @Test
    void reportJsonHasTheContractFields(@TempDir Path dir) throws Exception {
        JsonNode j = replay(dir, "LD 0x0\nST 0x40\nLD 0x10000\n", "--check-dram");
        for (String f : List.of("requests", "bandwidth_gb_s", "read_latency_ns", "read_latency_cycles", "row_hits",
                "row_misses", "row_conflicts", "energy_j", "timing_violations", "standard", "channels", "details",
                "config")) {
            assertTrue(j.has(f), f);
        }
        for (String lat : List.of("read_latency_ns", "read_latency_cycles")) {
            for (String f : List.of("avg", "p50", "p99")) {
                assertTrue(j.path(lat).path(f).isNumber(), lat + "." + f);
            }
        }
        assertTrue(j.path("energy_j").path("total").asDouble() > 0);
        for (String item : List.of("activate", "precharge", "read", "write", "refresh", "background")) {
            assertTrue(j.path("energy_j").path("breakdown").has(item), item);
        }
        double sum = 0;
        for (JsonNode v : j.path("energy_j").path("breakdown")) {
            sum += v.asDouble();
        }
        assertEquals(j.path("energy_j").path("total").asDouble(), sum, 1e-18);
        assertEquals(3, j.path("requests").asLong());
        assertEquals(2, j.path("reads").asLong());
        assertEquals(1, j.path("writes").asLong());
        assertEquals("ramulator2", j.path("requests_file").path("format").asText());
        assertEquals("LPDDR4", j.path("standard").asText());
        assertEquals(1, j.path("channels").asLong());
        assertEquals("lpddr", j.path("config").path("resolved").path("memory").path("model").asText(),
                "the cycle-level model, though the config says ideal");
        assertEquals(16, j.path("config").path("resolved").path("memory").path("bus_width_bits").asLong());
        assertEquals("jetson_nano", j.path("config").path("name").asText());
        assertTrue(j.path("details").has("activates"));
        assertEquals(0, j.path("details").path("timing_violations").asLong());
    }

    @Test
    void reportsAreIdenticalForTheSameInputs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.trace");
        Files.writeString(file, "0x0 READ 0\n0x40 WRITE 3\n0x8000 READ 10\n");
        for (String name : List.of("a", "b")) {
            assertEquals(0, run("dram", "--config", NANO, "--requests", file.toString(), "--out",
                    dir.resolve(name).toString(), "--quiet").code());
        }
        for (String f : List.of("report.json", "summary.txt")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void badInputGivesOneLineExitTwoAndNoOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("never");
        Path good = dir.resolve("good.trace");
        Files.writeString(good, "0x0 READ 0\n");
        Path malformed = dir.resolve("bad.trace");
        Files.writeString(malformed, "# header\n0x0 READ 0\n0x40 READ 10\n0x80 RAED 20\n");
        Path mixed = dir.resolve("mixed.trace");
        Files.writeString(mixed, "LD 0x0\n0x40 READ 10\n");
        Path empty = dir.resolve("empty.trace");
        Files.writeString(empty, "# nothing here\n");
        List<String[]> cases = List.of(
                new String[] {"--config", NANO, "--requests", dir.resolve("missing.trace").toString()},
                new String[] {"--config", NANO, "--requests", malformed.toString()},
                new String[] {"--config", NANO, "--requests", mixed.toString()},
                new String[] {"--config", NANO, "--requests", good.toString(), "--format", "ramulator2"},
                new String[] {"--config", NANO, "--requests", empty.toString()},
                new String[] {"--config", dir.resolve("nope.yaml").toString(), "--requests", good.toString()},
                new String[] {"--config", NANO, "--requests", good.toString(), "--format", "dramsim"},
                new String[] {"--config", NANO, "--requests", good.toString(), "--request-bytes", "0"},
                new String[] {"--config", NANO, "--requests", good.toString(), "--set", "memory.bus_width_bits=24"});
        List<String> expected = List.of(
                "missing.trace: no such request trace file",
                malformed + ":4: expected '0xADDR READ|WRITE CYCLE' (DRAMSim3) or 'LD|ST 0xADDR' (Ramulator 2), "
                        + "got '0x80 RAED 20'",
                mixed + ":2: expected 'LD|ST 0xADDR' (Ramulator 2, the format of line 1",
                good + ":1: expected 'LD|ST 0xADDR' (Ramulator 2, as --format ramulator2 says), got '0x0 READ 0'",
                empty + ": no requests",
                "nope.yaml: no such config file",
                "--format dramsim: expected dramsim3 or ramulator2",
                "--request-bytes 0: expected 1..1048576 bytes",
                "memory.bus_width_bits: 24 is not a whole number of 16-bit channels");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new ArrayList<>(List.of("dram"));
            args.addAll(List.of(cases.get(i)));
            args.addAll(List.of("--out", out.toString(), "--quiet"));
            Result r = run(args.toArray(String[]::new));
            assertEquals(2, r.code(), "case " + i + ": " + r.err());
            assertTrue(r.err().startsWith("nccsim: error: "), r.err());
            assertTrue(r.err().contains(expected.get(i)), "case " + i + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertEquals("", r.out(), "case " + i);
            assertFalse(Files.exists(out), "no partial output");
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".never")), "no staging left");
        }
    }

    @Test
    void aNonEmptyOutputDirectoryIsKeptWithoutForce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.trace");
        Files.writeString(file, "0x0 READ 0\n");
        Path out = dir.resolve("keep");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Result r = run("dram", "--config", NANO, "--requests", file.toString(), "--out", out.toString(), "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("directory is not empty; pass --force"), r.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        Result forced = run("dram", "--config", NANO, "--requests", file.toString(), "--out", out.toString(),
                "--quiet", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertTrue(Files.exists(out.resolve("report.json")));
        assertFalse(Files.exists(out.resolve("notes.txt")));
    }

    @Test
    void helpAndMissingOptions() {
        Result help = run("dram", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--requests"), help.out());
        assertTrue(help.out().contains("--check-dram"));
        assertEquals(2, run("dram", "--config", NANO).code(), "--requests is required");
        assertTrue(run("--help").out().contains("dram"), "listed as a subcommand");
    }
}
