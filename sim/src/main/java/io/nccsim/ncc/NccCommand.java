package io.nccsim.ncc;

import io.nccsim.isa.Instruction;
import io.nccsim.trace.TensorRole.DataClass;

/**
 * One entry of the NCC's command queue: an instruction of the NCC's instruction set (everything the hardware is
 * told) plus what the simulator needs to time it that the hardware would find in the data itself: where the
 * compressed blocks of a DECOMPRESS begin and how many symbols each holds (the block headers), and the size a
 * COMPRESS will produce (the encoder's output).
 */
final class NccCommand {
    final Instruction instruction;
    final DataClass dataClass;
    /** DECOMPRESS: stored bytes and symbols of each block, in address order; their sum is src_bytes. */
    final long[] blockStoredBytes;
    final long[] blockSymbols;
    /** COMPRESS: symbols encoded and bytes written to DRAM. */
    final long symbols;
    final long storedBytes;
    /** Called when the command has completed, with the time its last DRAM transfer finished (or -1: none). */
    final Completion onComplete;

    /** What the issuer learns when a command completes. */
    interface Completion {
        void completed(long lastDramPs);
    }

    boolean decoded; // the front end has decoded it
    long lastDramPs = -1;
    long dispatchedPs; // when the front end started it (for a timeline)

    private NccCommand(Instruction instruction, DataClass dataClass, long[] blockStoredBytes, long[] blockSymbols,
                       long symbols, long storedBytes, Completion onComplete) {
        this.instruction = instruction;
        this.dataClass = dataClass;
        this.blockStoredBytes = blockStoredBytes;
        this.blockSymbols = blockSymbols;
        this.symbols = symbols;
        this.storedBytes = storedBytes;
        this.onComplete = onComplete;
    }

    static NccCommand plain(Instruction instruction, DataClass dataClass, Completion onComplete) {
        return new NccCommand(instruction, dataClass, null, null, 0, 0, onComplete);
    }

    static NccCommand decompress(Instruction.Decompress d, DataClass dataClass, long[] blockStoredBytes,
                                 long[] blockSymbols, Completion onComplete) {
        long sum = 0;
        for (long b : blockStoredBytes) {
            sum += b;
        }
        if (sum != d.srcBytes()) {
            throw new IllegalArgumentException("blocks hold " + sum + " B but DECOMPRESS reads " + d.srcBytes());
        }
        return new NccCommand(d, dataClass, blockStoredBytes, blockSymbols, 0, 0, onComplete);
    }

    static NccCommand compress(Instruction.Compress c, DataClass dataClass, long symbols, long storedBytes,
                               Completion onComplete) {
        return new NccCommand(c, dataClass, null, null, symbols, storedBytes, onComplete);
    }
}
