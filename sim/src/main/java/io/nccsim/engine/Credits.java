package io.nccsim.engine;

import java.util.ArrayDeque;

/**
 * A finite resource that flow control is built on: queue slots, buffer bytes, tile buffers. A component that wants
 * some takes it with {@link #tryAcquire}; when there is not enough it does not overfill, it waits with
 * {@link #whenAvailable} and is called back after the next release to try again. That is back-pressure, and it is
 * how a slow NCC decoder or a full DRAM queue throttles the processor in the simulation just as in hardware.
 *
 * <p>Use is tracked time-weighted in the statistics registry ({@code NAME.occupancy}), so a report can say how full
 * a buffer was on average, not only at its worst.
 */
public final class Credits {
    private final Simulator sim;
    private final long capacity;
    private final boolean oversizeWhenEmpty;
    private final TimeWeighted occupancy;
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private long used;

    /**
     * @param oversizeWhenEmpty let one request larger than the whole capacity through when nothing else is held
     *                          (a buffer streams an oversized transfer rather than deadlock on it)
     */
    public Credits(Simulator sim, String name, long capacity, boolean oversizeWhenEmpty, Stats stats) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + ": capacity must be at least 1");
        }
        this.sim = sim;
        this.capacity = capacity;
        this.oversizeWhenEmpty = oversizeWhenEmpty;
        this.occupancy = stats.timeWeighted(name + ".occupancy");
    }

    public boolean canAcquire(long n) {
        return used + n <= capacity || (oversizeWhenEmpty && used == 0);
    }

    /** Takes {@code n} credits if there are enough; returns false and changes nothing otherwise. */
    public boolean tryAcquire(long n) {
        if (!canAcquire(n)) {
            return false;
        }
        used += n;
        occupancy.set(sim.nowPs(), used);
        return true;
    }

    /** Gives back {@code n} credits and lets every waiter try again, in the order they started waiting. */
    public void release(long n) {
        if (n > used) {
            throw new IllegalStateException("released " + n + " credits but only " + used + " are held");
        }
        used -= n;
        occupancy.set(sim.nowPs(), used);
        // Waiters that fail again register again; the count bounds this round so they wait for the next release.
        for (int i = waiters.size(); i > 0 && !waiters.isEmpty(); i--) {
            waiters.pollFirst().run();
        }
    }

    /** Runs {@code waiter} once, after the next release. Call it only after a failed {@link #tryAcquire}. */
    public void whenAvailable(Runnable waiter) {
        waiters.addLast(waiter);
    }

    public long used() {
        return used;
    }

    public long capacity() {
        return capacity;
    }
}
