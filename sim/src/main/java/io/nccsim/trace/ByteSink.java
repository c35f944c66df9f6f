package io.nccsim.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with the trace format's primitive encoders. The writer builds each section payload in one
 * of these so that it knows the length before it writes the section header, and can roll back a partly encoded
 * record ({@link #truncate}) when it does not fit into the current chunk.
 */
final class ByteSink {
    private byte[] buf;
    private int len;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int length() {
        return len;
    }

    byte[] array() {
        return buf;
    }

    void reset() {
        len = 0;
    }

    void truncate(int newLength) {
        if (newLength < 0 || newLength > len) {
            throw new IllegalArgumentException("truncate to " + newLength + " of " + len);
        }
        len = newLength;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    void writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void writeBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    /** Unsigned LEB128: 7 bits per byte, least significant group first, high bit set on all but the last byte. */
    void writeVarint(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            buf[len++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void writeSignedVarint(long v) {
        writeVarint(TraceFormat.zigzag(v));
    }

    void writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarint(b.length);
        writeBytes(b);
    }

    void writeU16(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
    }

    void writeU32(int v) {
        ensure(4);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 24);
    }

    /**
     * A histogram of {@code h.length} bins, in whichever of the two forms is smaller (see FORMAT.md, "Histograms"):
     * varint 0 then every bin (dense), or varint k+1 then k (gap, count) pairs for the k nonzero bins (sparse).
     * Dense wins ties so that the encoding is deterministic.
     */
    void writeHistogram(int[] h) {
        int dense = 1;
        int nonzero = 0;
        int sparsePairs = 0;
        int prev = -1;
        for (int s = 0; s < h.length; s++) {
            int c = h[s];
            dense += TraceFormat.varintLength(c);
            if (c != 0) {
                nonzero++;
                sparsePairs += TraceFormat.varintLength(s - prev - 1) + TraceFormat.varintLength(c);
                prev = s;
            }
        }
        int sparse = TraceFormat.varintLength(nonzero + 1L) + sparsePairs;
        if (sparse < dense) {
            writeVarint(nonzero + 1L);
            prev = -1;
            for (int s = 0; s < h.length; s++) {
                if (h[s] != 0) {
                    writeVarint(s - prev - 1);
                    writeVarint(h[s]);
                    prev = s;
                }
            }
        } else {
            writeVarint(0);
            for (int c : h) {
                writeVarint(c);
            }
        }
    }
}
