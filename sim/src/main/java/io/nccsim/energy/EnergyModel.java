package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.cpu.ProcessorCounters;
import io.nccsim.dram.MemorySystem;
import io.nccsim.ncc.NccCounters;

/**
 * Turns activity counts into energy: per-event energies times counts, plus static power times simulated time.
 * The memory model prices its own activity (per bit for the ideal model, per command and state for LPDDR).
 * Kept apart from the timing models so that energy parameters can be swept without simulating again.
 */
public final class EnergyModel {
    private static final double PJ = 1e-12;

    private EnergyModel() {
    }

    /**
     * @param nccPresent whether the run has an NCC at all (the baseline has none, so no NCC leakage)
     */
    public static EnergyBreakdown account(EnergyConfig e, long simTimePs, ProcessorCounters cpu,
                                          MemorySystem mem, NccCounters ncc, boolean nccPresent) {
        double seconds = simTimePs * 1e-12;
        EnergyBreakdown b = new EnergyBreakdown();
        b.add("processor", "mac", cpu.macs() * e.processor().macPj() * PJ);
        b.add("processor", "static", e.processor().staticW() * seconds);
        mem.addEnergy(b, simTimePs); // each memory model prices its own activity
        if (nccPresent) {
            b.add("ncc", "decode", ncc.symbolsDecoded() * e.ncc().symbolDecodePj() * PJ);
            b.add("ncc", "encode", ncc.symbolsEncoded() * e.ncc().symbolEncodePj() * PJ);
            b.add("ncc", "sram", (ncc.sramBytesRead() * e.ncc().sramReadPjPerByte()
                    + ncc.sramBytesWritten() * e.ncc().sramWritePjPerByte()) * PJ);
            b.add("ncc", "leakage", e.ncc().leakageW() * seconds);
        }
        return b;
    }
}
