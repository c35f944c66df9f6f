package io.nccsim.codec.quant;

import java.util.Arrays;

/**
 * Magnitude pruning: the smallest weights of a tensor set to exactly zero, so that after quantization the zero
 * symbol dominates and the entropy coder spends little on it.
 */
public final class Pruning {
    private Pruning() {
    }

    /**
     * How many of {@code elements} weights a sparsity prunes: the nearest whole number to
     * {@code sparsity * elements} (halves round up).
     */
    public static int prunedCount(int elements, double sparsity) {
        return (int) Math.min(elements, Math.floor(sparsity * elements + 0.5));
    }

    /**
     * A copy of {@code values} with exactly {@link #prunedCount} of them, the smallest in magnitude, set to zero.
     * Equal magnitudes are taken in index order, so ties never make the count miss and the result is the same on
     * every run. Weights that already are zero count among the smallest.
     */
    public static float[] pruneSmallest(float[] values, double sparsity) {
        float[] out = values.clone();
        int k = prunedCount(values.length, sparsity);
        if (k == 0) {
            return out;
        }
        // Non-negative floats order as their bit patterns do, so one long sort key holds magnitude then index.
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = ((long) Float.floatToRawIntBits(Math.abs(values[i])) << 32) | i;
        }
        Arrays.sort(keys);
        for (int j = 0; j < k; j++) {
            out[(int) keys[j]] = 0f;
        }
        return out;
    }
}
