package io.nccsim.dram;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TimingTablesTest {

    @Test
    void everyTableIsSelfConsistent() {
        assertEquals(4, TimingTables.all().size());
        for (TimingTable t : TimingTables.all()) {
            String id = t.standard() + "-" + t.dataRateMtps();
            assertTrue(t.nRC() >= t.nRAS() + t.nRPpb(), id + ": tRC >= tRAS + tRPpb");
            assertTrue(t.nRFCab() >= t.nRFCpb(), id + ": tRFCab >= tRFCpb");
            assertTrue(t.nRPab() >= t.nRPpb(), id + ": tRPab >= tRPpb");
            assertTrue(t.nCCD_L() >= t.nCCD_S() && t.nWTR_L() >= t.nWTR_S(), id + ": _L >= _S");
            assertTrue(t.nCCD_S() >= t.burstCycles(), id + ": back-to-back bursts must not overlap");
            assertTrue(t.nFAW() >= t.nRRD() && t.nRAS() > t.nRCD(), id);
            assertTrue(t.nREFI() > t.nRFCab(), id + ": a refresh interval holds a refresh");
            // RD->WR turnaround: the write data must come after the read data (RL + burst <= nRTW + WL).
            assertTrue(t.nRTW() + t.nWL() >= t.nRL() + t.burstCycles(), id + ": nRTW");
            // Beats per tCK x 1/tCK = data rate (within 1 MT/s: 4266.67 is written 4266 or 4267).
            double beatsPerCk = (double) t.burstLength() / t.burstCycles();
            assertEquals(t.dataRateMtps(), beatsPerCk * 1e6 / t.tCKps(), 1.0, id + ": data rate vs tCK");
            assertEquals(t.standard().equals("LPDDR5") ? 8.0 : 2.0, beatsPerCk, id);
            assertTrue(t.source().contains(t.standard().equals("LPDDR5") ? "JESD209-5" : "JESD209-4"), id);
            assertEquals(t.bankGroups() * t.banksPerGroup(), t.banks());
        }
    }

    @Test
    void lpddr4Has8BanksNoGroupsAndEqualLongAndShortValues() {
        for (TimingTable t : new TimingTable[]{TimingTables.LPDDR4_3200, TimingTables.LPDDR4X_4267}) {
            assertEquals(1, t.bankGroups());
            assertEquals(8, t.banks());
            assertEquals(16, t.burstLength());
            assertEquals(8, t.burstCycles());
            assertEquals(t.nCCD_L(), t.nCCD_S());
            assertEquals(t.nWTR_L(), t.nWTR_S());
            assertEquals(8, t.nCCD_L());
            assertEquals(4, t.nPPD());
        }
    }

    @Test
    void lpddr5IsInBankGroupModeWithWckAtFourTimesCk() {
        for (TimingTable t : new TimingTable[]{TimingTables.LPDDR5_4266, TimingTables.LPDDR5_6400}) {
            assertEquals(4, t.bankGroups());
            assertEquals(4, t.banksPerGroup());
            assertEquals(2, t.burstCycles()); // BL16 in 2 tCK at WCK:CK 4:1
            assertEquals(4, t.nCCD_L());      // BL/n_max
            assertEquals(2, t.nCCD_S());      // BL/n_min
            assertEquals(2, t.nPPD());
        }
        assertEquals(1250.0, TimingTables.LPDDR5_6400.tCKps()); // CK 800 MHz = 6400 / 8
        assertEquals(1875.0, TimingTables.LPDDR5_4266.tCKps()); // CK 533.33 MHz
    }

    /** Spot checks of cited values: JEDEC ns minimums rounded up at tCK, latencies from the latency tables. */
    @Test
    void citedValues() {
        TimingTable a = TimingTables.LPDDR4_3200;
        assertEquals(625.0, a.tCKps());
        assertEquals(28, a.nRL());          // RL, DBI off, 1600 MHz
        assertEquals(14, a.nWL());          // WL set A
        assertEquals(29, a.nRCD());         // 18 ns / 0.625 = 28.8
        assertEquals(29, a.nRPpb());
        assertEquals(34, a.nRPab());        // 21 ns -> 33.6
        assertEquals(68, a.nRAS());         // 42 ns -> 67.2
        assertEquals(97, a.nRC());          // tRAS + tRPpb
        assertEquals(29, a.nWR());          // 18 ns
        assertEquals(16, a.nWTR_L());       // 10 ns
        assertEquals(12, a.nRTP());         // 7.5 ns (>= 8 nCK)
        assertEquals(16, a.nRRD());         // 10 ns
        assertEquals(64, a.nFAW());         // 40 ns
        assertEquals(30, a.nRTW());         // 28 + 8 + RU(3.5 / 0.625) - 14 + 2 + 0
        assertEquals(448, a.nRFCab());      // 280 ns
        assertEquals(224, a.nRFCpb());      // 140 ns
        assertEquals(6246, a.nREFI());      // 3.904 us, rounded down
        for (TimingTable t : TimingTables.all()) {
            assertEquals(Math.max(TimingTable.cycles(18, t.tCKps()), t.standard().equals("LPDDR5") ? 2 : 4), t.nRCD());
        }

        TimingTable x = TimingTables.LPDDR4X_4267;
        assertEquals(468.75, x.tCKps());
        assertEquals(36, x.nRL());
        assertEquals(18, x.nWL());
        assertEquals(39, x.nRCD());         // 18 ns / 0.46875 = 38.4
        assertEquals(90, x.nRAS());
        assertEquals(16, x.nRTP());         // 7.5 ns / 0.46875 = 16.0 exactly
        assertEquals(86, x.nFAW());
        assertEquals(36, x.nRTW());         // 36 + 8 + RU(7.47) - 18 + 2
        assertEquals(598, x.nRFCab());

        TimingTable f = TimingTables.LPDDR5_6400;
        assertEquals(17, f.nRL());          // set 0 at 6000-6400 MT/s
        assertEquals(9, f.nWL());           // set A
        assertEquals(15, f.nRCD());         // 18 ns / 1.25 = 14.4
        assertEquals(17, f.nRPab());        // 21 ns
        assertEquals(34, f.nRAS());         // 42 ns
        assertEquals(28, f.nWR());          // 34 ns -> 27.2
        assertEquals(10, f.nWTR_L());       // 12 ns
        assertEquals(5, f.nWTR_S());        // 6.25 ns
        assertEquals(6, f.nRTP());          // BL/n_min 2 + nRBTP 4
        assertEquals(4, f.nRRD());          // 5 ns
        assertEquals(16, f.nFAW());         // 20 ns
        assertEquals(14, f.nRTW());         // 17 + 4 + RU(1.6 / 1.25) - 9
        assertEquals(168, f.nRFCab());      // 210 ns
        assertEquals(96, f.nRFCpb());       // 120 ns
        assertEquals(3124, f.nREFI());      // 3.906 us

        TimingTable g = TimingTables.LPDDR5_4266;
        assertEquals(12, g.nRL());
        assertEquals(6, g.nWL());
        assertEquals(10, g.nRCD());
        assertEquals(19, g.nWR());          // 34 ns / 1.875 = 18.1
        assertEquals(4, g.nWTR_S());        // 4 nCK minimum binds
        assertEquals(4, g.nRTP());          // 2 + nRBTP 2
        assertEquals(11, g.nRTW());
    }

    /** Peak bandwidth = data rate x bus width / 8, as shared/reference/edge-boards.md lists for each board. */
    @Test
    void peakBandwidthMatchesTheBoards() {
        assertEquals(25.6, gbps(TimingTables.LPDDR4_3200, 64), 1e-9);  // Jetson Nano, 64-bit
        assertEquals(12.8, gbps(TimingTables.LPDDR4_3200, 32), 1e-9);  // Raspberry Pi 4, 32-bit
        assertEquals(17.1, gbps(TimingTables.LPDDR4X_4267, 32), 0.05); // Raspberry Pi 5, 32-bit
        assertEquals(68, gbps(TimingTables.LPDDR5_4266, 128), 0.5);    // Jetson Orin Nano, 128-bit
        assertEquals(102, gbps(TimingTables.LPDDR5_6400, 128), 0.5);   // Jetson Orin Nano Super
    }

    private static double gbps(TimingTable t, int busBits) {
        return t.dataRateMtps() * 1e6 * busBits / 8 / 1e9;
    }

    @Test
    void forStandardFindsKnownSpeedsAndListsThemOtherwise() {
        assertSame(TimingTables.LPDDR4_3200, TimingTables.forStandard("LPDDR4", 3200));
        assertSame(TimingTables.LPDDR4X_4267, TimingTables.forStandard("lpddr4x", 4266.67));
        assertSame(TimingTables.LPDDR4X_4267, TimingTables.forStandard("LPDDR4X", 4267));
        assertSame(TimingTables.LPDDR5_4266, TimingTables.forStandard("LPDDR5", 4267));
        assertSame(TimingTables.LPDDR5_6400, TimingTables.forStandard(" LPDDR5 ", 6400));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimingTables.forStandard("LPDDR5", 5500));
        assertTrue(e.getMessage().contains("LPDDR4 3200") && e.getMessage().contains("LPDDR4X 4267")
                && e.getMessage().contains("LPDDR5 4266") && e.getMessage().contains("LPDDR5 6400"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimingTables.forStandard("DDR4", 3200));
        assertThrows(IllegalArgumentException.class, () -> TimingTables.forStandard("LPDDR4", 4267));
        assertThrows(IllegalArgumentException.class, () -> TimingTables.forStandard(null, 3200));
    }
}
