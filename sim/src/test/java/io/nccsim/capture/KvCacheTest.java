package io.nccsim.capture;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each KV precision gives back for values whose rounding can be worked out by hand. */
class KvCacheTest {
    /** One layer, one head of 8 elements (so each position's key is one head vector), 4 positions. */
    private static final LlamaConfig ONE_HEAD = new LlamaConfig(8, 8, 1, 1, 1, 4, 4, 1e-5f, 10000f, true, false,
            false, false);

    private static float[] roundTrip(KvPrecision precision, float[] key) {
        KvCache cache = new KvCache(ONE_HEAD, precision);
        cache.write(0, 1, key, new float[8]);
        float[] out = new float[8];
        cache.readKey(0, 1, 0, out);
        return out;
    }

    @Test
    void fp16RoundsToNearestWithTiesToEven() {
        float[] in = {
            1 + 0x1p-11f,     // halfway between 1 and 1 + 2^-10: the even one, 1
            1 + 3 * 0x1p-11f, // halfway between 1 + 2^-10 and 1 + 2^-9: the even one, 1 + 2^-9
            1 - 0x1p-12f,     // halfway between 1 - 2^-11 and 1: rounds up into the next binade
            -0.1f,            // nearest half is -1638 * 2^-14 = -0.0999755859375
            65519f,           // below the midpoint to 65536: the largest half, 65504
            65520f,           // the midpoint: ties to even, which is the "next" value, infinity
            0x1p-25f,         // half the smallest subnormal: ties to even, zero
            3 * 0x1p-25f,     // 1.5 smallest subnormals: ties to even, 2^-23
        };
        float[] expected = {1f, 1 + 0x1p-9f, 1f, -0.0999755859375f, 65504f, Float.POSITIVE_INFINITY, 0f, 0x1p-23f};
        assertArrayEquals(expected, roundTrip(KvPrecision.FP16, in));
        float[] special = roundTrip(KvPrecision.FP16, new float[]{Float.NaN, Float.NEGATIVE_INFINITY, -0f, 1e-30f,
            0x1p-14f, 0x1p-24f, 2048.5f, 2049f});
        assertTrue(Float.isNaN(special[0]));
        // 2048.5 lies between 2048 and 2050 (step 2): nearer 2048; 2049 is their midpoint: ties to even, 2048.
        assertArrayEquals(new float[]{Float.NEGATIVE_INFINITY, -0f, 0f, 0x1p-14f, 0x1p-24f, 2048f, 2048f},
                java.util.Arrays.copyOfRange(special, 1, 8));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(special[2])); // the sign survives
    }

    @Test
    void int8KeepsOneScalePerHeadVectorAndErrsByAtMostHalfAStep() {
        // max |x| = 2.54: scale 0.02, so -1.0 is code -50 and 0.3 is code 15.
        float[] back = roundTrip(KvPrecision.INT8, new float[]{2.54f, -1.0f, 0.3f, 0, 0, 0, 0, 0});
        assertEquals(2.54f, back[0], 1e-6f);
        assertEquals(-1.0f, back[1], 1e-6f);
        assertEquals(0.3f, back[2], 1e-6f);
        assertArrayEquals(new float[8], roundTrip(KvPrecision.INT8, new float[8])); // a zero vector stays zero
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 100; trial++) {
            float[] v = new float[8];
            float maxAbs = 0;
            for (int i = 0; i < 8; i++) {
                v[i] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-3, 3)));
                maxAbs = Math.max(maxAbs, Math.abs(v[i]));
            }
            float[] q = roundTrip(KvPrecision.INT8, v);
            for (int i = 0; i < 8; i++) {
                assertTrue(Math.abs(q[i] - v[i]) <= maxAbs / 254 * (1 + 1e-5), "trial " + trial + " element " + i);
            }
        }
    }

    @Test
    void int8ScalesHeadsIndependently() {
        // Two key/value heads of 4: a large head beside a small one keeps the small one's precision.
        LlamaConfig twoHeads = new LlamaConfig(8, 8, 1, 2, 2, 4, 4, 1e-5f, 10000f, true, false, false, false);
        KvCache cache = new KvCache(twoHeads, KvPrecision.INT8);
        float[] k = {100f, 50f, -25f, 1f, 0.001f, 0.002f, -0.00127f, 0.0005f};
        cache.write(0, 0, k, k);
        float[] small = new float[4];
        cache.readValue(0, 0, 1, small);
        float step = 0.002f / 127;
        for (int i = 0; i < 4; i++) {
            assertEquals(k[4 + i], small[i], step / 2 * 1.0001f);
        }
        float[] fp32 = new float[4];
        KvCache exact = new KvCache(twoHeads, KvPrecision.FP32);
        exact.write(0, 3, k, k);
        exact.readKey(0, 3, 1, fp32);
        assertArrayEquals(java.util.Arrays.copyOfRange(k, 4, 8), fp32);
    }
}
