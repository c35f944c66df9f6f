package io.nccsim.codec.quant;

/**
 * How far reconstructed weights are from the originals.
 *
 * @param elements    weights compared
 * @param mse         mean squared error
 * @param maxAbsError largest absolute error of any one weight
 * @param sqnrDb      signal-to-quantization-noise ratio, {@code 10 log10(sum w^2 / sum (w - w')^2)} in dB;
 *                    +Infinity when the reconstruction is exact (including an all-zero tensor)
 */
public record QuantError(long elements, double mse, double maxAbsError, double sqnrDb) {

    /** The error of {@code reconstructed} against {@code original}, element by element. */
    public static QuantError of(float[] original, float[] reconstructed) {
        if (original.length != reconstructed.length) {
            throw new IllegalArgumentException(original.length + " originals, " + reconstructed.length
                    + " reconstructed values");
        }
        double signal = 0;
        double noise = 0;
        double maxAbs = 0;
        for (int i = 0; i < original.length; i++) {
            double w = original[i];
            double e = w - reconstructed[i];
            signal += w * w;
            noise += e * e;
            maxAbs = Math.max(maxAbs, Math.abs(e));
        }
        int n = original.length;
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        return new QuantError(n, n == 0 ? 0 : noise / n, maxAbs, sqnr);
    }
}
