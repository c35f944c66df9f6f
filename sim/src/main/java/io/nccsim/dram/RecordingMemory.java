package io.nccsim.dram;

import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Simulator;

import java.util.Map;

/**
 * A memory system that tells a listener about every request it accepts, and otherwise is the memory it wraps: the
 * way to see the request stream a run puts on the DRAM ({@code nccsim trace export}) without touching the models.
 * Offers the wrapped memory refuses are not reported; the request is reported when it is offered again and taken.
 */
public final class RecordingMemory implements MemorySystem {
    /** Receives each accepted request with the simulated time it was accepted at. */
    @FunctionalInterface
    public interface Listener {
        void accepted(MemRequest request, long nowPs);
    }

    private final Simulator sim;
    private final MemorySystem delegate;
    private final Listener listener;

    public RecordingMemory(Simulator sim, MemorySystem delegate, Listener listener) {
        this.sim = sim;
        this.delegate = delegate;
        this.listener = listener;
    }

    /** The memory this one records for. */
    public MemorySystem delegate() {
        return delegate;
    }

    @Override
    public boolean offer(MemRequest request) {
        if (!delegate.offer(request)) {
            return false;
        }
        listener.accepted(request, sim.nowPs());
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        delegate.whenSpace(waiter);
    }

    @Override
    public MemoryCounters counters() {
        return delegate.counters();
    }

    @Override
    public void beginStep(boolean decode, boolean last) {
        delegate.beginStep(decode, last);
    }

    @Override
    public void finish(long endPs) {
        delegate.finish(endPs);
    }

    @Override
    public Map<String, Number> details() {
        return delegate.details();
    }

    @Override
    public void addEnergy(EnergyBreakdown energy, long simTimePs) {
        delegate.addEnergy(energy, simTimePs);
    }
}
