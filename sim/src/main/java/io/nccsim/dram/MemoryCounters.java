package io.nccsim.dram;

import io.nccsim.trace.TensorRole;

import java.util.EnumMap;
import java.util.Map;

/**
 * Traffic that crossed the DRAM bus: bytes by direction and data class, requests, the time the bus was busy, and the
 * bytes per window of time ({@link ByteSeries}). Every memory model records a request when it accepts it, so all of
 * these count requests at their acceptance time.
 */
public final class MemoryCounters {
    private final Map<TensorRole.DataClass, long[]> bytesByClass = new EnumMap<>(TensorRole.DataClass.class);
    private long bytesRead;
    private long bytesWritten;
    private long reads;
    private long writes;
    private long busBusyPs;
    private final ByteSeries series = new ByteSeries();

    public MemoryCounters() {
        for (TensorRole.DataClass c : TensorRole.DataClass.values()) {
            bytesByClass.put(c, new long[2]);
        }
    }

    public void record(MemRequest r, long busPs) {
        long[] b = bytesByClass.get(r.dataClass());
        if (r.isWrite()) {
            bytesWritten += r.bytes();
            writes++;
            b[1] += r.bytes();
        } else {
            bytesRead += r.bytes();
            reads++;
            b[0] += r.bytes();
        }
        busBusyPs += busPs;
        series.add(r.acceptedPs(), r.bytes(), r.isWrite());
    }

    /**
     * Bytes read and written per window up to {@code endPs}, counted at the time each request was accepted (a
     * request accepted before it was marked, as in some tests, counts at 0).
     */
    public ByteSeries.Snapshot series(long endPs) {
        return series.snapshot(endPs);
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long reads() {
        return reads;
    }

    public long writes() {
        return writes;
    }

    public long busBusyPs() {
        return busBusyPs;
    }

    public long bytesRead(TensorRole.DataClass c) {
        return bytesByClass.get(c)[0];
    }

    public long bytesWritten(TensorRole.DataClass c) {
        return bytesByClass.get(c)[1];
    }
}
