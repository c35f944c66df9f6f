package io.nccsim.engine;

import java.util.Arrays;

/**
 * Items ordered by time in integer picoseconds, first in first out among equal times (a sequence number breaks
 * ties): the discrete-event kernel's queue of pending actions, and any driver's queue of things due later.
 *
 * <p>A binary heap over parallel arrays rather than a {@link java.util.PriorityQueue} of objects: a full phi3
 * replay queues tens of millions of items, and comparing two longs in place is the hot loop.
 *
 * @param <T> what is queued
 */
public final class TimeQueue<T> {
    private long nextSeq;
    private long[] timePs = new long[1024];
    private long[] seq = new long[1024];
    private Object[] items = new Object[1024];
    private int size;

    /** Queues {@code item} at {@code atPs}, after every item already queued at that time. */
    public void add(long atPs, T item) {
        if (size == timePs.length) {
            int n = size * 2;
            timePs = Arrays.copyOf(timePs, n);
            seq = Arrays.copyOf(seq, n);
            items = Arrays.copyOf(items, n);
        }
        int i = size++;
        long s = nextSeq++;
        while (i > 0) { // sift up
            int parent = (i - 1) >>> 1;
            if (!before(atPs, s, timePs[parent], seq[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        timePs[i] = atPs;
        seq[i] = s;
        items[i] = item;
    }

    /** The time of the first item, or {@link Long#MAX_VALUE} when the queue is empty. */
    public long peekTimePs() {
        return size == 0 ? Long.MAX_VALUE : timePs[0];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** Removes and returns the first item (earliest time, then first queued). The queue must not be empty. */
    @SuppressWarnings("unchecked")
    public T poll() {
        if (size == 0) {
            throw new IllegalStateException("poll of an empty time queue");
        }
        T head = (T) items[0];
        int last = --size;
        if (last > 0) {
            siftDownFrom(last);
        }
        items[last] = null;
        return head;
    }

    // Moves the last element down from the root to its place.
    private void siftDownFrom(int last) {
        long t = timePs[last];
        long s = seq[last];
        Object a = items[last];
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
        items[i] = a;
    }

    private void move(int from, int to) {
        timePs[to] = timePs[from];
        seq[to] = seq[from];
        items[to] = items[from];
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
