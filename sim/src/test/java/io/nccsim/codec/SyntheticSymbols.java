package io.nccsim.codec;

import java.util.SplittableRandom;

/** Seeded symbol streams for codec tests: skewed like quantized weights, so codes have a spread of lengths. */
final class SyntheticSymbols {
    private SyntheticSymbols() {
    }

    /**
     * Symbols of a quantized Laplacian: round(Laplace(0, scale)) clamped to the signed range of {@code bits} bits,
     * offset by {@code 2^(bits-1)} into {@code 0 .. 2^bits - 1}, as symmetric quantizers store them.
     */
    static byte[] laplacian(SplittableRandom rnd, int n, int bits, double scale) {
        int half = 1 << (bits - 1);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble() - 0.5;
            double x = -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
            long q = Math.round(x);
            q = Math.max(-half, Math.min(half - 1, q));
            out[i] = (byte) (q + half);
        }
        return out;
    }

    /** Symbols in {@code 0 .. alphabet-1} with geometric probabilities (ratio {@code r}), shuffled over the alphabet. */
    static byte[] geometric(SplittableRandom rnd, int n, int alphabet, double r) {
        int[] perm = new int[alphabet];
        for (int i = 0; i < alphabet; i++) {
            perm[i] = i;
        }
        for (int i = alphabet - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        byte[] out = new byte[n];
        double logR = Math.log(r);
        for (int i = 0; i < n; i++) {
            int k = (int) (Math.log(1 - rnd.nextDouble()) / logR);
            out[i] = (byte) perm[Math.min(alphabet - 1, k)];
        }
        return out;
    }

    static long[] histogram(byte[] symbols, int from, int to, int alphabet) {
        long[] h = new long[alphabet];
        for (int i = from; i < to; i++) {
            h[symbols[i] & 0xFF]++;
        }
        return h;
    }

    /** Coded size from counts and lengths, computed apart from the encoder. */
    static long codedBits(long[] histogram, HuffmanCode code) {
        long bits = 0;
        for (int s = 0; s < histogram.length; s++) {
            bits += histogram[s] * code.length(s);
        }
        return bits;
    }
}
