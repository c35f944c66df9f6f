package io.nccsim.capture;

import org.apache.commons.math3.random.RandomGenerator;

/**
 * Modeled content: a distribution of quantized symbols, and per-block symbol counts drawn from it.
 *
 * <p>The distribution is the frequency of each symbol among many values drawn from a modeled value distribution
 * and quantized exactly as deployed ({@link ModeledContent} makes it). A block's counts are then a multinomial draw
 * of the block's element count from it, so blocks vary as finite samples do and always sum to the block size.
 */
public final class SymbolModel {
    private final double[] probabilities;

    private SymbolModel(double[] probabilities) {
        this.probabilities = probabilities;
    }

    /** The distribution of symbols counted {@code counts[s]} times (at least one count in all). */
    public static SymbolModel ofCounts(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("no symbols counted");
        }
        double[] p = new double[counts.length];
        for (int s = 0; s < counts.length; s++) {
            p[s] = counts[s] / total;
        }
        return new SymbolModel(p);
    }

    public double[] probabilities() {
        return probabilities.clone();
    }

    /**
     * Counts of {@code n} symbols drawn from this distribution: a multinomial sample, drawn bin by bin as
     * conditional binomials (normal approximation for large means, Poisson for small ones, clamped so the counts
     * always sum to {@code n}).
     */
    public int[] drawCounts(int n, RandomGenerator rng) {
        int[] counts = new int[probabilities.length];
        int remaining = n;
        double massLeft = 1.0;
        for (int s = 0; s < probabilities.length && remaining > 0; s++) {
            double p = probabilities[s];
            if (s == probabilities.length - 1 || massLeft <= p) {
                counts[s] = remaining;
                remaining = 0;
                break;
            }
            double q = Math.min(1.0, p / massLeft);
            double mean = remaining * q;
            int x;
            if (q <= 0) {
                x = 0;
            } else if (mean < 30) {
                x = poisson(mean, rng);
            } else {
                x = (int) Math.round(mean + Math.sqrt(mean * (1 - q)) * rng.nextGaussian());
            }
            x = Math.max(0, Math.min(remaining, x));
            counts[s] = x;
            remaining -= x;
            massLeft -= p;
        }
        if (remaining > 0) {
            // Rounding left some mass: give it to the most likely symbol.
            int mode = 0;
            for (int s = 1; s < probabilities.length; s++) {
                if (probabilities[s] > probabilities[mode]) {
                    mode = s;
                }
            }
            counts[mode] += remaining;
        }
        return counts;
    }

    private static int poisson(double mean, RandomGenerator rng) {
        double limit = StrictMath.exp(-mean); // specified bit for bit: the same draws on every JVM
        double prod = rng.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }
}
