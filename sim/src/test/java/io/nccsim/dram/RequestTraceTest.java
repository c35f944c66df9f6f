package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.dram.RequestTrace.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The DRAMSim3 and Ramulator 2 request-trace formats: parsing, detection, errors with line numbers, round trip. */
class RequestTraceTest {

    static RequestTraceReader reader(String text, Format format) {
        return RequestTraceReader.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "t.trace",
                format);
    }

    static List<Entry> readAll(String text, Format format) {
        List<Entry> all = new ArrayList<>();
        try (RequestTraceReader r = reader(text, format)) {
            for (Entry e = r.next(); e != null; e = r.next()) {
                all.add(e);
            }
        }
        return all;
    }

    static String error(String text, Format format) {
        return assertThrows(BadInputException.class, () -> readAll(text, format)).getMessage();
    }

    @Test
    void dramsim3LinesWithCommentsAndBlankLines() {
        String text = "# a DRAMSim3 trace\n\n0x0 READ 0\n  0x1F40\tWRITE   17  \r\n# more\n0xabcdef read 123 # inline\n";
        try (RequestTraceReader r = reader(text, null)) {
            assertEquals(Format.DRAMSIM3, r.format(), "detected from the first request line");
            assertEquals(new Entry(0, false, 0, 3), r.next());
            assertEquals(new Entry(0x1f40, true, 17, 4), r.next());
            assertEquals(new Entry(0xabcdef, false, 123, 6), r.next());
            assertNull(r.next());
            assertNull(r.next(), "stays at the end");
            assertEquals(3, r.requestsRead());
        }
    }

    @Test
    void ramulator2LinesHaveNoTiming() {
        List<Entry> all = readAll("LD 0x40\nST 0X80\n\nld 0x7fffffffffffffff\n", null);
        assertEquals(List.of(new Entry(0x40, false, 0, 1), new Entry(0x80, true, 0, 2),
                new Entry(Long.MAX_VALUE, false, 0, 4)), all);
    }

    @Test
    void emptyTraceHasNoFormatAndNoRequests() {
        try (RequestTraceReader r = reader("# nothing\n\n   \n", null)) {
            assertNull(r.format());
            assertNull(r.next());
        }
        try (RequestTraceReader r = reader("", Format.RAMULATOR2)) {
            assertEquals(Format.RAMULATOR2, r.format(), "a given format stands");
            assertNull(r.next());
        }
    }

    @Test
    void malformedLinesNameFileLineAndBothFormats() {
        String both = "expected '0xADDR READ|WRITE CYCLE' (DRAMSim3) or 'LD|ST 0xADDR' (Ramulator 2), got ";
        assertEquals("t.trace:2: " + both + "'READ 0x40 0'", error("# x\nREAD 0x40 0\n", null));
        assertEquals("t.trace:3: " + both + "'0x80 RAED 5'", error("0x0 READ 0\n\n0x80 RAED 5\n", null));
        assertEquals("t.trace:1: " + both + "'0x40 READ'", error("0x40 READ\n", null));
        assertEquals("t.trace:1: " + both + "'0x40 READ -1'", error("0x40 READ -1\n", null));
        assertEquals("t.trace:1: " + both + "'40 READ 1'", error("40 READ 1\n", null), "hex needs 0x");
        assertEquals("t.trace:1: " + both + "'0xg0 READ 1'", error("0xg0 READ 1\n", null));
        assertEquals("t.trace:1: " + both + "'0x40 READ 1 2'", error("0x40 READ 1 2\n", null));
        assertEquals("t.trace:2: " + both + "'LD'", error("LD 0x0\nLD\n", null));
        assertEquals("t.trace:1: " + both + "'?binary?'", error("\u0001binary\u0002\n", null));
    }

    @Test
    void aLineOfTheOtherFormatSaysWhichFormatTheFileIs() {
        assertEquals("t.trace:2: expected 'LD|ST 0xADDR' (Ramulator 2, the format of line 1; one trace holds one "
                + "format), got '0x40 READ 5'", error("LD 0x0\n0x40 READ 5\n", null));
        assertEquals("t.trace:1: expected '0xADDR READ|WRITE CYCLE' (DRAMSim3, as --format dramsim3 says), got "
                + "'LD 0x0'", error("LD 0x0\n", Format.DRAMSIM3));
    }

    @Test
    void outOfRangeNumbersAndOverlongLinesAreErrors() {
        assertEquals("t.trace:1: address 0x8000000000000000 is out of range; expected at most 0x7fffffffffffffff",
                error("0x8000000000000000 READ 0\n", null));
        assertTrue(error("ST 0x10000000000000000\n", null).startsWith("t.trace:1: address"));
        assertEquals("t.trace:2: cycle 99999999999999999999 is out of range; expected at most "
                + Long.MAX_VALUE, error("0x0 READ 1\n0x0 READ 99999999999999999999\n", null));
        assertEquals(new Entry(0x10, false, Long.MAX_VALUE, 1),
                readAll("0x0000000000000000000010 READ " + Long.MAX_VALUE + "\n", null).get(0), "leading zeros");
        String msg = error("0x0 READ 0\n" + "1".repeat(RequestTraceReader.MAX_LINE_CHARS + 1) + "\n", null);
        assertTrue(msg.startsWith("t.trace:2: line longer than 4096 characters"), msg);
    }

    @Test
    void formatNamesParseAndBadOnesAreTheUsersError() {
        assertEquals(Format.DRAMSIM3, Format.parse("DRAMSim3", "--format"));
        assertEquals(Format.RAMULATOR2, Format.parse("ramulator2", "--format"));
        assertEquals("--format dramsim2: expected dramsim3 or ramulator2",
                assertThrows(BadInputException.class, () -> Format.parse("dramsim2", "--format")).getMessage());
    }

    @Test
    void writerThenReaderRoundTripsBothFormats(@TempDir Path dir) throws Exception {
        Random rnd = new Random(5);
        List<Entry> written = new ArrayList<>();
        long cycle = 0;
        for (int i = 0; i < 2000; i++) {
            cycle += rnd.nextInt(3) == 0 ? rnd.nextInt(1000) : 0;
            written.add(new Entry(rnd.nextLong() & Long.MAX_VALUE, rnd.nextBoolean(), cycle, i + 1));
        }
        for (Format f : Format.values()) {
            Path file = dir.resolve(f.id() + ".trace");
            try (RequestTraceWriter w = new RequestTraceWriter(Files.newBufferedWriter(file), f)) {
                written.forEach(w::write);
                assertEquals(2000, w.requests());
                assertEquals(2000, w.reads() + w.writes());
            }
            List<Entry> read = new ArrayList<>();
            try (RequestTraceReader r = RequestTraceReader.open(file, null)) {
                assertEquals(f, r.format());
                for (Entry e = r.next(); e != null; e = r.next()) {
                    read.add(e);
                }
                assertEquals(Files.size(file), r.bytePosition());
            }
            assertEquals(written.size(), read.size());
            for (int i = 0; i < written.size(); i++) {
                Entry w = written.get(i);
                Entry expected = f.timed() ? w : new Entry(w.address(), w.write(), 0, w.line());
                assertEquals(expected, read.get(i), f + " line " + (i + 1));
            }
        }
    }

    @Test
    void writerOutputIsThePlainFormatOtherSimulatorsRead() {
        StringWriter s = new StringWriter();
        RequestTraceWriter w = new RequestTraceWriter(s, Format.DRAMSIM3);
        w.write(0x40, false, 0);
        w.write(0x1000, true, 12);
        w.flush();
        assertEquals("0x40 READ 0\n0x1000 WRITE 12\n", s.toString());
        StringWriter r = new StringWriter();
        RequestTraceWriter w2 = new RequestTraceWriter(r, Format.RAMULATOR2);
        w2.write(0x40, false, 99);
        w2.write(0x1000, true, 12);
        w2.flush();
        assertEquals("LD 0x40\nST 0x1000\n", r.toString());
    }

    @Test
    void missingFileAndDirectoryAreTheUsersError(@TempDir Path dir) {
        String missing = assertThrows(BadInputException.class,
                () -> RequestTraceReader.open(dir.resolve("nope.trace"), null)).getMessage();
        assertTrue(missing.contains("nope.trace: no such request trace file"), missing);
        String d = assertThrows(BadInputException.class, () -> RequestTraceReader.open(dir, null)).getMessage();
        assertTrue(d.contains("is a directory"), d);
    }
}
