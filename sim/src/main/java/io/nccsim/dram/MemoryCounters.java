package io.nccsim.dram;

import io.nccsim.trace.TensorRole;

/**
 * Traffic that crossed the DRAM bus: bytes by direction and data class, requests, the time the bus was busy, and the
 * bytes per window of time ({@link ByteSeries}). Every memory model records a request when it accepts it, so all of
 * these count requests at their acceptance time.
 */
public final class MemoryCounters {
    // bytes read [0] and written [1] per data class, by the class's ordinal (counted for every request)
    private final long[][] bytesByClass = new long[TensorRole.DataClass.values().length][2];
    private long bytesRead;
    private long bytesWritten;
    private long reads;
    private long writes;
    private long busBusyPs;
    private final ByteSeries series = new ByteSeries();

    public void record(MemRequest r, long busPs) {
        long[] b = bytesByClass[r.dataClass().ordinal()];
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
        return bytesByClass[c.ordinal()][0];
    }

    public long bytesWritten(TensorRole.DataClass c) {
        return bytesByClass[c.ordinal()][1];
    }
}
