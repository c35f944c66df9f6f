package io.nccsim.capture;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Modeled content: the distribution of quantized symbols that a value distribution gives under a quantizer, and
 * per-block symbol counts drawn from it.
 *
 * <p>The symbol distribution is estimated by quantizing many sampled groups exactly as the deployed quantizer
 * would (absmax scale for symmetric, min/max for asymmetric, one scale per group). A block's counts are then a
 * multinomial draw of the block's element count from that distribution, so blocks vary as finite samples do and
 * always sum to the block size.
 */
public final class SymbolModel {
    private final double[] probabilities;

    private SymbolModel(double[] probabilities) {
        this.probabilities = probabilities;
    }

    /** Gaussian values: the usual first model of trained weights. */
    public static RealDistribution gaussian(RandomGenerator rng) {
        return new NormalDistribution(rng, 0, 1);
    }

    /** Student-t values: heavier tails, as activations and keys/values show. */
    public static RealDistribution studentT(RandomGenerator rng, double degreesOfFreedom) {
        return new TDistribution(rng, degreesOfFreedom);
    }

    /**
     * Estimates the symbol distribution of {@code bits}-bit quantization with groups of {@code groupElements}
     * values drawn from {@code values}, over {@code sampleGroups} groups.
     */
    public static SymbolModel estimate(RealDistribution values, int bits, int groupElements, boolean symmetric,
                                       int sampleGroups) {
        int alphabet = 1 << bits;
        long[] counts = new long[alphabet];
        double[] group = new double[groupElements];
        int qmax = (1 << (bits - 1)) - 1; // symmetric codes use -qmax..qmax, offset by 2^(bits-1)
        for (int g = 0; g < sampleGroups; g++) {
            double absMax = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < groupElements; i++) {
                double v = values.sample();
                group[i] = v;
                absMax = Math.max(absMax, Math.abs(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int i = 0; i < groupElements; i++) {
                int symbol;
                if (symmetric) {
                    long q = absMax == 0 ? 0 : Math.round(group[i] / absMax * qmax);
                    symbol = (int) q + (1 << (bits - 1));
                } else {
                    double scale = (max - min) / (alphabet - 1);
                    symbol = scale == 0 ? 0 : (int) Math.round((group[i] - min) / scale);
                }
                counts[Math.max(0, Math.min(alphabet - 1, symbol))]++;
            }
        }
        double total = (double) sampleGroups * groupElements;
        double[] p = new double[alphabet];
        for (int s = 0; s < alphabet; s++) {
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
        double limit = Math.exp(-mean);
        double prod = rng.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }
}
