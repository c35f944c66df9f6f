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

    /**
     * The reader parses bytes in place; a plain reading of the format with Strings (split at Java whitespace,
     * keywords compared ignoring case, numbers by Long.parseLong) must agree with it line for line, on random
     * traces of valid and malformed lines handed over a few bytes per read, so that lines straddle the reader's
     * buffer refills.
     */
    @Test
    void parsingInPlaceAgreesWithAPlainStringReading() {
        Random rnd = new Random(11);
        String[] spaces = {" ", "  ", "\t", " \t ", "\u000b", "\f", "\u001f"};
        for (int round = 0; round < 300; round++) {
            Format format = round % 2 == 0 ? Format.DRAMSIM3 : Format.RAMULATOR2;
            StringBuilder text = new StringBuilder();
            int lines = 1 + rnd.nextInt(40);
            for (int i = 0; i < lines; i++) {
                List<String> tokens = new ArrayList<>();
                String hex = (rnd.nextInt(4) == 0 ? "0X" : "0x") + "0".repeat(rnd.nextInt(3))
                        + Long.toHexString(rnd.nextLong() >>> rnd.nextInt(64));
                String hexCased = rnd.nextBoolean() ? hex.toUpperCase().replace("0X", "0x") : hex;
                if (format == Format.DRAMSIM3) {
                    tokens.add(hexCased);
                    tokens.add(List.of("READ", "write", "Read", "WRITE").get(rnd.nextInt(4)));
                    tokens.add(Long.toString(rnd.nextInt(3) == 0 ? 0 : rnd.nextLong() >>> rnd.nextInt(64)));
                } else {
                    tokens.add(List.of("LD", "st", "Ld", "ST").get(rnd.nextInt(4)));
                    tokens.add(hexCased);
                }
                if (rnd.nextInt(25) == 0) { // spoil the line: a stray token, a bad digit or keyword, one too few
                    switch (rnd.nextInt(4)) {
                        case 0 -> tokens.add("x");
                        case 1 -> tokens.set(tokens.size() - 1, tokens.get(tokens.size() - 1) + "g");
                        case 2 -> tokens.set(format == Format.DRAMSIM3 ? 1 : 0, "LOAD");
                        default -> tokens.remove(0);
                    }
                }
                StringBuilder line = new StringBuilder(rnd.nextBoolean() ? "" : spaces[rnd.nextInt(spaces.length)]);
                for (String t : tokens) {
                    line.append(t).append(spaces[rnd.nextInt(spaces.length)]);
                }
                if (rnd.nextInt(8) == 0) {
                    line.append("# note 0x40 READ 1");
                }
                text.append(rnd.nextInt(20) == 0 ? "# comment" : line).append(rnd.nextInt(6) == 0 ? "\r\n" : "\n");
            }
            String trace = text.toString();
            List<Entry> expected = new ArrayList<>();
            String expectedError = plainReading(trace, format, expected);
            List<Entry> read = new ArrayList<>();
            String error = null;
            try (RequestTraceReader r = RequestTraceReader.of(new FewBytesAtATime(trace, rnd.nextLong()), "t.trace",
                    format)) {
                for (Entry e = r.next(); e != null; e = r.next()) {
                    read.add(e);
                }
            } catch (BadInputException e) {
                error = e.getMessage().substring(0, e.getMessage().indexOf(':', "t.trace:".length()));
            }
            assertEquals(expected, read, "round " + round + ":\n" + trace);
            assertEquals(expectedError, error, "round " + round + ":\n" + trace);
        }
    }

    /** The format read with Strings; fills {@code out} and returns "t.trace:LINE" of the first bad line, or null. */
    private static String plainReading(String trace, Format format, List<Entry> out) {
        String[] lines = trace.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String content = lines[i].contains("#") ? lines[i].substring(0, lines[i].indexOf('#')) : lines[i];
            List<String> t = new ArrayList<>();
            for (String s : content.split("[\\t\\n\\u000b\\f\\r\\u001c-\\u001f ]+")) {
                if (!s.isEmpty()) {
                    t.add(s);
                }
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                boolean timed = format == Format.DRAMSIM3;
                if (t.size() != (timed ? 3 : 2)) {
                    return "t.trace:" + (i + 1);
                }
                String kind = (timed ? t.get(1) : t.get(0)).toUpperCase();
                String hex = timed ? t.get(0) : t.get(1);
                if (!kind.equals(timed ? "READ" : "LD") && !kind.equals(timed ? "WRITE" : "ST")
                        || !hex.matches("0[xX][0-9a-fA-F]+") || timed && !t.get(2).matches("[0-9]+")) {
                    return "t.trace:" + (i + 1);
                }
                long address = Long.parseLong(hex.substring(2), 16); // out of range: NumberFormatException
                long cycle = timed ? Long.parseLong(t.get(2)) : 0;
                out.add(new Entry(address, kind.equals("WRITE") || kind.equals("ST"), cycle, i + 1));
            } catch (NumberFormatException e) {
                return "t.trace:" + (i + 1);
            }
        }
        return null;
    }

    /** A stream that hands out between 1 and 9 bytes per read. */
    private static final class FewBytesAtATime extends java.io.InputStream {
        private final byte[] bytes;
        private final Random rnd;
        private int pos;

        FewBytesAtATime(String text, long seed) {
            this.bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            this.rnd = new Random(seed);
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + rnd.nextInt(9)), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
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
