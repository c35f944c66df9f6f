package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Histogram;
import io.nccsim.energy.EnergyBreakdown;

import java.util.function.Consumer;

/**
 * The cycle-level LPDDR controller and devices, with no simulation engine of its own: a controller per channel with
 * per-bank state machines, read and write queues with write draining between watermarks, FR-FCFS (or FCFS)
 * scheduling, open- or closed-page policy, all-bank or per-bank refresh, and the timing table of its standard
 * ({@link TimingTables}).
 *
 * <p>Whoever drives it owns time. Client requests (any size) are {@link #accept accepted} at a time; they wait in a
 * front-end queue, are cut into bursts ({@code channel width x BL} bytes) in address order, and each burst enters
 * its channel's read or write queue when there is room. {@link #issueBefore} then issues commands in time order
 * across channels up to a horizon, the time of the driver's next event, before which nothing can change the
 * controller's inputs. When the data of a request's last burst has crossed the bus the request is handed to the
 * {@link Completions} sink with its completion time; the driver completes it then. Two drivers exist: the
 * discrete-event engine ({@link LpddrMemory}, where the NCC and the processor are the clients) and a direct loop
 * ({@link RequestReplay}, replaying a plain request trace with nothing else to simulate), and a test holds them to
 * the same command stream.
 *
 * <p>What the controller decides depends only on its state and on when requests arrived, never on when a driver
 * happens to call it: a refresh is weighed against the command that would issue (not against the caller's time),
 * and a channel that has been idle catches up the refreshes it owes before a burst enters its queue. So any driver
 * that honours the horizon gets the same commands at the same cycles.
 */
public final class LpddrController {
    /** Receives each request whose last data has crossed the bus, with the time to complete it at. */
    public interface Completions {
        void complete(MemRequest request, long donePs);
    }

    private final TimingTable t;
    private final MemoryConfig.Controller ctl;
    private final ClockDomain clock;
    private final MemoryConfig.Power power;
    private final AddressMapping mapping;
    private final Channel[] channels;
    // the front end: requests not yet wholly in their channels' queues, oldest first, linked by nextInFront
    private Pending frontHead;
    private Pending frontTail;
    private final MemoryCounters counters = new MemoryCounters();
    private final DramActivity activity;
    private final Histogram readLatency;
    private final Completions completions;
    private final AddressMapping.Fields fields = new AddressMapping.Fields();
    private long fieldsBurst = -1; // the burst number decoded in fields
    private Consumer<DramCommand> commandListener;
    private final TimingChecker checker;
    // Command spacings derived from the table by the JEDEC formulas (JESD209-4 for LPDDR4/4X, JESD209-5 for LPDDR5):
    // LPDDR4 counts tWTR and tWR from the first clock edge after the last write data (+1 nCK); LPDDR5 in bank-group
    // mode moves a burst in BL/n_max = 4 nCK within a group and BL/n_min = 2 nCK across groups.
    private final int wrToRdSameGroup;
    private final int wrToRdOtherGroup;
    private final int rdToWrSameGroup;
    private final int rdToWrOtherGroup;
    private final int wrToPre;
    // Timing values the column path reads for every burst, from the table.
    private final int nRL;
    private final int nWL;
    private final int nRTP;
    private final int nCCD_L;
    private final int nCCD_S;
    private final int burstCycles;
    private final int bankGroups;
    private final int nFAW;
    // The controller's choices, read once: the scheduler consults them for every command.
    private final boolean closedPage;
    private final boolean fcfs;
    private final boolean perBankRefresh;
    private final int readQueueSize;
    private final int writeQueueSize;
    private final int writeHigh;
    private final int writeLow;
    private long arrivalSeq;
    // while issuing: the time of the call, and the horizon, which a completion due before it moves earlier
    private long nowPs;
    private long horizonPs;
    private long horizonCycle;
    // Bursts are numbered address >> burstShift when the burst size is a power of two (it always is in LPDDR4/5:
    // 16 bits x BL16 or BL32), saving two long divisions per request.
    private final int burstShift;
    // Served requests are kept for reuse: no allocation per request on the hot path.
    private Pending freePending;
    // Picoseconds to DRAM clock edges, remembered: every time a driver hands back (a completion, the next command,
    // the time of the call) is one the controller computed or converted a moment ago, and ClockDomain.edgeCycle
    // costs two or three exact conversions. Direct-mapped on the low bits of the time; EDGE_EMPTY marks a free slot.
    private static final int EDGE_SLOTS = 64;
    private static final long EDGE_EMPTY = Long.MIN_VALUE;
    private final long[] edgePs = new long[EDGE_SLOTS];
    private final long[] edgeCycle = new long[EDGE_SLOTS];
    // Where ClockDomain rounds exactly (below 2^52 ps) and a cycle is longer than 1 ps, cycle -> ps -> edge cycle
    // gives the cycle back.
    private static final long EXACT_PS = 1L << 52;
    private final boolean edgesInvertible;

    /**
     * @param readLatency receives each read's accept-to-complete latency in ps (a statistics histogram), or null
     * @param completions where finished requests go
     */
    public LpddrController(MemoryConfig config, TimingTable timing, Histogram readLatency, Completions completions) {
        this.t = timing;
        this.nRL = timing.nRL();
        this.nWL = timing.nWL();
        this.nRTP = timing.nRTP();
        this.nCCD_L = timing.nCCD_L();
        this.nCCD_S = timing.nCCD_S();
        this.burstCycles = timing.burstCycles();
        this.bankGroups = timing.bankGroups();
        this.nFAW = timing.nFAW();
        this.ctl = config.controller();
        this.closedPage = ctl.pagePolicy() == MemoryConfig.PagePolicy.CLOSED;
        this.fcfs = ctl.scheduler() == MemoryConfig.Scheduler.FCFS;
        this.perBankRefresh = ctl.refresh() == MemoryConfig.Refresh.PER_BANK;
        this.readQueueSize = ctl.readQueue();
        this.writeQueueSize = ctl.writeQueue();
        this.writeHigh = ctl.writeHigh();
        this.writeLow = ctl.writeLow();
        this.power = config.power();
        this.clock = new ClockDomain("dram", 1e12 / timing.tCKps());
        MemoryConfig.Device dev = config.device();
        int burstBytes = dev.channelWidthBits() / 8 * timing.burstLength();
        int columnBursts = dev.columns() / timing.burstLength();
        this.mapping = new AddressMapping(ctl.mapping(), burstBytes, config.channels(), columnBursts, dev.ranks(),
                timing.banks(), timing.banksPerGroup(), dev.rows());
        this.channels = new Channel[config.channels()];
        this.activity = new DramActivity(config.channels(), dev.ranks());
        for (int c = 0; c < channels.length; c++) {
            channels[c] = new Channel(c, dev.ranks());
        }
        boolean lpddr5 = timing.standard().equals("LPDDR5");
        int blnMin = timing.burstCycles();
        int blnMax = lpddr5 && timing.bankGroups() > 1 ? 2 * timing.burstCycles() : timing.burstCycles();
        int wtrPad = lpddr5 ? 0 : 1;
        this.wrToRdSameGroup = timing.nWL() + blnMax + wtrPad + timing.nWTR_L();
        this.wrToRdOtherGroup = timing.nWL() + blnMin + wtrPad + timing.nWTR_S();
        this.rdToWrSameGroup = timing.nRTW();
        this.rdToWrOtherGroup = timing.nRTW() - (blnMax - blnMin);
        this.wrToPre = timing.nWL() + blnMin + 1 + timing.nWR();
        this.checker = ctl.checkTiming() ? new TimingChecker(timing, config.channels(), dev.ranks()) : null;
        this.readLatency = readLatency;
        this.completions = completions;
        this.burstShift = Integer.bitCount(burstBytes) == 1 ? Integer.numberOfTrailingZeros(burstBytes) : -1;
        java.util.Arrays.fill(edgePs, EDGE_EMPTY);
        this.edgesInvertible = clock.periodPs() > 1;
    }

    /** The first DRAM cycle whose edge is at or after {@code ps} ({@link ClockDomain#edgeCycle}), remembered. */
    private long edge(long ps) {
        int slot = (int) ps & (EDGE_SLOTS - 1);
        if (edgePs[slot] == ps) {
            return edgeCycle[slot];
        }
        long cycle = clock.edgeCycle(ps);
        edgePs[slot] = ps;
        edgeCycle[slot] = cycle;
        return cycle;
    }

    /**
     * The time of DRAM cycle {@code cycle} in ps ({@link ClockDomain#cyclesToPs}), remembered for {@link #edge}:
     * the edge of a cycle's own time is that cycle, since a cycle is longer than a picosecond.
     */
    private long psOf(long cycle) {
        long ps = clock.cyclesToPs(cycle);
        if (edgesInvertible && ps < EXACT_PS) {
            int slot = (int) ps & (EDGE_SLOTS - 1);
            edgePs[slot] = ps;
            edgeCycle[slot] = cycle;
        }
        return ps;
    }

    private long burstOf(long address) {
        return burstShift >= 0 ? address >>> burstShift : address / mapping.burstBytes();
    }

    /** Receives every command issued, in time order per channel (a command trace writer, a test). */
    public void setCommandListener(Consumer<DramCommand> listener) {
        this.commandListener = listener;
    }

    /** The independent timing checker fed with every command, or null when it is off. */
    public TimingChecker checker() {
        return checker;
    }

    public TimingTable timing() {
        return t;
    }

    public ClockDomain clock() {
        return clock;
    }

    public DramActivity activity() {
        return activity;
    }

    public MemoryCounters counters() {
        return counters;
    }

    public int burstBytes() {
        return mapping.burstBytes();
    }

    // ---- the driver's side ----

    /**
     * Takes {@code r} at {@code nowPs} (the driver has checked there is room for it in the front end). Its bursts
     * may arrive in their channels from the next DRAM clock edge.
     */
    public void accept(MemRequest r, long nowPs) {
        r.markAccepted(nowPs);
        long first = burstOf(r.address());
        long last = burstOf(r.address() + r.bytes() - 1);
        long arrivalCycle = edge(nowPs);
        Pending p = freePending;
        if (p == null) {
            p = new Pending();
        } else {
            freePending = p.nextFree;
        }
        p.init(r, first, last, arrivalCycle);
        if (frontTail == null) {
            frontHead = p;
        } else {
            frontTail.nextInFront = p;
        }
        frontTail = p;
        counters.record(r, 0);
        admit(arrivalCycle);
    }

    /**
     * Issues commands in time order across channels, each only if it falls before the horizon: {@code horizonPs},
     * the time of the driver's next event, or the completion of a request this call finishes, if earlier.
     * Commands a channel owes from before {@code nowPs} (an idle channel's refreshes) issue whatever the horizon.
     *
     * @return the time of the next command (at or after the horizon, and not before {@code nowPs}), or
     *         {@link Long#MAX_VALUE} when no command is pending
     */
    public long issueBefore(long nowPs, long horizonPs) {
        this.nowPs = nowPs;
        this.horizonPs = horizonPs;
        // A command at cycle c is before the horizon when its time is: c < the horizon's edge cycle.
        this.horizonCycle = edge(horizonPs);
        long nowCycle = edge(nowPs);
        for (Channel ch : channels) {
            if (nowCycle >= ch.refreshDueMin) {
                ch.decided = false; // an idle channel may owe a refresh that fell due since it decided
            }
        }
        while (true) {
            Channel best = null;
            for (Channel ch : channels) {
                if (ch.decide(nowCycle) && (best == null || ch.nextCycle < best.nextCycle)) {
                    best = ch;
                }
            }
            if (best == null) {
                return Long.MAX_VALUE;
            }
            if (best.nextCycle >= nowCycle && best.nextCycle >= horizonCycle) {
                return Math.max(psOf(best.nextCycle), nowPs);
            }
            best.issue();
        }
    }

    /** Moves bursts of the oldest requests into their channels' queues, in address order, while there is room. */
    private void admit(long admitCycle) {
        while (frontHead != null) {
            Pending p = frontHead;
            while (p.nextBurst <= p.lastBurst) {
                if (p.nextBurst != fieldsBurst) { // a burst held back waits decoded for its channel's room
                    mapping.decode(p.nextBurst, fields);
                    fieldsBurst = p.nextBurst;
                }
                Channel ch = channels[fields.channel];
                if (!ch.hasRoom(p.write)) {
                    return; // head-of-line: the front end waits for that channel
                }
                ch.enqueue(p, fields, Math.max(admitCycle, p.arrivalCycle));
                p.nextBurst++;
            }
            frontHead = p.nextInFront;
            p.nextInFront = null;
            if (frontHead == null) {
                frontTail = null;
            }
        }
    }

    private void complete(Pending p) {
        MemRequest r = p.request;
        r.markFirstData(clock.cyclesToPs(p.firstDataCycle));
        long donePs = Math.max(nowPs, psOf(p.lastDataCycle));
        if (!r.isWrite()) {
            long latencyPs = donePs - r.acceptedPs();
            activity.readLatencies.add(latencyPs);
            if (readLatency != null) {
                readLatency.record(latencyPs);
            }
        }
        if (donePs < horizonPs) { // the driver's next event is now this completion
            horizonPs = donePs;
            horizonCycle = edge(donePs);
        }
        p.request = null;
        p.nextFree = freePending;
        freePending = p;
        completions.complete(r, donePs);
    }

    /**
     * Closes the books at the end of a run: issues the refreshes that fell due while the memory was idle (the
     * controller issues them whatever the traffic), then counts background time up to {@code endPs}.
     */
    public void finish(long endPs) {
        long end = clock.psToCycles(endPs);
        for (Channel ch : channels) {
            ch.catchUp(end);
            ch.accountBackground(Math.max(end, ch.lastCmdCycle));
        }
        activity.totalCycles = Math.max(activity.totalCycles, end);
        if (checker != null) {
            checker.finish(end);
        }
    }

    /** Counts background time up to {@code ps} (so that energy read now is up to date). */
    void accountTo(long ps) {
        long cycle = clock.psToCycles(ps);
        for (Channel ch : channels) {
            ch.accountBackground(Math.max(cycle, ch.lastCmdCycle));
        }
    }

    /** Stops at {@code ps} for a fast-forwarded stretch: refreshes due so far are issued, background counted. */
    void pauseAt(long ps) {
        long cycle = clock.psToCycles(ps);
        for (Channel ch : channels) {
            ch.catchUp(cycle);
            ch.accountBackground(Math.max(cycle, ch.lastCmdCycle));
        }
    }

    /**
     * Resumes at {@code ps} after a fast-forwarded stretch, whose energy and refreshes the fast model accounted:
     * banks start precharged, the refresh schedule keeps its phase, nothing before {@code ps} is issued.
     */
    void resumeAt(long ps) {
        long cycle = clock.edgeCycle(ps);
        for (Channel ch : channels) {
            ch.resume(cycle);
        }
    }

    /** Command counts, row-buffer outcomes, standby cycles and the checker's findings, in report order. */
    public java.util.Map<String, Number> details() {
        java.util.Map<String, Number> d = new java.util.LinkedHashMap<>();
        d.put("activates", activity.activates());
        d.put("precharges", activity.precharges());
        d.put("read_bursts", activity.readBursts());
        d.put("write_bursts", activity.writeBursts());
        d.put("refreshes_all_bank", activity.allBankRefreshes());
        d.put("refreshes_per_bank", activity.perBankRefreshes());
        d.put("row_hits", activity.rowHits());
        d.put("row_misses", activity.rowMisses());
        d.put("row_conflicts", activity.rowConflicts());
        long bursts = activity.rowHits() + activity.rowMisses() + activity.rowConflicts();
        d.put("row_hit_rate", bursts == 0 ? 0.0 : (double) activity.rowHits() / bursts);
        d.put("active_standby_cycles", activity.activeStandbyCycles());
        d.put("precharged_standby_cycles", activity.prechargedStandbyCycles());
        if (checker != null) {
            d.put("commands_checked", checker.commandsChecked());
            d.put("timing_violations", checker.violationCount());
        }
        return d;
    }

    /** Adds the DRAM energy of the commands issued and the background time counted so far, under "dram". */
    public void addEnergy(EnergyBreakdown energy) {
        DramPower.addEnergy(energy, power, t, activity);
    }

    /** A client request being served; reused once served. */
    private static final class Pending {
        MemRequest request;
        boolean write;
        long lastBurst;
        long arrivalCycle;
        long nextBurst;
        int remaining;
        long firstDataCycle;
        long lastDataCycle;
        Pending nextFree;
        Pending nextInFront;

        void init(MemRequest request, long firstBurst, long lastBurst, long arrivalCycle) {
            this.request = request;
            this.write = request.isWrite();
            this.nextBurst = firstBurst;
            this.lastBurst = lastBurst;
            this.remaining = (int) (lastBurst - firstBurst + 1);
            this.arrivalCycle = arrivalCycle;
            this.firstDataCycle = Long.MAX_VALUE;
            this.lastDataCycle = 0;
            this.nextFree = null;
        }
    }

    /** One burst waiting in a channel's queue. */
    private static final class Txn {
        Pending owner;
        int rank;
        int bankGroup;
        int group; // flat: rank * bankGroups + bankGroup
        int bank; // flat: rank * banks + bank
        int row;
        int column;
        boolean write;
        long seq;
        long arrivalCycle;
        boolean neededAct;
        boolean neededPre;
        Txn prev;
        Txn next;
    }

    /**
     * The transactions waiting for one bank, oldest first: an intrusive doubly-linked list, so that taking out a
     * row hit from the middle costs nothing. {@code mask} has a bit per bank whose queue is not empty, so the
     * scheduler visits only banks with work.
     */
    private static final class BankQueues {
        final Txn[] head;
        final Txn[] tail;
        // The scheduler's pick in each bank ({@link Channel#pick}) while neither the queue's hits nor the open row
        // change, or null: with a row open and an older miss at the head, finding the oldest hit is a walk.
        final Txn[] pick;
        // Each bank's candidate command ({@link Channel#candidate}): the pick, what it needs (a column command, a
        // precharge or an activate) and the earliest cycle the bank itself allows it (the pick's arrival and the
        // bank's own timing). A bit of stale is set when anything of the bank changes; the scheduler then works
        // the candidate out again, and otherwise only weighs it against the rank's and the bus's timing, which
        // every command moves.
        final Txn[] candTxn;
        final byte[] candKind;
        final long[] candReady;
        final long[] candSeq;
        final int[] candBound; // where in Channel.shared the rank's and the bus's bound on the candidate is
        long stale = -1L;
        long nonEmpty;

        BankQueues(int banks) {
            if (banks > 64) {
                throw new IllegalArgumentException("at most 64 banks per channel (ranks x banks)");
            }
            head = new Txn[banks];
            tail = new Txn[banks];
            pick = new Txn[banks];
            candTxn = new Txn[banks];
            candKind = new byte[banks];
            candReady = new long[banks];
            candSeq = new long[banks];
            candBound = new int[banks];
        }

        void addLast(int b, Txn x) {
            x.next = null;
            x.prev = tail[b];
            if (tail[b] == null) {
                head[b] = x;
            } else {
                tail[b].next = x;
            }
            tail[b] = x;
            nonEmpty |= 1L << b;
        }

        void remove(int b, Txn x) {
            if (pick[b] == x) {
                pick[b] = null;
            }
            if (x.prev == null) {
                head[b] = x.next;
            } else {
                x.prev.next = x.next;
            }
            if (x.next == null) {
                tail[b] = x.prev;
            } else {
                x.next.prev = x.prev;
            }
            x.prev = null;
            x.next = null;
            if (head[b] == null) {
                nonEmpty &= ~(1L << b);
            }
        }

        boolean isEmpty(int b) {
            return head[b] == null;
        }
    }

    private static final int NONE = -1;
    // what a bank's candidate needs (COLUMN must be 0, the others 1 and 2: the scheduler puts column commands
    // first on a tie by adding (kind + 1) / 2, "not a column", to twice the cycle)
    private static final byte COLUMN = 0;
    private static final byte PRECHARGE = 1;
    private static final byte ACTIVATE = 2;
    // Below this many banks with traffic the scheduler works each bank's command out afresh (chooseAmongFew).
    private static final int FEW_BANKS = 3;

    /** One channel: its queues, its banks' and ranks' state, and its scheduler. */
    private final class Channel {
        final int index;
        final int ranks;
        final int banksPerRank;
        // per bank (flat index rank * banksPerRank + bank)
        final int[] openRow;
        final long[] nextAct;
        final long[] nextPre;
        final long[] nextRd;
        final long[] nextWr;
        final long[] lastAct;
        final long[] lastUse;
        final long[] preAfterWrite;
        final BankQueues readQ;
        final BankQueues writeQ;
        final int[] rankOf; // per bank: its rank
        // While choosing: the rank's and the bus's bound on a command, for a column command in each bank group
        // (flat group index), a precharge in each rank (after them), an activate in each rank (after those).
        final long[] shared;
        final int[] groupOf; // per bank: its bank group, flat (rank * bankGroups + group)
        // per rank
        final long[] rankNextAct;
        final long[][] fawWindow;
        final int[] fawHead;
        final long[] rankNextPre;
        final long[] rankNextRef;
        final long[] refreshDue;
        long refreshDueMin; // the earliest of refreshDue
        final int[] refreshedMask; // per-bank refresh: banks already refreshed in the current round
        final int[] openBanks;
        final long[] openSince;
        // per rank and bank group: column-to-column and write-to-read within a group
        final long[] groupNextRd; // flat: rank * bankGroups + group
        final long[] groupNextWr;
        Txn free; // bursts served, kept for reuse, linked by next
        int reads;
        int writes;
        boolean draining;
        long busFreeCycle;
        long lastCmdCycle = -1;
        // the decision
        boolean decided;
        long nextCycle;
        DramCommand.Type nextType;
        int nextBank;
        int nextRank;
        Txn nextTxn;

        @SuppressWarnings("unchecked")
        Channel(int index, int ranks) {
            this.index = index;
            this.ranks = ranks;
            this.banksPerRank = t.banks();
            int n = ranks * banksPerRank;
            openRow = new int[n];
            java.util.Arrays.fill(openRow, NONE);
            nextAct = new long[n];
            nextPre = new long[n];
            nextRd = new long[n];
            nextWr = new long[n];
            lastAct = new long[n];
            lastUse = new long[n];
            preAfterWrite = new long[n];
            readQ = new BankQueues(n);
            writeQ = new BankQueues(n);
            rankOf = new int[n];
            shared = new long[ranks * t.bankGroups() + 2 * ranks];
            groupOf = new int[n];
            for (int b = 0; b < n; b++) {
                rankOf[b] = b / banksPerRank;
                groupOf[b] = b / t.banksPerGroup();
            }
            rankNextAct = new long[ranks];
            fawWindow = new long[ranks][4];
            for (long[] w : fawWindow) {
                java.util.Arrays.fill(w, Long.MIN_VALUE / 2);
            }
            fawHead = new int[ranks];
            rankNextPre = new long[ranks];
            rankNextRef = new long[ranks];
            refreshDue = new long[ranks];
            refreshedMask = new int[ranks];
            openBanks = new int[ranks];
            openSince = new long[ranks];
            groupNextRd = new long[ranks * bankGroups];
            groupNextWr = new long[ranks * bankGroups];
            for (int r = 0; r < ranks; r++) {
                refreshDue[r] = refreshInterval();
            }
            refreshDueMin = refreshDue[0];
        }

        /** Call after a change of refreshDue. */
        private void refreshRescheduled() {
            long due = Long.MAX_VALUE;
            for (long d : refreshDue) {
                due = Math.min(due, d);
            }
            refreshDueMin = due;
        }

        long refreshInterval() {
            return perBankRefresh ? Math.max(1, t.nREFI() / banksPerRank) : t.nREFI();
        }

        boolean hasRoom(boolean write) {
            return write ? writes < writeQueueSize : reads < readQueueSize;
        }

        /**
         * Puts a burst in its queue; it may issue from {@code admitCycle}. A channel that had no traffic first issues
         * what it owes from before then (refreshes that fell due while it was idle and no one called it), so that
         * its state when the burst arrives does not depend on when the driver last called the controller.
         */
        void enqueue(Pending p, AddressMapping.Fields f, long admitCycle) {
            if (reads + writes == 0) {
                catchUp(admitCycle);
            }
            Txn x = newTxn(p, f, admitCycle);
            boolean keep = keepsDecision(x);
            BankQueues q = x.write ? writeQ : readQ;
            Txn picked = q.pick[x.bank];
            if (picked != null && picked.row != openRow[x.bank] && x.row == openRow[x.bank]) {
                q.pick[x.bank] = null; // the first hit in a queue of misses: the pick changes
            }
            q.addLast(x.bank, x);
            q.stale |= 1L << x.bank;
            if (x.write) {
                writes++;
            } else {
                reads++;
            }
            if (!keep) {
                decided = false;
            } else if (checker != null) {
                verifyKeptDecision();
            }
        }

        /** A burst record for {@code p}'s next burst, at {@code f}, arriving at {@code admitCycle} (reused if any). */
        private Txn newTxn(Pending p, AddressMapping.Fields f, long admitCycle) {
            Txn x = free;
            if (x == null) {
                x = new Txn();
            } else {
                free = x.next;
            }
            x.owner = p;
            x.rank = f.rank;
            x.bankGroup = f.bankGroup;
            x.group = f.rank * bankGroups + f.bankGroup;
            x.bank = f.rank * banksPerRank + f.bank;
            x.row = f.row;
            x.column = f.column;
            x.write = p.write;
            x.seq = arrivalSeq++;
            x.arrivalCycle = admitCycle;
            x.neededAct = false;
            x.neededPre = false;
            return x;
        }

        /**
         * Whether read {@code x}, about to join its bank's queue, leaves the decided traffic command as it is, so
         * that the scheduler need not look again (the common case of a stream: a read behind others of its bank).
         * It does when reads are being served and keep being served, the bank's pick stays the same (the bank
         * already has a read waiting, and either its pick is the head or {@code x} is no row hit that could
         * overtake it), and the open-page policy does not ask whether another hit follows.
         */
        private boolean keepsDecision(Txn x) {
            if (!decided || nextType == null || nextTxn == null || x.write || draining || reads == 0
                    || closedPage || readQ.isEmpty(x.bank)) {
                return false;
            }
            int open = openRow[x.bank];
            return open == NONE || readQ.head[x.bank].row == open || x.row != open;
        }

        /** With the timing checker on, every kept decision is checked against a fresh one. */
        private void verifyKeptDecision() {
            DramCommand.Type type = nextType;
            Txn txn = nextTxn;
            int bank = nextBank;
            long cycle = nextCycle;
            decided = false;
            decide(lastCmdCycle);
            if (nextType != type || nextTxn != txn || nextBank != bank || nextCycle != cycle) {
                throw new IllegalStateException("channel " + index + ": a kept scheduling decision (" + type + " bank "
                        + bank + " at " + cycle + ") differs from a fresh one (" + nextType + " bank " + nextBank
                        + " at " + nextCycle + ")");
            }
        }

        /** Issues every command this channel would issue before cycle {@code end} with no new traffic. */
        void catchUp(long end) {
            decided = false;
            while (decide(end - 1) && nextCycle < end) {
                issue();
            }
        }

        // ---- the scheduler ----

        /**
         * Works out the next command (kept until state changes); false when there is nothing to do.
         *
         * <p>A refresh goes first once it is due by the cycle the next traffic command would issue at: an all-bank
         * refresh stops the rank's traffic until it is done; a per-bank refresh blocks only its bank and competes
         * with the other banks' traffic (it wins ties). Weighing the refresh against the command, not against the
         * caller's time, keeps the decision independent of when the driver calls. A channel with no traffic has no
         * command to weigh it against: it takes the refreshes due by {@code nowCycle}, issuing them at their own
         * cycles, in its past if no one called it then (it is never issued out of order).
         */
        boolean decide(long nowCycle) {
            if (decided) {
                return nextType != null;
            }
            return decideAgain(nowCycle);
        }

        /** {@link #decide} when the decision is to be made (kept apart: decide itself is small enough to inline). */
        private boolean decideAgain(long nowCycle) {
            decided = true;
            nextType = null;
            long earliest = lastCmdCycle + 1; // one command per cycle on the command bus
            boolean idle = reads + writes == 0;
            long trafficCycle = idle ? Long.MAX_VALUE : chooseTraffic(earliest, NONE);
            long refreshBy = idle ? Math.max(nowCycle, earliest) : trafficCycle;
            if (refreshDueMin > refreshBy) { // no refresh due by then: the common case
                return !idle && chosenTraffic(trafficCycle);
            }
            return decideWithRefresh(idle, earliest, trafficCycle, refreshBy);
        }

        /** The rest of {@link #decideAgain} when a refresh may be due by {@code refreshBy}; apart to keep that small. */
        private boolean decideWithRefresh(boolean idle, long earliest, long trafficCycle, long refreshBy) {
            int refreshRank = NONE;
            for (int r = 0; r < ranks && refreshRank == NONE; r++) {
                if (refreshDue[r] <= refreshBy) {
                    refreshRank = r;
                }
            }
            if (refreshRank == NONE) {
                return !idle && chosenTraffic(trafficCycle);
            }
            DramCommand.Type trafficType = nextType;
            Txn trafficTxn = nextTxn;
            int trafficBank = nextBank;
            int trafficRank = nextRank;
            decideRefresh(refreshRank, earliest);
            if (idle || !perBankRefresh) {
                return true;
            }
            DramCommand.Type refreshType = nextType;
            int refreshBank = nextBank;
            long refreshCycle = nextCycle;
            if (trafficBank == refreshBank) {
                trafficCycle = chooseTraffic(earliest, refreshBank); // the refresh blocks that bank's traffic
            } else { // the traffic choice stands: put it back where decideRefresh wrote the refresh
                nextType = trafficType;
                nextTxn = trafficTxn;
                nextBank = trafficBank;
                nextRank = trafficRank;
            }
            if (refreshCycle <= trafficCycle) {
                return choose(refreshType, refreshRank, refreshBank, refreshCycle);
            }
            return chosenTraffic(trafficCycle);
        }

        /**
         * Chooses the traffic command to issue next, leaving it in {@code nextType}, {@code nextTxn},
         * {@code nextBank} and {@code nextRank}, and returns its cycle; {@link Long#MAX_VALUE} (and a null type)
         * when there is none outside {@code excludedBank}.
         */
        private long chooseTraffic(long earliest, int excludedBank) {
            nextType = null;
            nextTxn = null;
            nextBank = NONE;
            updateDrainMode();
            boolean servingWrites = draining || reads == 0;
            BankQueues queues = servingWrites ? writeQ : readQ;
            if (Long.bitCount(queues.nonEmpty) < FEW_BANKS) {
                return chooseAmongFew(queues, earliest, excludedBank);
            }
            return chooseAmongMany(queues, servingWrites, earliest, excludedBank);
        }

        /**
         * {@link #chooseTraffic} when many banks have traffic: each bank's candidate kept until the bank changes,
         * and weighed against the rank's and the bus's timing, which every command moves.
         */
        private long chooseAmongMany(BankQueues queues, boolean servingWrites, long earliest, int excludedBank) {
            long bestCycle = Long.MAX_VALUE;
            long bestSeq = Long.MAX_VALUE;
            long stale = queues.stale & queues.nonEmpty;
            if (stale != 0) {
                for (long mask = stale; mask != 0; mask &= mask - 1) {
                    candidate(queues, Long.numberOfTrailingZeros(mask));
                }
                queues.stale &= ~stale;
            }
            // Column commands wait for tCCD and write-to-read in their group and for the data bus; PRE for tPPD;
            // ACT for tRRD and tFAW (as actReady). The bank's own bounds come with its candidate.
            long[] groupNext = servingWrites ? groupNextWr : groupNextRd;
            long busBound = busFreeCycle - (servingWrites ? nWL : nRL);
            int groups = ranks * bankGroups;
            for (int g = 0; g < groups; g++) {
                shared[g] = Math.max(groupNext[g], busBound);
            }
            for (int r = 0; r < ranks; r++) {
                shared[groups + r] = rankNextPre[r];
                shared[groups + ranks + r] = Math.max(rankNextAct[r], fawWindow[r][fawHead[r]] + nFAW);
            }
            // Random traffic makes every branch here a coin toss, so the loop selects rather than branches: the
            // order (earliest cycle, then column commands, then the oldest) is one key, cycle * 2 + (not column),
            // and a tie on it (rare) is broken by age.
            int bestBank = NONE;
            long bestKey = Long.MAX_VALUE;
            for (long mask = queues.nonEmpty; mask != 0; mask &= mask - 1) {
                int b = Long.numberOfTrailingZeros(mask);
                if (b == excludedBank || (fcfs && !isOldest(queues.candTxn[b], queues))) {
                    continue;
                }
                long at = Math.max(Math.max(earliest, queues.candReady[b]), shared[queues.candBound[b]]);
                long key = 2 * at + ((queues.candKind[b] + 1) >> 1);
                long seq = queues.candSeq[b];
                boolean better = key < bestKey | (key == bestKey & seq < bestSeq);
                bestKey = better ? key : bestKey;
                bestSeq = better ? seq : bestSeq;
                bestBank = better ? b : bestBank;
            }
            if (bestBank != NONE) {
                bestCycle = bestKey >> 1;
                int kind = queues.candKind[bestBank];
                nextType = kind == COLUMN ? (servingWrites ? DramCommand.Type.WR : DramCommand.Type.RD)
                        : kind == PRECHARGE ? DramCommand.Type.PRE : DramCommand.Type.ACT;
                nextTxn = queues.candTxn[bestBank];
                nextBank = bestBank;
                nextRank = rankOf[bestBank];
            }
            nextCycle = bestCycle;
            return bestCycle;
        }

        /**
         * Finishes the traffic choice {@link #chooseTraffic} left: under the closed-page policy a column command
         * with no other row hit behind it closes the row itself (RDA or WRA). False when there is no choice.
         */
        private boolean chosenTraffic(long cycle) {
            if (nextType == null) {
                return false;
            }
            nextCycle = cycle;
            if (closedPage && nextType.isColumn() && !anotherHit(nextTxn)) {
                nextType = nextType == DramCommand.Type.RD ? DramCommand.Type.RDA : DramCommand.Type.WRA;
                if (nextType == DramCommand.Type.RDA) {
                    // The implied precharge (RDA + nRTP at the earliest) must not cut short an earlier write.
                    nextCycle = Math.max(nextCycle, preAfterWrite[nextBank] - t.nRTP());
                }
            }
            return true;
        }

        private boolean isOldest(Txn x, BankQueues queues) {
            for (long mask = queues.nonEmpty; mask != 0; mask &= mask - 1) {
                Txn h = queues.head[Long.numberOfTrailingZeros(mask)];
                if (h.seq < x.seq) {
                    return false;
                }
            }
            return true;
        }

        /**
         * {@link #chooseTraffic} when few banks have traffic (a stream): each bank's command worked out afresh, as
         * cheap as keeping candidates when every command changes the one bank that has them.
         */
        private long chooseAmongFew(BankQueues queues, long earliest, int excludedBank) {
            long bestCycle = Long.MAX_VALUE;
            boolean bestIsColumn = false;
            long bestSeq = Long.MAX_VALUE;
            for (long mask = queues.nonEmpty; mask != 0; mask &= mask - 1) {
                int b = Long.numberOfTrailingZeros(mask);
                if (b == excludedBank) {
                    continue;
                }
                Txn x = pick(queues, b);
                if (fcfs && !isOldest(x, queues)) {
                    continue;
                }
                long start = Math.max(earliest, x.arrivalCycle);
                DramCommand.Type type;
                long at;
                if (openRow[b] == x.row) {
                    type = x.write ? DramCommand.Type.WR : DramCommand.Type.RD;
                    at = columnReady(x, start);
                } else if (openRow[b] != NONE) {
                    type = DramCommand.Type.PRE;
                    at = Math.max(start, Math.max(nextPre[b], rankNextPre[x.rank]));
                } else {
                    type = DramCommand.Type.ACT;
                    at = actReady(b, x.rank, start);
                }
                boolean column = type.isColumn();
                if (at < bestCycle || (at == bestCycle && ((column && !bestIsColumn)
                        || (column == bestIsColumn && x.seq < bestSeq)))) {
                    bestCycle = at;
                    bestIsColumn = column;
                    bestSeq = x.seq;
                    nextType = type;
                    nextTxn = x;
                    nextBank = b;
                    nextRank = x.rank;
                }
            }
            nextCycle = bestCycle;
            return bestCycle;
        }

        private long columnReady(Txn x, long start) {
            long at;
            if (x.write) {
                at = Math.max(start, Math.max(nextWr[x.bank], groupNextWr[x.group]));
                at = Math.max(at, busFreeCycle - nWL);
            } else {
                at = Math.max(start, Math.max(nextRd[x.bank], groupNextRd[x.group]));
                at = Math.max(at, busFreeCycle - nRL);
            }
            return at;
        }

        /** Works out bank {@code b}'s candidate in {@code q} (see {@link BankQueues#candTxn}). */
        private void candidate(BankQueues q, int b) {
            Txn x = pick(q, b);
            q.candTxn[b] = x;
            q.candSeq[b] = x.seq;
            int groups = ranks * bankGroups;
            if (openRow[b] == x.row) {
                q.candKind[b] = COLUMN;
                q.candReady[b] = Math.max(x.arrivalCycle, x.write ? nextWr[b] : nextRd[b]);
                q.candBound[b] = groupOf[b];
            } else if (openRow[b] != NONE) {
                q.candKind[b] = PRECHARGE;
                q.candReady[b] = Math.max(x.arrivalCycle, nextPre[b]);
                q.candBound[b] = groups + rankOf[b];
            } else {
                q.candKind[b] = ACTIVATE;
                q.candReady[b] = Math.max(x.arrivalCycle, nextAct[b]);
                q.candBound[b] = groups + ranks + rankOf[b];
            }
        }

        /** Something of bank {@code b} changed (its row, its timing, its queue): its candidates are stale. */
        private void touched(int b) {
            readQ.stale |= 1L << b;
            writeQ.stale |= 1L << b;
        }

        /** FR-FCFS within a bank: the oldest row hit if there is one, else the oldest request. */
        private Txn pick(BankQueues q, int bank) {
            Txn head = q.head[bank];
            int row = openRow[bank];
            if (row == NONE || head.row == row || fcfs) {
                return head;
            }
            Txn cached = q.pick[bank];
            if (cached != null) {
                return cached;
            }
            Txn hit = head;
            for (Txn x = head.next; x != null; x = x.next) {
                if (x.row == row) {
                    hit = x;
                    break;
                }
            }
            q.pick[bank] = hit;
            return hit;
        }

        /** The open row of bank {@code b} changed: its queues' picks are to be found again. */
        private void rowChanged(int b) {
            readQ.pick[b] = null;
            writeQ.pick[b] = null;
            touched(b);
        }

        private boolean anotherHit(Txn x) {
            for (Txn y = (x.write ? writeQ : readQ).head[x.bank]; y != null; y = y.next) {
                if (y != x && y.row == x.row) {
                    return true;
                }
            }
            return false;
        }

        private void updateDrainMode() {
            if (!draining && writes >= writeHigh) {
                draining = true;
            } else if (draining && writes <= writeLow) {
                draining = false;
            }
        }

        private long actReady(int bank, int rank, long start) {
            long at = Math.max(start, Math.max(nextAct[bank], rankNextAct[rank]));
            long[] w = fawWindow[rank];
            return Math.max(at, w[fawHead[rank]] + t.nFAW()); // the fourth ACT back bounds the fifth
        }

        /** Refresh of rank r: precharge what is open (the bank being refreshed, or all), then refresh. */
        private boolean decideRefresh(int r, long earliest) {
            long start = Math.max(earliest, refreshDue[r]);
            int base = r * banksPerRank;
            if (perBankRefresh) {
                int b = base + perBankTarget(r);
                if (openRow[b] != NONE) {
                    return choose(DramCommand.Type.PRE, r, b, Math.max(start, Math.max(nextPre[b], rankNextPre[r])));
                }
                // A per-bank refresh counts as an activate for tRRD and tFAW (JESD209-4).
                long at = Math.max(Math.max(start, nextAct[b]), rankNextRef[r]);
                return choose(DramCommand.Type.REFPB, r, b, actReady(b, r, at));
            }
            long at = start;
            boolean anyOpen = false;
            for (int b = base; b < base + banksPerRank; b++) {
                at = Math.max(at, nextAct[b]);
                if (openRow[b] != NONE) {
                    anyOpen = true;
                }
            }
            if (anyOpen) {
                long pre = Math.max(start, rankNextPre[r]);
                for (int b = base; b < base + banksPerRank; b++) {
                    if (openRow[b] != NONE) {
                        pre = Math.max(pre, nextPre[b]);
                    }
                }
                return choose(DramCommand.Type.PREA, r, base, pre);
            }
            return choose(DramCommand.Type.REFAB, r, base, Math.max(at, rankNextRef[r]));
        }

        /**
         * The bank to refresh next. Per-bank refreshes may come in any order as long as every bank is refreshed
         * once per round (JESD209-4), so take, among the banks not yet refreshed this round and with no traffic
         * waiting, the one used most recently: a stream that walks the banks in turn needs it again last.
         * Failing that, the first bank not yet refreshed.
         */
        private int perBankTarget(int r) {
            int best = NONE;
            int fallback = NONE;
            for (int k = 0; k < banksPerRank; k++) {
                if ((refreshedMask[r] & (1 << k)) != 0) {
                    continue;
                }
                int b = r * banksPerRank + k;
                if (fallback == NONE) {
                    fallback = k;
                }
                if (readQ.isEmpty(b) && writeQ.isEmpty(b)
                        && (best == NONE || lastUse[b] > lastUse[r * banksPerRank + best])) {
                    best = k;
                }
            }
            return best != NONE ? best : fallback;
        }

        private boolean choose(DramCommand.Type type, int rank, int bank, long cycle) {
            nextType = type;
            nextRank = rank;
            nextBank = bank;
            nextTxn = null;
            nextCycle = cycle;
            return true;
        }

        // ---- issuing ----

        /**
         * Issues the decided command. Column commands, most of the traffic, take a short path kept small enough for
         * the JIT to inline into the issue loop; the rest go to {@link #issueRowOrRefresh}.
         */
        void issue() {
            long c = nextCycle;
            DramCommand.Type type = nextType;
            Txn x = nextTxn;
            if (!type.isColumn()) {
                issueRowOrRefresh(c, type, x);
                return;
            }
            int row = x.row;
            int column = x.column;
            int bank = x.bank;
            int rank = x.rank;
            column(x, type, c); // recycles x
            lastCmdCycle = c;
            decided = false;
            if (commandListener != null || checker != null) {
                report(c, type, rank, bank, row, column);
            }
            admit(c); // a queue slot is free from this cycle
        }

        /** Issues an ACT, PRE, PREA, REFAB or REFPB. */
        private void issueRowOrRefresh(long c, DramCommand.Type type, Txn x) {
            int b = nextBank;
            int r = nextRank;
            int bankInRank = b - r * banksPerRank;
            int row = x != null ? x.row : openRow[b];
            switch (type) {
                case ACT -> {
                    x.neededAct = true;
                    openRow[b] = x.row;
                    rowChanged(b);
                    lastAct[b] = c;
                    nextRd[b] = Math.max(nextRd[b], c + t.nRCD());
                    nextWr[b] = Math.max(nextWr[b], c + t.nRCD());
                    nextPre[b] = Math.max(nextPre[b], c + t.nRAS());
                    nextAct[b] = Math.max(nextAct[b], c + t.nRC());
                    rankNextAct[r] = Math.max(rankNextAct[r], c + t.nRRD());
                    fawWindow[r][fawHead[r]] = c;
                    fawHead[r] = (fawHead[r] + 1) & 3;
                    bankOpened(r, c);
                    activity.acts[index]++;
                }
                case PRE -> {
                    if (x != null) {
                        x.neededPre = true;
                    }
                    precharge(b, r, c, t.nRPpb());
                }
                case PREA -> {
                    for (int k = r * banksPerRank; k < (r + 1) * banksPerRank; k++) {
                        if (openRow[k] != NONE) {
                            precharge(k, r, c, t.nRPab());
                        }
                    }
                }
                default -> throw new IllegalStateException("column commands take their own path: " + type);
                case REFAB -> {
                    for (int k = r * banksPerRank; k < (r + 1) * banksPerRank; k++) {
                        nextAct[k] = Math.max(nextAct[k], c + t.nRFCab());
                    }
                    rankNextRef[r] = Math.max(rankNextRef[r], c + t.nRFCab());
                    refreshDue[r] += t.nREFI();
                    refreshRescheduled();
                    activity.refAb[index]++;
                }
                case REFPB -> {
                    nextAct[b] = Math.max(nextAct[b], c + t.nRFCpb());
                    rankNextRef[r] = Math.max(rankNextRef[r], c + t.nRFCpb());
                    rankNextAct[r] = Math.max(rankNextAct[r], c + t.nRRD());
                    fawWindow[r][fawHead[r]] = c;
                    fawHead[r] = (fawHead[r] + 1) & 3;
                    refreshDue[r] += refreshInterval();
                    refreshRescheduled();
                    refreshedMask[r] |= 1 << bankInRank;
                    if (refreshedMask[r] == (1 << banksPerRank) - 1) {
                        refreshedMask[r] = 0; // every bank refreshed once: a new round
                    }
                    activity.refPb[index]++;
                }
            }
            if (type == DramCommand.Type.PREA || type == DramCommand.Type.REFAB) {
                for (int k = r * banksPerRank; k < (r + 1) * banksPerRank; k++) {
                    touched(k);
                }
            } else {
                touched(b);
            }
            lastCmdCycle = c;
            decided = false;
            if (commandListener != null || checker != null) {
                report(c, type, r, b, row, NONE);
            }
        }

        /** Hands the command to the checker and the listener. */
        private void report(long c, DramCommand.Type type, int r, int b, int row, int column) {
            int bankInRank = b - r * banksPerRank;
            DramCommand cmd = new DramCommand(c, type, index, r, bankInRank / t.banksPerGroup(),
                    bankInRank % t.banksPerGroup(), row, column);
            if (checker != null) {
                checker.check(cmd);
            }
            if (commandListener != null) {
                commandListener.accept(cmd);
            }
        }

        private void precharge(int b, int r, long c, int nRP) {
            activity.pres[index]++; // per bank closed: that is what precharge energy is charged on
            openRow[b] = NONE;
            rowChanged(b);
            nextAct[b] = Math.max(nextAct[b], c + nRP);
            rankNextPre[r] = Math.max(rankNextPre[r], c + t.nPPD());
            bankClosed(r, c);
        }

        /**
         * A column command on {@code x}'s bank at cycle {@code c}: timing, queues, counts, and the burst's data
         * handed to its request. The read and write bookkeeping and the implied precharge of RDA/WRA are apart, so
         * that this stays small enough for the JIT to inline.
         */
        private void column(Txn x, DramCommand.Type type, long c) {
            int b = x.bank;
            long dataStart = type.isRead() ? readIssued(x, c) : writeIssued(x, c);
            touched(b);
            long dataEnd = dataStart + burstCycles;
            busFreeCycle = dataEnd;
            lastUse[b] = c;
            if (type == DramCommand.Type.RDA || type == DramCommand.Type.WRA) {
                autoPrecharge(b, x.rank, type, c);
            }
            if (x.neededPre) {
                activity.rowConflicts++;
            } else if (x.neededAct) {
                activity.rowMisses++;
            } else {
                activity.rowHits++;
            }
            Pending p = x.owner;
            p.firstDataCycle = Math.min(p.firstDataCycle, dataStart);
            p.lastDataCycle = Math.max(p.lastDataCycle, dataEnd);
            x.owner = null;
            x.next = free;
            free = x;
            if (--p.remaining == 0) {
                complete(p);
            }
        }

        /** A read of {@code x} issued at {@code c}: group and bank timing, its queue; returns its first data cycle. */
        private long readIssued(Txn x, long c) {
            int g = x.group;
            int groups = x.rank * bankGroups;
            for (int k = groups; k < groups + bankGroups; k++) {
                boolean same = k == g;
                groupNextRd[k] = Math.max(groupNextRd[k], c + (same ? nCCD_L : nCCD_S));
                groupNextWr[k] = Math.max(groupNextWr[k], c + (same ? rdToWrSameGroup : rdToWrOtherGroup));
            }
            int b = x.bank;
            nextPre[b] = Math.max(nextPre[b], c + nRTP);
            readQ.remove(b, x);
            reads--;
            activity.reads[index]++;
            return c + nRL;
        }

        /** A write of {@code x} issued at {@code c}: group and bank timing, its queue; returns its first data cycle. */
        private long writeIssued(Txn x, long c) {
            int g = x.group;
            int groups = x.rank * bankGroups;
            for (int k = groups; k < groups + bankGroups; k++) {
                boolean same = k == g;
                groupNextWr[k] = Math.max(groupNextWr[k], c + (same ? nCCD_L : nCCD_S));
                groupNextRd[k] = Math.max(groupNextRd[k], c + (same ? wrToRdSameGroup : wrToRdOtherGroup));
            }
            int b = x.bank;
            nextPre[b] = Math.max(nextPre[b], c + wrToPre);
            preAfterWrite[b] = Math.max(preAfterWrite[b], c + wrToPre);
            writeQ.remove(b, x);
            writes--;
            activity.writes[index]++;
            return c + nWL;
        }

        /** The precharge implied by an RDA or WRA issued at {@code c}; JEDEC delays it until tRAS is met. */
        private void autoPrecharge(int b, int r, DramCommand.Type type, long c) {
            long preAt = Math.max(lastAct[b] + t.nRAS(), type == DramCommand.Type.RDA ? c + t.nRTP() : c + wrToPre);
            openRow[b] = NONE;
            rowChanged(b);
            nextAct[b] = Math.max(nextAct[b], preAt + t.nRPpb());
            bankClosed(r, c);
            activity.pres[index]++;
        }

        private void bankOpened(int r, long c) {
            if (openBanks[r]++ == 0) {
                activity.precharged[index][r] += c - openSince[r];
                openSince[r] = c;
            }
        }

        private void bankClosed(int r, long c) {
            if (--openBanks[r] == 0) {
                activity.active[index][r] += c - openSince[r];
                openSince[r] = c;
            }
        }

        void resume(long cycle) {
            java.util.Arrays.fill(openRow, NONE);
            java.util.Arrays.fill(readQ.pick, null);
            java.util.Arrays.fill(writeQ.pick, null);
            readQ.stale = -1L;
            writeQ.stale = -1L;
            for (int r = 0; r < ranks; r++) {
                openBanks[r] = 0;
                openSince[r] = cycle;
                long interval = refreshInterval();
                if (refreshDue[r] < cycle) {
                    refreshDue[r] += (cycle - refreshDue[r] + interval - 1) / interval * interval;
                }
            }
            refreshRescheduled();
            lastCmdCycle = Math.max(lastCmdCycle, cycle - 1);
            decided = false;
        }

        void accountBackground(long end) {
            for (int r = 0; r < ranks; r++) {
                long span = Math.max(0, end - openSince[r]);
                if (openBanks[r] > 0) {
                    activity.active[index][r] += span;
                } else {
                    activity.precharged[index][r] += span;
                }
                openSince[r] = end;
            }
        }
    }
}
