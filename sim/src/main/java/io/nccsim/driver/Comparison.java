package io.nccsim.driver;

/** The baseline and the NCC run of one trace, and how they compare. */
public record Comparison(RunResult baseline, RunResult ncc) {

    private static long dramBytes(RunResult r) {
        return r.memory().bytesRead() + r.memory().bytesWritten();
    }

    /** DRAM bytes (read plus written) the NCC saved, as a percentage of the baseline's. */
    public double bandwidthSavedPct() {
        long base = dramBytes(baseline);
        return base == 0 ? 0 : 100.0 * (base - dramBytes(ncc)) / base;
    }

    /** Baseline time over NCC time for the whole trace: above 1 means the NCC made the run faster. */
    public double speedup() {
        return ncc.simTimePs() == 0 ? 0 : (double) baseline.simTimePs() / ncc.simTimePs();
    }

    /** Decode-phase speedup: NCC tokens per second over baseline tokens per second. */
    public double decodeSpeedup() {
        return baseline.tokensPerS() == 0 ? 0 : ncc.tokensPerS() / baseline.tokensPerS();
    }

    public double energySavedPct() {
        double base = baseline.energy().total();
        return base == 0 ? 0 : 100.0 * (base - ncc.energy().total()) / base;
    }
}
