package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.dram.RequestTrace.Format;

import java.io.IOException;
import java.io.InputStream;
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
    private final char[] line = new char[MAX_LINE_CHARS];
    private final String[] tokens = new String[4];
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
        String s = new String(line, 0, len).strip();
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
            if (tokens[1].equalsIgnoreCase("READ")) {
                write = false;
            } else if (tokens[1].equalsIgnoreCase("WRITE")) {
                write = true;
            } else {
                return null;
            }
            long address = hex(tokens[0]);
            long cycle = decimal(tokens[2]);
            if (address < 0 || cycle < 0) {
                return null;
            }
            return new Entry(address, write, cycle, lineNo);
        }
        if (n != 2) {
            return null;
        }
        boolean write;
        if (tokens[0].equalsIgnoreCase("LD")) {
            write = false;
        } else if (tokens[0].equalsIgnoreCase("ST")) {
            write = true;
        } else {
            return null;
        }
        long address = hex(tokens[1]);
        return address < 0 ? null : new Entry(address, write, 0, lineNo);
    }

    /** A 0x-prefixed hex address; -1 when not one. Addresses from 2^63 up are the user's error. */
    private long hex(String s) {
        if (s.length() < 3 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        for (int i = 2; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            if (v == 0 && d == 0) {
                continue; // leading zeros
            }
            if (++digits > 16) {
                throw outOfRange(s);
            }
            v = v * 16 + d;
        }
        if (v < 0) {
            throw outOfRange(s); // 16 digits from 0x8000000000000000 up
        }
        return v;
    }

    private BadInputException outOfRange(String address) {
        return new BadInputException(where() + ": address " + address + " is out of range; expected at most "
                + "0x7fffffffffffffff");
    }

    /** A non-negative decimal cycle; -1 when not one. */
    private long decimal(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new BadInputException(where() + ": cycle " + s + " is out of range; expected at most "
                        + Long.MAX_VALUE);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Splits the current line into at most 4 whitespace-separated tokens before any '#'; returns their count. */
    private int tokenize(int len) {
        int n = 0;
        int i = 0;
        while (i < len) {
            char c = line[i];
            if (c == '#') {
                break;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && line[i] != '#' && !Character.isWhitespace(line[i])) {
                i++;
            }
            if (n == tokens.length) {
                return n + 1; // too many for either format
            }
            tokens[n++] = new String(line, start, i - start);
        }
        return n;
    }

    /** Reads the next line into {@link #line} (bytes as ISO-8859-1 characters); its length, or -1 at the end. */
    private int readLine() {
        if (eof) {
            return -1;
        }
        int len = 0;
        try {
            while (true) {
                if (bufPos == bufLim) {
                    bufLim = Math.max(0, in.read(buf));
                    bufPos = 0;
                }
                int b = bufPos < bufLim ? buf[bufPos++] & 0xff : -1;
                if (b < 0) {
                    eof = true;
                    if (len == 0) {
                        return -1;
                    }
                    break;
                }
                position++;
                if (b == '\n') {
                    break;
                }
                if (len == MAX_LINE_CHARS) {
                    lineNo++;
                    throw new BadInputException(where() + ": line longer than " + MAX_LINE_CHARS
                            + " characters; expected " + Format.DRAMSIM3.shape() + " (DRAMSim3) or "
                            + Format.RAMULATOR2.shape() + " (Ramulator 2) per line");
                }
                line[len++] = (char) b;
            }
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read the request trace: " + e.getMessage(), e);
        }
        lineNo++;
        return len;
    }
}
