package io.nccsim.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.nccsim.trace.TraceFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class TraceRoundTripTest {
    @TempDir
    Path dir;

    private static List<TraceEvent> readAll(TraceReader r) {
        List<TraceEvent> out = new ArrayList<>();
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
            out.add(e);
        }
        return out;
    }

    @Test
    void smallTraceRoundTripsExactly() throws Exception {
        List<TensorInfo> tensors = tensors();
        List<WeightContent> content = contents(tensors);
        List<TraceEvent> events = events(3);
        Path file = dir.resolve("small.trace");
        try (TraceWriter w = new TraceWriter(file, header(), tensors)) {
            content.forEach(w::writeWeightContent);
            events.forEach(w::write);
        }
        try (TraceReader r = TraceReader.open(file)) {
            assertEquals(1, r.version());
            assertEquals(header(), r.header());
            assertEquals(tensors, r.tensors());
            assertEquals(content.get(0), r.weightContent(1));
            assertEquals(content.get(1), r.weightContent(4));
            int[][] h1 = r.weightContent(1).histograms();
            assertEquals(12, h1.length);
            assertEquals(16, h1[11].length, "int4 alphabet");
            assertEquals(234, java.util.Arrays.stream(h1[11]).sum(), "the short last block keeps 3050 - 11*256");
            for (int id : new int[]{0, 2, 3, 5, 6, 7, 8, 9}) {
                assertNull(r.weightContent(id), "tensor " + id + " has no content");
            }
            assertEquals(List.of(1, 4), r.contentTensorIds());
            assertEquals(events, readAll(r));
            assertNull(r.next(), "stays at the end");
            assertEquals(Files.size(file), r.bytePosition());
        }
        // The path writer and the stream writer produce the same bytes: the format is deterministic.
        assertArrayEquals(standardBytes(), Files.readAllBytes(file));
    }

    @Test
    void traceWithoutContentOrEventsRoundTrips() throws Exception {
        Path file = dir.resolve("empty.trace");
        new TraceWriter(file, header(), List.of()).close();
        try (TraceReader r = TraceReader.open(file)) {
            assertEquals(List.of(), r.tensors());
            assertNull(r.next());
        }
    }

    @Test
    void smallChunksSplitContentTableAndEventsOverManySections() throws Exception {
        List<TensorInfo> tensors = tensors();
        List<WeightContent> content = contents(tensors);
        List<TraceEvent> events = events(200);
        byte[] bytes = writeToBytes(tensors, content, events, 128);
        List<Section> s = sections(bytes);
        assertTrue(s.stream().filter(x -> x.tag().equals("TENS")).count() > 1, "table split");
        assertTrue(s.stream().filter(x -> x.tag().equals("WCNT")).count() > 4, "content split");
        assertTrue(s.stream().filter(x -> x.tag().equals("EVNT")).count() > 100, "events split");
        Path file = dir.resolve("chunky.trace");
        Files.write(file, bytes);
        try (TraceReader r = TraceReader.open(file)) {
            assertEquals(tensors, r.tensors());
            assertEquals(content.get(0), r.weightContent(1));
            assertEquals(content.get(1), r.weightContent(4));
            assertEquals(events, readAll(r));
        }
    }

    /** About 20k ops and 100k accesses at the default 1 MiB chunk size: several EVNT chunks, read back fast. */
    @Test
    void largeTraceSpansSeveralDefaultChunks() throws Exception {
        List<TensorInfo> tensors = tensors();
        Random rnd = new Random(3);
        List<TraceEvent> events = new ArrayList<>();
        events.add(new StepEvent(StepEvent.Phase.PREFILL, 0, 8));
        for (int i = 0; i < 20_000; i++) {
            if (i % 1000 == 999) {
                events.add(new StepEvent(StepEvent.Phase.DECODE, 8 + i / 1000, 1));
            }
            List<Access> acc = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                long off = rnd.nextInt(30_000);
                acc.add(k == 4 ? Access.write(8, 0, 512, hist(256, rnd, 300)) : Access.read(0, off, 1 + rnd.nextInt(4000)));
            }
            events.add(new OpEvent("op" + (i % 37), i % 2, rnd.nextInt(1 << 30), acc));
        }
        Path file = dir.resolve("large.trace");
        try (TraceWriter w = new TraceWriter(file, header(), tensors)) {
            events.forEach(w::write);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(sections(bytes).stream().filter(x -> x.tag().equals("EVNT")).count() >= 3,
                "spans several chunks, file is " + bytes.length + " bytes");
        try (TraceReader r = TraceReader.open(file)) {
            int i = 0;
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                assertEquals(events.get(i), e, "event " + i);
                i++;
            }
            assertEquals(events.size(), i);
            assertEquals(events.size(), r.eventsRead());
        }
    }
}
