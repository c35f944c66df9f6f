package io.nccsim.dram;

/**
 * The requests a controller has finished, by completion time, first in first out among equal times: the direct
 * replay loop's queue of completions to hand back.
 *
 * <p>A ring buffer kept sorted by insertion from the tail rather than a heap: the controller issues commands in
 * time order, so completions arrive almost in time order (a write issued after a read can finish before it, by the
 * difference of their latencies), and an insertion walks back over the few later ones at most. At most the
 * front end's requests are in it, so even an unlucky order costs little.
 */
final class CompletionQueue {
    private long[] timePs = new long[64];
    private MemRequest[] requests = new MemRequest[64];
    private int head;
    private int size;

    /** Queues {@code r} to complete at {@code atPs}, after every request already queued at that time. */
    void add(long atPs, MemRequest r) {
        if (size == timePs.length) {
            grow();
        }
        int mask = timePs.length - 1;
        int i = (head + size) & mask;
        // Walk back over the requests due later, moving each one slot on.
        for (int n = size; n > 0; n--) {
            int prev = (i - 1) & mask;
            if (timePs[prev] <= atPs) {
                break;
            }
            timePs[i] = timePs[prev];
            requests[i] = requests[prev];
            i = prev;
        }
        timePs[i] = atPs;
        requests[i] = r;
        size++;
    }

    /** The earliest completion time, or {@link Long#MAX_VALUE} when nothing is queued. */
    long peekTimePs() {
        return size == 0 ? Long.MAX_VALUE : timePs[head];
    }

    /** Removes and returns the request due first. The queue must not be empty. */
    MemRequest poll() {
        if (size == 0) {
            throw new IllegalStateException("poll of an empty completion queue");
        }
        MemRequest r = requests[head];
        requests[head] = null;
        head = (head + 1) & (timePs.length - 1);
        size--;
        return r;
    }

    int size() {
        return size;
    }

    private void grow() {
        int n = timePs.length;
        long[] t = new long[2 * n];
        MemRequest[] q = new MemRequest[2 * n];
        for (int k = 0; k < size; k++) {
            t[k] = timePs[(head + k) & (n - 1)];
            q[k] = requests[(head + k) & (n - 1)];
        }
        timePs = t;
        requests = q;
        head = 0;
    }
}
