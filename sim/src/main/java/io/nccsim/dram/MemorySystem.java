package io.nccsim.dram;

import io.nccsim.energy.EnergyBreakdown;

/**
 * The memory side of the simulation: a controller and its DRAM, as its clients see them.
 *
 * <p>Implementations: {@link IdealMemory} (fixed latency, peak bandwidth) now; the cycle-level LPDDR models with
 * banks, timing tables and a scheduler plug in behind the same two calls. A client offers a request; when the
 * controller is full the offer fails and the client waits for space, so the memory can push back.
 */
public interface MemorySystem {

    /** Accepts {@code request} and later completes it, or returns false (changing nothing) when the queue is full. */
    boolean offer(MemRequest request);

    /** Runs {@code waiter} once, as soon as a request can be accepted. */
    void whenSpace(Runnable waiter);

    /** Counts of the traffic so far, for the report and the energy model. */
    MemoryCounters counters();

    /**
     * A new step of the trace begins (nothing is in flight): {@code decode} for a decode step, {@code last} for the
     * trace's last step. Models that change how they simulate between steps (sampling) act on it.
     */
    default void beginStep(boolean decode, boolean last) {
    }

    /** Closes the books at the end of a run (background time, refreshes owed) at {@code endPs}. */
    default void finish(long endPs) {
    }

    /**
     * Model-specific facts for the report (command counts, row-buffer outcomes, timing violations), by name in
     * report order; empty for models without such detail.
     */
    default java.util.Map<String, Number> details() {
        return java.util.Map.of();
    }

    /** Adds this memory's energy over a run of {@code simTimePs} to {@code energy}, under "dram". */
    void addEnergy(EnergyBreakdown energy, long simTimePs);
}
