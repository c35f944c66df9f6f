package io.nccsim.codec;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16BitsTest {

    /** fp16 value from the IEEE definition, computed independently in double. */
    private static double fp16Value(int h) {
        int sign = (h >>> 15) & 1;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        double v = exp == 0 ? Math.scalb((double) mant, -24) : Math.scalb(1 + mant / 1024.0, exp - 15);
        return sign == 1 ? -v : v;
    }

    @Test
    void everyFiniteFp16PatternDecodesToItsIeeeValueAndEncodesBack() {
        for (int h = 0; h < 0x10000; h++) {
            int exp = (h >>> 10) & 0x1F;
            float f = Float16Bits.fromFp16((short) h);
            if (exp == 0x1F) {
                assertTrue((h & 0x3FF) == 0 ? Float.isInfinite(f) : Float.isNaN(f), "pattern " + h);
                continue;
            }
            assertEquals(fp16Value(h), f, 0.0, "pattern " + h);
            assertEquals(h, Float16Bits.toFp16(f) & 0xFFFF, "pattern " + h);
        }
    }

    @Test
    void fp16RoundsToNearestWithTiesToEven() {
        for (int h = 0; h < 0x7BFF; h++) {
            for (int sign : new int[]{0, 0x8000}) {
                float a = Float16Bits.fromFp16((short) (sign | h));
                float b = Float16Bits.fromFp16((short) (sign | (h + 1)));
                float mid = (float) ((a + (double) b) / 2); // exact: one more significant bit than fp16 has
                int even = (h & 1) == 0 ? h : h + 1;
                assertEquals(sign | even, Float16Bits.toFp16(mid) & 0xFFFF, "midpoint after " + h);
                assertEquals(sign | h, Float16Bits.toFp16(mid > 0 ? Math.nextDown(mid) : Math.nextUp(mid)) & 0xFFFF);
                assertEquals(sign | (h + 1), Float16Bits.toFp16(mid > 0 ? Math.nextUp(mid) : Math.nextDown(mid))
                        & 0xFFFF);
            }
        }
    }

    @Test
    void fp16OverflowAndUnderflowFollowTheSameRule() {
        // 65520 is halfway between 65504 (odd mantissa) and 65536, which does not exist: it goes to infinity.
        assertEquals(0x7BFF, Float16Bits.toFp16(Math.nextDown(65520f)) & 0xFFFF);
        assertEquals(0x7C00, Float16Bits.toFp16(65520f) & 0xFFFF);
        assertEquals(0xFC00, Float16Bits.toFp16(-1e9f) & 0xFFFF);
        // 2^-25 is halfway between 0 and the smallest subnormal 2^-24: ties to even gives zero.
        assertEquals(0, Float16Bits.toFp16(0x1p-25f));
        assertEquals(1, Float16Bits.toFp16(Math.nextUp(0x1p-25f)));
        assertEquals(0, Float16Bits.toFp16(Float.MIN_VALUE));
        assertTrue(Float.isNaN(Float16Bits.fromFp16(Float16Bits.toFp16(Float.NaN))));
    }

    @Test
    void everyBf16PatternRoundTripsAndRoundsTiesToEven() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16Bits.fromBf16((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16Bits.fromBf16(Float16Bits.toBf16(f))));
                continue;
            }
            assertEquals(h, Float16Bits.toBf16(f) & 0xFFFF, "pattern " + h);
            assertEquals(Float.intBitsToFloat(h << 16), f, 0.0);
        }
        for (int h = 0; h < 0x7F7F; h++) {
            float a = Float16Bits.fromBf16((short) h);
            float b = Float16Bits.fromBf16((short) (h + 1));
            float mid = (float) ((a + (double) b) / 2);
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Float16Bits.toBf16(mid) & 0xFFFF, "midpoint after " + h);
            assertEquals(h, Float16Bits.toBf16(Math.nextDown(mid)) & 0xFFFF);
            assertEquals(h + 1, Float16Bits.toBf16(Math.nextUp(mid)) & 0xFFFF);
        }
        // Halfway between the largest finite bf16 (odd) and the next binade: infinity.
        float maxBf16 = Float16Bits.fromBf16((short) 0x7F7F);
        float beyond = (float) (maxBf16 + Math.scalb(1.0, 127 - 8));
        assertEquals(0x7F80, Float16Bits.toBf16(beyond) & 0xFFFF);
    }

    @Test
    void roundUpGivesTheSmallestFp16NotBelowTheValue() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20000; i++) {
            // Magnitudes across the whole fp16 range, subnormals included.
            float x = (float) Math.scalb(rnd.nextDouble(), rnd.nextInt(42) - 26);
            if (x > Float16Bits.FP16_MAX) {
                continue;
            }
            float up = Float16Bits.roundUpToFp16(x);
            short h = Float16Bits.toFp16(up);
            assertEquals(up, Float16Bits.fromFp16(h), 0.0, "an fp16 value");
            assertTrue(up >= x, x + " -> " + up);
            if (h != 0) {
                assertTrue(Float16Bits.fromFp16((short) (h - 1)) < x, "the next fp16 below " + up + " is below " + x);
            }
        }
        assertEquals(Float16Bits.FP16_MAX, Float16Bits.roundUpToFp16(Float16Bits.FP16_MAX));
    }

    /** A scale worked out in double is never taken below itself, even where casting it to float rounds down. */
    @Test
    void roundUpOfADoubleIsNotBelowIt() {
        Random rnd = new Random(11);
        int castRoundedDown = 0;
        for (int i = 0; i < 20_000; i++) {
            double exact = rnd.nextDouble() * Math.pow(2, rnd.nextInt(30) - 24);
            if (exact > Float16Bits.FP16_MAX) {
                continue;
            }
            if ((float) exact < exact) {
                castRoundedDown++;
            }
            float up = Float16Bits.roundUpToFp16(exact);
            assertTrue(up >= exact, "fp16 " + up + " below " + exact);
            // and it is the smallest such fp16: the one below it is below exact
            short h = Float16Bits.toFp16(up);
            if (h > 0) {
                assertTrue(Float16Bits.fromFp16((short) (h - 1)) < exact, "not the smallest fp16 for " + exact);
            }
        }
        assertTrue(castRoundedDown > 1000,
                "the float cast must round down often enough to test it: " + castRoundedDown);
    }
}
