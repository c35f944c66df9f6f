package io.nccsim.codec.quant;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Magnitude pruning and compression-aware rescaling (the {@link QuantOptions}). */
class CompressionAwareTest {
    private static final String[] SCHEMES = {"int8-channel-sym", "int4-g32-sym", "int4-g32-asym", "int3-g64-asym",
            "int2-g32-sym", "int4-tensor-asym"};

    /** Laplace-distributed values: heavier tails than Gaussian, as trained weights tend to have. */
    private static float[] laplace(int n, long seed, double b) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble() - 0.5;
            v[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return v;
    }

    private static int zeros(float[] v) {
        int z = 0;
        for (float x : v) {
            z += x == 0f ? 1 : 0;
        }
        return z;
    }

    @Test
    void pruningZeroesExactlyTheRequestedFractionSmallestFirst() {
        float[] v = QuantizerTest.gaussian(1000, 11, 0, 1);
        for (double s : new double[]{0.1, 0.3, 0.5, 0.9, 0.0005, 0.0015}) {
            float[] p = Pruning.pruneSmallest(v, s);
            int k = (int) Math.floor(s * 1000 + 0.5);
            assertEquals(k, zeros(p), "sparsity " + s);
            double largestPruned = 0;
            double smallestKept = Double.MAX_VALUE;
            for (int i = 0; i < v.length; i++) {
                if (p[i] == 0f) {
                    largestPruned = Math.max(largestPruned, Math.abs(v[i]));
                } else {
                    assertEquals(v[i], p[i], 0.0, "survivors are unchanged");
                    smallestKept = Math.min(smallestKept, Math.abs(v[i]));
                }
            }
            assertTrue(largestPruned <= smallestKept, "sparsity " + s);
        }
        assertArrayEquals(v, Pruning.pruneSmallest(v, 0));
    }

    @Test
    void pruningTiesAreBrokenByIndexSoTheCountIsExact() {
        float[] v = {1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f};
        float[] p = Pruning.pruneSmallest(v, 0.35); // 3.5 rounds to 4 of 10 equal magnitudes
        assertArrayEquals(new float[]{0f, 0f, 0f, 0f, 1f, -1f, 1f, -1f, 1f, -1f}, p);
        float[] withZeros = {0f, 5f, 0f, -3f, 2f};
        assertArrayEquals(new float[]{0f, 5f, 0f, -3f, 0f}, Pruning.pruneSmallest(withZeros, 0.6),
                "existing zeros count among the smallest");
    }

    @Test
    void prunedWeightsBecomeTheZeroSymbolSoItDominates() {
        float[] v = QuantizerTest.gaussian(64 * 64, 12, 0, 0.05);
        for (String spec : SCHEMES) {
            WeightQuant q = WeightQuant.parse(spec, "t");
            QuantizedTensor t = new Quantizer(QuantOptions.pruned(0.6)).quantize("t", v, 64, 64, q);
            float[] back = Quantizer.dequantize(t);
            // Every pruned weight reconstructs as exactly zero, so the zero fraction is at least the sparsity...
            assertTrue(zeros(back) >= Pruning.prunedCount(v.length, 0.6), spec);
            // ...and with more than half pruned, the symbol(s) standing for zero outnumber all others.
            long[] zeroSymbolCount = new long[t.alphabetSize()];
            for (int i = 0; i < back.length; i++) {
                if (back[i] == 0f) {
                    zeroSymbolCount[t.symbol(i)]++;
                }
            }
            long[] hist = t.histogram();
            int mostFrequent = 0;
            for (int s = 1; s < hist.length; s++) {
                mostFrequent = hist[s] > hist[mostFrequent] ? s : mostFrequent;
            }
            assertTrue(zeroSymbolCount[mostFrequent] > 0, spec + ": the most frequent symbol stands for zero");
        }
    }

    @Test
    void rescalingWithoutEntropyWeightNeverIncreasesTheError() {
        float[] lap = laplace(48 * 128, 13, 0.02);
        float[] gau = QuantizerTest.gaussian(48 * 128, 14, 0.003, 0.02);
        for (float[] v : new float[][]{lap, gau}) {
            for (String spec : SCHEMES) {
                WeightQuant q = WeightQuant.parse(spec, "t");
                double plain = QuantError.of(v, Quantizer.dequantize(Quantizer.quantize(v, 48, 128, q))).mse();
                double clipped = QuantError.of(v, Quantizer.dequantize(
                        new Quantizer(QuantOptions.rescaled(0)).quantize("t", v, 48, 128, q))).mse();
                assertTrue(clipped <= plain * (1 + 1e-12), spec + ": " + clipped + " > " + plain);
            }
        }
        // At 3 bits a Laplace group's largest value is far beyond the MSE-optimal clipping point: clipping helps.
        WeightQuant q3 = WeightQuant.parse("int3-g64-sym", "t");
        double plain = QuantError.of(lap, Quantizer.dequantize(Quantizer.quantize(lap, 48, 128, q3))).mse();
        double clipped = QuantError.of(lap, Quantizer.dequantize(
                new Quantizer(QuantOptions.rescaled(0)).quantize("t", lap, 48, 128, q3))).mse();
        assertTrue(clipped < plain, clipped + " vs " + plain);
    }

    @Test
    void anEntropyWeightNeverRaisesEntropyAndNeverLowersTheError() {
        float[] v = laplace(48 * 128, 15, 0.02);
        for (String spec : SCHEMES) {
            WeightQuant q = WeightQuant.parse(spec, "t");
            QuantizedTensor base = new Quantizer(QuantOptions.rescaled(0)).quantize("t", v, 48, 128, q);
            double h0 = Entropy.bitsPerSymbol(base.histogram());
            double mse0 = QuantError.of(v, Quantizer.dequantize(base)).mse();
            for (double lambda : new double[]{0.001, 0.01, 0.1, 1}) {
                QuantizedTensor t = new Quantizer(QuantOptions.rescaled(lambda)).quantize("t", v, 48, 128, q);
                double h = Entropy.bitsPerSymbol(t.histogram());
                double mse = QuantError.of(v, Quantizer.dequantize(t)).mse();
                assertTrue(h <= h0 + 1e-9, spec + " lambda " + lambda + ": entropy " + h + " > " + h0);
                assertTrue(mse >= mse0 * (1 - 1e-12), spec + " lambda " + lambda + ": the start is MSE-optimal");
            }
        }
        // The entropy term does act: at 3 bits MSE-optimal clipping spreads symbols, and a weight of 1 bit per
        // squared step pulls groups back towards coarser, lower-entropy grids.
        WeightQuant q3 = WeightQuant.parse("int3-g64-asym", "t");
        double h0 = Entropy.bitsPerSymbol(new Quantizer(QuantOptions.rescaled(0)).quantize("t", v, 48, 128, q3)
                .histogram());
        double h1 = Entropy.bitsPerSymbol(new Quantizer(QuantOptions.rescaled(1)).quantize("t", v, 48, 128, q3)
                .histogram());
        assertTrue(h1 < h0, h1 + " vs " + h0);
    }

    @Test
    void clippedScalesAreNeverLargerThanMaxScaling() {
        float[] v = laplace(16 * 64, 16, 0.05);
        WeightQuant q = WeightQuant.parse("int4-g32-asym", "t");
        float[] plain = Quantizer.quantize(v, 16, 64, q).scales();
        float[] clipped = new Quantizer(new QuantOptions(0.2, true, 0.05)).quantize("t", v, 16, 64, q).scales();
        boolean someSmaller = false;
        for (int g = 0; g < plain.length; g++) {
            assertTrue(clipped[g] <= plain[g], "group " + g);
            someSmaller |= clipped[g] < plain[g];
        }
        assertTrue(someSmaller, "at least one group clips");
    }

    @Test
    void optionsAreValidatedWithOneLineNamingTheOption() {
        for (double bad : new double[]{1.0, -0.1, Double.NaN, 1.5}) {
            BadInputException e = assertThrows(BadInputException.class, () -> QuantOptions.pruned(bad));
            assertTrue(e.getMessage().contains("sparsity") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        for (double bad : new double[]{-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            BadInputException e = assertThrows(BadInputException.class, () -> QuantOptions.rescaled(bad));
            assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        }
        BadInputException off = assertThrows(BadInputException.class, () -> new QuantOptions(0, false, 0.1));
        assertTrue(off.getMessage().contains("lambda") && off.getMessage().contains("rescal"), off.getMessage());
        assertFalse(off.getMessage().contains("\n"));
    }
}
