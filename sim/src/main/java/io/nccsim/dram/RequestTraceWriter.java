package io.nccsim.dram;

import io.nccsim.dram.RequestTrace.Format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a memory-request trace ({@link RequestTrace}) one request a line, in a format the other simulators read as
 * it is: no header or comment lines, which neither DRAMSim3 nor Ramulator 2 would skip. Ramulator 2's format has no
 * timing, so the cycle is dropped there.
 */
public final class RequestTraceWriter implements AutoCloseable {
    private final Writer out;
    private final Format format;
    private final StringBuilder sb = new StringBuilder(64);
    private long requests;
    private long reads;
    private long writes;
    private long lastCycle;

    /** @param out where the lines go; closed by {@link #close} */
    public RequestTraceWriter(Writer out, Format format) {
        this.out = out;
        this.format = format;
    }

    public Format format() {
        return format;
    }

    /** Writes one request; {@code cycle} is ignored by formats without timing. */
    public void write(long address, boolean write, long cycle) {
        if (address < 0 || cycle < 0) {
            throw new IllegalArgumentException("address and cycle must be >= 0: " + address + ", " + cycle);
        }
        sb.setLength(0);
        if (format == Format.DRAMSIM3) {
            sb.append("0x").append(Long.toHexString(address)).append(write ? " WRITE " : " READ ").append(cycle);
        } else {
            sb.append(write ? "ST 0x" : "LD 0x").append(Long.toHexString(address));
        }
        sb.append('\n');
        try {
            out.append(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        requests++;
        if (write) {
            writes++;
        } else {
            reads++;
        }
        lastCycle = cycle;
    }

    public void write(RequestTrace.Entry e) {
        write(e.address(), e.write(), e.cycle());
    }

    /** Requests written so far. */
    public long requests() {
        return requests;
    }

    public long reads() {
        return reads;
    }

    public long writes() {
        return writes;
    }

    /** The cycle of the last request written. */
    public long lastCycle() {
        return lastCycle;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
