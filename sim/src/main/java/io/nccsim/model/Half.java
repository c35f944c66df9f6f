package io.nccsim.model;

/**
 * IEEE 754 binary16 ("fp16", "half") and bfloat16 conversions to and from fp32 (Java 17 has neither; Java 20 adds
 * {@code Float.float16ToFloat}). Float to half rounds to nearest, ties to even, as hardware and numpy do; values too
 * large become infinity, too small become a subnormal or signed zero. A NaN stays a NaN (its payload's top bits are
 * kept and the quiet bit is set).
 */
public final class Half {
    private Half() {
    }

    /** The fp32 value of fp16 bits {@code h}; exact for every one of the 65536 patterns. */
    public static float toFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) { // infinity or NaN: payload moves to the top of fp32's mantissa
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp != 0) { // normal: rebias 15 -> 127
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
        if (mant == 0) {
            return Float.intBitsToFloat(sign);
        }
        // subnormal: mant x 2^-24, exactly representable as a normal fp32
        float v = mant * 0x1p-24f;
        return sign != 0 ? -v : v;
    }

    /** The fp16 bits nearest {@code f} (ties to even). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            if (mant == 0) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7C00 | 0x200 | (mant >>> 13)); // quiet NaN, top payload bits kept
        }
        int e = exp - 127 + 15; // fp16 biased exponent
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00); // overflow (rounding below may also carry into infinity)
        }
        if (e <= 0) {
            // subnormal or zero in fp16: value = m x 2^-24 with m = full mantissa >> shift
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            int full = mant | 0x800000; // implicit one (exp != 0 here since e >= -10)
            int shift = 14 - e; // 14..24
            int m = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (m & 1) != 0)) {
                m++; // may carry into the smallest normal, which is the right encoding
            }
            return (short) (sign | m);
        }
        int m = mant >>> 13;
        int rest = mant & 0x1FFF;
        int out = (e << 10) | m;
        if (rest > 0x1000 || (rest == 0x1000 && (m & 1) != 0)) {
            out++; // a carry out of the mantissa bumps the exponent, up to infinity: both correct
        }
        return (short) (sign | out);
    }

    /** The fp32 value of bfloat16 bits {@code b} (the top half of an fp32): exact. */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** The bfloat16 bits nearest {@code f} (ties to even); NaN stays NaN. */
    public static short bf16FromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0) {
            return (short) ((bits >>> 16) | 0x40); // quiet NaN
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
