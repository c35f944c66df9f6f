package io.nccsim.trace;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.nccsim.trace.TraceFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Every kind of damage is reported as a one-line BadInputException naming the file and the byte offset. */
class TraceCorruptionTest {
    @TempDir
    Path dir;

    static byte[] good;
    static List<Section> sections;

    @BeforeAll
    static void writeGood() throws Exception {
        good = standardBytes();
        sections = sections(good);
    }

    private Path file;

    /** Writes the bytes to a file, reads it completely, and returns the exception it must raise. */
    private BadInputException readFails(byte[] bytes) throws Exception {
        file = dir.resolve("bad.trace");
        Files.write(file, bytes);
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (TraceReader r = TraceReader.open(file)) {
                while (r.next() != null) {
                    // drain
                }
            }
        });
        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected \"" + p + "\" in: " + message);
        }
    }

    @Test
    void goodFileReads() throws Exception {
        Path f = dir.resolve("good.trace");
        Files.write(f, good);
        try (TraceReader r = TraceReader.open(f)) {
            int n = 0;
            while (r.next() != null) {
                n++;
            }
            assertEquals(events(3).size(), n);
        }
        assertEquals(List.of("HEAD", "TENS", "WCNT", "WCNT", "EVNT", "END "),
                sections.stream().map(Section::tag).toList());
    }

    @Test
    void cutInsideHeadIsTruncated() throws Exception {
        Section head = first(good, "HEAD");
        int cut = (int) head.payloadStart() + 5;
        String m = readFails(Arrays.copyOf(good, cut)).getMessage();
        assertContains(m, "truncated at byte " + cut, "inside the HEAD section that starts at byte 12");
    }

    @Test
    void cutInsideWeightContentIsTruncated() throws Exception {
        Section wcnt = first(good, "WCNT");
        int cut = (int) wcnt.payloadStart() + 30;
        String m = readFails(Arrays.copyOf(good, cut)).getMessage();
        assertContains(m, "truncated at byte " + cut, "inside the WCNT section that starts at byte " + wcnt.start());
    }

    @Test
    void cutInsideEventChunkIsTruncated() throws Exception {
        Section evnt = first(good, "EVNT");
        int cut = (int) evnt.payloadStart() + evnt.payload().length / 2;
        String m = readFails(Arrays.copyOf(good, cut)).getMessage();
        assertContains(m, "byte " + cut + ":", "truncated at byte " + cut,
                "inside the EVNT section that starts at byte " + evnt.start());
    }

    @Test
    void cutInsideChecksumOrSectionHeaderIsTruncated() throws Exception {
        Section evnt = first(good, "EVNT");
        int cut = (int) evnt.end() - 2;
        assertContains(readFails(Arrays.copyOf(good, cut)).getMessage(), "truncated at byte " + cut,
                "EVNT section that starts at byte " + evnt.start());
        int cut2 = (int) evnt.start() + 3;
        assertContains(readFails(Arrays.copyOf(good, cut2)).getMessage(), "truncated at byte " + cut2,
                "header of the section that starts at byte " + evnt.start());
        assertContains(readFails(Arrays.copyOf(good, 10)).getMessage(), "truncated at byte 10", "preamble");
    }

    @Test
    void cutAtSectionBoundaryBeforeEndIsMissingEnd() throws Exception {
        Section end = first(good, "END ");
        Section evnt = first(good, "EVNT");
        String m = readFails(Arrays.copyOf(good, (int) end.start())).getMessage();
        assertContains(m, "byte " + end.start() + ":", "truncated", "missing its END section",
                "after the EVNT section that starts at byte " + evnt.start());
        // A file cut after its weight content: open() already notices.
        Section firstEvnt = first(good, "EVNT");
        assertContains(readFails(Arrays.copyOf(good, (int) firstEvnt.start())).getMessage(), "missing its END");
    }

    @Test
    void flippedByteInEventChunkIsChecksumMismatch() throws Exception {
        Section evnt = first(good, "EVNT");
        byte[] bad = good.clone();
        bad[(int) evnt.payloadStart() + evnt.payload().length / 2] ^= 0x10;
        String m = readFails(bad).getMessage();
        assertContains(m, ": byte " + evnt.start() + ": EVNT section checksum mismatch (stored 0x",
                "the file is corrupted");
    }

    @Test
    void flippedByteInMagicIsNotATrace() throws Exception {
        byte[] bad = good.clone();
        bad[3] ^= 0x01;
        assertContains(readFails(bad).getMessage(), "byte 0: not an nccsim trace");
        assertContains(readFails(new byte[0]).getMessage(), "not an nccsim trace");
        assertContains(readFails("hello world, not a trace".getBytes(StandardCharsets.US_ASCII)).getMessage(),
                "not an nccsim trace");
    }

    @Test
    void otherVersionIsRejectedNamingTheSupportedOne() throws Exception {
        byte[] bad = good.clone();
        bad[8] = 2;
        assertContains(readFails(bad).getMessage(), "byte 8: unsupported trace format version 2",
                "reads version 1");
        byte[] flags = good.clone();
        flags[10] = 1;
        assertContains(readFails(flags).getMessage(), "byte 10: unsupported format flags 0x0001");
    }

    @Test
    void badTagAndOversizedSectionAreRejected() throws Exception {
        Section evnt = first(good, "EVNT");
        byte[] bad = good.clone();
        bad[(int) evnt.start()] = 'X';
        assertContains(readFails(bad).getMessage(), "byte " + evnt.start() + ": bad section tag 'XVNT'");
        byte[] big = good.clone();
        big[(int) evnt.start() + 7] = 0x7f;
        assertContains(readFails(big).getMessage(), "byte " + (evnt.start() + 4) + ":", "exceeds the cap");
    }

    @Test
    void trailingBytesAfterEndAreRejected() throws Exception {
        byte[] bad = Arrays.copyOf(good, good.length + 3);
        assertContains(readFails(bad).getMessage(), "byte " + good.length + ": trailing bytes after the END",
                "(3 bytes)");
    }

    @Test
    void sectionsOutOfOrderAreRejected() throws Exception {
        List<Section> s = new ArrayList<>(sections);
        // HEAD, TENS, WCNT, WCNT, EVNT, END -> HEAD, TENS, WCNT, EVNT, WCNT, END
        Section wcnt2 = s.remove(3);
        s.add(4, wcnt2);
        assertContains(readFails(build(1, s)).getMessage(), "section WCNT out of order",
                "after the EVNT section");
        List<Section> noHead = new ArrayList<>(sections);
        noHead.remove(0);
        assertContains(readFails(build(1, noHead)).getMessage(), "byte 12: section TENS out of order",
                "as the first section");
    }

    @Test
    void lostChunkIsDetected() throws Exception {
        List<TensorInfo> t = tensors();
        byte[] chunky = writeToBytes(t, contents(t), events(20), 256);
        List<Section> s = new ArrayList<>(sections(chunky));
        int i = 0;
        while (!s.get(i).tag().equals("EVNT")) {
            i++;
        }
        Section lost = s.remove(i + 1);
        assertContains(readFails(build(1, s)).getMessage(), "byte " + (lost.start()) + ":",
                "an EVNT section is missing or out of place");
    }

    @Test
    void endTotalsAreCrossChecked() throws Exception {
        List<Section> s = new ArrayList<>(sections);
        Section end = s.remove(s.size() - 1);
        List<TraceEvent> ev = events(3);
        long accesses = ev.stream().filter(e -> e instanceof OpEvent).mapToLong(e -> ((OpEvent) e).accesses().size())
                .sum();
        byte[] wrong = new Payload().varint(5).varint(ev.size()).varint(steps(ev))
                .varint(ev.size() - steps(ev)).varint(accesses + 1).get();
        s.add(new Section(end.start(), "END ", wrong));
        assertContains(readFails(build(1, s)).getMessage(), "byte " + end.start() + ":",
                "END totals do not match", "END says " + (accesses + 1) + " accesses", "holds " + accesses);
    }

    /** Keeps HEAD and TENS of the good file, then the given sections, then a matching END. */
    private byte[] handmade(Section... more) {
        List<Section> s = new ArrayList<>(sections.subList(0, 2));
        s.addAll(List.of(more));
        s.add(new Section(0, "END ", new Payload().varint(s.size()).varint(1).varint(0).varint(1).varint(1).get()));
        return build(1, s);
    }

    private static Section oneAccessChunk(long tensorId, int flags, long offset, long length) {
        byte[] p = new Payload().varint(0).varint(1)
                .u8(2).varint(0).string("matmul").signed(3).varint(100).varint(1)
                .varint(tensorId << 2 | flags).varint(offset).varint(length).get();
        return new Section(0, "EVNT", p);
    }

    @Test
    void handmadeEventWithUnknownTensorIsRejected() throws Exception {
        byte[] bytes = handmade(oneAccessChunk(42, 0, 0, 16));
        Section evnt = first(bytes, "EVNT");
        String m = readFails(bytes).getMessage();
        // The access starts after first/count (2), type (1), name (8), layer, macs, count (3).
        assertContains(m, "byte " + (evnt.payloadStart() + 14) + ":", "event 0", "op 'matmul'",
                "EVNT section that starts at byte " + evnt.start(), "tensor id 42 is not in the tensor table");
    }

    @Test
    void handmadeEventOutOfRangeIsRejected() throws Exception {
        String m = readFails(handmade(oneAccessChunk(5, 0, 100, 100))).getMessage();
        assertContains(m, "read of bytes [100, 200) of tensor 5 'blk.0.attn_norm.weight', which has only 128 bytes");
        String h = readFails(handmade(oneAccessChunk(7, 3, 0, 16))).getMessage();
        assertContains(h, "histogram on tensor 7 'act.hidden' of element type fp16");
    }

    @Test
    void handmadeWeightContentIsChecked() throws Exception {
        // Tensor 2: 2048 int4 elements = 8 blocks of 256, each histogram dense (0, then 16 counts).
        Payload p = new Payload().varint(2).varint(256).varint(8).varint(0).varint(8);
        for (int b = 0; b < 8; b++) {
            p.varint(0);
            for (int s = 0; s < 16; s++) {
                p.varint(s == 0 ? (b == 5 ? 15 : 16) : 16);
            }
        }
        String m = readFails(handmade(new Section(0, "WCNT", p.get()))).getMessage();
        assertContains(m, "tensor 2 'blk.0.attn_k.weight', block 5 of 8: counts sum to 255, expected 256");

        Payload wrongBlocks = new Payload().varint(2).varint(256).varint(9).varint(0).varint(1).varint(1);
        assertContains(readFails(handmade(new Section(0, "WCNT", wrongBlocks.get()))).getMessage(),
                "announces 9 blocks", "need 8");

        Payload wrongBins = new Payload().varint(2).varint(256).varint(8).varint(0).varint(1).varint(0);
        for (int s = 0; s < 16; s++) {
            wrongBins.varint(16);
        }
        wrongBins.varint(0); // a 17th bin: left over at the end of the section
        assertContains(readFails(handmade(new Section(0, "WCNT", wrongBins.get()))).getMessage(),
                "unexpected byte(s) at the end of the WCNT section");

        // Only half the blocks, then events: the content is incomplete.
        Payload half = new Payload().varint(2).varint(256).varint(8).varint(0).varint(4);
        for (int b = 0; b < 4; b++) {
            half.varint(2).varint(0).varint(256); // sparse: one nonzero bin, symbol 0, count 256
        }
        assertContains(readFails(handmade(new Section(0, "WCNT", half.get()), oneAccessChunk(0, 0, 0, 1)))
                .getMessage(), "weight content of tensor 2 'blk.0.attn_k.weight' is incomplete: 4 of 8 blocks");

        // Content for a tensor that is not a quantized weight.
        Payload act = new Payload().varint(7).varint(256).varint(2).varint(0).varint(2);
        assertContains(readFails(handmade(new Section(0, "WCNT", act.get()))).getMessage(),
                "role activation is not a weight");
    }

    @Test
    void headerJsonIsStrict() throws Exception {
        String json = new String(first(good, "HEAD").payload(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"model_name\":\"tiny-test-model\""), json);
        assertTrue(json.contains("\"content_block_elements\":256"), json);
        assertTrue(json.contains("\"kv_heads\":2"), json);

        String unknown = json.replace("\"model_name\"", "\"bogus\":1,\"model_name\"");
        assertContains(headerFails(unknown), "HEAD section: unknown header field 'bogus'");
        String missing = json.replace("\"producer\":\"nccsim test\",", "");
        assertContains(headerFails(missing), "HEAD section: missing header field 'producer'");
        String nestedMissing = json.replace("\"kv_heads\":2,", "");
        assertContains(headerFails(nestedMissing), "HEAD section: missing header field 'shape.kv_heads'");
        String badKind = json.replace("\"modeled\"", "\"guessed\"");
        assertContains(headerFails(badKind), "HEAD section", "provenance kind must be captured or modeled");
        assertContains(headerFails("{\"model_name\": "), "HEAD section: malformed header JSON");
    }

    private String headerFails(String json) throws Exception {
        List<Section> s = new ArrayList<>(sections);
        s.set(0, new Section(12, "HEAD", json.getBytes(StandardCharsets.UTF_8)));
        return readFails(build(1, s)).getMessage();
    }

    @Test
    void missingFileIsBadInput() {
        Path nowhere = dir.resolve("nope.trace");
        BadInputException e = assertThrows(BadInputException.class, () -> TraceReader.open(nowhere));
        assertContains(e.getMessage(), nowhere.toString(), "no such trace file");
        assertThrows(BadInputException.class, () -> TraceInfo.describe(nowhere));
    }
}
