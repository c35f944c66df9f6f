package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.energy.EnergyBreakdown;

import java.util.function.Consumer;

/**
 * The cycle-level LPDDR memory system in the discrete-event engine: an {@link LpddrController} whose clients (the
 * NCC's DMA engine, the processor) offer requests through a front end of {@code request_queue} slots, the
 * back-pressure point.
 *
 * <p>The controller does not get an engine event per command: whenever it runs it issues commands in time order
 * across channels up to the time of the engine's next pending event, before which no new request can arrive; then
 * it sleeps until its next command or the next arrival. A request's completion is an engine event at the time its
 * last data crosses the bus, which frees its front-end slot.
 */
public final class LpddrMemory implements MemorySystem {
    private final Simulator sim;
    private final LpddrController controller;
    private final Credits requestSlots;
    private long wakeScheduledPs = Long.MAX_VALUE;
    private long wakeId;
    private long pausedAtPs = -1;
    private Wake freeWakes;
    private Completion freeCompletions;

    public LpddrMemory(Simulator sim, MemoryConfig config, TimingTable timing, Stats stats) {
        this.sim = sim;
        this.controller = new LpddrController(config, timing, stats.histogram("memory.read_latency_ps"),
                this::completeAt);
        this.requestSlots = new Credits(sim, "memory.queue", config.controller().requestQueue(), false, stats);
    }

    /** The controller and devices this memory drives. */
    public LpddrController controller() {
        return controller;
    }

    /** Receives every command issued, in time order per channel (a command trace writer, a test). */
    public void setCommandListener(Consumer<DramCommand> listener) {
        controller.setCommandListener(listener);
    }

    /** The independent timing checker fed with every command, or null when it is off. */
    public TimingChecker checker() {
        return controller.checker();
    }

    public TimingTable timing() {
        return controller.timing();
    }

    public ClockDomain clock() {
        return controller.clock();
    }

    public DramActivity activity() {
        return controller.activity();
    }

    public int burstBytes() {
        return controller.burstBytes();
    }

    // ---- client side ----

    @Override
    public boolean offer(MemRequest r) {
        if (!requestSlots.tryAcquire(1)) {
            return false;
        }
        controller.accept(r, sim.nowPs());
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
        return controller.counters();
    }

    private void wakeAt(long ps) {
        if (ps < wakeScheduledPs) {
            wakeScheduledPs = ps;
            Wake w = freeWakes;
            if (w == null) {
                w = new Wake();
            } else {
                freeWakes = w.nextFree;
            }
            w.id = ++wakeId;
            sim.scheduleAt(ps, w);
        }
    }

    /** Issues commands until the engine's next event; then sleeps until the next command. */
    private void run(long id) {
        if (id != wakeId) {
            return; // superseded by a later-scheduled wake-up (for an earlier time, or this time again)
        }
        wakeScheduledPs = Long.MAX_VALUE;
        long nextPs = controller.issueBefore(sim.nowPs(), sim.peekNextTimePs());
        if (nextPs != Long.MAX_VALUE) {
            wakeAt(nextPs);
        }
    }

    private void completeAt(MemRequest r, long donePs) {
        Completion c = freeCompletions;
        if (c == null) {
            c = new Completion();
        } else {
            freeCompletions = c.nextFree;
        }
        c.request = r;
        sim.scheduleAt(donePs, c);
    }

    // The engine's events for the memory are kept for reuse once run: a wake-up and a completion per request
    // would otherwise be two allocations per request.

    /** A wake-up of the controller; only the latest one scheduled ({@code id == wakeId}) issues. */
    private final class Wake implements Runnable {
        long id;
        Wake nextFree;

        @Override
        public void run() {
            long myId = id;
            nextFree = freeWakes;
            freeWakes = this;
            LpddrMemory.this.run(myId);
        }
    }

    /** A request's completion: the client is told, and its front-end slot is free. */
    private final class Completion implements Runnable {
        MemRequest request;
        Completion nextFree;

        @Override
        public void run() {
            MemRequest r = request;
            request = null;
            nextFree = freeCompletions;
            freeCompletions = this;
            r.complete(sim.nowPs());
            requestSlots.release(1);
        }
    }

    @Override
    public void finish(long endPs) {
        controller.finish(endPs);
    }

    /** Counts background time up to {@code ps} (so that energy read now is up to date). */
    void accountTo(long ps) {
        controller.accountTo(ps);
    }

    /** Stops at {@code ps} for a fast-forwarded stretch: refreshes due so far are issued, background counted. */
    void pauseAt(long ps) {
        controller.pauseAt(ps);
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
        controller.resumeAt(ps);
        pausedAtPs = -1;
    }

    @Override
    public java.util.Map<String, Number> details() {
        return controller.details();
    }

    @Override
    public void addEnergy(EnergyBreakdown energy, long simTimePs) {
        controller.addEnergy(energy);
    }
}
