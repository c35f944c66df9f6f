package io.nccsim.codec.quant;

/**
 * Compression-aware rescaling: each group's clipping factor, chosen from a small grid, to minimise
 * {@code J = MSE / stepSquared + lambda * H} over the whole tensor, where H is the Shannon entropy (bits per weight)
 * of the tensor's symbols, the rate a tensor-wide entropy code approaches, and {@code stepSquared} the tensor's
 * mean squared quantization step at max scaling (so the distortion term is in squared steps whatever the
 * weights' magnitude).
 *
 * <p>Clipping a group's range makes its step finer, which lowers the rounding error of the many small weights but
 * clips the few large ones; the best factor balances the two (lambda = 0). A smaller factor also moves small
 * weights onto more distinct codes, and a larger one gathers them onto fewer: the entropy term lets rate pull the
 * choice towards fewer, more frequent symbols.
 *
 * <p>Search: for lambda = 0 each group independently takes the factor with the least squared error (ties go to
 * the larger factor, and 1.0 is on the grid, so the result is never worse than max scaling). For lambda > 0 that
 * solution is the start of a coordinate descent in which a group moves to another factor only when the move
 * lowers J, with the entropy of the tensor-wide histogram updated exactly. J therefore only falls; since the start
 * has the least possible MSE, the end can have no more entropy than the start: {@code lambda (H - H0) <=
 * (MSE0 - MSE) / stepSquared <= 0}. The descent stops when a full sweep moves no group, or after
 * {@link #MAX_SWEEPS} sweeps.
 */
final class ClipSearch {
    /** The clipping factors tried, largest first: 1.00, 0.98, ..., 0.80 of the group's extreme values. */
    static final double[] CLIP_FACTORS = {1.00, 0.98, 0.96, 0.94, 0.92, 0.90, 0.88, 0.86, 0.84, 0.82, 0.80};
    static final int MAX_SWEEPS = 8;
    /** A move must lower J by more than this, so rounding noise in the running sums cannot cause endless moves. */
    private static final double MIN_GAIN = 1e-12;

    private ClipSearch() {
    }

    /** The chosen factor of each group of {@code v} (already pruned) under {@code layout}. */
    static double[] choose(float[] v, GroupLayout layout, GroupQuantizer gq, GroupQuantizer.Range[] ranges,
                           double lambda) {
        int groups = layout.count();
        int k = CLIP_FACTORS.length;
        byte[] scratch = new byte[v.length];
        double[][] sqErr = new double[groups][k];
        int[] choice = new int[groups];
        for (int g = 0; g < groups; g++) {
            int start = layout.start(g);
            int len = layout.length(g);
            for (int c = 0; c < k; c++) {
                sqErr[g][c] = gq.encode(v, start, len, gq.params(ranges[g], CLIP_FACTORS[c], g), scratch);
                if (sqErr[g][c] < sqErr[g][choice[g]]) {
                    choice[g] = c;
                }
            }
        }
        if (lambda > 0) {
            descend(v, layout, gq, ranges, lambda, sqErr, choice);
        }
        double[] factors = new double[groups];
        for (int g = 0; g < groups; g++) {
            factors[g] = CLIP_FACTORS[choice[g]];
        }
        return factors;
    }

    private static void descend(float[] v, GroupLayout layout, GroupQuantizer gq, GroupQuantizer.Range[] ranges,
                                double lambda, double[][] sqErr, int[] choice) {
        int groups = layout.count();
        int n = v.length;
        double stepSquaredSum = 0;
        for (int g = 0; g < groups; g++) {
            double step = gq.unclippedStep(ranges[g]);
            stepSquaredSum += step * step * layout.length(g);
        }
        // Distortion in squared steps per weight; the common factor 1/n is folded in here.
        double distortionScale = 1.0 / stepSquaredSum;

        byte[] symbols = new byte[n];
        long[] hist = new long[1 << gq.bits()];
        for (int g = 0; g < groups; g++) {
            gq.encode(v, layout.start(g), layout.length(g), gq.params(ranges[g], CLIP_FACTORS[choice[g]], g),
                    symbols);
        }
        for (byte s : symbols) {
            hist[s & 0xFF]++;
        }
        byte[] trial = new byte[n];
        int[] delta = new int[hist.length];
        boolean[] marked = new boolean[hist.length];
        int[] touched = new int[hist.length];
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean moved = false;
            for (int g = 0; g < groups; g++) {
                int start = layout.start(g);
                int len = layout.length(g);
                int best = choice[g];
                double bestGain = -MIN_GAIN;
                for (int c = 0; c < CLIP_FACTORS.length; c++) {
                    if (c == choice[g]) {
                        continue;
                    }
                    gq.encode(v, start, len, gq.params(ranges[g], CLIP_FACTORS[c], g), trial);
                    // H = log2(n) - S/n with S = sum c log2 c: only the symbols this group touches change S.
                    double dS = entropySumChange(hist, symbols, trial, start, len, delta, marked, touched);
                    double dJ = (sqErr[g][c] - sqErr[g][choice[g]]) * distortionScale - lambda * dS / n;
                    if (dJ < bestGain) {
                        bestGain = dJ;
                        best = c;
                    }
                }
                if (best != choice[g]) {
                    gq.encode(v, start, len, gq.params(ranges[g], CLIP_FACTORS[best], g), trial);
                    for (int i = start; i < start + len; i++) {
                        hist[symbols[i] & 0xFF]--;
                        hist[trial[i] & 0xFF]++;
                        symbols[i] = trial[i];
                    }
                    choice[g] = best;
                    moved = true;
                }
            }
            if (!moved) {
                return;
            }
        }
    }

    /** Change in {@code sum c log2 c} over the histogram if group's symbols {@code old} became {@code now}. */
    private static double entropySumChange(long[] hist, byte[] old, byte[] now, int start, int len, int[] delta,
                                           boolean[] marked, int[] touched) {
        int t = 0;
        for (int i = start; i < start + len; i++) {
            int a = old[i] & 0xFF;
            int b = now[i] & 0xFF;
            if (a == b) {
                continue;
            }
            if (!marked[a]) {
                marked[a] = true;
                touched[t++] = a;
            }
            if (!marked[b]) {
                marked[b] = true;
                touched[t++] = b;
            }
            delta[a]--;
            delta[b]++;
        }
        double dS = 0;
        for (int j = 0; j < t; j++) {
            int s = touched[j];
            dS += cLogC(hist[s] + delta[s]) - cLogC(hist[s]);
            delta[s] = 0;
            marked[s] = false;
        }
        return dS;
    }

    private static double cLogC(long c) {
        return c <= 0 ? 0 : c * (Math.log(c) / Math.log(2));
    }
}
