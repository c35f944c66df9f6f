package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.engine.Simulator;

import java.util.ArrayDeque;

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
    private final int queueDepth;
    private final MemoryCounters counters = new MemoryCounters();
    private final ArrayDeque<Runnable> spaceWaiters = new ArrayDeque<>();
    private long busFreePs;
    private int inFlight;

    public IdealMemory(Simulator sim, MemoryConfig config) {
        this(sim, config.peakBandwidthBytesPerS(), config.ideal().latencyPs(), config.ideal().queueDepth());
    }

    public IdealMemory(Simulator sim, double bandwidthBytesPerS, long latencyPs, int queueDepth) {
        this.sim = sim;
        this.bytesPerPs = bandwidthBytesPerS / 1e12;
        this.latencyPs = latencyPs;
        this.queueDepth = queueDepth;
    }

    @Override
    public boolean offer(MemRequest r) {
        if (inFlight >= queueDepth) {
            return false;
        }
        inFlight++;
        long now = sim.nowPs();
        r.markAccepted(now);
        long start = Math.max(now, busFreePs);
        long transferPs = (long) Math.ceil(r.bytes() / bytesPerPs);
        busFreePs = start + transferPs;
        counters.record(r, transferPs);
        r.markFirstData(start + latencyPs);
        sim.scheduleAt(start + latencyPs + transferPs, () -> {
            inFlight--;
            r.complete(sim.nowPs());
            while (inFlight < queueDepth && !spaceWaiters.isEmpty()) {
                spaceWaiters.pollFirst().run();
            }
        });
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        if (inFlight < queueDepth) {
            waiter.run();
        } else {
            spaceWaiters.addLast(waiter);
        }
    }

    @Override
    public MemoryCounters counters() {
        return counters;
    }
}
