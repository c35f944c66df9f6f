package io.nccsim.codec;

/**
 * Bit-level conversions between fp32 and the two 16-bit float formats weights are stored in: IEEE fp16 (1 sign,
 * 5 exponent, 10 mantissa bits) and bfloat16 (1 sign, 8 exponent, 7 mantissa bits: fp32's top half).
 *
 * <p>Rounding is to nearest, ties to even, as hardware converters and the PyTorch/NumPy casts do, so that sizes
 * measured here are of the values a real deployment would store. Written out (Java 17 has no fp16 conversion) and
 * checked exhaustively against all 65,536 patterns in the tests.
 */
public final class Float16Bits {
    /** Largest finite fp16 value. */
    public static final float FP16_MAX = 65504f;

    private Float16Bits() {
    }

    /** The fp16 bit pattern nearest to {@code x} (ties to even); beyond {@link #FP16_MAX} rounds to infinity. */
    public static short toFp16(float x) {
        int f = Float.floatToRawIntBits(x);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xFF;
        int mant = f & 0x7FFFFF;
        if (exp == 0xFF) {
            // Infinity stays infinity; a NaN stays a NaN (quiet bit set so the payload can never read as infinity).
            return (short) (sign | 0x7C00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            // fp16 subnormal (or zero): value / 2^-24 rounded to an integer; the implicit bit joins the mantissa.
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(m, shift));
        }
        int h = sign | (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        // A carry out of the mantissa correctly bumps the exponent, up to infinity (0x7C00).
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
            h++;
        }
        return (short) h;
    }

    private static int roundShift(int m, int shift) {
        int kept = m >>> shift;
        int rest = m & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) == 1)) {
            kept++;
        }
        return kept;
    }

    /** The fp32 value of an fp16 bit pattern (exact: every fp16 value is an fp32 value). */
    public static float fromFp16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // exact: at most 10 significant bits
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** The bf16 bit pattern nearest to {@code x} (ties to even); NaN stays a (quiet) NaN. */
    public static short toBf16(float x) {
        int f = Float.floatToRawIntBits(x);
        if (Float.isNaN(x)) {
            return (short) ((f >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((f >>> 16) & 1);
        return (short) ((f + rounding) >>> 16);
    }

    /** The fp32 value of a bf16 bit pattern. */
    public static float fromBf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** {@code x} rounded to the nearest fp16 value, as fp32. */
    public static float roundToFp16(float x) {
        return fromFp16(toFp16(x));
    }

    /**
     * The smallest fp16 value not below {@code x}, for {@code 0 <= x <= FP16_MAX}. Scales are rounded this way so
     * that the stored scale's grid still reaches the group's largest value: rounding down would clip it.
     */
    public static float roundUpToFp16(float x) {
        if (!(x >= 0 && x <= FP16_MAX)) {
            throw new IllegalArgumentException("expected 0.." + FP16_MAX + ", got " + x);
        }
        short h = toFp16(x);
        float v = fromFp16(h);
        // For positive patterns the next larger value is the next bit pattern (subnormal, normal alike).
        return v >= x ? v : fromFp16((short) (h + 1));
    }

    /**
     * The smallest fp16 value not below {@code exact}, for {@code 0 <= exact <= FP16_MAX}: a scale worked out in
     * double, rounded up to float first so that no rounding step can take it below {@code exact}.
     */
    public static float roundUpToFp16(double exact) {
        float f = (float) exact;
        if (f < exact) {
            f = Math.nextUp(f);
        }
        return roundUpToFp16(f);
    }
}
