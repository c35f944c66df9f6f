package io.nccsim.capture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: greedily (temperature 0: the highest logit, ties to the lowest id) or by
 * sampling the softmax of logits / temperature, optionally restricted to the top-p nucleus (the fewest most likely
 * tokens whose probabilities add up to more than p), as llama2.c does. One seeded {@link SplittableRandom} draws
 * one number per token, so a seed always gives the same tokens.
 */
public final class Sampler {
    private final double temperature;
    private final double topP;
    private final SplittableRandom random;

    private Sampler(double temperature, double topP, long seed) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + ": expected a finite number >= 0");
        }
        if (!(topP >= 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p " + topP + ": expected 0..1 (0 or 1: no nucleus cut)");
        }
        this.temperature = temperature;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    /** Always the most likely token. */
    public static Sampler greedy() {
        return new Sampler(0, 0, 0);
    }

    /**
     * Samples at {@code temperature} (0 means greedy) from the top-p nucleus ({@code topP} 0 or 1 samples from
     * every token), drawing from a generator seeded with {@code seed}.
     */
    public static Sampler sampling(double temperature, double topP, long seed) {
        return new Sampler(temperature, topP, seed);
    }

    /** The next token for {@code logits} (not modified). */
    public int next(float[] logits) {
        if (temperature == 0) {
            return argmax(logits);
        }
        double[] probs = softmax(logits, temperature);
        double coin = random.nextDouble();
        return topP <= 0 || topP >= 1 ? sampleAll(probs, coin) : sampleNucleus(probs, coin);
    }

    /** The index of the largest value; the lowest such index on ties. */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = StrictMath.exp(logits[i] / temperature - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The first token at which the cumulative probability passes {@code coin}. */
    private static int sampleAll(double[] probs, double coin) {
        double cumulative = 0;
        for (int i = 0; i < probs.length; i++) {
            cumulative += probs[i];
            if (coin < cumulative) {
                return i;
            }
        }
        return probs.length - 1; // the probabilities summed to a hair under 1
    }

    private int sampleNucleus(double[] probs, double coin) {
        // Tokens below (1 - p) / (n - 1) can never be in the nucleus: skipping them saves sorting the whole
        // vocabulary (llama2.c's shortcut). If that leaves none (a flat distribution), every token stays.
        double cutoff = (1 - topP) / (probs.length - 1);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] >= cutoff) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            for (int i = 0; i < probs.length; i++) {
                candidates.add(i);
            }
        }
        // Most likely first; equal probabilities by id, so the order never depends on the sort's stability.
        candidates.sort(Comparator.comparingDouble((Integer i) -> -probs[i]).thenComparingInt(i -> i));
        double cumulative = 0;
        int last = candidates.size() - 1;
        for (int r = 0; r < candidates.size(); r++) {
            cumulative += probs[candidates.get(r)];
            if (cumulative > topP) {
                last = r;
                break;
            }
        }
        double target = coin * cumulative;
        double running = 0;
        for (int r = 0; r <= last; r++) {
            running += probs[candidates.get(r)];
            if (target < running) {
                return candidates.get(r);
            }
        }
        return candidates.get(last);
    }
}
