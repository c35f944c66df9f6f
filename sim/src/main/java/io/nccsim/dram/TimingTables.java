package io.nccsim.dram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DRAM timing tables of the standards and speeds the edge boards use (see shared/reference/edge-boards.md):
 * Jetson Nano and Raspberry Pi 4 (LPDDR4-3200), Raspberry Pi 5 (LPDDR4X-4267), Jetson Orin Nano (LPDDR5 at
 * 4266 MT/s, 6400 MT/s in "Super" mode).
 *
 * <p>Every cycle value is the JEDEC minimum converted to command-clock cycles: "max(X ns, N nCK)" means X ns
 * rounded up at tCK (as a controller must, {@link TimingTable#cycles}) but never fewer than N cycles. tREFI is a
 * maximum (an average interval the controller must not exceed), so it is rounded <em>down</em>. Composite values
 * (nRTP as the whole RD-to-PRE delay, nRTW) carry their formula next to them. The formulas the checker applies on
 * top of these values (the +1 nCK after write data, BL/n_max in LPDDR5 bank-group mode) are in
 * {@link TimingChecker}.
 *
 * <p>Sources: JEDEC JESD209-4 (LPDDR4, with the LPDDR4X addendum JESD209-4-1, which keeps the LPDDR4 core timings
 * and lowers VDDQ) and JESD209-5 (LPDDR5); read/write latencies cross-checked against Micron's LPDDR4/LPDDR4X
 * datasheets (200b x32 MT53 parts: speed grade -062 = 3200 MT/s, RL 28 (DBI off) / WL 14 (set A); -046 = 4266
 * MT/s, RL 36 / WL 18) and, for LPDDR5, the JESD209-5 read/write-latency tables for WCK:CK = 4:1 (DVFSC off, link
 * ECC off). The numbers were cross-checked against the open-source DRAMSys, gem5, Ramulator 2 and LiteDRAM DRAM
 * models; nothing here is copied from them.
 */
public final class TimingTables {
    private TimingTables() {
    }

    /** max(ns rounded up at tCK, minCk): a JEDEC "max(X ns, N nCK)" minimum in cycles. */
    private static int ns(double ns, int minCk, double tCKps) {
        return Math.max(TimingTable.cycles(ns, tCKps), minCk);
    }

    /** An average-interval maximum (tREFI) in cycles: rounded down, since the controller must not exceed it. */
    private static int nsMax(double ns, double tCKps) {
        return (int) Math.floor(ns * 1000.0 / tCKps + 1e-9);
    }

    // ------------------------------------------------------------------------------------------------------------
    // LPDDR4-3200 (JESD209-4): CK 1600 MHz, tCK 625 ps, DDR data on DQS: 2 beats per tCK, BL16 = 8 tCK.
    // ------------------------------------------------------------------------------------------------------------
    private static final double TCK_LP4_3200 = 625.0;

    /**
     * LPDDR4-3200, x16 channel, 8 banks, 8 Gb per channel (the Jetson Nano's 4 GB over 4 x16 channels), DBI off,
     * write latency set A.
     */
    public static final TimingTable LPDDR4_3200 = new TimingTable(
            "LPDDR4",                           // standard
            3200,                               // data rate, MT/s (JESD209-4 top speed bin)
            TCK_LP4_3200,                       // tCK = 1 / 1600 MHz = 625 ps
            16,                                 // BL16 (JESD209-4; BL32 also exists, not modeled)
            8,                                  // BL16 / 2 beats per tCK = 8 tCK on the data bus
            28,                                 // RL: JESD209-4 read latency at 1600 MHz, DBI off (Micron -062: 28)
            14,                                 // WL: JESD209-4 write latency set A at 1600 MHz (Micron -062: 14)
            ns(18, 4, TCK_LP4_3200),            // nRCD: JESD209-4 max(18 ns, 4 nCK); 18 ns rounded up at tCK -> 29
            ns(21, 4, TCK_LP4_3200),            // nRPab: JESD209-4 max(21 ns, 4 nCK); 33.6 -> 34
            ns(18, 4, TCK_LP4_3200),            // nRPpb: JESD209-4 max(18 ns, 4 nCK); 28.8 -> 29
            ns(42, 3, TCK_LP4_3200),            // nRAS: JESD209-4 max(42 ns, 3 nCK); 67.2 -> 68
            ns(42, 3, TCK_LP4_3200) + ns(18, 4, TCK_LP4_3200), // nRC: JESD209-4 tRC = tRAS + tRPpb -> 68 + 29 = 97
            ns(18, 6, TCK_LP4_3200),            // nWR: JESD209-4 max(18 ns, 6 nCK); 28.8 -> 29
            ns(10, 8, TCK_LP4_3200),            // nWTR_L: JESD209-4 tWTR max(10 ns, 8 nCK); 16 -> 16
            ns(10, 8, TCK_LP4_3200),            // nWTR_S: no bank groups: equals nWTR_L
            // nRTP: the whole RD-to-PRE delay. JESD209-4: BL/2 + max(RU(tRTP/tCK), 8) - 8 with tRTP = 7.5 ns
            // -> 8 + max(12, 8) - 8 = 12 (for BL16 it is just max(RU(7.5 ns/tCK), 8 nCK)).
            8 + ns(7.5, 8, TCK_LP4_3200) - 8,
            ns(10, 4, TCK_LP4_3200),            // nRRD: JESD209-4 max(10 ns, 4 nCK); 16 -> 16
            ns(40, 0, TCK_LP4_3200),            // nFAW: JESD209-4 40 ns; 64 -> 64
            8,                                  // nCCD_L: JESD209-4 tCCD = BL/2 = 8 nCK for BL16
            8,                                  // nCCD_S: no bank groups: equals nCCD_L
            // nRTW (RD to WR, any bank of the channel), JESD209-4:
            //   RL + BL/2 + RU(tDQSCKmax/tCK) - WL + tWPRE + RD(tRPST)
            //   = 28 + 8 + RU(3.5 ns / 0.625 ns = 5.6 -> 6) - 14 + 2 + RD(0.5) = 28 + 8 + 6 - 14 + 2 + 0 = 30
            // with tDQSCKmax = 3.5 ns (JESD209-4), tWPRE = 2 nCK (the only write preamble), tRPST = 0.5 nCK (MR1 default).
            28 + 8 + TimingTable.cycles(3.5, TCK_LP4_3200) - 14 + 2 + 0,
            ns(280, 0, TCK_LP4_3200),           // nRFCab: JESD209-4 280 ns for 8 Gb per channel (16 Gb die); 448
            ns(140, 0, TCK_LP4_3200),           // nRFCpb: JESD209-4 140 ns for 8 Gb per channel; 224
            nsMax(3904, TCK_LP4_3200),          // nREFI: JESD209-4 tREFI 3.904 us (1x rate, <= 85 C); rounded down: 6246
            4,                                  // nPPD: JESD209-4 tPPD = 4 nCK
            1,                                  // bank groups: none
            8,                                  // banks per channel (JESD209-4: 8)
            "JEDEC JESD209-4 (LPDDR4) core AC timings at 3200 MT/s (tCK 625 ps), 8 Gb per channel (tRFCab 280 ns, "
                    + "tRFCpb 140 ns), tREFI 3.904 us; RL 28 (DBI off) / WL 14 (set A) as in JESD209-4 and the "
                    + "Micron MT53 -062 speed grade; ns minimums rounded up at tCK");

    // ------------------------------------------------------------------------------------------------------------
    // LPDDR4X-4267 (JESD209-4 + JESD209-4-1): CK 2133.33 MHz, tCK 468.75 ps; same core timings as LPDDR4.
    // ------------------------------------------------------------------------------------------------------------
    private static final double TCK_LP4X_4267 = 468.75;

    /** LPDDR4X-4267 (the Raspberry Pi 5's), x16 channel, 8 banks, 8 Gb per channel, DBI off, WL set A. */
    public static final TimingTable LPDDR4X_4267 = new TimingTable(
            "LPDDR4X",                          // standard
            4267,                               // data rate, MT/s (nominally 4266.67 = 2 x 2133.33 MHz)
            TCK_LP4X_4267,                      // tCK = 1 / 2133.33 MHz = 468.75 ps (datasheets round to 468 ps)
            16,                                 // BL16
            8,                                  // BL16 / 2 beats per tCK = 8 tCK
            36,                                 // RL: JESD209-4 read latency at 2133 MHz, DBI off (Micron -046: 36)
            18,                                 // WL: JESD209-4 write latency set A at 2133 MHz (Micron -046: 18)
            ns(18, 4, TCK_LP4X_4267),           // nRCD: max(18 ns, 4 nCK); 38.4 -> 39
            ns(21, 4, TCK_LP4X_4267),           // nRPab: max(21 ns, 4 nCK); 44.8 -> 45
            ns(18, 4, TCK_LP4X_4267),           // nRPpb: max(18 ns, 4 nCK); 38.4 -> 39
            ns(42, 3, TCK_LP4X_4267),           // nRAS: max(42 ns, 3 nCK); 89.6 -> 90
            ns(42, 3, TCK_LP4X_4267) + ns(18, 4, TCK_LP4X_4267), // nRC = tRAS + tRPpb = 90 + 39 = 129
            ns(18, 6, TCK_LP4X_4267),           // nWR: max(18 ns, 6 nCK); 38.4 -> 39
            ns(10, 8, TCK_LP4X_4267),           // nWTR_L: max(10 ns, 8 nCK); 21.3 -> 22
            ns(10, 8, TCK_LP4X_4267),           // nWTR_S: no bank groups: equals nWTR_L
            8 + ns(7.5, 8, TCK_LP4X_4267) - 8,  // nRTP (RD to PRE): BL/2 + max(RU(7.5 ns/tCK), 8) - 8 = 16
            ns(10, 4, TCK_LP4X_4267),           // nRRD: max(10 ns, 4 nCK); 21.3 -> 22
            ns(40, 0, TCK_LP4X_4267),           // nFAW: 40 ns; 85.3 -> 86
            8,                                  // nCCD_L: BL/2 = 8 nCK
            8,                                  // nCCD_S: equals nCCD_L
            // nRTW = RL + BL/2 + RU(tDQSCKmax/tCK) - WL + tWPRE + RD(tRPST)
            //      = 36 + 8 + RU(3.5 / 0.46875 = 7.47 -> 8) - 18 + 2 + 0 = 36
            36 + 8 + TimingTable.cycles(3.5, TCK_LP4X_4267) - 18 + 2 + 0,
            ns(280, 0, TCK_LP4X_4267),          // nRFCab: 280 ns (8 Gb per channel); 597.3 -> 598
            ns(140, 0, TCK_LP4X_4267),          // nRFCpb: 140 ns (8 Gb per channel); 298.7 -> 299
            nsMax(3904, TCK_LP4X_4267),         // nREFI: 3.904 us rounded down: 8328
            4,                                  // nPPD: 4 nCK
            1,                                  // bank groups: none
            8,                                  // banks per channel
            "JEDEC JESD209-4 (LPDDR4) core AC timings with the LPDDR4X addendum JESD209-4-1 at 4267 MT/s (tCK "
                    + "468.75 ps), 8 Gb per channel (tRFCab 280 ns, tRFCpb 140 ns), tREFI 3.904 us; RL 36 (DBI off) "
                    + "/ WL 18 (set A) as in JESD209-4 and the Micron MT53 -046 speed grade; ns minimums rounded up "
                    + "at tCK");

    // ------------------------------------------------------------------------------------------------------------
    // LPDDR5 (JESD209-5) in bank-group mode (4 groups x 4 banks, the mode above 3200 MT/s), WCK:CK = 4:1: the data
    // runs on WCK at 4x CK, double data rate, so 8 beats per tCK and BL16 occupies 2 tCK. In BG mode BL/n_min =
    // BL16/8 = 2 nCK (different bank group) and BL/n_max = BL16/4 = 4 nCK (same bank group).
    // ------------------------------------------------------------------------------------------------------------
    private static final double TCK_LP5_6400 = 1250.0;

    /** LPDDR5-6400 (the Jetson Orin Nano in "Super" mode), x16 channel, bank-group mode, 8 Gb per channel. */
    public static final TimingTable LPDDR5_6400 = new TimingTable(
            "LPDDR5",                           // standard
            6400,                               // data rate, MT/s
            TCK_LP5_6400,                       // tCK: CK = 6400 / 8 = 800 MHz -> 1250 ps
            16,                                 // BL16
            2,                                  // BL16 / 8 beats per tCK (WCK:CK 4:1, DDR on WCK) = 2 tCK
            17,                                 // RL: JESD209-5 4:1 latency table, 6000-6400 MT/s, set 0 (DBI off, link ECC off)
            9,                                  // WL: JESD209-5 4:1 latency table, 6000-6400 MT/s, set A
            ns(18, 2, TCK_LP5_6400),            // nRCD: JESD209-5 max(18 ns, 2 nCK); 14.4 -> 15
            ns(21, 2, TCK_LP5_6400),            // nRPab: JESD209-5 max(21 ns, 2 nCK); 16.8 -> 17
            ns(18, 2, TCK_LP5_6400),            // nRPpb: JESD209-5 max(18 ns, 2 nCK); 14.4 -> 15
            ns(42, 3, TCK_LP5_6400),            // nRAS: JESD209-5 max(42 ns, 3 nCK); 33.6 -> 34
            ns(42, 3, TCK_LP5_6400) + ns(18, 2, TCK_LP5_6400), // nRC: JESD209-5 tRCpb = tRAS + tRPpb = 34 + 15 = 49
            ns(34, 3, TCK_LP5_6400),            // nWR: JESD209-5 max(34 ns, 3 nCK); 27.2 -> 28
            ns(12, 4, TCK_LP5_6400),            // nWTR_L: JESD209-5 max(12 ns, 4 nCK); 9.6 -> 10
            ns(6.25, 4, TCK_LP5_6400),          // nWTR_S: JESD209-5 max(6.25 ns, 4 nCK); 5.0 -> 5
            // nRTP: the whole RD-to-PRE delay, JESD209-5 BL/n_min + nRBTP with tRBTP = max(7.5 ns, 2 nCK) - 2 nCK
            // (WCK:CK 4:1): 2 + (6 - 2) = 6; nRBTP = 4 matches the JESD209-5 latency table at 6000-6400 MT/s.
            2 + (ns(7.5, 2, TCK_LP5_6400) - 2),
            ns(5, 2, TCK_LP5_6400),             // nRRD: JESD209-5 BG mode max(5 ns, 2 nCK); 4.0 -> 4
            ns(20, 0, TCK_LP5_6400),            // nFAW: JESD209-5 BG mode 20 ns; 16.0 -> 16
            4,                                  // nCCD_L: BL/n_max = 16/4 = 4 nCK (same bank group, BG mode)
            2,                                  // nCCD_S: BL/n_min = 16/8 = 2 nCK (different bank group)
            // nRTW (RD to WR, same bank group, DQ ODT off), JESD209-5: RL + BL/n_max + RU(tWCKDQO(max)/tCK) - WL
            //   = 17 + 4 + RU(1.6 ns / 1.25 ns -> 2) - 9 = 14, with tWCKDQO(max) = 1.6 ns (high-frequency value).
            // To a different bank group the JEDEC value uses BL/n_min (2 less); TimingChecker derives it.
            17 + 4 + TimingTable.cycles(1.6, TCK_LP5_6400) - 9,
            ns(210, 0, TCK_LP5_6400),           // nRFCab: JESD209-5 210 ns for 8 Gb per channel; 168
            ns(120, 0, TCK_LP5_6400),           // nRFCpb: JESD209-5 120 ns for 8 Gb per channel; 96
            nsMax(3906, TCK_LP5_6400),          // nREFI: JESD209-5 tREFI 3.906 us (32 ms / 8192), rounded down: 3124
            2,                                  // nPPD: JESD209-5 tPPD = 2 nCK
            4,                                  // bank groups (BG mode)
            4,                                  // banks per bank group (16 banks)
            "JEDEC JESD209-5 (LPDDR5) bank-group mode (4 BG x 4 banks), WCK:CK 4:1, BL16, 6400 MT/s (CK 800 MHz, "
                    + "tCK 1250 ps); RL 17 (set 0: DBI and link ECC off) / WL 9 (set A) and nRBTP 4 from the "
                    + "JESD209-5 4:1 latency table; 8 Gb per channel (tRFCab 210 ns, tRFCpb 120 ns); tREFI 3.906 us; "
                    + "tWCKDQO(max) 1.6 ns; ns minimums rounded up at tCK");

    private static final double TCK_LP5_4266 = 1875.0;

    /** LPDDR5-4266 (the Jetson Orin Nano's normal mode), x16 channel, bank-group mode, 8 Gb per channel. */
    public static final TimingTable LPDDR5_4266 = new TimingTable(
            "LPDDR5",                           // standard
            4266,                               // data rate, MT/s (nominally 4266.67 = 8 x 533.33 MHz)
            TCK_LP5_4266,                       // tCK: CK = 4266.67 / 8 = 533.33 MHz -> 1875 ps
            16,                                 // BL16
            2,                                  // BL16 / 8 beats per tCK = 2 tCK
            12,                                 // RL: JESD209-5 4:1 latency table, 3733-4267 MT/s, set 0
            6,                                  // WL: JESD209-5 4:1 latency table, 3733-4267 MT/s, set A
            ns(18, 2, TCK_LP5_4266),            // nRCD: max(18 ns, 2 nCK); 9.6 -> 10
            ns(21, 2, TCK_LP5_4266),            // nRPab: max(21 ns, 2 nCK); 11.2 -> 12
            ns(18, 2, TCK_LP5_4266),            // nRPpb: max(18 ns, 2 nCK); 9.6 -> 10
            ns(42, 3, TCK_LP5_4266),            // nRAS: max(42 ns, 3 nCK); 22.4 -> 23
            ns(42, 3, TCK_LP5_4266) + ns(18, 2, TCK_LP5_4266), // nRC = tRAS + tRPpb = 23 + 10 = 33
            ns(34, 3, TCK_LP5_4266),            // nWR: max(34 ns, 3 nCK); 18.1 -> 19
            ns(12, 4, TCK_LP5_4266),            // nWTR_L: max(12 ns, 4 nCK); 6.4 -> 7
            ns(6.25, 4, TCK_LP5_4266),          // nWTR_S: max(6.25 ns, 4 nCK); 3.3 -> 4 nCK minimum
            // nRTP = BL/n_min + nRBTP, nRBTP = RU(max(7.5 ns, 2 nCK)/tCK) - 2 = 4 - 2 = 2 (JESD209-5 table at
            // 3733-4267 MT/s: 2) -> 2 + 2 = 4
            2 + (ns(7.5, 2, TCK_LP5_4266) - 2),
            ns(5, 2, TCK_LP5_4266),             // nRRD: max(5 ns, 2 nCK); 2.7 -> 3
            ns(20, 0, TCK_LP5_4266),            // nFAW: 20 ns; 10.7 -> 11
            4,                                  // nCCD_L: BL/n_max = 4 nCK
            2,                                  // nCCD_S: BL/n_min = 2 nCK
            // nRTW = RL + BL/n_max + RU(tWCKDQO(max)/tCK) - WL = 12 + 4 + RU(1.6 / 1.875 -> 1) - 6 = 11
            12 + 4 + TimingTable.cycles(1.6, TCK_LP5_4266) - 6,
            ns(210, 0, TCK_LP5_4266),           // nRFCab: 210 ns (8 Gb per channel); 112.0 -> 112
            ns(120, 0, TCK_LP5_4266),           // nRFCpb: 120 ns (8 Gb per channel); 64.0 -> 64
            nsMax(3906, TCK_LP5_4266),          // nREFI: 3.906 us rounded down: 2083
            2,                                  // nPPD: 2 nCK
            4,                                  // bank groups (BG mode)
            4,                                  // banks per bank group
            "JEDEC JESD209-5 (LPDDR5) bank-group mode (4 BG x 4 banks), WCK:CK 4:1, BL16, 4266 MT/s (CK 533.33 "
                    + "MHz, tCK 1875 ps); RL 12 (set 0) / WL 6 (set A) and nRBTP 2 from the JESD209-5 4:1 latency "
                    + "table; 8 Gb per channel (tRFCab 210 ns, tRFCpb 120 ns); tREFI 3.906 us; tWCKDQO(max) 1.6 ns; "
                    + "ns minimums rounded up at tCK");

    private static final List<TimingTable> ALL = List.of(LPDDR4_3200, LPDDR4X_4267, LPDDR5_4266, LPDDR5_6400);

    /** Every table, in a stable order. */
    public static List<TimingTable> all() {
        return ALL;
    }

    /**
     * The table for a standard ("LPDDR4", "LPDDR4X", "LPDDR5", any case) at a data rate in MT/s. Rates match within
     * 1 MT/s, so 4266, 4266.67 and 4267 all name the same speed.
     *
     * @throws IllegalArgumentException for a standard or speed without a table, listing the known ones
     */
    public static TimingTable forStandard(String standard, double dataRateMtps) {
        String s = standard == null ? "" : standard.trim().toUpperCase(Locale.ROOT);
        for (TimingTable t : ALL) {
            if (t.standard().equals(s) && Math.abs(t.dataRateMtps() - dataRateMtps) <= 1.0) {
                return t;
            }
        }
        List<String> known = new ArrayList<>();
        for (TimingTable t : ALL) {
            known.add(t.standard() + " " + t.dataRateMtps());
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "no DRAM timing table for %s at %s MT/s; known standard/speeds: %s", standard,
                formatRate(dataRateMtps), String.join(", ", known)));
    }

    private static String formatRate(double r) {
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
