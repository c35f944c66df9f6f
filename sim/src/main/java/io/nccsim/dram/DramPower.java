package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.energy.EnergyBreakdown;

/**
 * DRAM energy from datasheet currents, the way DRAMPower and Micron's power calculator compute it
 * (../shared/reference/edge-boards.md, "DRAM energy"), summed over the rails VDD1, VDD2 and VDDQ of every channel
 * die:
 * <ul>
 * <li>activate: V x (IDD0 - IDD3N) x tRAS per ACT; precharge: V x (IDD0 - IDD2N) x tRP per bank closed;</li>
 * <li>read and write bursts: V x (IDD4R - IDD3N) x t_burst and V x (IDD4W - IDD3N) x t_burst (VDDQ's IDD4R
 *     carries the I/O);</li>
 * <li>refresh: V x (IDD5 - IDD3N) x tRFCab per all-bank refresh; a per-bank refresh refreshes 1/banks of the rows
 *     and is charged 1/banks of that;</li>
 * <li>background: V x IDD3N while a rank has a bank open, V x IDD2N while all its banks are closed.</li>
 * </ul>
 * Power-down and self-refresh are not modeled: a rank with nothing to do stays in precharged standby.
 */
final class DramPower {
    private DramPower() {
    }

    static void addEnergy(EnergyBreakdown b, MemoryConfig.Power power, TimingTable t, DramActivity a) {
        double tck = t.tCKps() * 1e-12;
        double act = 0;
        double pre = 0;
        double rd = 0;
        double wr = 0;
        double refPerAb = 0;
        for (MemoryConfig.Rail r : power.rails()) {
            act += r.volts() * Math.max(0, r.idd0() - r.idd3n()) * t.nRAS() * tck;
            pre += r.volts() * Math.max(0, r.idd0() - r.idd2n()) * t.nRPpb() * tck;
            rd += r.volts() * Math.max(0, r.idd4r() - r.idd3n()) * t.burstCycles() * tck;
            wr += r.volts() * Math.max(0, r.idd4w() - r.idd3n()) * t.burstCycles() * tck;
            refPerAb += r.volts() * Math.max(0, r.idd5() - r.idd3n()) * t.nRFCab() * tck;
        }
        double ref = refPerAb * (a.allBankRefreshes() + (double) a.perBankRefreshes() / t.banks());
        double activeW = 0;
        double prechargedW = 0;
        for (MemoryConfig.Rail r : power.rails()) {
            activeW += r.volts() * r.idd3n();
            prechargedW += r.volts() * r.idd2n();
        }
        double bg = activeW * a.activeStandbyCycles() * tck + prechargedW * a.prechargedStandbyCycles() * tck;
        b.add("dram", "activate", act * a.activates());
        b.add("dram", "precharge", pre * a.precharges());
        b.add("dram", "read", rd * a.readBursts());
        b.add("dram", "write", wr * a.writeBursts());
        b.add("dram", "refresh", ref);
        b.add("dram", "background", bg);
    }
}
