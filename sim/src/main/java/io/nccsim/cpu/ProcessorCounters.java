package io.nccsim.cpu;

/** What the processor did and where it waited. Times in picoseconds; the report converts to cycles. */
public final class ProcessorCounters {
    long ops;
    long macs;
    long bytesRequested;
    long bytesWritten;
    long computeBusyPs;
    long stallMemoryPs;
    long stallNccPs;
    long stallWritePs;

    public long ops() {
        return ops;
    }

    public long macs() {
        return macs;
    }

    /** Bytes of operands the processor read (uncompressed, as it sees them). */
    public long bytesRequested() {
        return bytesRequested;
    }

    /** Bytes of results the processor wrote (uncompressed). */
    public long bytesWritten() {
        return bytesWritten;
    }

    public long computeBusyPs() {
        return computeBusyPs;
    }

    /** Idle inside an operation, waiting for a tile whose DRAM transfer had not finished. */
    public long stallMemoryPs() {
        return stallMemoryPs;
    }

    /** Idle inside an operation, waiting for a tile the NCC was still decoding. */
    public long stallNccPs() {
        return stallNccPs;
    }

    /** Waiting at the end of an operation for its outputs to be stored. */
    public long stallWritePs() {
        return stallWritePs;
    }
}
