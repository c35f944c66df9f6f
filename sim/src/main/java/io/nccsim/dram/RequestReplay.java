package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.config.MemoryConfig;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.function.Consumer;

/**
 * Replays a memory-request trace ({@link RequestTrace}) on the cycle-level LPDDR model, whatever model the config
 * names: a feeder offers the requests in order, each not before its cycle (DRAM clock of the memory, tCK) and each
 * after the one before it was accepted; when the controller's front end ({@code request_queue} requests) is full it
 * waits for a request to complete. When every request has completed, the memory's books are closed and its energy
 * priced.
 *
 * <p>What the replay measures: bandwidth as useful bytes (requests x request bytes) over the time from the first
 * request's arrival to the last completion; read latency from each read's acceptance by the controller to its last
 * byte (so a request held back by its cycle is timed from when it was offered, not from time 0); row-buffer
 * outcomes, command counts and energy from the model's own accounts.
 *
 * <p>Nothing but the memory is simulated here, so by default ({@link Driver#DIRECT}) a plain loop drives the
 * {@link LpddrController}: it knows the only two kinds of event there are (a request falls due, a request
 * completes) and lets the controller issue commands up to the earlier of them. {@link Driver#ENGINE} replays through
 * {@link LpddrMemory} in the discrete-event engine, as a full simulation does; both give the same commands at the
 * same cycles and the same results, which a test checks.
 */
public final class RequestReplay {
    /** What drives the controller. */
    public enum Driver {
        /** A loop over due requests and completions, without the event engine: the fast path. */
        DIRECT,
        /** The discrete-event engine with {@link LpddrMemory}, as in a full simulation. */
        ENGINE
    }

    private final MemoryConfig config;
    private final RequestTrace.Source source;
    private final int requestBytes;
    private final Consumer<DramCommand> commandListener;
    private ClockDomain clock;
    private long maxCycle;
    private long directNowPs;
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
        this.config = config;
        this.source = source;
        this.requestBytes = requestBytes;
        this.commandListener = commandListener;
    }

    /** Replays {@code source} on {@code config}'s memory, {@code requestBytes} bytes per request. */
    public static Result run(MemoryConfig config, RequestTrace.Source source, int requestBytes) {
        return run(config, source, requestBytes, null, Driver.DIRECT);
    }

    /** As {@link #run(MemoryConfig, RequestTrace.Source, int)}, handing every DRAM command to {@code listener}. */
    public static Result run(MemoryConfig config, RequestTrace.Source source, int requestBytes,
                             Consumer<DramCommand> listener) {
        return run(config, source, requestBytes, listener, Driver.DIRECT);
    }

    /**
     * As {@link #run(MemoryConfig, RequestTrace.Source, int)}, handing every DRAM command to {@code listener} (or
     * null), driven by {@code driver}.
     */
    public static Result run(MemoryConfig config, RequestTrace.Source source, int requestBytes,
                             Consumer<DramCommand> listener, Driver driver) {
        RequestReplay replay = new RequestReplay(config, source, requestBytes, listener);
        return driver == Driver.DIRECT ? replay.direct() : replay.engine();
    }

    private void attach(LpddrController controller) {
        if (commandListener != null) {
            controller.setCommandListener(commandListener);
        }
        clock = controller.clock();
        // The last cycle whose time in ps (and then some) still fits in a long.
        maxCycle = (long) (Long.MAX_VALUE / 4 / Math.max(1.0, clock.periodPs()));
    }

    // ---- the direct loop ----

    private Result direct() {
        CompletionQueue completions = new CompletionQueue();
        LpddrController controller = new LpddrController(config, MemoryModels.timingTable(config), null,
                (r, donePs) -> completions.add(donePs, r));
        attach(controller);
        int slots = config.controller().requestQueue();
        MemRequest[] done = new MemRequest[slots];
        int reusable = 0;
        int inFlight = 0;
        long nowPs = 0;
        long dueAtPs = 0; // when the next request may be offered; MAX while waiting for a slot or when none is left
        while (true) {
            // Offer what is due, as long as the front end has room.
            while (dueAtPs <= nowPs) {
                RequestTrace.Entry e = nextDue(nowPs);
                if (e == null) {
                    dueAtPs = pending == null ? Long.MAX_VALUE : clock.cyclesToPs(pending.cycle());
                } else if (inFlight == slots) {
                    dueAtPs = Long.MAX_VALUE;
                } else {
                    MemRequest r;
                    if (reusable == 0) {
                        r = request(e);
                    } else {
                        r = done[--reusable];
                        done[reusable] = null;
                        r.reuse(e.address(), requestBytes, e.write());
                    }
                    controller.accept(r, nowPs);
                    inFlight++;
                    offered(e);
                }
            }
            long commandPs = controller.issueBefore(nowPs, Math.min(dueAtPs, completions.peekTimePs()));
            long next = Math.min(commandPs, Math.min(dueAtPs, completions.peekTimePs()));
            if (next == Long.MAX_VALUE) {
                break;
            }
            nowPs = next;
            directNowPs = nowPs;
            while (completions.peekTimePs() == nowPs) {
                MemRequest r = completions.poll();
                r.complete(nowPs);
                done[reusable++] = r; // the replay owns its requests: completed, each is reused for a later one
                if (inFlight-- == slots && pending != null) {
                    dueAtPs = nowPs; // a slot is free: the waiting request goes in now
                }
            }
        }
        return finish(controller, nowPs);
    }

    // ---- the event engine ----

    private Simulator sim;
    private LpddrMemory mem;

    private Result engine() {
        sim = new Simulator();
        mem = new LpddrMemory(sim, config, MemoryModels.timingTable(config), new Stats());
        attach(mem.controller());
        sim.scheduleAt(0, this::feed);
        sim.run();
        return finish(mem.controller(), sim.nowPs());
    }

    /** Offers requests in order while they are due and accepted; otherwise waits for their cycle or for space. */
    private void feed() {
        while (true) {
            RequestTrace.Entry e = nextDue(sim.nowPs());
            if (e == null) {
                if (pending != null) {
                    sim.scheduleAt(clock.cyclesToPs(pending.cycle()), this::feed);
                }
                return;
            }
            if (!mem.offer(request(e))) {
                mem.whenSpace(this::feed);
                return;
            }
            offered(e);
        }
    }

    // ---- shared by both ----

    /**
     * The next request if it is due at {@code nowPs}; null when the source is exhausted or the next request's
     * cycle is still to come (then it waits in {@code pending}).
     */
    private RequestTrace.Entry nextDue(long nowPs) {
        if (pending == null) {
            pending = source.next();
            pendingDue = false;
            if (pending == null) {
                return null;
            }
            if (pending.cycle() > maxCycle) {
                throw new BadInputException(source.name() + ":" + pending.line() + ": cycle " + pending.cycle()
                        + " is out of range; expected at most " + maxCycle);
            }
        }
        if (!pendingDue) {
            long notBeforePs = clock.cyclesToPs(pending.cycle());
            if (notBeforePs > nowPs) {
                return null;
            }
            pendingDue = true;
            if (firstArrivalPs < 0) {
                firstArrivalPs = nowPs;
            }
        }
        return pending;
    }

    private MemRequest request(RequestTrace.Entry e) {
        return new MemRequest(e.address(), requestBytes, e.write(), DataClass.WEIGHTS, onComplete);
    }

    private void offered(RequestTrace.Entry e) {
        pending = null;
        requests++;
        lastCycle = e.cycle();
        if (e.write()) {
            writes++;
        } else {
            reads++;
        }
    }

    private final Runnable onComplete = this::completed;

    private void completed() {
        completed++;
        lastCompletionPs = Math.max(lastCompletionPs, sim != null ? sim.nowPs() : directNowPs);
    }

    private Result finish(LpddrController controller, long endPs) {
        if (completed != requests) {
            throw new IllegalStateException("replay ended with " + (requests - completed) + " requests in flight");
        }
        controller.finish(endPs);
        EnergyBreakdown energy = new EnergyBreakdown();
        controller.addEnergy(energy);
        return new Result(controller, requestBytes, requests, reads, writes, Math.max(0, firstArrivalPs),
                lastCompletionPs, endPs, lastCycle, energy);
    }

    /** What a replay measured. */
    public static final class Result {
        private final LpddrController memory;
        private final int requestBytes;
        private final long requests;
        private final long reads;
        private final long writes;
        private final long firstArrivalPs;
        private final long lastCompletionPs;
        private final long endPs;
        private final long lastCycle;
        private final EnergyBreakdown energy;
        private Latency readLatency; // summarised when first asked for: exact percentiles sort every latency

        Result(LpddrController memory, int requestBytes, long requests, long reads, long writes, long firstArrivalPs,
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
        }

        /** The memory after the replay: its activity, timing table, clock, checker and details. */
        public LpddrController memory() {
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
            if (readLatency == null) {
                LatencyCounts l = memory.activity().readLatencies();
                readLatency = new Latency(l.size(), l.mean(), l.quantile(0.5), l.quantile(0.99), l.quantile(1.0));
            }
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
