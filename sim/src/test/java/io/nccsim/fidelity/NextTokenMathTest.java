package io.nccsim.fidelity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KL, NLL and perplexity against values worked out by hand from the probabilities. */
class NextTokenMathTest {
    private static final double E = Math.E;

    @Test
    void logSumExpIsStableFarFromZero() {
        assertEquals(Math.log(1 + E), NextTokenMath.logSumExp(new float[]{0, 1}), 1e-15);
        // exp(1000) overflows a double; shifted by the maximum it does not.
        assertEquals(999 + Math.log(1 + E), NextTokenMath.logSumExp(new float[]{999, 1000}), 1e-12);
        assertEquals(-1000 + Math.log(2), NextTokenMath.logSumExp(new float[]{-1000, -1000}), 1e-12);
    }

    @Test
    void klOfTwoTokenDistributionsMatchesTheHandComputation() {
        // P = softmax(1000, 1001) = (1, e) / (1 + e); Q = softmax(0, 0) = (1/2, 1/2).
        double p0 = 1 / (1 + E);
        double p1 = E / (1 + E);
        double forward = p0 * Math.log(p0 / 0.5) + p1 * Math.log(p1 / 0.5);
        double backward = 0.5 * Math.log(0.5 / p0) + 0.5 * Math.log(0.5 / p1);
        float[] p = {1000, 1001};
        float[] q = {0, 0};
        assertEquals(forward, NextTokenMath.klDivergence(p, q), 1e-12);
        assertEquals(backward, NextTokenMath.klDivergence(q, p), 1e-12);
        assertNotEquals(forward, backward, 1e-3, "KL is not symmetric");
    }

    @Test
    void klOfThreeTokenDistributionsMatchesTheHandComputation() {
        // P = (1, 2, 4)/7 written as logits ln(1), ln(2), ln(4) + 5 (a shift changes nothing); Q = (1, 1, 2)/4.
        float[] p = {(float) (0 + 5), (float) (Math.log(2) + 5), (float) (Math.log(4) + 5)};
        float[] q = {0, 0, (float) Math.log(2)};
        double[] pp = {1 / 7.0, 2 / 7.0, 4 / 7.0};
        double[] qq = {0.25, 0.25, 0.5};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += pp[i] * Math.log(pp[i] / qq[i]);
        }
        // The logits are floats: ln 2 + 5 is off by up to half an ulp of 5.7 (2.4e-7), which moves KL by less.
        assertEquals(expected, NextTokenMath.klDivergence(p, q), 1e-6);
    }

    @Test
    void identicalLogitsGiveExactlyZeroAndZeroProbabilitiesAddNothing() {
        float[] a = {0.3f, -1.7f, 2.25f, 0f};
        assertEquals(0.0, NextTokenMath.klDivergence(a, a.clone()));
        // P puts all its mass on token 0 (exp(-2000) is 0 in double): KL = 1 * ln(1 / (1/2)).
        assertEquals(Math.log(2), NextTokenMath.klDivergence(new float[]{0, -2000}, new float[]{0, 0}), 1e-15);
        // A token both give probability zero (logit -inf) adds nothing: no 0 * -inf = NaN.
        float[] ninf = {0, Float.NEGATIVE_INFINITY};
        assertEquals(0.0, NextTokenMath.klDivergence(ninf, ninf.clone()));
        // Q ruling out a token P allows makes KL infinite, as it is.
        assertEquals(Double.POSITIVE_INFINITY, NextTokenMath.klDivergence(new float[]{0, 0}, ninf));
    }

    @Test
    void klIsNeverNegative() {
        float[] a = {1f, 2f, 3f};
        float[] b = {1f, 2f, Math.nextUp(3f)};
        assertTrue(NextTokenMath.klDivergence(a, b) >= 0);
        assertTrue(NextTokenMath.klDivergence(b, a) >= 0);
        assertThrows(IllegalArgumentException.class, () -> NextTokenMath.klDivergence(a, new float[2]));
    }

    @Test
    void negativeLogLikelihoodAndPerplexityMatchTheHandComputation() {
        float[] logits = {0, 1};
        assertEquals(Math.log(1 + E) - 1, NextTokenMath.negativeLogLikelihood(logits, 1), 1e-15);
        assertEquals(Math.log(1 + E), NextTokenMath.negativeLogLikelihood(logits, 0), 1e-15);
        // exp(mean(ln 2, ln 8)) = exp(ln 4) = 4.
        assertEquals(4.0, NextTokenMath.perplexity(new double[]{Math.log(2), Math.log(8)}), 1e-12);
        // A uniform distribution over V tokens has perplexity V whatever the targets.
        float[] uniform = new float[512];
        double[] nll = {NextTokenMath.negativeLogLikelihood(uniform, 7), NextTokenMath.negativeLogLikelihood(uniform,
                300)};
        assertEquals(512.0, NextTokenMath.perplexity(nll), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> NextTokenMath.negativeLogLikelihood(logits, 2));
        assertThrows(IllegalArgumentException.class, () -> NextTokenMath.perplexity(new double[0]));
    }
}
