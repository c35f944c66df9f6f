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
    /** Latency of every read request, in ps, counted for exact percentiles. */
    final LatencyCounts readLatencies = new LatencyCounts();

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

    public LatencyCounts readLatencies() {
        return readLatencies;
    }
}
