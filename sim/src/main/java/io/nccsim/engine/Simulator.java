package io.nccsim.engine;

import java.util.Arrays;

/**
 * The discrete-event kernel: a clock in integer picoseconds and a queue of pending actions.
 *
 * <p>Time jumps from one scheduled action to the next, so idle stretches cost nothing. Actions due at the same
 * picosecond run in the order they were scheduled (a sequence number breaks ties), which makes every run with the
 * same inputs execute the same actions in the same order: the root of nccsim's determinism.
 *
 * <p>The queue is a binary heap over parallel arrays rather than a {@link java.util.PriorityQueue} of objects:
 * a full phi3 replay schedules tens of millions of actions, and comparing two longs in place is the hot loop.
 */
public final class Simulator {
    private long nowPs;
    private long nextSeq;
    private long executed;
    private long[] timePs = new long[1024];
    private long[] seq = new long[1024];
    private Runnable[] actions = new Runnable[1024];
    private int size;

    /** The current simulated time in picoseconds. */
    public long nowPs() {
        return nowPs;
    }

    /** Actions executed so far (a measure of simulation work). */
    public long executedActions() {
        return executed;
    }

    /** Runs {@code action} at absolute time {@code atPs}, which must not be in the past. */
    public void scheduleAt(long atPs, Runnable action) {
        if (atPs < nowPs) {
            throw new IllegalArgumentException("cannot schedule in the past: " + atPs + " ps < now " + nowPs + " ps");
        }
        if (size == timePs.length) {
            int n = size * 2;
            timePs = Arrays.copyOf(timePs, n);
            seq = Arrays.copyOf(seq, n);
            actions = Arrays.copyOf(actions, n);
        }
        int i = size++;
        long s = nextSeq++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(atPs, s, timePs[parent], seq[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        timePs[i] = atPs;
        seq[i] = s;
        actions[i] = action;
    }

    /** Runs {@code action} {@code delayPs} picoseconds from now. */
    public void scheduleIn(long delayPs, Runnable action) {
        scheduleAt(nowPs + delayPs, action);
    }

    /** Executes actions in time order until none is left. */
    public void run() {
        while (size > 0) {
            step();
        }
    }

    /** Executes actions in time order until none is left or the next one is later than {@code untilPs}. */
    public void runUntil(long untilPs) {
        while (size > 0 && timePs[0] <= untilPs) {
            step();
        }
    }

    /**
     * Time of the next pending action, or {@link Long#MAX_VALUE} when none is pending. A component may work ahead
     * on its own, without scheduling an action for every step, up to (not including) this time: nothing that could
     * change its inputs happens before then.
     */
    public long peekNextTimePs() {
        return size == 0 ? Long.MAX_VALUE : timePs[0];
    }

    public boolean idle() {
        return size == 0;
    }

    private void step() {
        long t = timePs[0];
        Runnable a = actions[0];
        int last = --size;
        if (last > 0) {
            siftDownFrom(last);
        }
        actions[last] = null;
        nowPs = t;
        executed++;
        a.run();
    }

    // Moves the last element down from the root to its place.
    private void siftDownFrom(int last) {
        long t = timePs[last];
        long s = seq[last];
        Runnable a = actions[last];
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && before(timePs[right], seq[right], timePs[child], seq[child])) {
                child = right;
            }
            if (!before(timePs[child], seq[child], t, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        timePs[i] = t;
        seq[i] = s;
        actions[i] = a;
    }

    private void move(int from, int to) {
        timePs[to] = timePs[from];
        seq[to] = seq[from];
        actions[to] = actions[from];
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
