package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.config.MemoryConfig;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.function.Consumer;

/**
 * Replays a memory-request trace ({@link RequestTrace}) on the cycle-level LPDDR model, whatever model the config
 * names: a feeder offers the requests in order, each not before its cycle (DRAM clock of the memory, tCK) and each
 * after the one before it was accepted; when the controller's front end is full it waits for space. When every
 * request has completed, the memory's books are closed and its energy priced.
 *
 * <p>What the replay measures: bandwidth as useful bytes (requests x request bytes) over the time from the first
 * request's arrival to the last completion; read latency from each read's acceptance by the controller to its last
 * byte (so a request held back by its cycle is timed from when it was offered, not from time 0); row-buffer
 * outcomes, command counts and energy from the model's own accounts.
 */
public final class RequestReplay {
    private final Simulator sim = new Simulator();
    private final LpddrMemory mem;
    private final RequestTrace.Source source;
    private final int requestBytes;
    private final long maxCycle;
    private RequestTrace.Entry pending;
    private boolean pendingDue;
    private long requests;
    private long reads;
    private long writes;
    private long completed;
    private long firstArrivalPs = -1;
    private long lastCompletionPs;
    private long lastCycle;

    private RequestReplay(MemoryConfig config, RequestTrace.Source source, int requestBytes,
                          Consumer<DramCommand> commandListener) {
        if (requestBytes < 1) {
            throw new IllegalArgumentException("a request moves at least one byte");
        }
        if (config.device() == null || config.controller() == null || config.power() == null) {
            throw new BadInputException("memory: the cycle-level model needs the sections 'device', 'controller' and "
                    + "'power' (see configs/dram/ for the device and power of each part)");
        }
        this.mem = new LpddrMemory(sim, config, MemoryModels.timingTable(config), new Stats());
        if (commandListener != null) {
            mem.setCommandListener(commandListener);
        }
        this.source = source;
        this.requestBytes = requestBytes;
        // The last cycle whose time in ps (and then some) still fits in a long.
        this.maxCycle = (long) (Long.MAX_VALUE / 4 / Math.max(1.0, mem.clock().periodPs()));
    }

    /** Replays {@code source} on {@code config}'s memory, {@code requestBytes} bytes per request. */
    public static Result run(MemoryConfig config, RequestTrace.Source source, int requestBytes) {
        return run(config, source, requestBytes, null);
    }

    /** As {@link #run(MemoryConfig, RequestTrace.Source, int)}, handing every DRAM command to {@code listener}. */
    public static Result run(MemoryConfig config, RequestTrace.Source source, int requestBytes,
                             Consumer<DramCommand> listener) {
        return new RequestReplay(config, source, requestBytes, listener).replay();
    }

    private Result replay() {
        sim.scheduleAt(0, this::feed);
        sim.run();
        if (completed != requests) {
            throw new IllegalStateException("replay ended with " + (requests - completed) + " requests in flight");
        }
        long endPs = sim.nowPs();
        mem.finish(endPs);
        EnergyBreakdown energy = new EnergyBreakdown();
        mem.addEnergy(energy, endPs);
        return new Result(mem, requestBytes, requests, reads, writes, Math.max(0, firstArrivalPs), lastCompletionPs,
                endPs, lastCycle, energy);
    }

    /** Offers requests in order while they are due and accepted; otherwise waits for their cycle or for space. */
    private void feed() {
        while (true) {
            if (pending == null) {
                pending = source.next();
                pendingDue = false;
                if (pending == null) {
                    return;
                }
                if (pending.cycle() > maxCycle) {
                    throw new BadInputException(source.name() + ":" + pending.line() + ": cycle " + pending.cycle()
                            + " is out of range; expected at most " + maxCycle);
                }
            }
            if (!pendingDue) {
                long notBeforePs = mem.clock().cyclesToPs(pending.cycle());
                if (notBeforePs > sim.nowPs()) {
                    sim.scheduleAt(notBeforePs, this::feed);
                    return;
                }
                pendingDue = true;
                if (firstArrivalPs < 0) {
                    firstArrivalPs = sim.nowPs();
                }
            }
            RequestTrace.Entry e = pending;
            MemRequest r = new MemRequest(e.address(), requestBytes, e.write(), DataClass.WEIGHTS, this::completed);
            if (!mem.offer(r)) {
                mem.whenSpace(this::feed);
                return;
            }
            pending = null;
            requests++;
            lastCycle = e.cycle();
            if (e.write()) {
                writes++;
            } else {
                reads++;
            }
        }
    }

    private void completed() {
        completed++;
        lastCompletionPs = Math.max(lastCompletionPs, sim.nowPs());
    }

    /** What a replay measured. */
    public static final class Result {
        private final LpddrMemory memory;
        private final int requestBytes;
        private final long requests;
        private final long reads;
        private final long writes;
        private final long firstArrivalPs;
        private final long lastCompletionPs;
        private final long endPs;
        private final long lastCycle;
        private final EnergyBreakdown energy;
        private final Latency readLatency;

        Result(LpddrMemory memory, int requestBytes, long requests, long reads, long writes, long firstArrivalPs,
               long lastCompletionPs, long endPs, long lastCycle, EnergyBreakdown energy) {
            this.memory = memory;
            this.requestBytes = requestBytes;
            this.requests = requests;
            this.reads = reads;
            this.writes = writes;
            this.firstArrivalPs = firstArrivalPs;
            this.lastCompletionPs = lastCompletionPs;
            this.endPs = endPs;
            this.lastCycle = lastCycle;
            this.energy = energy;
            DramActivity.LongList l = memory.activity().readLatencies();
            this.readLatency = new Latency(l.size(), l.mean(), l.quantile(0.5), l.quantile(0.99), l.quantile(1.0));
        }

        /** The memory after the replay: its activity, timing table, clock, checker and details. */
        public LpddrMemory memory() {
            return memory;
        }

        public int requestBytes() {
            return requestBytes;
        }

        public long requests() {
            return requests;
        }

        public long reads() {
            return reads;
        }

        public long writes() {
            return writes;
        }

        /** Useful bytes: requests x request bytes. */
        public long bytes() {
            return requests * requestBytes;
        }

        /** When the first request was offered (its cycle, in ps). */
        public long firstArrivalPs() {
            return firstArrivalPs;
        }

        public long lastCompletionPs() {
            return lastCompletionPs;
        }

        /** The simulated time the books were closed at (the last event: a completion or a command). */
        public long endPs() {
            return endPs;
        }

        /** The cycle field of the last request (0 for untimed formats). */
        public long lastCycle() {
            return lastCycle;
        }

        /** From the first arrival to the last completion. */
        public long activePs() {
            return Math.max(0, lastCompletionPs - firstArrivalPs);
        }

        /** Useful bytes over {@link #activePs()}, in bytes per second; 0 for an empty trace. */
        public double bandwidthBytesPerS() {
            long ps = activePs();
            return ps == 0 ? 0 : bytes() / (ps * 1e-12);
        }

        /** The DRAM energy of the whole replay (time 0 to {@link #endPs()}), under component "dram". */
        public EnergyBreakdown energy() {
            return energy;
        }

        /** Every read's accept-to-complete latency, summarised exactly (in ps). */
        public Latency readLatency() {
            return readLatency;
        }

        public double tCKps() {
            return memory.timing().tCKps();
        }
    }

    /**
     * A latency distribution in ps: count, mean and exact nearest-rank percentiles.
     */
    public record Latency(long count, double avgPs, long p50Ps, long p99Ps, long maxPs) {
    }
}
