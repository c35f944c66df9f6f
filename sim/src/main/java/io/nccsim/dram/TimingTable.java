package io.nccsim.dram;

/**
 * The timing parameters of one DRAM standard at one data rate, in cycles of the command clock (tCK), rounded up
 * from the datasheet's nanosecond minimums as a controller must. One table per standard and speed, each with its
 * source (see {@link TimingTables}): the DRAMSim3 way, every constraint in one place.
 *
 * <p>Names follow JEDEC: n-prefixed values are in tCK. Bank groups: LPDDR5 in its bank-group mode has 4 groups of
 * 4 banks, with "_L" (same group) and "_S" (different group) values; for standards without bank groups the _L and
 * _S values are equal.
 *
 * @param standard     "LPDDR4", "LPDDR4X" or "LPDDR5"
 * @param dataRateMtps data rate per pin, MT/s
 * @param tCKps        command clock period in ps
 * @param burstLength  BL: data beats per column command
 * @param burstCycles  tCK cycles one burst occupies the data bus (BL / 2 for LPDDR4's DDR data on CK; LPDDR5's data
 *                     runs on WCK at 4x CK, so BL16 takes 2 tCK)
 * @param nRL          read latency: RD to first data
 * @param nWL          write latency: WR to first data
 * @param nRCD         ACT to RD/WR, same bank
 * @param nRPab        all-bank precharge period
 * @param nRPpb        per-bank precharge period
 * @param nRAS         ACT to PRE, same bank
 * @param nRC          ACT to ACT, same bank
 * @param nWR          write recovery: end of write data to PRE
 * @param nWTR_L       end of write data to RD, same bank group (the only value for LPDDR4/4X)
 * @param nWTR_S       end of write data to RD, different bank group
 * @param nRTP         RD to PRE
 * @param nRRD         ACT to ACT, different banks of one rank
 * @param nFAW         window in which at most four ACTs may be issued per rank
 * @param nCCD_L       column command to column command, same bank group (the only value for LPDDR4/4X)
 * @param nCCD_S       column to column, different bank group
 * @param nRTW         RD to WR turnaround on the shared data bus
 * @param nRFCab       all-bank refresh cycle time
 * @param nRFCpb       per-bank refresh cycle time
 * @param nREFI        average refresh interval (all-bank)
 * @param nPPD         precharge to precharge, different banks
 * @param bankGroups   bank groups per rank (1 where there are none)
 * @param banksPerGroup banks per bank group
 * @param source       where the numbers come from
 */
public record TimingTable(String standard, int dataRateMtps, double tCKps, int burstLength, int burstCycles,
                          int nRL, int nWL, int nRCD, int nRPab, int nRPpb, int nRAS, int nRC, int nWR, int nWTR_L,
                          int nWTR_S, int nRTP, int nRRD, int nFAW, int nCCD_L, int nCCD_S, int nRTW, int nRFCab,
                          int nRFCpb, int nREFI, int nPPD, int bankGroups, int banksPerGroup, String source) {

    public int banks() {
        return bankGroups * banksPerGroup;
    }

    /** Cycles needed for {@code ns} nanoseconds at this clock, rounded up as a controller must. */
    public static int cycles(double ns, double tCKps) {
        return (int) Math.ceil(ns * 1000.0 / tCKps - 1e-9);
    }
}
