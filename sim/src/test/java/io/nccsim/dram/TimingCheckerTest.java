package io.nccsim.dram;

import io.nccsim.dram.DramCommand.Type;
import io.nccsim.dram.TimingChecker.Violation;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import static io.nccsim.dram.DramCommand.Type.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Each rule is shown neither too loose nor too strict: a hand-made sequence whose last command is one cycle early
 * is caught under the rule's name (with the right earliest legal cycle), and the same sequence with that command at
 * the earliest legal cycle passes. Expected cycles are worked out here from the JEDEC formulas, not taken from the
 * checker.
 */
class TimingCheckerTest {
    private static final TimingTable LP4 = TimingTables.LPDDR4_3200;
    private static final TimingTable LP5 = TimingTables.LPDDR5_6400;
    private static final int ROW = 7;

    // ------------------------------------------------------------------------------------------------------------
    // Command helpers: channel 0, rank 0, bank group 0 unless given.
    // ------------------------------------------------------------------------------------------------------------

    private static DramCommand c(long cycle, Type type, int rank, int bg, int bank, int row) {
        return new DramCommand(cycle, type, 0, rank, bg, bank, row, type.isColumn() ? 0 : -1);
    }

    private static DramCommand act(long cy, int bank) {
        return c(cy, ACT, 0, 0, bank, ROW);
    }

    private static DramCommand act(long cy, int bg, int bank) {
        return c(cy, ACT, 0, bg, bank, ROW);
    }

    private static DramCommand rd(long cy, int bank) {
        return c(cy, RD, 0, 0, bank, ROW);
    }

    private static DramCommand rd(long cy, int bg, int bank) {
        return c(cy, RD, 0, bg, bank, ROW);
    }

    private static DramCommand wr(long cy, int bank) {
        return c(cy, WR, 0, 0, bank, ROW);
    }

    private static DramCommand wr(long cy, int bg, int bank) {
        return c(cy, WR, 0, bg, bank, ROW);
    }

    private static DramCommand rda(long cy, int bank) {
        return c(cy, RDA, 0, 0, bank, ROW);
    }

    private static DramCommand wra(long cy, int bank) {
        return c(cy, WRA, 0, 0, bank, ROW);
    }

    private static DramCommand pre(long cy, int bank) {
        return c(cy, PRE, 0, 0, bank, -1);
    }

    private static DramCommand prea(long cy) {
        return c(cy, PREA, 0, 0, 0, -1);
    }

    private static DramCommand refab(long cy) {
        return c(cy, REFAB, 0, 0, 0, -1);
    }

    private static DramCommand refpb(long cy, int bank) {
        return c(cy, REFPB, 0, 0, bank, -1);
    }

    private static TimingChecker run(TimingTable t, int ranks, List<DramCommand> cmds) {
        TimingChecker chk = new TimingChecker(t, 1, ranks);
        cmds.forEach(chk::check);
        return chk;
    }

    private static Set<String> names(TimingChecker chk) {
        return chk.violations().stream().map(Violation::constraint).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The sequence with its probe at {@code legal - 1} breaks exactly {@code constraint} (plus {@code alsoBroken},
     * rules that the same early cycle necessarily breaks too), reporting {@code legal} as the earliest legal cycle;
     * at {@code legal} it passes.
     */
    private static void boundary(TimingTable t, int ranks, String constraint, long legal,
                                 LongFunction<List<DramCommand>> seq, String... alsoBroken) {
        TimingChecker early = run(t, ranks, seq.apply(legal - 1));
        Set<String> expected = new TreeSet<>(Arrays.asList(alsoBroken));
        expected.add(constraint);
        assertEquals(expected, names(early), () -> "one cycle early: " + early.summary());
        Violation v = early.violations().stream().filter(x -> x.constraint().equals(constraint)).findFirst()
                .orElseThrow();
        assertEquals(legal, v.earliestLegalCycle(), v::toString);
        assertEquals(legal - 1, v.command().cycle());
        TimingChecker ok = run(t, ranks, seq.apply(legal));
        assertEquals(0, ok.violationCount(), () -> "at the earliest legal cycle: " + ok.summary());
    }

    /** A copy of {@code t} with one field changed, for rules the JEDEC tables make redundant. */
    private static TimingTable with(TimingTable t, String field, int value) {
        try {
            RecordComponent[] rc = TimingTable.class.getRecordComponents();
            Object[] args = new Object[rc.length];
            Class<?>[] types = new Class<?>[rc.length];
            boolean found = false;
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = rc[i].getName().equals(field) ? Integer.valueOf(value) : rc[i].getAccessor().invoke(t);
                found |= rc[i].getName().equals(field);
            }
            assertTrue(found, field);
            return TimingTable.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Bank timing
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void tRCD() {
        boundary(LP4, 1, "tRCD", LP4.nRCD(), x -> List.of(act(0, 0), rd(x, 0)));
        boundary(LP5, 1, "tRCD", LP5.nRCD(), x -> List.of(act(0, 2, 1), wr(x, 2, 1)));
    }

    @Test
    void tRAS() {
        boundary(LP4, 1, "tRAS", LP4.nRAS(), x -> List.of(act(0, 0), pre(x, 0)));
        // PREA checks tRAS of each open bank: bank 1 opened at nRRD binds.
        long legal = LP4.nRRD() + LP4.nRAS();
        boundary(LP4, 1, "tRAS", legal, x -> List.of(act(0, 0), act(LP4.nRRD(), 1), prea(x)));
    }

    @Test
    void tRPAfterPrechargeAndPrechargeAll() {
        boundary(LP4, 1, "tRP", 100 + LP4.nRPpb(), x -> List.of(act(0, 0), pre(100, 0), act(x, 0)));
        boundary(LP4, 1, "tRP", 100 + LP4.nRPab(), x -> List.of(act(0, 0), prea(100), act(x, 0)));
        boundary(LP5, 1, "tRP", 100 + LP5.nRPab(), x -> List.of(act(0, 3, 3), prea(100), act(x, 3, 3)));
    }

    @Test
    void tRPAfterAutoPrecharge() {
        // RDA late enough that tRTP binds: implied precharge at RDA + nRTP.
        boundary(LP4, 1, "tRP", 100 + LP4.nRTP() + LP4.nRPpb(), x -> List.of(act(0, 0), rda(100, 0), act(x, 0)));
        // RDA right after tRCD: the implied precharge waits for tRAS (JEDEC), so ACT >= nRAS + nRPpb = nRC too.
        boundary(LP4, 1, "tRP", LP4.nRAS() + LP4.nRPpb(),
                x -> List.of(act(0, 0), rda(LP4.nRCD(), 0), act(x, 0)), "tRC");
        // WRA: implied precharge at WRA + WL + BL/2 + 1 + nWR (JESD209-4).
        long wra = LP4.nRCD();
        boundary(LP4, 1, "tRP", wra + LP4.nWL() + 8 + 1 + LP4.nWR() + LP4.nRPpb(),
                x -> List.of(act(0, 0), wra(wra, 0), act(x, 0)));
        // LPDDR5: RDA implied precharge at RDA + nRTP (BL/n_min + nRBTP), WRA at WRA + WL + BL/n_min + 1 + nWR.
        boundary(LP5, 1, "tRP", 100 + LP5.nRTP() + LP5.nRPpb(), x -> List.of(act(0, 0), rda(100, 0), act(x, 0)));
        boundary(LP5, 1, "tRP", 100 + LP5.nWL() + 2 + 1 + LP5.nWR() + LP5.nRPpb(),
                x -> List.of(act(0, 0), wra(100, 0), act(x, 0)));
        // A refresh of the auto-precharged bank also waits for the implied precharge to finish.
        boundary(LP4, 1, "tRP", 100 + LP4.nRTP() + LP4.nRPpb(), x -> List.of(act(0, 0), rda(100, 0), refab(x)));
        boundary(LP4, 1, "tRP", 100 + LP4.nRTP() + LP4.nRPpb(), x -> List.of(act(0, 0), rda(100, 0), refpb(x, 0)));
    }

    @Test
    void tRC() {
        // With JEDEC tRC = tRAS + tRPpb, tRC is implied by tRAS and tRP; a table with a longer tRC isolates it.
        TimingTable t = with(LP4, "nRC", LP4.nRAS() + LP4.nRPpb() + 10);
        boundary(t, 1, "tRC", t.nRC(), x -> List.of(act(0, 0), pre(t.nRAS(), 0), act(x, 0)));
    }

    @Test
    void tRRD() {
        boundary(LP4, 1, "tRRD", LP4.nRRD(), x -> List.of(act(0, 0), act(x, 1)));
        boundary(LP5, 1, "tRRD", LP5.nRRD(), x -> List.of(act(0, 0, 0), act(x, 1, 0)));
        // A per-bank refresh counts as an activate.
        boundary(LP4, 1, "tRRD", LP4.nRRD(), x -> List.of(refpb(0, 1), act(x, 0)));
        boundary(LP4, 1, "tRRD", LP4.nRRD(), x -> List.of(act(0, 0), refpb(x, 1)));
        // Other ranks are not constrained.
        assertEquals(0, run(LP4, 2, List.of(act(0, 0), c(1, ACT, 1, 0, 1, ROW))).violationCount());
    }

    @Test
    void tFAW() {
        // JEDEC tFAW = 4 x tRRD makes it redundant in these tables; a longer tFAW isolates the rule.
        TimingTable t = with(LP4, "nFAW", 4 * LP4.nRRD() + 10);
        int r = t.nRRD();
        boundary(t, 1, "tFAW", t.nFAW(), x -> List.of(act(0, 0), act(r, 1), act(2 * r, 2), act(3 * r, 3), act(x, 4)));
        // REFPB counts in the window.
        boundary(t, 1, "tFAW", t.nFAW(),
                x -> List.of(act(0, 0), refpb(r, 1), act(2 * r, 2), act(3 * r, 3), act(x, 4)));
    }

    @Test
    void tRTP() {
        boundary(LP4, 1, "tRTP", 60 + LP4.nRTP(), x -> List.of(act(0, 0), rd(60, 0), pre(x, 0)));
        boundary(LP5, 1, "tRTP", 60 + LP5.nRTP(), x -> List.of(act(0, 0), rd(60, 0), pre(x, 0)));
        boundary(LP4, 1, "tRTP", 60 + LP4.nRTP(), x -> List.of(act(0, 0), rd(60, 0), prea(x)));
    }

    @Test
    void tWR() {
        long w = LP4.nRCD();
        // JESD209-4: PRE >= WR + WL + BL/2 + 1 + RU(tWR/tCK).
        boundary(LP4, 1, "tWR", w + LP4.nWL() + 8 + 1 + LP4.nWR(), x -> List.of(act(0, 0), wr(w, 0), pre(x, 0)));
        // JESD209-5: PRE >= WR + WL + BL/n_min + 1 + nWR.
        long w5 = LP5.nRCD();
        boundary(LP5, 1, "tWR", w5 + LP5.nWL() + 2 + 1 + LP5.nWR(), x -> List.of(act(0, 0), wr(w5, 0), pre(x, 0)));
        // An RDA after a WR must leave its implied precharge (RDA + nRTP) tWR-legal.
        long legal = w + LP4.nWL() + 8 + 1 + LP4.nWR() - LP4.nRTP();
        assertTrue(legal - 1 >= w + LP4.nWL() + 8 + 1 + LP4.nWTR_L(), "tWTR must not bind here");
        boundary(LP4, 1, "tWR", legal, x -> List.of(act(0, 0), wr(w, 0), rda(x, 0)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Column commands
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void tCCD() {
        // LPDDR4: tCCD = BL/2 = the burst, so one cycle early the data also overlaps.
        boundary(LP4, 1, "tCCD_L", 29 + LP4.nCCD_L(), x -> List.of(act(0, 0), rd(29, 0), rd(x, 0)), "data bus");
        boundary(LP4, 1, "tCCD_L", 29 + LP4.nCCD_L(), x -> List.of(act(0, 0), wr(29, 0), wr(x, 0)), "data bus");
        // LPDDR5 same bank group: BL/n_max = 4 > the 2-cycle burst.
        long r5 = LP5.nRCD();
        boundary(LP5, 1, "tCCD_L", r5 + LP5.nCCD_L(), x -> List.of(act(0, 1, 0), rd(r5, 1, 0), rd(x, 1, 0)));
        boundary(LP5, 1, "tCCD_L", r5 + LP5.nRRD() + LP5.nCCD_L(), x -> List.of(act(0, 1, 0), act(LP5.nRRD(), 1, 2),
                wr(r5 + LP5.nRRD(), 1, 0), wr(x, 1, 2)));
        // Different bank group: BL/n_min = the burst.
        long a2 = LP5.nRRD();
        long first = a2 + LP5.nRCD();
        boundary(LP5, 1, "tCCD_S", first + LP5.nCCD_S(),
                x -> List.of(act(0, 0, 0), act(a2, 1, 0), rd(first, 0, 0), rd(x, 1, 0)), "data bus");
        // Other ranks: only the data bus applies.
        assertEquals(Set.of("data bus"), names(run(LP5, 2, List.of(act(0, 0, 0), c(0, ACT, 1, 0, 0, ROW),
                rd(r5, 0, 0), c(r5 + 1, RD, 1, 0, 0, ROW)))));
    }

    @Test
    void tWTR() {
        long w = LP4.nRCD();
        // JESD209-4: RD >= WR + WL + BL/2 + 1 + RU(tWTR/tCK); no bank groups, reported as tWTR_L.
        boundary(LP4, 1, "tWTR_L", w + LP4.nWL() + 8 + 1 + LP4.nWTR_L(), x -> List.of(act(0, 0), wr(w, 0), rd(x, 0)));
        // Applies to any bank of the rank.
        boundary(LP4, 1, "tWTR_L", w + LP4.nRRD() + LP4.nWL() + 8 + 1 + LP4.nWTR_L(),
                x -> List.of(act(0, 0), act(LP4.nRRD(), 1), wr(w + LP4.nRRD(), 0), rd(x, 1)));
        // JESD209-5 same bank group: RD >= WR + WL + BL/n_max + RU(tWTR_L/tCK).
        long w5 = LP5.nRCD();
        boundary(LP5, 1, "tWTR_L", w5 + LP5.nWL() + 4 + LP5.nWTR_L(), x -> List.of(act(0, 2, 0), wr(w5, 2, 0),
                rd(x, 2, 0)));
        // Different bank group: RD >= WR + WL + BL/n_min + RU(tWTR_S/tCK).
        long a2 = LP5.nRRD();
        long w6 = a2 + LP5.nRCD();
        boundary(LP5, 1, "tWTR_S", w6 + LP5.nWL() + 2 + LP5.nWTR_S(),
                x -> List.of(act(0, 0, 0), act(a2, 1, 0), wr(w6, 0, 0), rd(x, 1, 0)));
    }

    @Test
    void tRTW() {
        long r = LP4.nRCD();
        // nRTW = RL + BL/2 + RU(tDQSCKmax/tCK) - WL + tWPRE + RD(tRPST) = 30 at 3200.
        assertEquals(30, LP4.nRTW());
        boundary(LP4, 1, "tRTW", r + LP4.nRTW(), x -> List.of(act(0, 0), rd(r, 0), wr(x, 0)));
        long r5 = LP5.nRCD();
        boundary(LP5, 1, "tRTW", r5 + LP5.nRTW(), x -> List.of(act(0, 0, 0), rd(r5, 0, 0), wr(x, 0, 0)));
        // Different LPDDR5 bank group: BL/n_min instead of BL/n_max, 2 cycles less.
        long a2 = LP5.nRRD();
        long r6 = a2 + LP5.nRCD();
        boundary(LP5, 1, "tRTW", r6 + LP5.nRTW() - 2,
                x -> List.of(act(0, 0, 0), act(a2, 1, 0), rd(r6, 0, 0), wr(x, 1, 0)));
    }

    @Test
    void dataBusAcrossRanks() {
        DramCommand a0 = c(0, ACT, 0, 0, 0, ROW);
        DramCommand a1 = c(0, ACT, 1, 0, 0, ROW);
        long r = LP4.nRCD();
        // Reads of two ranks: back to back, no gap needed in this model.
        boundary(LP4, 2, "data bus", r + 8, x -> List.of(a0, a1, c(r, RD, 0, 0, 0, ROW), c(x, RD, 1, 0, 0, ROW)));
        // A write of the other rank after a read: its data (at WL) must start when the read data (at RL) ends.
        long readEnd = r + LP4.nRL() + 8;
        boundary(LP4, 2, "data bus", readEnd - LP4.nWL(),
                x -> List.of(a0, a1, c(r, RD, 0, 0, 0, ROW), c(x, WR, 1, 0, 0, ROW)));
        // ... or end before the read data starts: a later command whose data comes earlier is fine.
        long before = r + LP4.nRL() - 8 - LP4.nWL();
        assertEquals(0, run(LP4, 2, List.of(a0, a1, c(r, RD, 0, 0, 0, ROW), c(before, WR, 1, 0, 0, ROW)))
                .violationCount());
        TimingChecker late = run(LP4, 2, List.of(a0, a1, c(r, RD, 0, 0, 0, ROW), c(before + 1, WR, 1, 0, 0, ROW)));
        assertEquals(Set.of("data bus"), names(late));
        assertEquals(readEnd - LP4.nWL(), late.violations().get(0).earliestLegalCycle());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Refresh
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void tRFCab() {
        boundary(LP4, 1, "tRFCab", LP4.nRFCab(), x -> List.of(refab(0), act(x, 0)));
        boundary(LP4, 1, "tRFCab", LP4.nRFCab(), x -> List.of(refab(0), refab(x)));
        boundary(LP4, 1, "tRFCab", LP4.nRFCab(), x -> List.of(refab(0), refpb(x, 3)));
        boundary(LP5, 1, "tRFCab", LP5.nRFCab(), x -> List.of(refab(0), act(x, 3, 3)));
    }

    @Test
    void tRFCpb() {
        boundary(LP4, 1, "tRFCpb", LP4.nRFCpb(), x -> List.of(refpb(0, 0), act(x, 0)));
        boundary(LP4, 1, "tRFCpb", LP4.nRFCpb(), x -> List.of(refpb(0, 0), refpb(x, 1)));
        boundary(LP4, 1, "tRFCpb", LP4.nRFCpb(), x -> List.of(refpb(0, 0), refab(x)));
    }

    @Test
    void tPPD() {
        boundary(LP4, 1, "tPPD", 100 + LP4.nPPD(), x -> List.of(act(0, 0), act(16, 1), pre(100, 0), pre(x, 1)));
        boundary(LP4, 1, "tPPD", 100 + LP4.nPPD(), x -> List.of(act(0, 0), pre(100, 0), prea(x)));
        boundary(LP5, 1, "tPPD", 100 + LP5.nPPD(), x -> List.of(act(0, 0, 0), act(4, 1, 0), pre(100, 0, 0),
                c(x, PRE, 0, 1, 0, -1)));
    }

    private static DramCommand pre(long cy, int bg, int bank) {
        return c(cy, PRE, 0, bg, bank, -1);
    }

    /** tREFI is a deadline: the refresh at {@code due} passes, one cycle later it is caught. */
    private static void refreshDeadline(long due, LongFunction<List<DramCommand>> seq) {
        TimingChecker ok = run(LP4, 1, seq.apply(due));
        assertEquals(0, ok.violationCount(), ok::summary);
        TimingChecker late = run(LP4, 1, seq.apply(due + 1));
        assertEquals(Set.of("tREFI"), names(late), late::summary);
        assertEquals(due, late.violations().get(0).earliestLegalCycle());
        assertEquals(due + 1, late.violations().get(0).command().cycle());
    }

    @Test
    void tREFIAllowsEightPostponedRefreshesAndNoMore() {
        int n = LP4.nREFI();
        // With no refresh at all, the first REFAB is in time up to the end of the 9th interval.
        refreshDeadline(9L * n, x -> List.of(refab(x)));
        // Per-bank refreshes count 1/8 each: eight REFPB earn one REFAB of credit.
        List<DramCommand> eight = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            eight.add(refpb((long) b * LP4.nRFCpb(), b));
        }
        refreshDeadline(10L * n, x -> {
            List<DramCommand> s = new ArrayList<>(eight);
            s.add(refab(x));
            return s;
        });
        // One report per newly-owed interval, from any command of the channel; finish() checks the tail.
        TimingChecker chk = new TimingChecker(LP4, 1, 1);
        chk.check(act(9L * n + 5, 0));
        chk.check(pre(9L * n + 5 + LP4.nRAS(), 0));
        assertEquals(1, chk.violationCount());
        chk.finish(12L * n);
        assertEquals(2, chk.violationCount());
        assertEquals("tREFI", chk.violations().get(1).constraint());
        assertNull(chk.violations().get(1).command());
        TimingChecker fine = new TimingChecker(LP4, 1, 1);
        fine.check(refab(0));
        fine.finish(10L * n - 1);
        assertEquals(0, fine.violationCount(), fine.summary());
    }

    // ------------------------------------------------------------------------------------------------------------
    // State rules
    // ------------------------------------------------------------------------------------------------------------

    @Test
    void bankClosed() {
        assertEquals(Set.of("bank closed"), names(run(LP4, 1, List.of(rd(10, 0)))));
        assertEquals(Set.of("bank closed"), names(run(LP4, 1, List.of(wr(10, 0)))));
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), rd(LP4.nRCD(), 0))).violationCount());
        // After RDA the bank is closed for column commands (tCCD and data bus are met here).
        assertEquals(Set.of("bank closed"), names(run(LP4, 1, List.of(act(0, 0), rda(29, 0), rd(37, 0)))));
        assertEquals(Set.of("bank closed"), names(run(LP4, 1, List.of(act(0, 0), pre(80, 0), wr(100, 0)))));
    }

    @Test
    void bankOpen() {
        assertEquals(Set.of("bank open"), names(run(LP4, 1, List.of(act(0, 0), act(200, 0)))));
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), pre(LP4.nRAS(), 0), act(200, 0))).violationCount());
    }

    @Test
    void rowMismatch() {
        assertEquals(Set.of("row mismatch"), names(run(LP4, 1, List.of(act(0, 0), c(29, RD, 0, 0, 0, ROW + 1)))));
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), c(29, RD, 0, 0, 0, ROW), c(37, RD, 0, 0, 0, -1)))
                .violationCount());
    }

    @Test
    void refreshWithOpenBank() {
        assertEquals(Set.of("refresh with open bank"), names(run(LP4, 1, List.of(act(0, 0), refab(100)))));
        assertEquals(Set.of("refresh with open bank"), names(run(LP4, 1, List.of(act(0, 0), refpb(100, 0)))));
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), refpb(100, 1))).violationCount());
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), pre(100, 0), refab(100 + LP4.nRPpb()))).violationCount());
    }

    @Test
    void prechargeOfAClosedBankIsANoOp() {
        assertEquals(0, run(LP4, 1, List.of(pre(0, 0), pre(LP4.nPPD(), 3))).violationCount());
        // Precharging a closed bank does not restart its tRP.
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), pre(100, 0), pre(100 + LP4.nRPpb() - 1, 0),
                act(100 + LP4.nRPpb(), 0))).violationCount());
        // PREA leaves closed banks alone and checks only the open one.
        assertEquals(0, run(LP4, 1, List.of(act(0, 0), pre(LP4.nRAS(), 0), act(100, 1),
                prea(100 + LP4.nRAS()))).violationCount());
    }

    @Test
    void commandOrderPerChannel() {
        // Different ranks so that only the order rule can fire.
        boundary(LP4, 2, "command order", 10, x -> List.of(c(10, PRE, 0, 0, 0, -1), c(x, PRE, 1, 0, 0, -1)));
        // Channels are independent: each has its own order and its own banks.
        TimingChecker two = new TimingChecker(LP4, 2, 1);
        two.check(new DramCommand(10, ACT, 0, 0, 0, 0, ROW, -1));
        // Earlier than channel 0's last command, and 5 cycles from its ACT: neither order nor tRRD applies.
        two.check(new DramCommand(5, ACT, 1, 0, 0, 1, ROW, -1));
        two.check(new DramCommand(5 + LP4.nRCD(), RD, 1, 0, 0, 1, ROW, 0));
        assertEquals(0, two.violationCount(), two.summary());
    }

    @Test
    void rejectsCommandsOutsideTheGeometry() {
        TimingChecker chk = new TimingChecker(LP4, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> chk.check(act(0, 8)));
        assertThrows(IllegalArgumentException.class, () -> chk.check(act(0, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> chk.check(c(0, ACT, 1, 0, 0, ROW)));
        assertThrows(IllegalArgumentException.class,
                () -> chk.check(new DramCommand(0, ACT, 1, 0, 0, 0, ROW, -1)));
        assertThrows(IllegalArgumentException.class, () -> new TimingChecker(LP4, 0, 1));
        assertEquals(0, chk.commandsChecked());
    }

    @Test
    void keepsTheFirstHundredViolationsAndCountsAll() {
        TimingChecker chk = new TimingChecker(LP4, 1, 1);
        for (int i = 0; i < 150; i++) {
            chk.check(rd(10L * i, 0));
        }
        assertEquals(150, chk.violationCount());
        assertEquals(100, chk.violations().size());
        assertEquals(150, chk.commandsChecked());
        assertTrue(chk.summary().startsWith("150 commands checked, 150 timing violations; first:"), chk.summary());
        assertTrue(chk.summary().contains("bank closed"), chk.summary());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Long legal sequences
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Builds a legal stream by hand from the JEDEC formulas: per round, open-page streaming reads to one row, a
     * burst of writes, back to reads, a row switch, more reads, then PREA and an all-bank refresh; a second bank
     * (in another bank group where there are groups) streams alongside. Rounds repeat past many tREFI intervals.
     */
    private static List<DramCommand> legalStream(TimingTable t, int rounds) {
        boolean lp5 = t.standard().equals("LPDDR5");
        int bl = t.burstCycles();
        int blMax = lp5 ? 2 * bl : bl;                     // BL/n_max (same bank group)
        int wtrPad = lp5 ? 0 : 1;                          // JESD209-4 counts tWTR from the CK edge after the data
        int wrToPre = t.nWL() + bl + 1 + t.nWR();          // WL + BL/n_min + 1 + nWR
        int wrToRd = t.nWL() + blMax + wtrPad + t.nWTR_L(); // same bank group (the worst case)
        int g2 = t.bankGroups() > 1 ? 1 : 0;               // second bank: other group if any
        int b2 = t.bankGroups() > 1 ? 0 : 1;
        List<DramCommand> s = new ArrayList<>();
        long now = 0;
        int row = 0;
        for (int round = 0; round < rounds; round++) {
            long a = now;
            s.add(c(a, ACT, 0, 0, 0, row));
            s.add(c(a + t.nRRD(), ACT, 0, g2, b2, row));
            long cyc = a + t.nRRD() + t.nRCD();
            int step = Math.max(t.nCCD_L(), bl);
            long lastRd = 0;
            long lastWr = Long.MIN_VALUE / 4;
            // Streaming reads alternating the two banks (different groups on LPDDR5: nCCD_S apart).
            int alt = t.bankGroups() > 1 ? Math.max(t.nCCD_S(), bl) : step;
            for (int i = 0; i < 200; i++) {
                boolean second = (i & 1) == 1;
                s.add(new DramCommand(cyc, RD, 0, 0, second ? g2 : 0, second ? b2 : 0, row, i));
                lastRd = cyc;
                cyc += alt;
            }
            // Writes to bank 0 after the read-to-write turnaround.
            cyc = lastRd + t.nRTW();
            for (int i = 0; i < 16; i++) {
                s.add(new DramCommand(cyc, WR, 0, 0, 0, 0, row, i));
                lastWr = cyc;
                cyc += step;
            }
            // Back to reads after tWTR.
            cyc = lastWr + wrToRd;
            for (int i = 0; i < 16; i++) {
                s.add(new DramCommand(cyc, RD, 0, 0, 0, 0, row, i));
                lastRd = cyc;
                cyc += step;
            }
            // Row switch on bank 0.
            long p = Math.max(Math.max(lastRd + t.nRTP(), lastWr + wrToPre), a + t.nRAS());
            s.add(c(p, PRE, 0, 0, 0, -1));
            long a2 = p + t.nRPpb();
            s.add(c(a2, ACT, 0, 0, 0, row + 1));
            cyc = a2 + t.nRCD();
            for (int i = 0; i < 64; i++) {
                s.add(new DramCommand(cyc, RD, 0, 0, 0, 0, row + 1, i));
                lastRd = cyc;
                cyc += step;
            }
            // Close everything and refresh.
            long pa = Math.max(lastRd + t.nRTP(), a2 + t.nRAS());
            s.add(c(pa, PREA, 0, 0, 0, -1));
            long ref = pa + t.nRPab();
            s.add(c(ref, REFAB, 0, 0, 0, -1));
            now = ref + t.nRFCab();
            row += 2;
        }
        // A last round of per-bank refreshes, tRFCpb apart (also tRRD/tFAW-legal).
        for (int b = 0; b < t.banks(); b++) {
            s.add(c(now + (long) b * t.nRFCpb(), REFPB, 0, b / t.banksPerGroup(), b % t.banksPerGroup(), -1));
        }
        return s;
    }

    @Test
    void longLegalSequencesHaveNoViolations() {
        for (TimingTable t : TimingTables.all()) {
            List<DramCommand> s = legalStream(t, 60);
            long end = s.get(s.size() - 1).cycle();
            assertTrue(end > 10L * t.nREFI(), "the stream should span many refresh intervals: " + t.standard());
            TimingChecker chk = run(t, 1, s);
            chk.finish(end);
            assertEquals(0, chk.violationCount(), () -> t.standard() + " " + t.dataRateMtps() + ": " + chk.summary());
            assertEquals(s.size(), chk.commandsChecked());
            assertEquals(s.size() + " commands checked, 0 timing violations", chk.summary());
        }
    }

    @Test
    void theLegalSequenceTightenedByOneCycleIsCaught() {
        // Sanity check of the generator above: pulling one command a cycle earlier breaks a rule.
        List<DramCommand> s = legalStream(LP4, 2);
        int victims = 0;
        for (int i = 1; i < s.size(); i++) {
            DramCommand d = s.get(i);
            if (d.type() != PREA && d.type() != REFAB) {
                continue;
            }
            List<DramCommand> copy = new ArrayList<>(s);
            copy.set(i, new DramCommand(d.cycle() - 1, d.type(), d.channel(), d.rank(), d.bankGroup(), d.bank(),
                    d.row(), d.column()));
            TimingChecker chk = run(LP4, 1, copy);
            assertTrue(chk.violationCount() > 0, "moving " + d + " earlier should break a rule");
            victims++;
        }
        assertEquals(4, victims);
    }
}
