package io.nccsim.dram;

import io.nccsim.trace.TensorRole;

/**
 * One transfer between the memory controller and its client (the NCC's DMA engine, or the processor when the NCC
 * is bypassed). {@code bytes} are the bytes that cross the DRAM bus: compressed bytes when the NCC compresses.
 */
public final class MemRequest {
    // Not final: the direct replay loop reuses a request once it has completed (see reuse).
    private long address;
    private long bytes;
    private boolean write;
    private final TensorRole.DataClass dataClass;
    private final Runnable onComplete;
    private long acceptedPs = -1;
    private long completedPs = -1;
    private long firstDataPs = -1;

    /**
     * @param address    byte address in DRAM
     * @param bytes      bytes transferred on the bus
     * @param write      true for a write
     * @param dataClass  what the bytes are, for the per-class byte counts of the report
     * @param onComplete run when the last byte has been transferred (reads: data returned; writes: data accepted)
     */
    public MemRequest(long address, long bytes, boolean write, TensorRole.DataClass dataClass, Runnable onComplete) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory request moves at least one byte");
        }
        this.address = address;
        this.bytes = bytes;
        this.write = write;
        this.dataClass = dataClass;
        this.onComplete = onComplete;
    }

    /**
     * Makes this completed request a new one (same data class and completion action): for a driver that owns its
     * requests and has handed this one back, so that replaying millions of requests allocates none.
     */
    void reuse(long address, long bytes, boolean write) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a memory request moves at least one byte");
        }
        if (completedPs < 0) {
            throw new IllegalStateException("only a completed request can be reused");
        }
        this.address = address;
        this.bytes = bytes;
        this.write = write;
        this.acceptedPs = -1;
        this.completedPs = -1;
        this.firstDataPs = -1;
    }

    public long address() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    public boolean isWrite() {
        return write;
    }

    public TensorRole.DataClass dataClass() {
        return dataClass;
    }

    public long acceptedPs() {
        return acceptedPs;
    }

    public long completedPs() {
        return completedPs;
    }

    /**
     * When the first byte of the transfer moved on the bus; bytes arrive from then until {@link #completedPs()}.
     * A client that works on data as it streams in (the NCC's decoder) uses both.
     */
    public long firstDataPs() {
        return firstDataPs;
    }

    void markFirstData(long ps) {
        firstDataPs = ps;
    }

    void markAccepted(long ps) {
        acceptedPs = ps;
    }

    void complete(long ps) {
        completedPs = ps;
        onComplete.run();
    }
}
