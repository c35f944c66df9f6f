package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.dram.RequestTrace.Format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a memory-request trace ({@link RequestTrace}) one line at a time, so a trace of any size streams through in
 * constant memory. The format is given, or detected from the first line that is not blank or a comment; either way
 * every line must be in it. A malformed line is the user's error, reported as
 * {@code FILE:LINE: expected '0xADDR READ|WRITE CYCLE' (DRAMSim3) or 'LD|ST 0xADDR' (Ramulator 2), got '...'}.
 */
public final class RequestTraceReader implements RequestTrace.Source, AutoCloseable {
    /** Lines longer than this are not requests (a binary file, most likely). */
    public static final int MAX_LINE_CHARS = 4096;

    private final String name;
    private final InputStream in;
    private final long size;
    private final boolean forced;
    // Whitespace as Character.isWhitespace says, for each byte read as an ISO-8859-1 character.
    private static final boolean[] WHITESPACE = new boolean[256];
    // Each byte's value as a hex digit, or -1 (as Character.digit(c, 16) for an ISO-8859-1 character).
    private static final int[] HEX_DIGIT = new int[256];

    static {
        for (int c = 0; c < 256; c++) {
            WHITESPACE[c] = Character.isWhitespace((char) c);
            HEX_DIGIT[c] = Character.digit((char) c, 16);
        }
    }

    // The current line as bytes, and where its tokens start and end: parsed in place, with no String per token.
    private final byte[] line = new byte[MAX_LINE_CHARS];
    private final int[] tokenStart = new int[4];
    private final int[] tokenEnd = new int[4];
    private Format format;
    private long formatLine;
    private long lineNo;
    private long position;
    private long requests;
    private Entry lookahead;
    private boolean eof;
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufLim;

    private RequestTraceReader(String name, InputStream in, long size, Format format) {
        this.name = name;
        this.in = in;
        this.size = size;
        this.format = format;
        this.forced = format != null;
        this.lookahead = readEntry(); // detects the format
    }

    /**
     * Opens {@code file}.
     *
     * @param format the trace's format, or null to detect it from the first request line
     */
    public static RequestTraceReader open(Path file, Format format) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory; expected a request trace file");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such request trace file (looked in " + file.toAbsolutePath()
                    + ")");
        }
        try {
            return new RequestTraceReader(file.toString(), Files.newInputStream(file), Files.size(file), format);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the request trace: " + e.getMessage(), e);
        }
    }

    /** Reads a trace from {@code in}, which {@link #close} closes; {@code name} stands for it in messages. */
    public static RequestTraceReader of(InputStream in, String name, Format format) {
        return new RequestTraceReader(name, in, -1, format);
    }

    /** The format given or detected; null for a trace with no requests and no format given. */
    public Format format() {
        return format;
    }

    @Override
    public String name() {
        return name;
    }

    /** Bytes of the file consumed so far. */
    public long bytePosition() {
        return position;
    }

    /** Size of the file in bytes, or -1 when not known. */
    public long fileSize() {
        return size;
    }

    /** Requests returned so far. */
    public long requestsRead() {
        return requests;
    }

    @Override
    public Entry next() {
        Entry e = lookahead != null ? lookahead : readEntry();
        lookahead = null;
        if (e != null) {
            requests++;
        }
        return e;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was lost: the trace is only read
        }
    }

    // ---- parsing ----

    private Entry readEntry() {
        while (true) {
            int len = readLine();
            if (len < 0) {
                return null;
            }
            int n = tokenize(len);
            if (n == 0) {
                continue; // blank or comment
            }
            if (format == null) {
                Entry e = parse(Format.DRAMSIM3, n);
                if (e != null) {
                    format = Format.DRAMSIM3;
                } else {
                    e = parse(Format.RAMULATOR2, n);
                    if (e != null) {
                        format = Format.RAMULATOR2;
                    }
                }
                if (e == null) {
                    throw malformed(len, null);
                }
                formatLine = lineNo;
                return e;
            }
            Entry e = parse(format, n);
            if (e == null) {
                throw malformed(len, format);
            }
            return e;
        }
    }

    private BadInputException malformed(int len, Format expected) {
        String got = "got '" + shown(len) + "'";
        String both = Format.DRAMSIM3.shape() + " (" + Format.DRAMSIM3.displayName() + ") or "
                + Format.RAMULATOR2.shape() + " (" + Format.RAMULATOR2.displayName() + ")";
        if (expected == null) {
            return new BadInputException(where() + ": expected " + both + ", " + got);
        }
        if (forced) {
            return new BadInputException(where() + ": expected " + expected.shape() + " (" + expected.displayName()
                    + ", as --format " + expected.id() + " says), " + got);
        }
        Format other = expected == Format.DRAMSIM3 ? Format.RAMULATOR2 : Format.DRAMSIM3;
        if (parse(other, tokenize(len)) != null) {
            return new BadInputException(where() + ": expected " + expected.shape() + " (" + expected.displayName()
                    + ", the format of line " + formatLine + "; one trace holds one format), " + got);
        }
        return new BadInputException(where() + ": expected " + both + ", " + got);
    }

    private String where() {
        return name + ":" + lineNo;
    }

    /** The line as read, trimmed, cut to 80 characters, with control characters shown as '?'. */
    private String shown(int len) {
        StringBuilder sb = new StringBuilder();
        String s = new String(line, 0, len, StandardCharsets.ISO_8859_1).strip();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 80) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Parses the current tokens as {@code f}; null when they do not have its shape. */
    private Entry parse(Format f, int n) {
        if (f == Format.DRAMSIM3) {
            if (n != 3) {
                return null;
            }
            boolean write;
            if (tokenIs(1, "READ")) {
                write = false;
            } else if (tokenIs(1, "WRITE")) {
                write = true;
            } else {
                return null;
            }
            long address = hex(0);
            long cycle = decimal(2);
            if (address < 0 || cycle < 0) {
                return null;
            }
            return new Entry(address, write, cycle, lineNo);
        }
        if (n != 2) {
            return null;
        }
        boolean write;
        if (tokenIs(0, "LD")) {
            write = false;
        } else if (tokenIs(0, "ST")) {
            write = true;
        } else {
            return null;
        }
        long address = hex(1);
        return address < 0 ? null : new Entry(address, write, 0, lineNo);
    }

    /** Whether token {@code k} is {@code word} (upper-case ASCII) in any case. */
    private boolean tokenIs(int k, String word) {
        int start = tokenStart[k];
        if (tokenEnd[k] - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            int c = line[start + i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Token {@code k} as text, for messages. */
    private String token(int k) {
        return new String(line, tokenStart[k], tokenEnd[k] - tokenStart[k], StandardCharsets.ISO_8859_1);
    }

    /** Token {@code k} as a 0x-prefixed hex address; -1 when not one. Addresses from 2^63 up are the user's error. */
    private long hex(int k) {
        int start = tokenStart[k];
        int end = tokenEnd[k];
        if (end - start < 3 || line[start] != '0' || (line[start + 1] != 'x' && line[start + 1] != 'X')) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        for (int i = start + 2; i < end; i++) {
            int d = HEX_DIGIT[line[i] & 0xff];
            if (d < 0) {
                return -1;
            }
            if (v == 0 && d == 0) {
                continue; // leading zeros
            }
            if (++digits > 16) {
                throw outOfRange(token(k));
            }
            v = v * 16 + d;
        }
        if (v < 0) {
            throw outOfRange(token(k)); // 16 digits from 0x8000000000000000 up
        }
        return v;
    }

    private BadInputException outOfRange(String address) {
        return new BadInputException(where() + ": address " + address + " is out of range; expected at most "
                + "0x7fffffffffffffff");
    }

    /** Token {@code k} as a non-negative decimal cycle; -1 when not one. */
    private long decimal(int k) {
        long v = 0;
        for (int i = tokenStart[k]; i < tokenEnd[k]; i++) {
            int c = line[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new BadInputException(where() + ": cycle " + token(k) + " is out of range; expected at most "
                        + Long.MAX_VALUE);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Marks the current line's whitespace-separated tokens before any '#' in {@link #tokenStart} and
     * {@link #tokenEnd}, at most 4; returns their count (5 for more than 4: too many for either format).
     */
    private int tokenize(int len) {
        int n = 0;
        int i = 0;
        while (i < len) {
            int c = line[i] & 0xff;
            if (c == '#') {
                break;
            }
            if (WHITESPACE[c]) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && line[i] != '#' && !WHITESPACE[line[i] & 0xff]) {
                i++;
            }
            if (n == tokenStart.length) {
                return n + 1;
            }
            tokenStart[n] = start;
            tokenEnd[n] = i;
            n++;
        }
        return n;
    }

    /**
     * Reads the next line, without its newline, into {@link #line}; its length, or -1 at the end. It copies from
     * the read buffer a stretch at a time, up to the newline, rather than a byte at a time: reading lines a byte at
     * a time and splitting them into a String per token took two fifths of a replay from a file.
     */
    private int readLine() {
        if (eof) {
            return -1;
        }
        int len = 0;
        try {
            while (true) {
                if (bufPos == bufLim) {
                    int n = in.read(buf);
                    if (n <= 0) {
                        eof = true;
                        if (len == 0) {
                            return -1;
                        }
                        break;
                    }
                    bufPos = 0;
                    bufLim = n;
                }
                int end = bufPos;
                while (end < bufLim && buf[end] != '\n') {
                    end++;
                }
                int chunk = end - bufPos;
                if (len + chunk > MAX_LINE_CHARS) {
                    lineNo++;
                    throw new BadInputException(where() + ": line longer than " + MAX_LINE_CHARS
                            + " characters; expected " + Format.DRAMSIM3.shape() + " (DRAMSim3) or "
                            + Format.RAMULATOR2.shape() + " (Ramulator 2) per line");
                }
                System.arraycopy(buf, bufPos, line, len, chunk);
                len += chunk;
                position += chunk;
                bufPos = end;
                if (end < bufLim) { // the newline: the line is whole
                    bufPos++;
                    position++;
                    break;
                }
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read the request trace: " + e.getMessage(), e);
        }
        lineNo++;
        return len;
    }
}
