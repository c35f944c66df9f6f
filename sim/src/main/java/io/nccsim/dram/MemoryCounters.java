package io.nccsim.dram;

import io.nccsim.trace.TensorRole;

/** Traffic that crossed the DRAM bus: bytes by direction and data class, requests, and time the bus was busy. */
public final class MemoryCounters {
    // bytes read [0] and written [1] per data class, by the class's ordinal (counted for every request)
    private final long[][] bytesByClass = new long[TensorRole.DataClass.values().length][2];
    private long bytesRead;
    private long bytesWritten;
    private long reads;
    private long writes;
    private long busBusyPs;

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
