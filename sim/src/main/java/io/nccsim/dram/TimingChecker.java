package io.nccsim.dram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An independent DRAM protocol checker. It sees only the command stream a controller issued ({@link DramCommand},
 * in non-decreasing cycle order per channel), the {@link TimingTable} and the geometry (channels, ranks), keeps its
 * own model of every bank, and records each command that breaks a JEDEC timing or state rule. It shares no code
 * with any controller: a controller bug cannot hide by being repeated here.
 *
 * <h2>Model</h2>
 * <ul>
 *   <li>Channels are independent. Ranks of a channel share only the command and data buses: bank and rank rules
 *       (tRRD, tFAW, tCCD, tWTR, tRTW, tPPD, refresh) apply within one rank.</li>
 *   <li>Every command occupies one cycle. The multi-cycle command encodings on the CA bus (LPDDR4 commands are 2
 *       or 4 CK long, LPDDR5 ACT is 2 commands) are <b>not</b> modeled, nor are command-bus conflicts, the LPDDR5
 *       CAS/WCK-sync commands, BL32, power-down/self-refresh, or the LPDDR5 per-bank-refresh pair rules
 *       (tpbR2pbR, tpbR2act: the checker uses the stricter tRFCpb between per-bank refreshes, as LPDDR4 does).</li>
 *   <li>Data bus: a read's data occupies [cycle + nRL, cycle + nRL + burstCycles), a write's
 *       [cycle + nWL, cycle + nWL + burstCycles). Two bursts on one channel must not overlap. Data of different
 *       ranks needs <b>no</b> gap in this model (no rank-to-rank turnaround such as tRTRS or LPDDR5 tCS).</li>
 *   <li>PRE to a bank with no open row is legal and changes nothing but tPPD. PREA precharges every open bank of
 *       the rank, each with its own tRAS/tRTP/tWR checked; banks already closed are untouched.</li>
 *   <li>Auto-precharge: RDA/WRA close the bank at once for state purposes (a later RD/WR to it is "bank closed");
 *       the internal precharge starts when JEDEC says (below), and the next ACT or refresh of that bank must wait
 *       tRPpb from that implied precharge (reported as "tRP").</li>
 *   <li>A per-bank refresh counts as an activate for tRRD and tFAW (JESD209-4); ACT after REFPB to the same bank
 *       waits tRFCpb, to another bank tRRD.</li>
 *   <li>Refresh postponement ("tREFI"): per rank, the refresh credit (REFAB = 1, REFPB = 1/banks) issued by cycle
 *       t must be at least floor(t / nREFI) - 8, i.e. at most 8 all-bank refreshes owed (JESD209-4/-5 allow 8
 *       postponed refreshes). Checked at every command of the channel for the cycle just before it (so a REFAB
 *       arriving exactly when the 9th interval ends is in time), once per newly-owed interval, and at
 *       {@link #finish(long)}. For this rule {@code earliestLegalCycle} is the deadline: the cycle by which the
 *       owed refresh had to be issued.</li>
 * </ul>
 *
 * <h2>Formulas (n-values from the table, in tCK)</h2>
 * BL/n: LPDDR4/4X: BL/2 = burstCycles for every pair of commands. LPDDR5 bank-group mode (WCK:CK 4:1):
 * BL/n_min = BL16/8 = burstCycles (different bank group), BL/n_max = BL16/4 = 2 x burstCycles (same bank group).
 * <ul>
 *   <li>tRCD: RD/WR &ge; ACT + nRCD. tRAS: PRE &ge; ACT + nRAS. tRC: ACT &ge; ACT(same bank) + nRC.
 *       tRP: ACT/REF &ge; precharge + nRPpb (PRE, auto-precharge) or + nRPab (PREA).</li>
 *   <li>tRRD: ACT/REFPB &ge; ACT/REFPB(other bank, same rank) + nRRD. tFAW: the 5th ACT/REFPB &ge; the 4th
 *       before it + nFAW.</li>
 *   <li>tCCD_L/_S: RD&rarr;RD and WR&rarr;WR in one rank, same/different bank group (LPDDR4: always _L).</li>
 *   <li>tWTR_L/_S (WR&rarr;RD, same rank). JESD209-4: RD &ge; WR + nWL + BL/2 + 1 + nWTR (tWTR counts from the
 *       first rising CK edge after the last write data). JESD209-5: same bank group RD &ge; WR + nWL + BL/n_max +
 *       nWTR_L, different group RD &ge; WR + nWL + BL/n_min + nWTR_S.</li>
 *   <li>tRTW (RD&rarr;WR, same rank): WR &ge; RD + nRTW, the table's JESD209-4 RL + BL/2 + RU(tDQSCKmax/tCK) - WL +
 *       tWPRE + RD(tRPST), or JESD209-5 RL + BL/n_max + RU(tWCKDQO(max)/tCK) - WL; to a different LPDDR5 bank
 *       group JESD209-5 uses BL/n_min, i.e. nRTW - (BL/n_max - BL/n_min).</li>
 *   <li>tRTP: PRE &ge; RD + nRTP (the table holds the whole RD-to-PRE delay: JESD209-4 BL/2 + max(RU(tRTP/tCK),
 *       8) - 8; JESD209-5 BL/n_min + nRBTP).</li>
 *   <li>tWR: PRE &ge; WR + nWL + BL/n_min + 1 + nWR (JESD209-4: WL + BL/2 + 1 + RU(tWR/tCK); JESD209-5: WL +
 *       BL/n_min + 1 + nWR). An RDA after a WR to the same bank must leave its implied precharge tWR-legal:
 *       RDA &ge; WR + (that delay) - nRTP.</li>
 *   <li>Auto-precharge: RDA precharges at max(RDA + nRTP, ACT + nRAS); WRA at max(WRA + nWL + BL/n_min + 1 +
 *       nWR, ACT + nRAS): JEDEC delays the internal precharge until tRAS is met.</li>
 *   <li>tRFCab: ACT/REFAB/REFPB &ge; REFAB + nRFCab. tRFCpb: ACT(same bank)/REFAB/REFPB &ge; REFPB + nRFCpb.
 *       tPPD: PRE/PREA &ge; PRE/PREA(same rank) + nPPD.</li>
 * </ul>
 * For a standard other than LPDDR4/4X/5 the checker uses BL/n = burstCycles and no +1 terms.
 */
public final class TimingChecker {

    /**
     * One broken rule.
     *
     * @param command            the offending command ({@code null} for the end-of-stream refresh check)
     * @param constraint         the JEDEC name of the rule ("tRCD", "tFAW", "bank closed", ...)
     * @param earliestLegalCycle the first cycle the command would have been legal at, all else unchanged (for
     *                           "tREFI": the deadline of the owed refresh; for state rules: the command's cycle)
     * @param detail             what the command was measured against
     */
    public record Violation(DramCommand command, String constraint, long earliestLegalCycle, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %s (earliest legal %d) %s", constraint,
                    command == null ? "end of stream" : command.toString(), earliestLegalCycle, detail);
        }
    }

    private static final long NEVER = Long.MIN_VALUE / 4;
    private static final int KEPT = 100;
    /** JESD209-4/-5: up to 8 REFab may be postponed. */
    private static final int MAX_POSTPONED = 8;

    private final TimingTable t;
    private final int channels;
    private final int ranks;
    private final int banks;
    private final int groups;

    // Derived delays (cycles from the earlier command to the earliest legal later one); see the class javadoc.
    private final int blnMin;
    private final int blnMax;
    private final int wrToRdSameGroup;
    private final int wrToRdOtherGroup;
    private final int rdToWrSameGroup;
    private final int rdToWrOtherGroup;
    private final int wrToPre;
    private final int rdToPre;

    private final Channel[] chans;
    private final List<Violation> kept = new ArrayList<>();
    private long violationCount;
    private long commandsChecked;

    public TimingChecker(TimingTable t, int channels, int ranks) {
        this.t = Objects.requireNonNull(t, "timing table");
        if (channels < 1 || ranks < 1) {
            throw new IllegalArgumentException("need at least one channel and one rank, got " + channels + " and "
                    + ranks);
        }
        if (t.bankGroups() < 1 || t.banksPerGroup() < 1 || t.burstCycles() < 1) {
            throw new IllegalArgumentException("timing table has no banks or no burst: " + t);
        }
        this.channels = channels;
        this.ranks = ranks;
        this.groups = t.bankGroups();
        this.banks = t.banks();
        int wtrPad;
        int wrPad;
        switch (t.standard()) {
            case "LPDDR4", "LPDDR4X" -> {
                // JESD209-4: BL/2 for every pair; tWTR and tWR count from the first rising CK edge after the last
                // write data: + 1 nCK.
                blnMin = t.burstCycles();
                blnMax = t.burstCycles();
                wtrPad = 1;
                wrPad = 1;
            }
            case "LPDDR5" -> {
                // JESD209-5, WCK:CK 4:1: BL/n_min = BL16/8 = 2 nCK; in bank-group mode BL/n_max = BL16/4 = 4 nCK
                // (in 8B/16B modes both are BL/n = burstCycles). WR->RD has no +1; WR->PRE has + 1 nCK.
                blnMin = t.burstCycles();
                blnMax = groups > 1 ? 2 * t.burstCycles() : t.burstCycles();
                wtrPad = 0;
                wrPad = 1;
            }
            default -> {
                blnMin = t.burstCycles();
                blnMax = t.burstCycles();
                wtrPad = 0;
                wrPad = 0;
            }
        }
        this.wrToRdSameGroup = t.nWL() + blnMax + wtrPad + t.nWTR_L();
        this.wrToRdOtherGroup = t.nWL() + blnMin + wtrPad + t.nWTR_S();
        this.rdToWrSameGroup = t.nRTW();
        this.rdToWrOtherGroup = t.nRTW() - (blnMax - blnMin);
        this.wrToPre = t.nWL() + blnMin + wrPad + t.nWR();
        this.rdToPre = t.nRTP();
        this.chans = new Channel[channels];
        for (int i = 0; i < channels; i++) {
            chans[i] = new Channel();
        }
    }

    /** Checks {@code c} against the history of its channel, records any violations, then applies it. */
    public void check(DramCommand c) {
        Objects.requireNonNull(c, "command");
        validate(c);
        commandsChecked++;
        Channel ch = chans[c.channel()];
        if (c.cycle() < ch.lastCycle) {
            violate(c, "command order", ch.lastCycle, "cycle goes back from " + ch.lastCycle + " on channel "
                    + c.channel());
        } else {
            ch.lastCycle = c.cycle();
        }
        for (int r = 0; r < ranks; r++) {
            refreshDebt(c, c.channel(), r, ch.ranks[r], c.cycle() - 1);
        }
        Rank rk = ch.ranks[c.rank()];
        switch (c.type()) {
            case ACT -> activate(c, rk);
            case RD, RDA, WR, WRA -> column(c, ch, rk);
            case PRE -> precharge(c, rk);
            case PREA -> prechargeAll(c, rk);
            case REFAB -> refreshAll(c, rk);
            case REFPB -> refreshBank(c, rk);
        }
    }

    /** Checks the refresh debt of every rank at {@code endCycle}, the last cycle of the stream. */
    public void finish(long endCycle) {
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < ranks; r++) {
                refreshDebt(null, ch, r, chans[ch].ranks[r], endCycle);
            }
        }
    }

    public long violationCount() {
        return violationCount;
    }

    /** The first 100 violations (all are counted in {@link #violationCount()}). */
    public List<Violation> violations() {
        return Collections.unmodifiableList(kept);
    }

    public long commandsChecked() {
        return commandsChecked;
    }

    /** "N commands checked, 0 timing violations", or the count and the first few violations, one a line. */
    public String summary() {
        String head = String.format(Locale.ROOT, "%d commands checked, %d timing violation%s", commandsChecked,
                violationCount, violationCount == 1 ? "" : "s");
        if (violationCount == 0) {
            return head;
        }
        StringBuilder sb = new StringBuilder(head).append("; first:");
        for (int i = 0; i < Math.min(5, kept.size()); i++) {
            sb.append(System.lineSeparator()).append("  ").append(kept.get(i));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Commands
    // ---------------------------------------------------------------------------------------------------------

    private void activate(DramCommand c, Rank rk) {
        int b = flatBank(c);
        Bank bk = rk.banks[b];
        if (bk.open) {
            violate(c, "bank open", c.cycle(), "row " + bk.row + " has been open since the ACT at cycle " + bk.act);
        }
        need(c, "tRP", bk.preAt, bk.preDelta, bk.preWhy, -1);
        need(c, "tRC", bk.act, t.nRC(), "ACT to this bank", -1);
        // tRRD against the latest ACT or REFPB to another bank of the rank.
        long ref = NEVER;
        int refBank = -1;
        boolean refIsRefresh = false;
        for (int o = 0; o < banks; o++) {
            if (o == b) {
                continue;
            }
            Bank ob = rk.banks[o];
            if (ob.act > ref) {
                ref = ob.act;
                refBank = o;
                refIsRefresh = false;
            }
            if (ob.refpb > ref) {
                ref = ob.refpb;
                refBank = o;
                refIsRefresh = true;
            }
        }
        need(c, "tRRD", ref, t.nRRD(), refIsRefresh ? "REFPB to bank" : "ACT to bank", refBank);
        need(c, "tFAW", rk.fawOldest(), t.nFAW(), "4th previous ACT/REFPB of the rank", -1);
        need(c, "tRFCab", rk.refab, t.nRFCab(), "REFAB", -1);
        need(c, "tRFCpb", bk.refpb, t.nRFCpb(), "REFPB to this bank", -1);
        bk.open = true;
        bk.row = c.row();
        bk.act = c.cycle();
        bk.lastRd = NEVER;
        bk.lastWr = NEVER;
        rk.fawPush(c.cycle());
    }

    private void column(DramCommand c, Channel ch, Rank rk) {
        Bank bk = rk.banks[flatBank(c)];
        boolean read = c.type().isRead();
        boolean auto = c.type() == DramCommand.Type.RDA || c.type() == DramCommand.Type.WRA;
        if (!bk.open) {
            violate(c, "bank closed", c.cycle(), bk.act == NEVER ? "no ACT to this bank yet"
                    : "bank closed by " + bk.preWhy + " at cycle " + bk.preAt);
        } else {
            if (c.row() >= 0 && c.row() != bk.row) {
                violate(c, "row mismatch", c.cycle(), "open row is " + bk.row);
            }
            need(c, "tRCD", bk.act, t.nRCD(), "ACT to this bank", -1);
            if (read && auto && bk.act + t.nRAS() < bk.lastWr + wrToPre) {
                // The RDA's implied precharge, at max(RDA + nRTP, ACT + nRAS), must respect tWR of an earlier
                // write to this bank: RDA >= WR + (WL + BL/n_min + 1 + nWR) - nRTP.
                need(c, "tWR", bk.lastWr, wrToPre - rdToPre, "WR to this bank (RDA auto-precharge)", -1);
            }
        }
        int g = c.bankGroup();
        long[] sameDir = read ? rk.lastRd : rk.lastWr;
        long[] otherDir = read ? rk.lastWr : rk.lastRd;
        // tCCD: same direction, same rank.
        need(c, "tCCD_L", sameDir[g], t.nCCD_L(), read ? "RD in this bank group" : "WR in this bank group", -1);
        int og = latestOtherGroup(sameDir, g);
        if (og >= 0) {
            need(c, "tCCD_S", sameDir[og], t.nCCD_S(), read ? "RD in bank group" : "WR in bank group", og);
        }
        // Turnarounds within the rank.
        int oo = latestOtherGroup(otherDir, g);
        if (read) {
            need(c, "tWTR_L", otherDir[g], wrToRdSameGroup, "WR in this bank group", -1);
            if (oo >= 0) {
                need(c, "tWTR_S", otherDir[oo], wrToRdOtherGroup, "WR in bank group", oo);
            }
        } else {
            need(c, "tRTW", otherDir[g], rdToWrSameGroup, "RD in this bank group", -1);
            if (oo >= 0) {
                need(c, "tRTW", otherDir[oo], rdToWrOtherGroup, "RD in bank group", oo);
            }
        }
        dataBus(c, ch, read);
        sameDir[g] = c.cycle();
        if (bk.open) {
            if (read) {
                bk.lastRd = c.cycle();
            } else {
                bk.lastWr = c.cycle();
            }
            if (auto) {
                long at = c.cycle() + (read ? rdToPre : wrToPre);
                at = Math.max(at, bk.act + t.nRAS()); // JEDEC delays the auto-precharge until tRAS is met
                close(bk, at, t.nRPpb(), read ? "RDA auto-precharge" : "WRA auto-precharge");
            }
        }
    }

    private void precharge(DramCommand c, Rank rk) {
        need(c, "tPPD", rk.lastPrecharge, t.nPPD(), "PRE/PREA of the rank", -1);
        rk.lastPrecharge = c.cycle();
        Bank bk = rk.banks[flatBank(c)];
        if (bk.open) { // PRE to a closed bank is a legal no-op
            prechargeChecks(c, bk, -1);
            close(bk, c.cycle(), t.nRPpb(), "PRE");
        }
    }

    private void prechargeAll(DramCommand c, Rank rk) {
        need(c, "tPPD", rk.lastPrecharge, t.nPPD(), "PRE/PREA of the rank", -1);
        rk.lastPrecharge = c.cycle();
        for (int b = 0; b < banks; b++) {
            Bank bk = rk.banks[b];
            if (bk.open) {
                prechargeChecks(c, bk, b);
                close(bk, c.cycle(), t.nRPab(), "PREA");
            }
        }
    }

    private void prechargeChecks(DramCommand c, Bank bk, int bankForDetail) {
        need(c, "tRAS", bk.act, t.nRAS(), "ACT to bank", bankForDetail);
        need(c, "tRTP", bk.lastRd, rdToPre, "RD to bank", bankForDetail);
        need(c, "tWR", bk.lastWr, wrToPre, "WR to bank", bankForDetail);
    }

    private void refreshAll(DramCommand c, Rank rk) {
        StringBuilder open = null;
        long ready = NEVER;
        int readyBank = -1;
        for (int b = 0; b < banks; b++) {
            Bank bk = rk.banks[b];
            if (bk.open) {
                open = (open == null ? new StringBuilder("open: ") : open.append(", ")).append("bank ").append(b)
                        .append(" row ").append(bk.row);
            }
            if (bk.preAt != NEVER && bk.preAt + bk.preDelta > ready) {
                ready = bk.preAt + bk.preDelta;
                readyBank = b;
            }
        }
        if (open != null) {
            violate(c, "refresh with open bank", c.cycle(), open.toString());
        }
        if (readyBank >= 0) {
            Bank bk = rk.banks[readyBank];
            need(c, "tRP", bk.preAt, bk.preDelta, bk.preWhy + " of bank", readyBank);
        }
        need(c, "tRFCab", rk.refab, t.nRFCab(), "REFAB", -1);
        need(c, "tRFCpb", rk.refpb, t.nRFCpb(), "REFPB", -1);
        rk.refab = c.cycle();
        rk.refreshCredit += banks;
    }

    private void refreshBank(DramCommand c, Rank rk) {
        int b = flatBank(c);
        Bank bk = rk.banks[b];
        if (bk.open) {
            violate(c, "refresh with open bank", c.cycle(), "row " + bk.row + " is open");
        }
        need(c, "tRP", bk.preAt, bk.preDelta, bk.preWhy, -1);
        need(c, "tRFCab", rk.refab, t.nRFCab(), "REFAB", -1);
        need(c, "tRFCpb", rk.refpb, t.nRFCpb(), "REFPB", -1);
        long ref = NEVER;
        int refBank = -1;
        for (int o = 0; o < banks; o++) {
            if (o != b && rk.banks[o].act > ref) {
                ref = rk.banks[o].act;
                refBank = o;
            }
        }
        need(c, "tRRD", ref, t.nRRD(), "ACT to bank", refBank);
        need(c, "tFAW", rk.fawOldest(), t.nFAW(), "4th previous ACT/REFPB of the rank", -1);
        rk.refpb = c.cycle();
        bk.refpb = c.cycle();
        rk.fawPush(c.cycle());
        rk.refreshCredit += 1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shared rules
    // ---------------------------------------------------------------------------------------------------------

    private void dataBus(DramCommand c, Channel ch, boolean read) {
        int latency = read ? t.nRL() : t.nWL();
        long start = c.cycle() + latency;
        long end = start + t.burstCycles();
        // Forget bursts no later command can reach: those commands start their data at >= lastCycle + min latency.
        long horizon = ch.lastCycle + Math.min(t.nRL(), t.nWL());
        for (Iterator<Burst> it = ch.bursts.iterator(); it.hasNext(); ) {
            if (it.next().end <= horizon) {
                it.remove();
            }
        }
        long shift = 0;
        Burst first = null;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Burst b : ch.bursts) {
                if (start + shift < b.end && b.start < end + shift) {
                    if (first == null) {
                        first = b;
                    }
                    shift = b.end - start;
                    moved = true;
                }
            }
        }
        if (first != null) {
            violate(c, "data bus", c.cycle() + shift, String.format(Locale.ROOT,
                    "%s data [%d, %d) overlaps the %s burst [%d, %d) of rank %d issued at cycle %d",
                    read ? "read" : "write", start, end, first.write ? "write" : "read", first.start, first.end,
                    first.rank, first.cmdCycle));
        }
        ch.bursts.add(new Burst(start, end, c.rank(), !read, c.cycle()));
    }

    private void refreshDebt(DramCommand c, int channel, int rank, Rank rk, long cycle) {
        if (cycle < 0 || t.nREFI() <= 0) {
            return;
        }
        long intervals = cycle / t.nREFI();
        long owedUnits = intervals * banks - rk.refreshCredit; // in 1/banks of an all-bank refresh
        if (owedUnits > (long) MAX_POSTPONED * banks && intervals > rk.reportedRefreshInterval) {
            rk.reportedRefreshInterval = intervals;
            long deadline = (rk.refreshCredit / banks + MAX_POSTPONED + 1) * t.nREFI();
            violate(c, "tREFI", deadline, String.format(Locale.ROOT,
                    "channel %d rank %d owes %.3f all-bank refreshes at cycle %d (more than %d postponed; nREFI %d); "
                            + "a refresh was due by cycle %d", channel, rank, owedUnits / (double) banks, cycle,
                    MAX_POSTPONED, t.nREFI(), deadline));
        }
    }

    /** Records a violation if {@code c} is earlier than {@code ref + delta}; no-op when {@code ref} never was. */
    private void need(DramCommand c, String constraint, long ref, long delta, String what, int otherBank) {
        if (ref == NEVER) {
            return;
        }
        long earliest = ref + delta;
        if (c.cycle() < earliest) {
            violate(c, constraint, earliest, String.format(Locale.ROOT, "%s%s at cycle %d + %d = %d (%d cycle%s early)",
                    what, otherBank >= 0 ? " " + otherBank : "", ref, delta, earliest, earliest - c.cycle(),
                    earliest - c.cycle() == 1 ? "" : "s"));
        }
    }

    private void violate(DramCommand c, String constraint, long earliestLegalCycle, String detail) {
        violationCount++;
        if (kept.size() < KEPT) {
            kept.add(new Violation(c, constraint, earliestLegalCycle, detail));
        }
    }

    private static void close(Bank bk, long prechargeAt, int rp, String why) {
        bk.open = false;
        bk.preAt = prechargeAt;
        bk.preDelta = rp;
        bk.preWhy = why;
    }

    /** The bank group other than {@code g} with the latest entry in {@code last}, or -1 if none. */
    private int latestOtherGroup(long[] last, int g) {
        int best = -1;
        for (int o = 0; o < groups; o++) {
            if (o != g && last[o] != NEVER && (best < 0 || last[o] > last[best])) {
                best = o;
            }
        }
        return best;
    }

    private int flatBank(DramCommand c) {
        return c.bankGroup() * t.banksPerGroup() + c.bank();
    }

    private void validate(DramCommand c) {
        if (c.type() == null || c.channel() < 0 || c.channel() >= channels || c.rank() < 0 || c.rank() >= ranks) {
            throw new IllegalArgumentException("command outside " + channels + " channel(s) x " + ranks
                    + " rank(s): " + c);
        }
        boolean needsBank = c.type() != DramCommand.Type.PREA && c.type() != DramCommand.Type.REFAB;
        if (needsBank && (c.bankGroup() < 0 || c.bankGroup() >= groups || c.bank() < 0
                || c.bank() >= t.banksPerGroup())) {
            throw new IllegalArgumentException("bank outside " + groups + " group(s) x " + t.banksPerGroup()
                    + " bank(s): " + c);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------------------------

    private record Burst(long start, long end, int rank, boolean write, long cmdCycle) {
    }

    private final class Channel {
        long lastCycle = NEVER;
        final Rank[] ranks = new Rank[TimingChecker.this.ranks];
        final ArrayDeque<Burst> bursts = new ArrayDeque<>();

        Channel() {
            for (int r = 0; r < ranks.length; r++) {
                ranks[r] = new Rank();
            }
        }
    }

    private final class Rank {
        final Bank[] banks = new Bank[TimingChecker.this.banks];
        /** Last RD/RDA and WR/WRA command per bank group. */
        final long[] lastRd = new long[groups];
        final long[] lastWr = new long[groups];
        /** The last four ACT/REFPB cycles, a ring; {@code faw[fawNext]} is the oldest. */
        final long[] faw = {NEVER, NEVER, NEVER, NEVER};
        int fawNext;
        long lastPrecharge = NEVER;
        long refab = NEVER;
        long refpb = NEVER;
        /** Refreshes issued, in 1/banks of an all-bank refresh. */
        long refreshCredit;
        long reportedRefreshInterval = -1;

        Rank() {
            for (int b = 0; b < banks.length; b++) {
                banks[b] = new Bank();
            }
            java.util.Arrays.fill(lastRd, NEVER);
            java.util.Arrays.fill(lastWr, NEVER);
        }

        long fawOldest() {
            return faw[fawNext];
        }

        void fawPush(long cycle) {
            faw[fawNext] = cycle;
            fawNext = (fawNext + 1) & 3;
        }
    }

    private static final class Bank {
        boolean open;
        int row = -1;
        long act = NEVER;
        long lastRd = NEVER;
        long lastWr = NEVER;
        long refpb = NEVER;
        /** When the last precharge (explicit or implied) started, and the tRP that follows it. */
        long preAt = NEVER;
        int preDelta;
        String preWhy = "";
    }
}
