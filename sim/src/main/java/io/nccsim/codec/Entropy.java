package io.nccsim.codec;

/** The Shannon bound: no lossless code of independent symbols does better on average. */
public final class Entropy {
    private Entropy() {
    }

    /** Shannon entropy, in bits per symbol, of the distribution given by {@code counts}. */
    public static double bitsPerSymbol(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }

    public static double bitsPerSymbol(int[] counts) {
        long[] l = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            l[i] = counts[i];
        }
        return bitsPerSymbol(l);
    }
}
