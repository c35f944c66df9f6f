package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Histogram;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.energy.EnergyBreakdown;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A cycle-level LPDDR memory system: a controller per channel with per-bank state machines, read and write queues
 * with write draining between watermarks, FR-FCFS (or FCFS) scheduling, open- or closed-page policy, all-bank or
 * per-bank refresh, and the timing table of its standard ({@link TimingTables}).
 *
 * <p>Client requests (any size) enter a front-end queue, the back-pressure point; they are cut into bursts
 * ({@code channel width x BL} bytes) in address order, and each burst enters its channel's read or write queue when
 * there is room. A request completes when the data of its last burst has crossed the bus.
 *
 * <p>The channels do not schedule an engine event per command: whenever the controller runs it issues commands in
 * time order across channels up to the time of the engine's next pending event, before which no new request can
 * arrive; then it sleeps until its next command or the next arrival. Every issued command goes to an optional
 * listener, which is how the independent timing checker sees the command stream.
 */
public final class LpddrMemory implements MemorySystem {
    private final Simulator sim;
    private final TimingTable t;
    private final MemoryConfig.Controller ctl;
    private final ClockDomain clock;
    private final MemoryConfig.Power power;
    private final AddressMapping mapping;
    private final Channel[] channels;
    private final ArrayDeque<Pending> frontEnd = new ArrayDeque<>();
    private final Credits requestSlots;
    private final MemoryCounters counters = new MemoryCounters();
    private final DramActivity activity;
    private final Histogram readLatency;
    private final AddressMapping.Fields fields = new AddressMapping.Fields();
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
    private long wakeScheduledPs = Long.MAX_VALUE;
    private long wakeId;
    private long arrivalSeq;

    public LpddrMemory(Simulator sim, MemoryConfig config, TimingTable timing, Stats stats) {
        this.sim = sim;
        this.t = timing;
        this.ctl = config.controller();
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
        this.requestSlots = new Credits(sim, "memory.queue", ctl.requestQueue(), false, stats);
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
        this.readLatency = stats.histogram("memory.read_latency_ps");
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

    public int burstBytes() {
        return mapping.burstBytes();
    }

    // ---- client side ----

    @Override
    public boolean offer(MemRequest r) {
        if (!requestSlots.tryAcquire(1)) {
            return false;
        }
        r.markAccepted(sim.nowPs());
        long first = r.address() / mapping.burstBytes();
        long last = (r.address() + r.bytes() - 1) / mapping.burstBytes();
        Pending p = new Pending(r, first, last, clock.psToCycles(clock.nextEdgePs(sim.nowPs())));
        frontEnd.addLast(p);
        counters.record(r, 0);
        admit();
        wakeAt(sim.nowPs());
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        if (requestSlots.canAcquire(1)) {
            waiter.run();
        } else {
            requestSlots.whenAvailable(waiter);
        }
    }

    @Override
    public MemoryCounters counters() {
        return counters;
    }

    /** Moves bursts of the oldest requests into their channels' queues, in address order, while there is room. */
    private void admit() {
        while (!frontEnd.isEmpty()) {
            Pending p = frontEnd.peekFirst();
            while (p.nextBurst <= p.lastBurst) {
                mapping.decode(p.nextBurst, fields);
                Channel ch = channels[fields.channel];
                if (!ch.hasRoom(p.write)) {
                    return; // head-of-line: the front end waits for that channel
                }
                ch.enqueue(p, fields);
                p.nextBurst++;
            }
            frontEnd.pollFirst();
        }
    }

    private void wakeAt(long ps) {
        if (ps < wakeScheduledPs) {
            wakeScheduledPs = ps;
            long id = ++wakeId;
            sim.scheduleAt(ps, () -> run(id));
        }
    }

    /** Issues commands in time order across channels until the engine's next event; then sleeps. */
    private void run(long id) {
        if (id != wakeId) {
            return; // superseded by a later-scheduled wake-up (for an earlier time, or this time again)
        }
        wakeScheduledPs = Long.MAX_VALUE;
        long nowCycle = clock.psToCycles(clock.nextEdgePs(sim.nowPs()));
        for (Channel ch : channels) {
            if (nowCycle >= ch.nextRefreshDue()) {
                ch.decided = false; // a refresh fell due since the channel decided
            }
        }
        long horizonPs = sim.peekNextTimePs();
        while (true) {
            Channel best = null;
            for (Channel ch : channels) {
                if (ch.decide(nowCycle) && (best == null || ch.nextCycle < best.nextCycle)) {
                    best = ch;
                }
            }
            if (best == null) {
                return;
            }
            if (best.nextCycle >= nowCycle) {
                long cmdPs = clock.cyclesToPs(best.nextCycle);
                if (cmdPs >= horizonPs) {
                    wakeAt(Math.max(cmdPs, sim.nowPs()));
                    return;
                }
            }
            best.issue();
            if (completionScheduled) {
                completionScheduled = false;
                horizonPs = sim.peekNextTimePs(); // only our own completions move the horizon while we run
            }
        }
    }

    private boolean completionScheduled;

    private void complete(Pending p) {
        completionScheduled = true;
        MemRequest r = p.request;
        r.markFirstData(clock.cyclesToPs(p.firstDataCycle));
        long donePs = Math.max(sim.nowPs(), clock.cyclesToPs(p.lastDataCycle));
        sim.scheduleAt(donePs, () -> {
            if (!r.isWrite()) {
                readLatency.record(sim.nowPs() - r.acceptedPs());
                activity.readLatencies.add(sim.nowPs() - r.acceptedPs());
            }
            r.complete(sim.nowPs());
            requestSlots.release(1);
        });
    }

    /**
     * Closes the books at the end of a run: issues the refreshes that fell due while the memory was idle (the
     * controller issues them whatever the traffic), then counts background time up to {@code endPs}.
     */
    @Override
    public void finish(long endPs) {
        long end = clock.psToCycles(endPs);
        for (Channel ch : channels) {
            ch.decided = false;
            while (ch.decide(end) && ch.nextCycle < end) {
                ch.issue();
            }
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

    private long pausedAtPs = -1;

    /** Stops at {@code ps} for a fast-forwarded stretch: refreshes due so far are issued, background counted. */
    void pauseAt(long ps) {
        long cycle = clock.psToCycles(ps);
        for (Channel ch : channels) {
            ch.decided = false;
            while (ch.decide(cycle) && ch.nextCycle < cycle) {
                ch.issue();
            }
            ch.accountBackground(Math.max(cycle, ch.lastCmdCycle));
        }
        pausedAtPs = ps;
    }

    long pausedAtPs() {
        return pausedAtPs;
    }

    /**
     * Resumes at {@code ps} after a fast-forwarded stretch, whose energy and refreshes the fast model accounted:
     * banks start precharged, the refresh schedule keeps its phase, nothing before {@code ps} is issued.
     */
    void resumeAt(long ps) {
        long cycle = clock.psToCycles(clock.nextEdgePs(ps));
        for (Channel ch : channels) {
            ch.resume(cycle);
        }
        pausedAtPs = -1;
    }

    @Override
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

    @Override
    public void addEnergy(EnergyBreakdown energy, long simTimePs) {
        DramPower.addEnergy(energy, power, t, activity);
    }

    /** A client request being served. */
    private static final class Pending {
        final MemRequest request;
        final boolean write;
        final long lastBurst;
        final long arrivalCycle;
        long nextBurst;
        int remaining;
        long firstDataCycle = Long.MAX_VALUE;
        long lastDataCycle;

        Pending(MemRequest request, long firstBurst, long lastBurst, long arrivalCycle) {
            this.request = request;
            this.write = request.isWrite();
            this.nextBurst = firstBurst;
            this.lastBurst = lastBurst;
            this.remaining = (int) (lastBurst - firstBurst + 1);
            this.arrivalCycle = arrivalCycle;
        }
    }

    /** One burst waiting in a channel's queue. */
    private static final class Txn {
        Pending owner;
        int rank;
        int bankGroup;
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
        long nonEmpty;

        BankQueues(int banks) {
            if (banks > 64) {
                throw new IllegalArgumentException("at most 64 banks per channel (ranks x banks)");
            }
            head = new Txn[banks];
            tail = new Txn[banks];
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
        // per rank
        final long[] rankNextAct;
        final long[][] fawWindow;
        final int[] fawHead;
        final long[] rankNextPre;
        final long[] rankNextRef;
        final long[] refreshDue;
        final int[] refreshedMask; // per-bank refresh: banks already refreshed in the current round
        final int[] openBanks;
        final long[] openSince;
        // per rank and bank group: column-to-column and write-to-read within a group
        final long[][] groupNextRd;
        final long[][] groupNextWr;
        final ArrayDeque<Txn> free = new ArrayDeque<>();
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
            groupNextRd = new long[ranks][t.bankGroups()];
            groupNextWr = new long[ranks][t.bankGroups()];
            for (int r = 0; r < ranks; r++) {
                refreshDue[r] = refreshInterval();
            }
        }

        long nextRefreshDue() {
            long due = Long.MAX_VALUE;
            for (long d : refreshDue) {
                due = Math.min(due, d);
            }
            return due;
        }

        long refreshInterval() {
            return ctl.refresh() == MemoryConfig.Refresh.PER_BANK ? Math.max(1, t.nREFI() / banksPerRank) : t.nREFI();
        }

        boolean hasRoom(boolean write) {
            return write ? writes < ctl.writeQueue() : reads < ctl.readQueue();
        }

        void enqueue(Pending p, AddressMapping.Fields f) {
            Txn x = free.isEmpty() ? new Txn() : free.pollFirst();
            x.owner = p;
            x.rank = f.rank;
            x.bankGroup = f.bankGroup;
            x.bank = f.rank * banksPerRank + f.bank;
            x.row = f.row;
            x.column = f.column;
            x.write = p.write;
            x.seq = arrivalSeq++;
            x.arrivalCycle = p.arrivalCycle;
            x.neededAct = false;
            x.neededPre = false;
            if (x.write) {
                writeQ.addLast(x.bank, x);
                writes++;
            } else {
                readQ.addLast(x.bank, x);
                reads++;
            }
            decided = false;
        }

        // ---- the scheduler ----

        /** Works out the next command (kept until state changes); false when there is nothing to do. */
        boolean decide(long nowCycle) {
            if (decided) {
                return nextType != null;
            }
            decided = true;
            nextType = null;
            long earliest = lastCmdCycle + 1; // one command per cycle on the command bus
            // Refresh once due. An all-bank refresh stops the rank's traffic until it is done; a per-bank refresh
            // blocks only its bank and competes with the other banks' traffic (it wins ties). A refresh may fall
            // in the past of an idle channel; it is never issued out of order.
            int refreshBlockedBank = NONE;
            long refreshCycle = Long.MAX_VALUE;
            for (int r = 0; r < ranks; r++) {
                if (refreshDue[r] <= Math.max(nowCycle, earliest) && decideRefresh(r, earliest)) {
                    if (ctl.refresh() == MemoryConfig.Refresh.ALL_BANK) {
                        return true;
                    }
                    refreshBlockedBank = nextBank;
                    refreshCycle = nextCycle;
                    break;
                }
            }
            DramCommand.Type refreshType = nextType;
            int refreshRank = nextRank;
            nextType = null;
            if (reads + writes == 0) {
                return refreshBlockedBank != NONE && choose(refreshType, refreshRank, refreshBlockedBank,
                        refreshCycle);
            }
            updateDrainMode();
            boolean servingWrites = draining || reads == 0;
            BankQueues queues = servingWrites ? writeQ : readQ;
            long bestCycle = Long.MAX_VALUE;
            boolean bestIsColumn = false;
            long bestSeq = Long.MAX_VALUE;
            for (long mask = queues.nonEmpty; mask != 0; mask &= mask - 1) {
                int b = Long.numberOfTrailingZeros(mask);
                if (b == refreshBlockedBank) {
                    continue;
                }
                Txn x = pick(queues, b);
                if (ctl.scheduler() == MemoryConfig.Scheduler.FCFS && !isOldest(x, queues)) {
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
            if (refreshBlockedBank != NONE && refreshCycle <= bestCycle) {
                return choose(refreshType, refreshRank, refreshBlockedBank, refreshCycle);
            }
            if (nextType == null) {
                return false;
            }
            nextCycle = bestCycle;
            if (nextType.isColumn() && ctl.pagePolicy() == MemoryConfig.PagePolicy.CLOSED
                    && !anotherHit(nextTxn)) {
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

        /** FR-FCFS within a bank: the oldest row hit if there is one, else the oldest request. */
        private Txn pick(BankQueues q, int bank) {
            Txn head = q.head[bank];
            int row = openRow[bank];
            if (row == NONE || head.row == row || ctl.scheduler() == MemoryConfig.Scheduler.FCFS) {
                return head;
            }
            for (Txn x = head.next; x != null; x = x.next) {
                if (x.row == row) {
                    return x;
                }
            }
            return head;
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
            if (!draining && writes >= ctl.writeHigh()) {
                draining = true;
            } else if (draining && writes <= ctl.writeLow()) {
                draining = false;
            }
        }

        private long columnReady(Txn x, long start) {
            int r = x.rank;
            int g = x.bankGroup;
            long at;
            if (x.write) {
                at = Math.max(start, Math.max(nextWr[x.bank], groupNextWr[r][g]));
                at = Math.max(at, busFreeCycle - t.nWL());
            } else {
                at = Math.max(start, Math.max(nextRd[x.bank], groupNextRd[r][g]));
                at = Math.max(at, busFreeCycle - t.nRL());
            }
            return at;
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
            if (ctl.refresh() == MemoryConfig.Refresh.PER_BANK) {
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

        void issue() {
            long c = nextCycle;
            DramCommand.Type type = nextType;
            int b = nextBank;
            int r = nextRank;
            Txn x = nextTxn;
            int bankInRank = b - r * banksPerRank;
            int row = x != null ? x.row : openRow[b];
            int column = x != null && type.isColumn() ? x.column : NONE;
            switch (type) {
                case ACT -> {
                    x.neededAct = true;
                    openRow[b] = x.row;
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
                case RD, RDA, WR, WRA -> column(x, type, c);
                case REFAB -> {
                    for (int k = r * banksPerRank; k < (r + 1) * banksPerRank; k++) {
                        nextAct[k] = Math.max(nextAct[k], c + t.nRFCab());
                    }
                    rankNextRef[r] = Math.max(rankNextRef[r], c + t.nRFCab());
                    refreshDue[r] += t.nREFI();
                    activity.refAb[index]++;
                }
                case REFPB -> {
                    nextAct[b] = Math.max(nextAct[b], c + t.nRFCpb());
                    rankNextRef[r] = Math.max(rankNextRef[r], c + t.nRFCpb());
                    rankNextAct[r] = Math.max(rankNextAct[r], c + t.nRRD());
                    fawWindow[r][fawHead[r]] = c;
                    fawHead[r] = (fawHead[r] + 1) & 3;
                    refreshDue[r] += refreshInterval();
                    refreshedMask[r] |= 1 << bankInRank;
                    if (refreshedMask[r] == (1 << banksPerRank) - 1) {
                        refreshedMask[r] = 0; // every bank refreshed once: a new round
                    }
                    activity.refPb[index]++;
                }
            }
            lastCmdCycle = c;
            decided = false;
            if (commandListener != null || checker != null) {
                DramCommand cmd = new DramCommand(c, type, index, r, bankInRank / t.banksPerGroup(),
                        bankInRank % t.banksPerGroup(), row,
                        column);
                if (checker != null) {
                    checker.check(cmd);
                }
                if (commandListener != null) {
                    commandListener.accept(cmd);
                }
            }
        }

        private void precharge(int b, int r, long c, int nRP) {
            activity.pres[index]++; // per bank closed: that is what precharge energy is charged on
            openRow[b] = NONE;
            nextAct[b] = Math.max(nextAct[b], c + nRP);
            rankNextPre[r] = Math.max(rankNextPre[r], c + t.nPPD());
            bankClosed(r, c);
        }

        private void column(Txn x, DramCommand.Type type, long c) {
            int r = x.rank;
            int g = x.bankGroup;
            int b = x.bank;
            long dataStart;
            if (type.isRead()) {
                dataStart = c + t.nRL();
                for (int k = 0; k < t.bankGroups(); k++) {
                    boolean same = k == g;
                    groupNextRd[r][k] = Math.max(groupNextRd[r][k], c + (same ? t.nCCD_L() : t.nCCD_S()));
                    groupNextWr[r][k] = Math.max(groupNextWr[r][k], c + (same ? rdToWrSameGroup : rdToWrOtherGroup));
                }
                nextPre[b] = Math.max(nextPre[b], c + t.nRTP());
                readQ.remove(b, x);
                reads--;
                activity.reads[index]++;
            } else {
                dataStart = c + t.nWL();
                for (int k = 0; k < t.bankGroups(); k++) {
                    boolean same = k == g;
                    groupNextWr[r][k] = Math.max(groupNextWr[r][k], c + (same ? t.nCCD_L() : t.nCCD_S()));
                    groupNextRd[r][k] = Math.max(groupNextRd[r][k], c + (same ? wrToRdSameGroup : wrToRdOtherGroup));
                }
                nextPre[b] = Math.max(nextPre[b], c + wrToPre);
                preAfterWrite[b] = Math.max(preAfterWrite[b], c + wrToPre);
                writeQ.remove(b, x);
                writes--;
                activity.writes[index]++;
            }
            long dataEnd = dataStart + t.burstCycles();
            busFreeCycle = dataEnd;
            lastUse[b] = c;
            if (type == DramCommand.Type.RDA || type == DramCommand.Type.WRA) {
                // JEDEC delays the implied precharge until tRAS is met.
                long preAt = Math.max(lastAct[b] + t.nRAS(), type == DramCommand.Type.RDA ? c + t.nRTP() : c + wrToPre);
                openRow[b] = NONE;
                nextAct[b] = Math.max(nextAct[b], preAt + t.nRPpb());
                bankClosed(r, c);
                activity.pres[index]++;
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
            free.addLast(x);
            if (--p.remaining == 0) {
                complete(p);
            }
            admit();
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
            for (int r = 0; r < ranks; r++) {
                openBanks[r] = 0;
                openSince[r] = cycle;
                long interval = refreshInterval();
                if (refreshDue[r] < cycle) {
                    refreshDue[r] += (cycle - refreshDue[r] + interval - 1) / interval * interval;
                }
            }
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
