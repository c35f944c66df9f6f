package io.nccsim.ncc;

/**
 * The NCC as the processor sees it: a port that takes tile reads and writes and completes them, compressing and
 * decompressing on the way to and from DRAM as its design and levels say.
 *
 * <p>Implementations are chosen by {@code ncc.model} ({@link NccModels}): {@link BypassNcc} (no NCC: the baseline)
 * and {@link NccDriver} (the ISA-driven NCC with its lossless and lossy Huffman paths).
 */
public interface Ncc {

    /** Takes the tile, or returns false (changing nothing) when the NCC cannot accept it now. */
    boolean offer(TileRequest tile);

    /** Runs {@code waiter} once, as soon as a tile may be offered again. */
    void whenSpace(Runnable waiter);

    /** What the NCC did so far. */
    NccCounters counters();
}
