package io.nccsim.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.nccsim.trace.TraceFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class TraceWriterTest {
    @TempDir
    Path dir;

    private List<String> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rejectsBadReferencesAndStaysUsable() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        List<TensorInfo> tensors = tensors();
        try (TraceWriter w = TraceWriter.toStream(bos, header(), tensors)) {
            w.write(new StepEvent(StepEvent.Phase.PREFILL, 0, 8));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(Access.read(10, 0, 1)))));
            assertTrue(unknown.getMessage().contains("tensor id 10, which is not in the tensor table"),
                    unknown.getMessage());
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(Access.read(5, 120, 9)))));
            assertTrue(range.getMessage().contains("which has only 128 bytes"), range.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(Access.write(8, 0, 16, new int[16])))),
                    "int8 histogram needs 256 bins");
            assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(Access.write(8, 0, 16, hist(256, new Random(), 17))))),
                    "17 int8 symbols do not fit in 16 bytes");
            assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(Access.write(7, 0, 16, new int[16])))),
                    "fp16 has no alphabet");
            assertThrows(IllegalArgumentException.class,
                    () -> w.write(new OpEvent("x", 0, 1, List.of(new Access(8, Access.Direction.READ, 0, 16,
                            new int[256])))), "reads carry no histogram");
            // Content after the first event is a state error.
            assertThrows(IllegalStateException.class, () -> w.writeWeightContent(content(tensors.get(1), 1)));
            w.write(new OpEvent("ok", 0, 1, List.of(Access.read(5, 0, 128))));
        }
        Path f = dir.resolve("t.trace");
        Files.write(f, bos.toByteArray());
        try (TraceReader r = TraceReader.open(f)) {
            assertInstanceOf(StepEvent.class, r.next());
            assertEquals(new OpEvent("ok", 0, 1, List.of(Access.read(5, 0, 128))), r.next());
            assertNull(r.next(), "rejected events left no trace");
        }
    }

    @Test
    void rejectsInconsistentContentAndTables() {
        List<TensorInfo> tensors = tensors();
        TraceWriter w = TraceWriter.toStream(new ByteArrayOutputStream(), header(), tensors);
        WeightContent good = content(tensors.get(1), 1);
        int[][] h = good.histograms().clone();
        h[0] = h[0].clone();
        h[0][3]++;
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> w.writeWeightContent(new WeightContent(1, BLOCK, h)));
        assertTrue(sum.getMessage().contains("block 0 of 12: counts sum to 257, expected 256"), sum.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> w.writeWeightContent(new WeightContent(1, BLOCK, java.util.Arrays.copyOf(h, 11))),
                "one block short");
        assertThrows(IllegalArgumentException.class, () -> w.writeWeightContent(new WeightContent(1, 128, h)),
                "block size differs from the header's");
        assertThrows(IllegalArgumentException.class, () -> w.writeWeightContent(content(tensors.get(8), 1)),
                "activations carry no weight content");
        w.writeWeightContent(good);
        assertThrows(IllegalArgumentException.class, () -> w.writeWeightContent(good), "twice");
        w.abort();

        List<TensorInfo> dup = new java.util.ArrayList<>(tensors);
        dup.set(2, new TensorInfo(2, "blk.0.attn_q.weight", TensorRole.ATTN_K, 0, List.of(32L, 64L),
                ElementType.INT4, 1024, 1024, 32));
        assertThrows(IllegalArgumentException.class, () -> new TraceWriter(dir.resolve("d.trace"), header(), dup));
        List<TensorInfo> gap = List.of(tensors.get(1));
        assertThrows(IllegalArgumentException.class, () -> new TraceWriter(dir.resolve("g.trace"), header(), gap));
        TraceHeader captured = header(new Provenance(Provenance.CAPTURED, null, "llama.cpp run"));
        assertThrows(IllegalArgumentException.class,
                () -> new TraceWriter(dir.resolve("c.trace"), captured, tensors), "captured needs a sha256");
        assertEquals(List.of(), assertDoesNotThrow(this::dirListing), "rejected writers leave no files");
    }

    @Test
    void abortLeavesNoFileAndKeepsTheExistingOne() throws Exception {
        Path target = dir.resolve("model.trace");
        TraceWriter fresh = new TraceWriter(target, header(), tensors());
        fresh.write(new StepEvent(StepEvent.Phase.PREFILL, 0, 8));
        assertFalse(Files.exists(target), "nothing under the real name before close");
        fresh.abort();
        assertEquals(List.of(), dirListing(), "abort deletes the temporary file");

        byte[] old = "an older trace".getBytes(StandardCharsets.US_ASCII);
        Files.write(target, old);
        TraceWriter w = new TraceWriter(target, header(), tensors());
        for (TraceEvent e : events(3)) {
            w.write(e);
        }
        assertArrayEquals(old, Files.readAllBytes(target), "untouched while writing");
        w.abort();
        w.close(); // closing after abort does not commit
        assertArrayEquals(old, Files.readAllBytes(target), "untouched after abort");
        assertEquals(List.of("model.trace"), dirListing());
        assertThrows(IllegalStateException.class, () -> w.write(new StepEvent(StepEvent.Phase.DECODE, 9, 1)));
    }

    @Test
    void writeToAbortsWhenTheGeneratorFails() throws Exception {
        Path target = dir.resolve("model.trace");
        byte[] old = "an older trace".getBytes(StandardCharsets.US_ASCII);
        Files.write(target, old);
        IllegalStateException boom = assertThrows(IllegalStateException.class,
                () -> TraceWriter.writeTo(target, header(), tensors(), w -> {
                    w.write(new StepEvent(StepEvent.Phase.PREFILL, 0, 8));
                    throw new IllegalStateException("generator failed");
                }));
        assertEquals("generator failed", boom.getMessage());
        assertArrayEquals(old, Files.readAllBytes(target));
        assertEquals(List.of("model.trace"), dirListing());

        // A successful run replaces the old file in one step.
        TraceWriter.writeTo(target, header(), tensors(), w -> events(3).forEach(w::write));
        assertEquals(List.of("model.trace"), dirListing());
        try (TraceReader r = TraceReader.open(target)) {
            assertEquals(header(), r.header());
        }
    }

    @Test
    void missingDirectoryIsBadInput() {
        Path target = dir.resolve("no/such/dir/x.trace");
        io.nccsim.common.BadInputException e = assertThrows(io.nccsim.common.BadInputException.class,
                () -> new TraceWriter(target, header(), tensors()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
