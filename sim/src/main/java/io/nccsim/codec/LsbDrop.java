package io.nccsim.codec;

/**
 * The arithmetic of the NCC's lossy levels: drop the low bits of each element before Huffman coding, restore them
 * as the middle of the dropped range after decoding.
 *
 * <p>Level 2, 3, 4 drops 1, 2, 3 bits ({@link #dropBitsOfLevel}). A symbol {@code s} (the element's stored code,
 * {@code 0 .. 2^b - 1}) is coded as {@code s >>> d}, so the Huffman alphabet shrinks to {@code 2^(b-d)} symbols and
 * the code is built from the dropped histogram ({@link #dropHistogram}). The decoder restores
 * {@code ((s >>> d) << d) + 2^(d-1)}: of the two middle values of the even-width range {@code [q 2^d, q 2^d + 2^d -
 * 1]} it takes the <b>upper</b> one, i.e. it appends a 1 followed by zeros. Why the upper: it is one wire tied high
 * in hardware, and with a symmetric quantizer (zero point {@code 2^(b-1)}, a multiple of {@code 2^d}) the
 * reconstructed values {@code ..., -3w/2, -w/2, w/2, 3w/2, ...} (w = 2^d) are symmetric about zero, so large
 * positive and large negative weights are treated alike. The price: code value 0 is never restored exactly (it
 * becomes w/2), and over a uniform range the mean error is +1/2 code.
 *
 * <p>Errors are measured on the element's code value. A dequantized value is {@code (s - zeroPoint) * scale}, so the
 * error in the value is the code error times the scale, whatever the zero point; because {@code d < b}, the sign
 * bit of a two's-complement code is never dropped and the error is the same for signed codes.
 */
public final class LsbDrop {
    private LsbDrop() {
    }

    /** Bits a level drops: 0 for bypass (0) and lossless (1), {@code level - 1} for the lossy levels 2..4. */
    public static int dropBitsOfLevel(int level) {
        if (level < 0 || level > 4) {
            throw new IllegalArgumentException("level " + level + " has no bit-drop arithmetic (levels 0..4 do)");
        }
        return level <= 1 ? 0 : level - 1;
    }

    /** The code the decoder restores for symbol {@code s} after {@code dropBits} low bits were dropped. */
    public static int reconstruct(int symbol, int dropBits) {
        checkDrop(dropBits, 31);
        if (symbol < 0) {
            throw new IllegalArgumentException("negative symbol " + symbol);
        }
        return dropBits == 0 ? symbol : ((symbol >>> dropBits) << dropBits) + (1 << (dropBits - 1));
    }

    /** Counts of the coded symbols {@code s >>> dropBits}: {@code counts.length >>> dropBits} entries. */
    public static long[] dropHistogram(long[] counts, int dropBits) {
        int bits = alphabetBits(counts.length);
        checkDrop(dropBits, bits);
        long[] out = new long[counts.length >>> dropBits];
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("negative count for symbol " + s);
            }
            out[s >>> dropBits] += counts[s];
        }
        return out;
    }

    /** As {@link #dropHistogram(long[], int)}, for the {@code int[]} block histograms of {@link HuffmanCode}. */
    public static int[] dropHistogram(int[] counts, int dropBits) {
        int bits = alphabetBits(counts.length);
        checkDrop(dropBits, bits);
        int[] out = new int[counts.length >>> dropBits];
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("negative count for symbol " + s);
            }
            out[s >>> dropBits] = Math.addExact(out[s >>> dropBits], counts[s]);
        }
        return out;
    }

    /**
     * Mean squared error per element, in code units squared, of dropping {@code dropBits} bits and restoring the
     * upper midpoint: exactly {@code sum counts[s] (reconstruct(s) - s)^2 / sum counts[s]}. For a uniform histogram
     * this is {@code (w^2 + 2) / 12} with {@code w = 2^dropBits} (the variance {@code (w^2 - 1)/12} of the position
     * within the range plus the squared half-code offset of the upper midpoint).
     */
    public static double meanSquaredError(long[] counts, int dropBits) {
        int bits = alphabetBits(counts.length);
        checkDrop(dropBits, bits);
        long total = 0;
        double sum = 0;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("negative count for symbol " + s);
            }
            long e = reconstruct(s, dropBits) - s;
            total += counts[s];
            sum += (double) counts[s] * e * e;
        }
        if (total == 0) {
            throw new IllegalArgumentException("empty histogram: no elements to measure an error over");
        }
        return sum / total;
    }

    /**
     * Signal-to-quantization-noise ratio of the drop, in dB: {@code 10 log10(signal / mse)} where the signal power is
     * the mean of {@code (s - zeroPoint)^2} (the dequantized value over its scale; zero point {@code 2^(b-1)} for a
     * symmetric quantizer) and the noise is {@link #meanSquaredError}. Infinite for {@code dropBits = 0}. This is the
     * extra noise the level adds on top of the quantizer's own, relative to the quantized signal.
     */
    public static double sqnrDb(long[] counts, int dropBits, double zeroPoint) {
        double mse = meanSquaredError(counts, dropBits);
        long total = 0;
        double power = 0;
        for (int s = 0; s < counts.length; s++) {
            double v = s - zeroPoint;
            total += counts[s];
            power += counts[s] * v * v;
        }
        power /= total;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(power / mse);
    }

    /** b for an alphabet of 2^b symbols (b >= 1). */
    private static int alphabetBits(int length) {
        if (length < 2 || Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("a histogram of 2^b symbols (b >= 1) is needed, got " + length);
        }
        return Integer.numberOfTrailingZeros(length);
    }

    private static void checkDrop(int dropBits, int bits) {
        if (dropBits < 0 || dropBits >= bits) {
            throw new IllegalArgumentException("dropBits must be 0.." + (bits - 1) + " for " + bits
                    + "-bit symbols (the top bit is always kept), got " + dropBits);
        }
    }
}
