package io.nccsim.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16BitsReferenceTest {
    /** fp16 by its definition: (-1)^s x 2^(e-15) x 1.m, or 2^-14 x 0.m for e = 0; computed in double. */
    private static float reference(int h) {
        int s = h >>> 15;
        int e = (h >>> 10) & 0x1F;
        int m = h & 0x3FF;
        double v;
        if (e == 0x1F) {
            v = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (e == 0) {
            v = Math.scalb(m / 1024.0, -14);
        } else {
            v = Math.scalb(1 + m / 1024.0, e - 15);
        }
        return (float) (s == 1 ? -v : v);
    }

    private static boolean isHalfNaN(short h) {
        return (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
    }

    @Test
    void toFloatIsExactForEveryPattern() {
        for (int h = 0; h < 65536; h++) {
            float got = Float16Bits.fromFp16((short) h);
            float want = reference(h);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(got), "0x" + Integer.toHexString(h) + " must stay NaN");
            } else {
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), "0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void everyPatternRoundTrips() {
        for (int h = 0; h < 65536; h++) {
            short back = Float16Bits.toFp16(Float16Bits.fromFp16((short) h));
            if (isHalfNaN((short) h)) {
                assertTrue(isHalfNaN(back), "NaN 0x" + Integer.toHexString(h) + " came back as 0x"
                        + Integer.toHexString(back & 0xFFFF));
            } else {
                assertEquals(h, back & 0xFFFF, "0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void roundsToNearestTiesToEvenBetweenEveryPairOfNeighbours() {
        for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
            for (int h = 0; h < 0x7C00; h++) { // every finite value and its upper neighbour (0x7BFF's is infinity)
                int lo = sign | h;
                int hi = sign | (h + 1);
                double a = Float16Bits.fromFp16((short) lo);
                double b = h + 1 == 0x7C00 ? (sign == 0 ? 65536.0 : -65536.0) : Float16Bits.fromFp16((short) hi);
                float mid = (float) ((a + b) / 2); // exact: neighbours differ in one bit below fp32's precision
                int even = (lo & 1) == 0 ? lo : hi;
                String at = "between 0x" + Integer.toHexString(lo) + " and 0x" + Integer.toHexString(hi);
                assertEquals(even, Float16Bits.toFp16(mid) & 0xFFFF, "tie " + at);
                float towardsLo = sign == 0 ? Math.nextDown(mid) : Math.nextUp(mid);
                float towardsHi = sign == 0 ? Math.nextUp(mid) : Math.nextDown(mid);
                assertEquals(lo, Float16Bits.toFp16(towardsLo) & 0xFFFF, "just below the tie " + at);
                assertEquals(hi, Float16Bits.toFp16(towardsHi) & 0xFFFF, "just above the tie " + at);
            }
        }
    }

    @Test
    void edgeCases() {
        assertEquals(0x7BFF, Float16Bits.toFp16(65504f) & 0xFFFF);
        assertEquals(0x7C00, Float16Bits.toFp16(65520f) & 0xFFFF); // the tie above the largest half goes to infinity
        assertEquals(0x7C00, Float16Bits.toFp16(1e10f) & 0xFFFF);
        assertEquals(0xFC00, Float16Bits.toFp16(Float.NEGATIVE_INFINITY) & 0xFFFF);
        assertEquals(0x0000, Float16Bits.toFp16(0x1p-25f) & 0xFFFF); // half the smallest subnormal: tie to zero
        assertEquals(0x0001, Float16Bits.toFp16(Math.nextUp(0x1p-25f)) & 0xFFFF);
        assertEquals(0x8000, Float16Bits.toFp16(-0f) & 0xFFFF);
        assertEquals(0x8000, Float16Bits.toFp16(-Float.MIN_VALUE) & 0xFFFF);
        assertEquals(0x0400, Float16Bits.toFp16(0x1p-14f) & 0xFFFF); // smallest normal
        assertEquals(0x0400, Float16Bits.toFp16(Math.nextDown(0x1p-14f)) & 0xFFFF); // rounds up out of the subnormals
        assertTrue(isHalfNaN(Float16Bits.toFp16(Float.NaN)));
        assertTrue(isHalfNaN(Float16Bits.toFp16(Float.intBitsToFloat(0x7F800001)))); // payload below fp16's bits
        assertEquals(1.0f, Float16Bits.fromFp16((short) 0x3C00));
        assertEquals(-2.0f, Float16Bits.fromFp16((short) 0xC000));
        assertEquals(0x1p-24f, Float16Bits.fromFp16((short) 1));
    }

    @Test
    void bf16ToFloatIsExactAndRoundTripsForEveryPattern() {
        for (int b = 0; b < 65536; b++) {
            float f = Float16Bits.fromBf16((short) b);
            boolean nan = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
            if (nan) {
                assertTrue(Float.isNaN(f));
                short back = Float16Bits.toBf16(f);
                assertTrue((back & 0x7F80) == 0x7F80 && (back & 0x7F) != 0, "NaN 0x" + Integer.toHexString(b));
            } else {
                assertEquals(b << 16, Float.floatToRawIntBits(f), "0x" + Integer.toHexString(b));
                assertEquals(b, Float16Bits.toBf16(f) & 0xFFFF, "0x" + Integer.toHexString(b));
            }
        }
    }

    @Test
    void bf16RoundsToNearestTiesToEven() {
        for (int b = 0; b < 0x7F80; b++) { // positive finite values; the sign bit does not take part in rounding
            for (int sign = 0; sign <= 0x8000; sign += 0x8000) {
                int lo = sign | b;
                int hi = sign | (b + 1);
                int tie = (lo << 16) | 0x8000; // exactly halfway in the bits below bf16
                int even = (lo & 1) == 0 ? lo : hi;
                assertEquals(even, Float16Bits.toBf16(Float.intBitsToFloat(tie)) & 0xFFFF);
                assertEquals(lo, Float16Bits.toBf16(Float.intBitsToFloat(tie - 1)) & 0xFFFF);
                assertEquals(hi, Float16Bits.toBf16(Float.intBitsToFloat(tie + 1)) & 0xFFFF);
            }
        }
        assertEquals(0x7F80, Float16Bits.toBf16(Float.MAX_VALUE) & 0xFFFF); // rounds up to infinity
        assertTrue(Float.isNaN(Float16Bits.fromBf16(Float16Bits.toBf16(Float.intBitsToFloat(0x7F800001)))));
    }
}
