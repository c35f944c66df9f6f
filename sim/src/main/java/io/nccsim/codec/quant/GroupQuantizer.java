package io.nccsim.codec.quant;

import io.nccsim.codec.Float16Bits;
import io.nccsim.common.BadInputException;

/**
 * Uniform quantization of one group of weights at a given bit width, symmetric or asymmetric, with the group's
 * range optionally clipped by a factor.
 *
 * <p>Symmetric: {@code scale = clip * max|w| / qmax} with {@code qmax = 2^(b-1) - 1}, codes
 * {@code round(w / scale)} clamped to {@code [-qmax, qmax]}, stored as symbol {@code code + 2^(b-1)}. The most
 * negative code {@code -2^(b-1)} is left unused: using it would need a grid that is not symmetric about zero
 * (or a scale set by the negative side alone), so weights of one sign would be reproduced more finely than the
 * other. The unused symbol costs an entropy coder nothing. At int2 this makes the grid ternary {-1, 0, 1}.
 *
 * <p>Asymmetric: the range is widened to include zero ({@code lo = min(min, 0)}, {@code hi = max(max, 0)}, then
 * clipped), {@code scale = (hi - lo) / (2^b - 1)}, zero point {@code z = round(-lo / scale)}, which therefore
 * always lies in {@code [0, 2^b - 1]}, and symbols {@code round(w / scale) + z} clamped to that range. Including
 * zero keeps it exactly representable, so pruned and zero weights stay exactly zero.
 *
 * <p>Both reconstruct {@code (symbol - zeroPoint) * scale}, QuantizedTensor's formula (a symmetric tensor's zero
 * point being {@code 2^(b-1)}). Scales are stored as fp16, so each is rounded up to an fp16 value before any code
 * is computed: the stored size and the reconstruction then agree, and rounding up (not to nearest) keeps the
 * unclipped grid covering the whole group, so no weight is clipped and every error is at most half a step. A group
 * of zeros gets scale 1: any positive scale reproduces it exactly.
 */
final class GroupQuantizer {
    private final int bits;
    private final boolean symmetric;
    private final int qmax;
    private final int maxSymbol;
    private final String tensor;

    GroupQuantizer(int bits, boolean symmetric, String tensor) {
        this.bits = bits;
        this.symmetric = symmetric;
        this.qmax = (1 << (bits - 1)) - 1;
        this.maxSymbol = (1 << bits) - 1;
        this.tensor = tensor;
    }

    boolean symmetric() {
        return symmetric;
    }

    /**
     * The value range of one group, zero included.
     *
     * @param lo the smaller of the group's minimum and 0
     * @param hi the larger of the group's maximum and 0
     */
    record Range(double lo, double hi) {
        static Range of(float[] v, int start, int length) {
            double lo = 0;
            double hi = 0;
            for (int i = start; i < start + length; i++) {
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
            return new Range(lo, hi);
        }

        double absMax() {
            return Math.max(-lo, hi);
        }
    }

    /** A group's stored parameters: the fp16 scale and, for asymmetric groups, the zero point. */
    record Params(float scale, int zeroPoint) {
    }

    /** The stored scale and zero point for a group of range {@code r} clipped by {@code clip} (1 = no clipping). */
    Params params(Range r, double clip, int group) {
        double exact = symmetric ? clip * r.absMax() / qmax : clip * (r.hi() - r.lo()) / maxSymbol;
        if (exact == 0) {
            return new Params(1f, symmetric ? qmax + 1 : 0);
        }
        if (exact > Float16Bits.FP16_MAX) {
            throw new BadInputException(tensor + ": group " + group + " needs scale " + exact
                    + ", beyond fp16's " + Float16Bits.FP16_MAX + "; expected weights below "
                    + Float16Bits.FP16_MAX * qmax + " in magnitude");
        }
        float scale = Float16Bits.roundUpToFp16(exact);
        if (symmetric) {
            return new Params(scale, qmax + 1);
        }
        long z = Math.round(Math.rint(-clip * r.lo() / scale));
        return new Params(scale, (int) Math.max(0, Math.min(maxSymbol, z)));
    }

    /** The step (scale) of an unclipped group: what its rounding noise is measured against. */
    double unclippedStep(Range r) {
        return params(r, 1.0, -1).scale();
    }

    /**
     * Writes the symbols of {@code v[start .. start+length)} into {@code out} at the same indices and returns the
     * sum of squared reconstruction errors.
     */
    double encode(float[] v, int start, int length, Params p, byte[] out) {
        double scale = p.scale();
        double err = 0;
        for (int i = start; i < start + length; i++) {
            double q = Math.rint(v[i] / scale);
            int symbol;
            if (symmetric) {
                symbol = (int) Math.max(-qmax, Math.min(qmax, q)) + qmax + 1;
            } else {
                symbol = (int) Math.max(0, Math.min(maxSymbol, q + p.zeroPoint()));
            }
            out[i] = (byte) symbol;
            double e = v[i] - reconstruct(symbol, p);
            err += e * e;
        }
        return err;
    }

    /** The value a symbol stands for; float arithmetic, exactly as {@link Quantizer#dequantize} computes it. */
    static float reconstruct(int symbol, Params p) {
        return (symbol - p.zeroPoint()) * p.scale();
    }

    int bits() {
        return bits;
    }
}
