package io.nccsim.dram;

import java.util.Arrays;

/**
 * An exact distribution of latencies (or any long values): how many times each value occurred, for exact
 * nearest-rank percentiles and an exact mean, in memory that grows with the number of distinct values rather than
 * with the number of values. A DRAM model's latencies are sums of whole clock cycles, so a run of millions of reads
 * has a few thousand distinct latencies at most; a list of every value cost a long run tens of megabytes and, in
 * its growing, a tenth of the DRAM model's time.
 *
 * <p>The first {@link #FIRST} values are also kept in the order they came (a probe of a few requests reads them
 * one by one).
 */
public final class LatencyCounts {
    /** How many of the first values are kept in order. */
    public static final int FIRST = 16;
    private static final long EMPTY = Long.MIN_VALUE;

    private final long[] first = new long[FIRST];
    // open addressing, linear probing, at most half full; EMPTY marks a free slot (no latency is Long.MIN_VALUE)
    private long[] keys = emptyKeys(64);
    private long[] counts = new long[64];
    private int distinct;
    private long size;
    private long sum;
    // A stream of requests mostly repeats the latency before: its slot is remembered.
    private long lastValue = EMPTY;
    private int lastSlot;
    private long[] sortedKeys; // the distinct values sorted, kept until a new one arrives

    private static long[] emptyKeys(int n) {
        long[] k = new long[n];
        Arrays.fill(k, EMPTY);
        return k;
    }

    /** Adds one occurrence of {@code v}; {@link Long#MIN_VALUE} is not a value. */
    public void add(long v) {
        if (v == EMPTY) {
            throw new IllegalArgumentException("Long.MIN_VALUE is not a latency");
        }
        if (size < FIRST) {
            first[(int) size] = v;
        }
        size++;
        sum += v;
        if (v == lastValue) {
            counts[lastSlot]++;
            return;
        }
        int slot = slotOf(v);
        if (keys[slot] == EMPTY) {
            keys[slot] = v;
            sortedKeys = null;
            if (++distinct * 2 > keys.length) {
                grow();
                slot = slotOf(v);
            }
        }
        counts[slot]++;
        lastValue = v;
        lastSlot = slot;
    }

    /** The slot holding {@code v}, or the free slot where it belongs. */
    private int slotOf(long v) {
        int mask = keys.length - 1;
        int slot = (int) ((v * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (keys[slot] != EMPTY && keys[slot] != v) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        keys = emptyKeys(oldKeys.length * 2);
        counts = new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slotOf(oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
        lastValue = EMPTY;
    }

    /** Forgets every value. */
    public void clear() {
        Arrays.fill(keys, EMPTY);
        Arrays.fill(counts, 0);
        distinct = 0;
        size = 0;
        sum = 0;
        lastValue = EMPTY;
        sortedKeys = null;
    }

    /** How many values were added. */
    public long size() {
        return size;
    }

    /** The first {@code min(n, size, FIRST)} values, in the order they were added. */
    public long[] first(int n) {
        return Arrays.copyOf(first, (int) Math.min(Math.min(n, size), FIRST));
    }

    /** How many times {@code v} occurred. */
    public long count(long v) {
        int slot = slotOf(v);
        return keys[slot] == v ? counts[slot] : 0;
    }

    /** The distinct values, ascending. */
    public long[] distinctValues() {
        if (sortedKeys == null) {
            long[] k = new long[distinct];
            int n = 0;
            for (long key : keys) {
                if (key != EMPTY) {
                    k[n++] = key;
                }
            }
            Arrays.sort(k);
            sortedKeys = k;
        }
        return sortedKeys.clone();
    }

    /** The exact q-quantile, nearest rank: the smallest value with at least ceil(q x size) values at or below it. */
    public long quantile(double q) {
        if (size == 0) {
            return 0;
        }
        long rank = Math.max(1, Math.min(size, (long) Math.ceil(q * size)));
        distinctValues();
        long seen = 0;
        for (long v : sortedKeys) {
            seen += count(v);
            if (seen >= rank) {
                return v;
            }
        }
        throw new IllegalStateException("counts do not add up to " + size);
    }

    /** The mean, from an exact integer sum (so it does not depend on the order the values came in); 0 when empty. */
    public double mean() {
        return size == 0 ? 0 : (double) sum / size;
    }
}
