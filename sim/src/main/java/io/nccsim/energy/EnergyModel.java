package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.cpu.ProcessorCounters;
import io.nccsim.dram.MemorySystem;
import io.nccsim.ncc.NccActivity;
import io.nccsim.ncc.NccCounters;
import io.nccsim.ncc.NccDesign;

/**
 * Turns activity counts into energy: per-event energies times counts, plus static power times simulated time.
 * The memory model prices its own activity (per bit for the ideal model, per command and state for LPDDR), and
 * {@link NccEnergyModel} prices the NCC's, block by block.
 * Kept apart from the timing models so that energy parameters can be swept without simulating again.
 */
public final class EnergyModel {
    private static final double PJ = 1e-12;

    private EnergyModel() {
    }

    /**
     * A run with an NCC: processor and memory as in {@link #account(EnergyConfig, long, ProcessorCounters,
     * MemorySystem)}, plus the NCC's blocks priced by {@link NccEnergyModel} (leakage over {@code ncc.elapsedPs()}).
     */
    public static EnergyBreakdown account(EnergyConfig e, long simTimePs, ProcessorCounters cpu, MemorySystem mem,
                                          NccActivity ncc, NccDesign design) {
        EnergyBreakdown b = account(e, simTimePs, cpu, mem);
        NccEnergyModel.account(e.ncc(), ncc, design, b);
        return b;
    }

    /** A run without an NCC (the baseline): the processor and the memory only. */
    public static EnergyBreakdown account(EnergyConfig e, long simTimePs, ProcessorCounters cpu, MemorySystem mem) {
        double seconds = simTimePs * 1e-12;
        EnergyBreakdown b = new EnergyBreakdown();
        b.add("processor", "mac", cpu.macs() * e.processor().macPj() * PJ);
        b.add("processor", "static", e.processor().staticW() * seconds);
        mem.addEnergy(b, simTimePs); // each memory model prices its own activity
        return b;
    }

    /**
     * The counters-based NCC account, kept until the timing model produces {@link NccActivity} and
     * {@link NccDesign}; then callers move to {@link #account(EnergyConfig, long, ProcessorCounters, MemorySystem,
     * NccActivity, NccDesign)} and this goes. It has no table-lookup count, so each decoded symbol is charged one
     * lookup, as in the decompressor the decode energy comes from; dynamic energies are scaled to the NCC's node, the
     * whole-NCC {@code leakage} is not.
     *
     * @param nccPresent whether the run has an NCC at all (the baseline has none, so no NCC leakage)
     */
    public static EnergyBreakdown account(EnergyConfig e, long simTimePs, ProcessorCounters cpu,
                                          MemorySystem mem, NccCounters ncc, boolean nccPresent) {
        EnergyBreakdown b = account(e, simTimePs, cpu, mem);
        if (nccPresent) {
            EnergyConfig.Ncc n = e.ncc();
            double pj = n.energyScale() * PJ;
            b.add("ncc", "decode", ncc.symbolsDecoded() * (n.symbolDecodePj() + n.tableLookupPj()) * pj);
            b.add("ncc", "encode", ncc.symbolsEncoded() * n.symbolEncodePj() * pj);
            b.add("ncc", "sram", (ncc.sramBytesRead() * 8.0 * n.sramReadPjPerBit()
                    + ncc.sramBytesWritten() * 8.0 * n.sramWritePjPerBit()) * pj);
            b.add("ncc", "leakage", n.leakageW() * simTimePs * 1e-12);
        }
        return b;
    }
}
