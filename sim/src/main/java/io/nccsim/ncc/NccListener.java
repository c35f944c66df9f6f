package io.nccsim.ncc;

import io.nccsim.isa.Instruction;

/**
 * Sees the NCC hardware's work, block by block (a timeline recorder). {@link NccCore} holds null when nobody
 * listens, so a run without one pays a null check per command, DMA request and block. Times are in ps; each call
 * comes when its end time is known, which is not always in start order.
 */
public interface NccListener {
    /** A command ran from its dispatch by the front end to its completion (the processor told). */
    void command(Instruction instruction, long dispatchPs, long completePs);

    /** One DMA request was at the memory controller (or crossing back from it) from issue to its data's arrival. */
    void dmaRequest(long address, long bytes, boolean write, long issuedPs, long donePs);

    /**
     * The decoder (Huffman lanes, or the neural datapath when {@code learned}) decoded block {@code block} of a
     * DECOMPRESS of {@code blocks} blocks: {@code symbols} values from {@code storedBytes} bytes.
     */
    void blockDecoded(int block, int blocks, long symbols, long storedBytes, boolean learned, long startPs,
                      long endPs);

    /** The encoder (or the neural datapath when {@code learned}) coded one COMPRESS of {@code symbols} values. */
    void blockEncoded(long symbols, long storedBytes, boolean learned, long startPs, long endPs);

    /** A LOAD_TABLE into {@code slot}: from dispatch (its DMA read starts) until the table is usable. */
    void tableLoaded(int slot, long bytes, long startPs, long readyPs);
}
