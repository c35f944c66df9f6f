package io.nccsim.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.config.SimConfig;
import io.nccsim.timeline.TimelineRecorder;
import io.nccsim.timeline.TimelineWindow;
import io.nccsim.timeline.TimelineWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The timeline, time series and per-layer times of {@link HandComputedRunTest}'s run, whose every time is derived
 * on paper there: the events must sit at exactly those times.
 */
class TimelineRunTest {
    @TempDir
    Path dir;
    HandComputedRunTest tiny;

    @BeforeEach
    void write() throws Exception {
        tiny = new HandComputedRunTest();
        tiny.dir = dir;
        tiny.write();
    }

    /** A written timeline, parsed back, with its events grouped by the name of their track. */
    record Parsed(JsonNode root, Map<String, List<JsonNode>> byTrack) {
        List<JsonNode> track(String name) {
            return byTrack.getOrDefault(name, List.of());
        }
    }

    static Parsed parse(TimelineRecorder r) throws Exception {
        StringWriter w = new StringWriter();
        TimelineWriter.write(r, w);
        JsonNode root = new ObjectMapper().readTree(w.toString());
        Map<String, String> threadNames = new HashMap<>();
        Map<Integer, String> processNames = new HashMap<>();
        for (JsonNode e : root.path("traceEvents")) {
            if (e.path("ph").asText().equals("M") && e.path("name").asText().equals("thread_name")) {
                threadNames.put(e.path("pid").asInt() + "/" + e.path("tid").asInt(), e.path("args").path("name").asText());
            }
            if (e.path("ph").asText().equals("M") && e.path("name").asText().equals("process_name")) {
                processNames.put(e.path("pid").asInt(), e.path("args").path("name").asText());
            }
        }
        Map<String, List<JsonNode>> byTrack = new HashMap<>();
        for (JsonNode e : root.path("traceEvents")) {
            if (e.path("ph").asText().equals("X")) {
                String track = processNames.get(e.path("pid").asInt()) + "/"
                        + threadNames.get(e.path("pid").asInt() + "/" + e.path("tid").asInt());
                byTrack.computeIfAbsent(track, k -> new ArrayList<>()).add(e);
            }
        }
        return new Parsed(root, byTrack);
    }

    private RunResult ncc(TimelineWindow window, int maxEvents) {
        return Simulation.run(SimConfig.load(tiny.config, List.of()), tiny.trace, "ncc", Progress.NONE, window,
                maxEvents);
    }

    /** Asserts a span from {@code fromNs} for {@code durNs}, both exact (the file's microseconds are exact). */
    private static void span(JsonNode e, String name, String fromUs, String durUs) {
        assertEquals(name, e.path("name").asText(), e.toString());
        assertEquals(fromUs, e.path("ts").asText(), e.toString());
        assertEquals(durUs, e.path("dur").asText(), e.toString());
    }

    @Test
    void nccTimelineHasTheDerivedTimes() throws Exception {
        RunResult r = ncc(new TimelineWindow(0, 10_000_000), 1000);
        Parsed p = parse(r.timeline());
        assertEquals("ns", p.root().path("displayTimeUnit").asText());
        assertEquals("ncc", p.root().path("otherData").path("run").asText());
        assertEquals(0, p.root().path("otherData").path("notes").size());
        // Decoder: block 0 of tile 0 from 180 ns to 1204 ns; of tile 1 from 3416 ns to 4440 ns; both in op "mm".
        List<JsonNode> dec = p.track("ncc/decoder");
        assertEquals(2, dec.size());
        span(dec.get(0), "block 0", "0.18", "1.024");
        span(dec.get(1), "block 0", "3.416", "1.024");
        assertEquals("mm", dec.get(0).path("args").path("op").asText());
        assertEquals(0, dec.get(0).path("args").path("layer").asInt());
        assertEquals(4096, dec.get(0).path("args").path("symbols").asLong());
        assertEquals(512, dec.get(0).path("args").path("stored_bytes").asLong());
        // Processor: the op from 0 to 6716 ns, tile computes nested inside it at 1204..3252 and 4440..6488 ns.
        List<JsonNode> cpu = p.track("processor/operations");
        assertEquals(3, cpu.size());
        span(cpu.get(0), "mm", "0", "6.716");
        span(cpu.get(1), "compute", "1.204", "2.048");
        span(cpu.get(2), "compute", "4.44", "2.048");
        assertEquals("w", cpu.get(1).path("args").path("tensor").asText());
        assertEquals(4096, cpu.get(2).path("args").path("offset_bytes").asLong());
        // Table load: dispatched at 0, table in SRAM at 120 ns.
        List<JsonNode> tables = p.track("ncc/table loads");
        assertEquals(1, tables.size());
        span(tables.get(0), "load_table slot 0", "0", "0.12");
        // Commands by opcode: LOAD_TABLE 0..120, DECOMPRESS 0..1204 and 3252..4440, COPY (write A) 6488..6716.
        span(p.track("ncc/front end: load_table").get(0), "load_table", "0", "0.12");
        List<JsonNode> dcmp = p.track("ncc/front end: decompress");
        assertEquals(2, dcmp.size());
        span(dcmp.get(0), "decompress", "0", "1.204");
        span(dcmp.get(1), "decompress", "3.252", "1.188");
        span(p.track("ncc/front end: copy").get(0), "copy", "6.488", "0.228");
        // DMA: the table (0..116 ns) and block 0 (0..180 ns) overlap, so the track has two lanes.
        span(p.track("ncc/dma requests #1").get(0), "read", "0", "0.18");
        span(p.track("ncc/dma requests #2").get(0), "read", "0", "0.116");
        // Ideal memory: the same requests as the DRAM sees them.
        List<JsonNode> req = new ArrayList<>(p.track("dram/requests #1"));
        req.addAll(p.track("dram/requests #2"));
        assertEquals(4, req.size(), "table, two blocks, the write of A");
        assertTrue(req.stream().anyMatch(e -> e.path("name").asText().equals("write")
                && e.path("ts").asText().equals("6.488") && e.path("dur").asText().equals("0.228")));
    }

    @Test
    void onlyEventsOverlappingTheWindowAreKept() throws Exception {
        // 1000..2000 ns: the op, block 0's decode (to 1204), tile 0's compute (from 1204), the first DECOMPRESS.
        Parsed p = parse(ncc(new TimelineWindow(1_000_000, 2_000_000), 1000).timeline());
        assertEquals(1, p.track("ncc/decoder").size());
        assertEquals(2, p.track("processor/operations").size());
        assertEquals(1, p.track("ncc/front end: decompress").size());
        assertTrue(p.track("ncc/table loads").isEmpty());
        assertTrue(p.track("ncc/dma requests").isEmpty() && p.track("ncc/dma requests #1").isEmpty());
    }

    @Test
    void aWindowAfterTheEndGivesAnEmptyTimelineWithANote() throws Exception {
        RunResult r = ncc(TimelineWindow.parseMs("1..2", "--timeline"), 1000);
        Parsed p = parse(r.timeline());
        assertEquals(0, p.root().path("traceEvents").size());
        assertTrue(p.root().path("otherData").path("notes").get(0).asText().contains("after the ncc run ended"));
    }

    @Test
    void theCapDropsEventsWithANote() throws Exception {
        RunResult r = ncc(new TimelineWindow(0, 10_000_000), 3);
        assertEquals(3, r.timeline().events());
        assertTrue(r.timeline().droppedEvents() > 0);
        Parsed p = parse(r.timeline());
        long spans = 0;
        for (JsonNode e : p.root().path("traceEvents")) {
            spans += e.path("ph").asText().equals("X") ? 1 : 0;
        }
        assertEquals(3, spans);
        assertTrue(p.root().path("otherData").path("notes").get(0).asText().contains("dropped"));
    }

    @Test
    void theSameRunWritesTheSameFile() throws Exception {
        StringWriter a = new StringWriter();
        StringWriter b = new StringWriter();
        TimelineWriter.write(ncc(new TimelineWindow(0, 10_000_000), 1000).timeline(), a);
        TimelineWriter.write(ncc(new TimelineWindow(0, 10_000_000), 1000).timeline(), b);
        assertEquals(a.toString(), b.toString());
    }

    @Test
    void timeSeriesAndLayersAddUpToTheRun() {
        RunResult r = ncc(null, 0);
        assertNull(r.timeline());
        // 6716 ns at most 2000 windows: 1 ns is too fine, 10 ns gives 672 windows.
        assertEquals(10_000, r.series().windowPs());
        assertEquals(672, r.series().readBytes().length);
        // Accepted at 0: the table (128 B) and block 0 (512 B); at 3252 ns block 1; the write of A at 6488 ns.
        assertEquals(640, r.series().readBytes()[0]);
        assertEquals(512, r.series().readBytes()[325]);
        assertEquals(1024, r.series().writtenBytes()[648]);
        assertEquals(r.memory().bytesRead(), java.util.Arrays.stream(r.series().readBytes()).sum());
        assertEquals(r.memory().bytesWritten(), java.util.Arrays.stream(r.series().writtenBytes()).sum());
        // One op, in layer 0: all of the run's time and bytes.
        assertEquals(List.of(new LayerTime(0, 6_716_000, 1152 + 1024, 1)), r.layers());
        // Per role: W (mlp_up) 8192 raw over 1152 on the bus; A (activation) copied as it is.
        assertEquals(8192, r.ncc().rawBytes(io.nccsim.trace.TensorRole.MLP_UP));
        assertEquals(1152, r.ncc().busBytes(io.nccsim.trace.TensorRole.MLP_UP));
        assertEquals(1024, r.ncc().busBytes(io.nccsim.trace.TensorRole.ACTIVATION));
    }

    @Test
    void baselineTimelineShowsTheProcessorAndTheMemory() throws Exception {
        RunResult r = Simulation.run(SimConfig.load(tiny.config, List.of()).withNccBypassed(), tiny.trace,
                "baseline", Progress.NONE, new TimelineWindow(0, 10_000_000), 1000);
        Parsed p = parse(r.timeline());
        // From HandComputedRunTest: tile 0 in at 612 ns, computed to 2660; tile 1 in at 3272, computed to 5320.
        List<JsonNode> cpu = p.track("processor/operations");
        span(cpu.get(0), "mm", "0", "5.548");
        span(cpu.get(1), "compute", "0.612", "2.048");
        span(cpu.get(2), "compute", "3.272", "2.048");
        assertTrue(p.byTrack().keySet().stream().noneMatch(k -> k.startsWith("ncc/")), "no NCC in the baseline");
        assertEquals(3, p.track("dram/requests").size());
    }
}
