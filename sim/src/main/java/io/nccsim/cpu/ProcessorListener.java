package io.nccsim.cpu;

import io.nccsim.trace.OpEvent;
import io.nccsim.trace.TensorInfo;

/**
 * Sees the processor's work as it happens (a timeline recorder). The processor holds null when nobody listens, so
 * a run without one pays a null check per operation and per tile.
 */
public interface ProcessorListener {
    /** {@code op} starts at {@code atPs}. */
    void operationStarted(OpEvent op, long atPs);

    /** {@code op}, started at {@code startPs}, has ended (its writes stored) at {@code endPs}. */
    void operationEnded(OpEvent op, long startPs, long endPs);

    /**
     * The compute unit works on one tile from {@code startPs} to {@code endPs}; {@code tensor} is the tile's
     * tensor, or null for an operation that reads nothing and computes all at once.
     */
    void tileComputed(TensorInfo tensor, long offsetBytes, long startPs, long endPs);
}
