package io.nccsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.testutil.Cli.Result;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.nccsim.testutil.Cli.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --timeline} and the report's time series, per-layer times and per-role ratios on a small modeled trace
 * with the Jetson Nano's cycle-level LPDDR4 (and its steady-state sampling).
 */
class TimelineCliTest {
    @TempDir
    static Path shared;
    static Path smallTrace;
    static Path out;
    static Result result;
    static final String NANO = ProjectFiles.resolve("configs/jetson_nano.yaml").toString();

    @BeforeAll
    static void runOnce() {
        smallTrace = shared.resolve("smollm2.trace");
        Result t = run("trace", "model", "--arch", ProjectFiles.resolve("configs/models/smollm2-135m.yaml").toString(),
                "--prompt-tokens", "8", "--generated-tokens", "4", "-o", smallTrace.toString());
        assertEquals(0, t.code(), t.err());
        out = shared.resolve("report");
        // The first 20 us: the prefill's first operations, in full LPDDR detail (about 16k events).
        result = run("--config", NANO, "--trace", smallTrace.toString(), "--out", out.toString(), "--quiet",
                "--timeline", "0..0.02");
        assertEquals(0, result.code(), result.err());
    }

    @Test
    void timelinesAreValidTraceEventFilesWithEveryBlock() throws Exception {
        assertTrue(result.out().contains("timeline: " + out.resolve("timeline.json")), result.out());
        for (String file : List.of("timeline.json", "timeline-baseline.json")) {
            JsonNode root = new ObjectMapper().readTree(out.resolve(file).toFile());
            assertEquals("ns", root.path("displayTimeUnit").asText());
            Set<String> processes = new HashSet<>();
            Set<String> threads = new HashSet<>();
            long spans = 0;
            for (JsonNode e : root.path("traceEvents")) {
                String ph = e.path("ph").asText();
                assertTrue(ph.equals("X") || ph.equals("M"), e.toString());
                if (ph.equals("M") && e.path("name").asText().equals("process_name")) {
                    processes.add(e.path("args").path("name").asText());
                } else if (ph.equals("M") && e.path("name").asText().equals("thread_name")) {
                    threads.add(e.path("args").path("name").asText());
                } else if (ph.equals("X")) {
                    spans++;
                    double ts = e.path("ts").asDouble();
                    double dur = e.path("dur").asDouble();
                    assertTrue(dur >= 0, e.toString());
                    assertTrue(ts < 20 && ts + dur >= 0, "inside the window 0..20 us: " + e);
                }
            }
            assertTrue(spans > 100, file + ": " + spans);
            boolean ncc = file.equals("timeline.json");
            assertEquals(ncc ? Set.of("processor", "ncc", "dram") : Set.of("processor", "dram"), processes, file);
            assertTrue(threads.contains("operations"), file);
            // LPDDR: a track per bank with the controller's commands, and each channel's data bus.
            assertTrue(threads.contains("ch0 r0 b0"), file + ": " + threads);
            assertTrue(threads.contains("ch0 data bus"), file + ": " + threads);
            if (ncc) {
                assertTrue(threads.stream().anyMatch(t -> t.startsWith("decoder")), threads.toString());
                assertTrue(threads.stream().anyMatch(t -> t.startsWith("dma requests")), threads.toString());
                assertTrue(threads.stream().anyMatch(t -> t.startsWith("front end: decompress")), threads.toString());
            }
        }
    }

    @Test
    void reportHasTimeSeriesLayersAndRoleRatios() throws Exception {
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String runName : List.of("baseline", "ncc")) {
            JsonNode r = j.path(runName);
            JsonNode ts = r.path("timeseries");
            double w = ts.path("window_s").asDouble();
            int n = ts.path("dram_read_bytes").size();
            assertEquals(n, ts.path("dram_written_bytes").size());
            assertTrue(n >= 1 && n <= 2000, runName + ": " + n);
            assertTrue(n * w >= r.path("sim_time_s").asDouble() * (1 - 1e-12), "the windows cover the run");
            assertTrue((n - 1) * w < r.path("sim_time_s").asDouble(), "and no more");
            long read = 0;
            long written = 0;
            for (int i = 0; i < n; i++) {
                read += ts.path("dram_read_bytes").get(i).asLong();
                written += ts.path("dram_written_bytes").get(i).asLong();
            }
            assertEquals(r.path("dram_bytes_read").asLong(), read, runName);
            assertEquals(r.path("dram_bytes_written").asLong(), written, runName);
            // Layers: 30 blocks and the ops outside them; times add up to the run, bytes to its traffic.
            JsonNode layers = r.path("layers");
            assertEquals(-1, layers.get(0).path("layer").asInt());
            assertEquals(29, layers.get(layers.size() - 1).path("layer").asInt());
            double time = 0;
            long bytes = 0;
            long ops = 0;
            for (JsonNode l : layers) {
                time += l.path("time_s").asDouble();
                bytes += l.path("dram_bytes").asLong();
                ops += l.path("ops").asLong();
            }
            assertEquals(r.path("sim_time_s").asDouble(), time, 1e-12 * layers.size());
            assertEquals(read + written, bytes);
            assertEquals(r.path("processor").path("ops").asLong(), ops);
        }
        JsonNode roles = j.path("ncc").path("ncc_activity").path("compression_ratio_by_role");
        assertTrue(roles.path("mlp_up").asDouble() > 1, roles.toString());
        assertTrue(roles.has("kv_cache"), roles.toString());
        assertEquals(1.0, j.path("baseline").path("ncc_activity").path("compression_ratio_by_role")
                .path("mlp_up").asDouble());
    }

    @Test
    void badWindowsExitTwoWithOneLine(@TempDir Path dir) {
        for (String bad : List.of("5", "2..1", "3..3", "a..2", "-1..2", "1..")) {
            Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out",
                    dir.resolve("x").toString(), "--quiet", "--timeline", bad);
            assertEquals(2, r.code(), bad + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--timeline " + bad + ":"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(dir.resolve("x")), "nothing written");
        }
    }

    @Test
    void fastForwardedStepsAreNotedInTheTimeline() throws Exception {
        // 4 decode steps with 2 warm-up steps: the third decode step is fast-forwarded (the last runs in detail).
        io.nccsim.driver.RunResult r = io.nccsim.driver.Simulation.run(
                io.nccsim.config.SimConfig.load(Path.of(NANO), List.of()), smallTrace, "ncc",
                io.nccsim.driver.Progress.NONE, new io.nccsim.timeline.TimelineWindow(0, r0(1000)), 100);
        List<String> notes = io.nccsim.timeline.TimelineWriter.notes(r.timeline());
        assertTrue(notes.stream().anyMatch(n -> n.contains("fast-forwarded")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("dropped")), "100 events cannot hold the run");
        assertEquals(100, r.timeline().events());
    }

    /** {@code ms} in ps. */
    private static long r0(long ms) {
        return ms * 1_000_000_000L;
    }

    @Test
    void aWindowPastTheEndIsANoteNotAnError(@TempDir Path dir) throws Exception {
        Path o = dir.resolve("late");
        Result r = run("--config", NANO, "--trace", smallTrace.toString(), "--out", o.toString(), "--quiet",
                "--timeline", "100000..100001");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("note: ncc timeline: the window"), r.out());
        JsonNode root = new ObjectMapper().readTree(o.resolve("timeline.json").toFile());
        assertEquals(0, root.path("traceEvents").size());
        assertTrue(root.path("otherData").path("notes").get(0).asText().contains("timeline is empty"));
    }
}
