package io.nccsim.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplerTest {
    private static double[] frequencies(Sampler s, float[] logits, int draws) {
        double[] f = new double[logits.length];
        for (int i = 0; i < draws; i++) {
            f[s.next(logits)] += 1.0 / draws;
        }
        return f;
    }

    @Test
    void greedyTakesTheLargestLogitAndTheLowestIdOnTies() {
        assertEquals(2, Sampler.greedy().next(new float[]{0.5f, -1f, 3f, 2.9f}));
        assertEquals(1, Sampler.greedy().next(new float[]{0f, 7f, 7f, 7f}));
        assertEquals(0, Sampler.argmax(new float[]{-2f, -2f}));
        assertEquals(3, Sampler.sampling(0, 0.9, 1).next(new float[]{0f, 1f, 2f, 3f})); // temperature 0 is greedy
    }

    @Test
    void samplesTheSoftmaxOfLogitsOverTemperature() {
        // Logits 0 and ln 3: probabilities 1/4 and 3/4. At temperature 2 the odds are sqrt 3 : 1.
        float[] logits = {0f, (float) Math.log(3)};
        int draws = 40_000; // standard error of a frequency near 0.7: about 0.0023
        assertEquals(0.75, frequencies(Sampler.sampling(1, 0, 5), logits, draws)[1], 0.012);
        assertEquals(0.75, frequencies(Sampler.sampling(1, 1, 5), logits, draws)[1], 0.012);
        double root3 = Math.sqrt(3);
        assertEquals(root3 / (1 + root3), frequencies(Sampler.sampling(2, 0, 6), logits, draws)[1], 0.012);
    }

    @Test
    void topPSamplesOnlyTheNucleusRenormalized() {
        // Probabilities 0.1, 0.6, 0.3: the nucleus for p = 0.7 is {0.6, 0.3} (0.6 alone is not more than 0.7),
        // sampled as 2/3 and 1/3; token 0 never comes.
        float[] logits = {(float) Math.log(0.1), (float) Math.log(0.6), (float) Math.log(0.3)};
        double[] f = frequencies(Sampler.sampling(1, 0.7, 8), logits, 30_000);
        assertEquals(0.0, f[0]);
        assertEquals(2.0 / 3, f[1], 0.012);
        assertEquals(1.0 / 3, f[2], 0.012);
    }

    @Test
    void theSameSeedDrawsTheSameTokens() {
        float[] logits = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        Sampler a = Sampler.sampling(1, 0.95, 77);
        Sampler b = Sampler.sampling(1, 0.95, 77);
        StringBuilder sa = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sa.append(a.next(logits));
            sb.append(b.next(logits));
        }
        assertEquals(sa.toString(), sb.toString());
    }

    @Test
    void rejectsNegativeTemperatureAndTopPOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> Sampler.sampling(-0.1, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> Sampler.sampling(Double.NaN, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> Sampler.sampling(1, 1.5, 1));
    }
}
