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
}
