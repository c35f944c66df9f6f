package io.nccsim.dram;

/**
 * What the DRAM did, counted the way a DRAMPower-style energy model needs it: commands per channel, and cycles each
 * rank spent with at least one bank open (active standby) or all banks closed (precharged standby). Also row-buffer
 * outcomes and the latency of every read request, for the memory report.
 */
public final class DramActivity {
    final long[] acts;
    final long[] pres;
    final long[] reads;
    final long[] writes;
    final long[] refAb;
    final long[] refPb;
    final long[][] active;
    final long[][] precharged;
    long rowHits;
    long rowMisses;
    long rowConflicts;
    long totalCycles;
    /** Latency of every read request, in ps, for exact percentiles. */
    final LongList readLatencies = new LongList();

    DramActivity(int channels, int ranks) {
        acts = new long[channels];
        pres = new long[channels];
        reads = new long[channels];
        writes = new long[channels];
        refAb = new long[channels];
        refPb = new long[channels];
        active = new long[channels][ranks];
        precharged = new long[channels][ranks];
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    public long activates() {
        return sum(acts);
    }

    public long precharges() {
        return sum(pres);
    }

    public long readBursts() {
        return sum(reads);
    }

    public long writeBursts() {
        return sum(writes);
    }

    public long allBankRefreshes() {
        return sum(refAb);
    }

    public long perBankRefreshes() {
        return sum(refPb);
    }

    /** Rank-cycles with at least one bank open, over all channels and ranks. */
    public long activeStandbyCycles() {
        long s = 0;
        for (long[] a : active) {
            s += sum(a);
        }
        return s;
    }

    /** Rank-cycles with every bank closed. */
    public long prechargedStandbyCycles() {
        long s = 0;
        for (long[] a : precharged) {
            s += sum(a);
        }
        return s;
    }

    public long rowHits() {
        return rowHits;
    }

    public long rowMisses() {
        return rowMisses;
    }

    public long rowConflicts() {
        return rowConflicts;
    }

    public LongList readLatencies() {
        return readLatencies;
    }

    /** A growable list of longs (no boxing: a long run records millions of latencies). */
    public static final class LongList {
        private long[] values = new long[1024];
        private int size;
        private long[] sorted; // the values sorted, kept until the next change

        long get(int i) {
            return values[i];
        }

        void clear() {
            size = 0;
            sorted = null;
        }

        void add(long v) {
            sorted = null;
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        public int size() {
            return size;
        }

        /** The values in the order they were added. */
        public long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }

        /** The exact q-quantile (nearest rank) of the values; 0 when empty. */
        public long quantile(double q) {
            if (size == 0) {
                return 0;
            }
            if (sorted == null) {
                sorted = java.util.Arrays.copyOf(values, size);
                java.util.Arrays.sort(sorted);
            }
            int rank = (int) Math.ceil(q * size);
            return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
        }

        /** The mean, from an exact integer sum (so it does not depend on the order the values came in). */
        public double mean() {
            long s = 0;
            for (int i = 0; i < size; i++) {
                s += values[i];
            }
            return size == 0 ? 0 : (double) s / size;
        }
    }
}
