package io.nccsim.ncc;

import io.nccsim.trace.TensorInfo;

import java.util.function.Consumer;

/**
 * A tile the processor reads or writes through the NCC: a byte range of one tensor, as the processor sees it
 * (uncompressed). The NCC fills in when the DRAM part and the whole request finished, so the processor can tell
 * time lost to DRAM from time lost to decoding.
 */
public final class TileRequest {
    private final TensorInfo tensor;
    private final long offsetBytes;
    private final long lengthBytes;
    private final boolean write;
    private final int[] histogram;
    private final Consumer<TileRequest> onDone;
    long dramDonePs = -1;
    long donePs = -1;

    /**
     * @param histogram symbol counts of the data written (write path content), or null
     * @param onDone    run when the tile is complete: read data delivered to the processor, or write data stored
     */
    public TileRequest(TensorInfo tensor, long offsetBytes, long lengthBytes, boolean write, int[] histogram,
                       Consumer<TileRequest> onDone) {
        this.tensor = tensor;
        this.offsetBytes = offsetBytes;
        this.lengthBytes = lengthBytes;
        this.write = write;
        this.histogram = histogram;
        this.onDone = onDone;
    }

    public TensorInfo tensor() {
        return tensor;
    }

    public long offsetBytes() {
        return offsetBytes;
    }

    public long lengthBytes() {
        return lengthBytes;
    }

    public long endBytes() {
        return offsetBytes + lengthBytes;
    }

    public boolean isWrite() {
        return write;
    }

    public int[] histogram() {
        return histogram;
    }

    /** When the DRAM transfer for this tile finished. */
    public long dramDonePs() {
        return dramDonePs;
    }

    /** When the tile was complete for the processor. */
    public long donePs() {
        return donePs;
    }

    void finish(long nowPs) {
        donePs = nowPs;
        if (dramDonePs < 0) {
            dramDonePs = nowPs;
        }
        onDone.accept(this);
    }
}
