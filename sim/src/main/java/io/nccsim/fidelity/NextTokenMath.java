package io.nccsim.fidelity;

/**
 * The arithmetic of comparing next-token distributions given as logits: log-softmax, KL divergence, negative
 * log-likelihood and perplexity, all in nats and in double precision.
 *
 * <p>Every probability is taken through the log-sum-exp of the logits shifted by their maximum, so no exp overflows
 * and no log sees an underflowed zero. exp and log come from {@link StrictMath}: the results are the same bits on
 * every machine, as the engine's logits are.
 */
public final class NextTokenMath {
    private NextTokenMath() {
    }

    /** {@code log(sum_i exp(logits[i]))}, computed as {@code max + log(sum_i exp(logits[i] - max))}. */
    public static double logSumExp(float[] logits) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("no logits");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += StrictMath.exp(x - max);
        }
        return max + StrictMath.log(sum);
    }

    /** {@code log p_i} of the softmax of {@code logits}. */
    public static double[] logSoftmax(float[] logits) {
        double lse = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    /**
     * KL(P || Q) = {@code sum_i p_i (log p_i - log q_i)} in nats, P and Q the softmax of the two logit vectors. A term
     * whose p_i underflows to zero contributes nothing, as its limit does. Rounding can leave a sum a few ulps below
     * zero when P and Q barely differ; KL is never negative, so such a sum is reported as 0. Identical logits give
     * exactly 0.
     */
    public static double klDivergence(float[] p, float[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException(p.length + " logits against " + q.length);
        }
        double[] logP = logSoftmax(p);
        double[] logQ = logSoftmax(q);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = StrictMath.exp(logP[i]);
            if (pi > 0) {
                sum += pi * (logP[i] - logQ[i]);
            }
        }
        return Math.max(0, sum);
    }

    /** {@code -log p(target)} in nats under the softmax of {@code logits}. */
    public static double negativeLogLikelihood(float[] logits, int target) {
        if (target < 0 || target >= logits.length) {
            throw new IllegalArgumentException("target " + target + " outside 0.." + (logits.length - 1));
        }
        return logSumExp(logits) - logits[target];
    }

    /** {@code exp(mean NLL)}: the perplexity of predictions whose negative log-likelihoods (nats) are given. */
    public static double perplexity(double[] negativeLogLikelihoods) {
        if (negativeLogLikelihoods.length == 0) {
            throw new IllegalArgumentException("no predictions");
        }
        double sum = 0;
        for (double nll : negativeLogLikelihoods) {
            sum += nll;
        }
        return StrictMath.exp(sum / negativeLogLikelihoods.length);
    }
}
