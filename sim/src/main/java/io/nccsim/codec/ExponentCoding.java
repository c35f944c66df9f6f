package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;

import java.util.Arrays;

/**
 * Lossless coding of fp16/bf16 weights for deployments that do not quantize, in the manner of DFloat11 and ZipNN:
 * each 16-bit value splits into its exponent field, which is Huffman-coded, and its sign and mantissa bits, which
 * are stored raw.
 *
 * <p>Why only the exponent: trained weights cluster in a few binades, so the exponent field carries far less than
 * its width in information (a few of bf16's 8 bits), while sign and mantissa bits are close to
 * uniform and no entropy coder gains on them. The split keeps decoding simple enough for hardware: one table
 * lookup per value, the remaining bits copied.
 *
 * <p>Sizes are exact for the code {@link HuffmanCode#build} gives: raw sign+mantissa bits, plus each exponent's
 * count times its code length, plus the code table as {@link HuffmanCode#tableBytes()} stores it. The bit-exact
 * encoder and decoder are the Huffman stream's business, not this class's.
 */
public final class ExponentCoding {
    private ExponentCoding() {
    }

    /** Which bits of a 16-bit float are the exponent, and how many sign+mantissa bits remain. */
    private static int exponentBits(ElementType format) {
        return switch (format) {
            case BF16 -> 8;
            case FP16 -> 5;
            default -> throw new IllegalArgumentException("exponent coding is for fp16 and bf16, not " + format.id());
        };
    }

    /**
     * How often each exponent field value occurs in {@code values} stored as {@code format} (fp32 rounded to
     * nearest-even, as the deployment would store them; values that already are fp16/bf16 convert exactly).
     *
     * @throws BadInputException naming {@code tensor} and the element, if a finite value overflows fp16
     */
    public static ExponentHistogram histogram(String tensor, float[] values, ElementType format) {
        int expBits = exponentBits(format);
        int mantBits = 15 - expBits;
        long[] counts = new long[1 << expBits];
        int mask = (1 << expBits) - 1;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            short h;
            if (format == ElementType.BF16) {
                h = Float16Bits.toBf16(v);
            } else {
                h = Float16Bits.toFp16(v);
                if (Float.isFinite(v) && Float.isInfinite(Float16Bits.fromFp16(h))) {
                    throw new BadInputException(tensor + ": element " + i + " = " + v + " overflows fp16 (largest "
                            + Float16Bits.FP16_MAX + "); expected weights that fit, or store the tensor as bf16");
                }
            }
            counts[((h & 0xFFFF) >>> mantBits) & mask]++;
        }
        return new ExponentHistogram(format, counts);
    }

    /** The exact coded size of the weights whose exponents {@code h} counts, with codes of at most the given length. */
    public static ExponentCodedSize size(ExponentHistogram h, int maxCodeLength) {
        int expBits = exponentBits(h.format());
        long[] counts = h.counts();
        long weights = h.weights();
        if (weights == 0) {
            return new ExponentCodedSize(h.format(), 0, 0, 0, 0, 0, 0, maxCodeLength);
        }
        HuffmanCode code = HuffmanCode.build(counts, maxCodeLength);
        long exponentCodeBits = 0;
        int distinct = 0;
        for (int s = 0; s < counts.length; s++) {
            exponentCodeBits += counts[s] * code.length(s);
            distinct += counts[s] > 0 ? 1 : 0;
        }
        long signMantissaBits = weights * (16 - expBits);
        return new ExponentCodedSize(h.format(), weights, signMantissaBits, exponentCodeBits,
                code.tableBytes() * 8, Entropy.bitsPerSymbol(counts), distinct, maxCodeLength);
    }

    /**
     * Exponent-field counts of some 16-bit weights.
     *
     * @param format BF16 (256 exponent values) or FP16 (32)
     * @param counts occurrences of each exponent field value
     */
    public record ExponentHistogram(ElementType format, long[] counts) {
        public ExponentHistogram {
            if (counts.length != 1 << exponentBits(format)) {
                throw new IllegalArgumentException(format.id() + " has " + (1 << exponentBits(format))
                        + " exponent values, got " + counts.length + " counts");
            }
            counts = counts.clone();
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        public long weights() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** These counts and {@code other}'s together: weights sharing one code table. */
        public ExponentHistogram plus(ExponentHistogram other) {
            if (other.format != format) {
                throw new IllegalArgumentException("cannot add " + other.format.id() + " to " + format.id());
            }
            long[] sum = counts.clone();
            for (int s = 0; s < sum.length; s++) {
                sum[s] += other.counts[s];
            }
            return new ExponentHistogram(format, sum);
        }

        /** An empty histogram to add tensors to. */
        public static ExponentHistogram empty(ElementType format) {
            return new ExponentHistogram(format, new long[1 << exponentBits(format)]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExponentHistogram h && h.format == format && Arrays.equals(h.counts, counts);
        }

        @Override
        public int hashCode() {
            return format.hashCode() * 31 + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return "ExponentHistogram[" + format.id() + ", " + weights() + " weights]";
        }
    }

    /**
     * The coded size of exponent-coded 16-bit weights.
     *
     * @param format              fp16 or bf16
     * @param weights             values coded
     * @param signMantissaBits    raw bits: {@code weights * (16 - exponent bits)}
     * @param exponentCodeBits    Huffman-coded exponent bits: sum over exponents of count times code length
     * @param tableBits           the code table as stored (one length per exponent value)
     * @param exponentEntropyBits Shannon entropy of the exponent field, bits per weight: no code of single
     *                            exponents does better than this on average
     * @param distinctExponents   exponent values that occur
     * @param maxCodeLength       the code-length limit used
     */
    public record ExponentCodedSize(ElementType format, long weights, long signMantissaBits, long exponentCodeBits,
                                    long tableBits, double exponentEntropyBits, int distinctExponents,
                                    int maxCodeLength) {
        /** Everything stored: raw sign+mantissa bits, coded exponents and the table. */
        public long totalBits() {
            return signMantissaBits + exponentCodeBits + tableBits;
        }

        /** Stored bits per weight, table included (16 for the uncoded format). */
        public double bitsPerWeight() {
            return weights == 0 ? 0 : (double) totalBits() / weights;
        }

        /** Mean exponent code length in bits (table excluded). */
        public double exponentBitsPerWeight() {
            return weights == 0 ? 0 : (double) exponentCodeBits / weights;
        }
    }
}
