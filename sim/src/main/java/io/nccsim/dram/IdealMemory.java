package io.nccsim.dram;

import io.nccsim.config.EnergyConfig;
import io.nccsim.config.MemoryConfig;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Histogram;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;

/**
 * Memory with a fixed unloaded latency and the DRAM's peak bandwidth: the upper bound any real controller stays
 * under. Requests share one data bus in arrival order; a request of {@code b} bytes accepted at time {@code t}
 * occupies the bus for {@code b / bandwidth} from {@code max(t, bus free)} and completes one latency after its last
 * byte starts moving, i.e. {@code done = start + latency + b / bandwidth}.
 *
 * <p>Kept for good as an option: it shows how far a design is from the bandwidth bound, and it is fast.
 */
public final class IdealMemory implements MemorySystem {
    private final Simulator sim;
    private final double bytesPerPs;
    private final long latencyPs;
    private final Credits queue;
    private final Histogram readLatency;
    private final MemoryCounters counters = new MemoryCounters();
    private final EnergyConfig.Dram energy;
    private long busFreePs;
    private MemoryListener listener; // null when nobody listens

    public IdealMemory(Simulator sim, MemoryConfig config, EnergyConfig.Dram energy, Stats stats) {
        this(sim, config.peakBandwidthBytesPerS(), config.ideal().latencyPs(), config.ideal().queueDepth(), energy,
                stats);
    }

    /** @param energy per-bit and background energy: the ideal model has no commands to price */
    public IdealMemory(Simulator sim, double bandwidthBytesPerS, long latencyPs, int queueDepth,
                       EnergyConfig.Dram energy, Stats stats) {
        this.sim = sim;
        this.energy = energy;
        this.bytesPerPs = bandwidthBytesPerS / 1e12;
        this.latencyPs = latencyPs;
        this.queue = new Credits(sim, "memory.queue", queueDepth, false, stats);
        this.readLatency = stats.histogram("memory.read_latency_ps");
    }

    /** Sends every request served from now on to {@code l} (null: to no one). */
    void setListener(MemoryListener l) {
        this.listener = l;
    }

    @Override
    public boolean offer(MemRequest r) {
        if (!queue.tryAcquire(1)) {
            return false;
        }
        long now = sim.nowPs();
        r.markAccepted(now);
        long start = Math.max(now, busFreePs);
        long transferPs = (long) Math.ceil(r.bytes() / bytesPerPs);
        busFreePs = start + transferPs;
        counters.record(r, transferPs);
        r.markFirstData(start + latencyPs);
        if (listener != null) {
            listener.request(r, now, start + latencyPs + transferPs);
        }
        sim.scheduleAt(start + latencyPs + transferPs, () -> {
            if (!r.isWrite()) {
                readLatency.record(sim.nowPs() - r.acceptedPs());
            }
            r.complete(sim.nowPs());
            queue.release(1);
        });
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        if (queue.canAcquire(1)) {
            waiter.run();
        } else {
            queue.whenAvailable(waiter);
        }
    }

    @Override
    public MemoryCounters counters() {
        return counters;
    }

    @Override
    public void addEnergy(EnergyBreakdown b, long simTimePs) {
        b.add("dram", "read", counters.bytesRead() * 8.0 * energy.readPjPerBit() * 1e-12);
        b.add("dram", "write", counters.bytesWritten() * 8.0 * energy.writePjPerBit() * 1e-12);
        b.add("dram", "background", energy.backgroundW() * simTimePs * 1e-12);
    }
}
