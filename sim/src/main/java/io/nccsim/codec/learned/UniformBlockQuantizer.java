package io.nccsim.codec.learned;

import io.nccsim.codec.Float16Bits;
import io.nccsim.common.BadInputException;

/**
 * Uniform quantization of one block of values at 2..8 bits with one fp16 scale per block, symmetric or asymmetric,
 * by exactly the rules of the weight quantizer ({@code io.nccsim.codec.quant.GroupQuantizer}): symmetric
 * {@code scale = max|x| / (2^(b-1) - 1)}, codes clamped to {@code [-qmax, qmax]} and stored as symbol
 * {@code code + 2^(b-1)}; asymmetric over the range widened to include zero, {@code scale = (hi - lo) / (2^b - 1)},
 * zero point {@code round(-lo / scale)}; the scale rounded up to an fp16 value before any code is computed, and the
 * reconstruction {@code (symbol - zeroPoint) * scale} in float arithmetic.
 *
 * <p>Why not the weight quantizer itself: it is built on {@link io.nccsim.codec.WeightQuant}, whose element types
 * are int2, int3, int4 and int8 (the widths processors store), while a rate-distortion curve needs 5 and 6 bits as
 * well. For 2, 3, 4 and 8 bits this class reproduces it value for value (checked in the tests), so the curve's
 * points at those widths are the project's own quantization.
 */
public final class UniformBlockQuantizer {
    private final int bits;
    private final boolean symmetric;
    private final int qmax;
    private final int maxSymbol;

    /** The stored parameters of a block: its fp16 scale and zero point (2^(b-1) for a symmetric block). */
    public record Params(float scale, int zeroPoint) {
    }

    public UniformBlockQuantizer(int bits, boolean symmetric) {
        if (bits < 2 || bits > 8) {
            throw new BadInputException("block quantizer: bits: expected 2..8, found " + bits);
        }
        this.bits = bits;
        this.symmetric = symmetric;
        this.qmax = (1 << (bits - 1)) - 1;
        this.maxSymbol = (1 << bits) - 1;
    }

    public int bits() {
        return bits;
    }

    public boolean symmetric() {
        return symmetric;
    }

    /** Symbols run from 0 to this, exclusive. */
    public int alphabetSize() {
        return 1 << bits;
    }

    /**
     * Quantizes {@code block}: writes each value's symbol into {@code symbols} and its reconstruction into
     * {@code reconstruction} (both at least as long as the block), and returns the block's parameters.
     *
     * @throws BadInputException if a value is not finite or the scale would not fit in fp16
     */
    public Params quantize(double[] block, int[] symbols, double[] reconstruction) {
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < block.length; i++) {
            if (!Double.isFinite(block[i])) {
                throw new BadInputException("block quantizer: value " + i + " of a block is " + block[i]
                        + "; expected finite values");
            }
            lo = Math.min(lo, block[i]);
            hi = Math.max(hi, block[i]);
        }
        Params p = params(lo, hi);
        double scale = p.scale();
        for (int i = 0; i < block.length; i++) {
            double q = Math.rint(block[i] / scale);
            int s = symmetric ? (int) Math.max(-qmax, Math.min(qmax, q)) + qmax + 1
                    : (int) Math.max(0, Math.min(maxSymbol, q + p.zeroPoint()));
            symbols[i] = s;
            reconstruction[i] = (s - p.zeroPoint()) * p.scale(); // float product, as the dequantizer computes it
        }
        return p;
    }

    private Params params(double lo, double hi) {
        double exact = symmetric ? Math.max(-lo, hi) / qmax : (hi - lo) / maxSymbol;
        if (exact == 0) {
            return new Params(1f, symmetric ? qmax + 1 : 0); // any scale reproduces a block of zeros
        }
        if (exact > Float16Bits.FP16_MAX) {
            throw new BadInputException("block quantizer: a block needs scale " + exact + ", beyond fp16's "
                    + Float16Bits.FP16_MAX + "; expected values below " + Float16Bits.FP16_MAX * qmax
                    + " in magnitude");
        }
        // Rounded up, not to nearest: the grid must still reach the block's extreme value.
        float scale = Float16Bits.roundUpToFp16(exact);
        if (symmetric) {
            return new Params(scale, qmax + 1);
        }
        long z = Math.round(Math.rint(-lo / scale));
        return new Params(scale, (int) Math.max(0, Math.min(maxSymbol, z)));
    }
}
