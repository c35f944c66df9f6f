package io.nccsim.engine;

import java.util.ArrayDeque;

/**
 * A FIFO between two components with a fixed capacity: the engine's port.
 *
 * <p>A producer that finds the queue full does not drop or overfill: it registers a waiter and is called back when
 * an entry leaves. That is back-pressure, and it is how a slow NCC decoder or a full DRAM queue throttles the
 * processor in the simulation just as in hardware. Occupancy is tracked time-weighted for the report.
 */
public final class BoundedQueue<T> {
    private final Simulator sim;
    private final int capacity;
    private final ArrayDeque<T> entries = new ArrayDeque<>();
    private final ArrayDeque<Runnable> spaceWaiters = new ArrayDeque<>();
    private final TimeWeighted occupancy;
    private Runnable onData;

    public BoundedQueue(Simulator sim, String name, int capacity, Stats stats) {
        if (capacity < 1) {
            throw new IllegalArgumentException(name + ": capacity must be at least 1");
        }
        this.sim = sim;
        this.capacity = capacity;
        this.occupancy = stats.timeWeighted(name + ".occupancy");
    }

    /** The consumer's hook, run (synchronously) whenever an entry is added. */
    public void onData(Runnable consumer) {
        this.onData = consumer;
    }

    public boolean hasSpace() {
        return entries.size() < capacity;
    }

    /** Adds {@code entry} if there is room; returns false (and changes nothing) when full. */
    public boolean offer(T entry) {
        if (entries.size() >= capacity) {
            return false;
        }
        entries.addLast(entry);
        occupancy.set(sim.nowPs(), entries.size());
        if (onData != null) {
            onData.run();
        }
        return true;
    }

    /** Runs {@code waiter} once, as soon as there is room (now, if there is room already). */
    public void whenSpace(Runnable waiter) {
        if (hasSpace()) {
            waiter.run();
        } else {
            spaceWaiters.addLast(waiter);
        }
    }

    public T peek() {
        return entries.peekFirst();
    }

    public T poll() {
        T e = entries.pollFirst();
        if (e != null) {
            occupancy.set(sim.nowPs(), entries.size());
            while (hasSpace() && !spaceWaiters.isEmpty()) {
                spaceWaiters.pollFirst().run();
            }
        }
        return e;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int capacity() {
        return capacity;
    }
}
