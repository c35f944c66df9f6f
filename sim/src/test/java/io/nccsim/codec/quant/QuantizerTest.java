package io.nccsim.codec.quant;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizerTest {
    private static final int ROWS = 6;
    private static final int COLS = 40; // not a multiple of 16 or 32: ragged last groups
    private static final String[] GRANULARITIES = {"tensor", "channel", "g16", "g32"};

    static float[] gaussian(int n, long seed, double mean, double sigma) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + sigma * rnd.nextGaussian());
        }
        return v;
    }

    /** Group index of each element, computed here from the format's definition, independently of GroupLayout. */
    private static int groupOf(int i, int cols, WeightQuant q) {
        int row = i / cols;
        int col = i % cols;
        return switch (q.groupSize()) {
            case WeightQuant.PER_TENSOR -> 0;
            case WeightQuant.PER_CHANNEL -> row;
            default -> row * ((cols + q.groupSize() - 1) / q.groupSize()) + col / q.groupSize();
        };
    }

    /** Checks every property a plain (unclipped) quantization must have, for one tensor and scheme. */
    private static void checkPlain(float[] v, int rows, int cols, WeightQuant q) {
        QuantizedTensor t = Quantizer.quantize(v, rows, cols, q);
        String where = q.id();
        int bits = q.type().bits();
        int qmax = (1 << (bits - 1)) - 1;
        long groups = q.groups(rows, cols);
        assertEquals(groups, t.scales().length, where);
        assertEquals(q.metadataBytes(rows, cols), t.metadataBytes(), where);
        assertEquals(groups * 2 * (q.symmetric() ? 1 : 2), t.metadataBytes(), where);
        // Each group's range, from the definition.
        double[] lo = new double[(int) groups];
        double[] hi = new double[(int) groups];
        for (int i = 0; i < v.length; i++) {
            int g = groupOf(i, cols, q);
            lo[g] = Math.min(lo[g], v[i]);
            hi[g] = Math.max(hi[g], v[i]);
        }
        for (int g = 0; g < groups; g++) {
            float s = t.scales()[g];
            assertEquals(s, Float16Bits.roundToFp16(s), 0.0, where + ": scale is an fp16 value");
            double exact = q.symmetric() ? Math.max(-lo[g], hi[g]) / qmax : (hi[g] - lo[g]) / ((1 << bits) - 1);
            assertTrue(s >= exact && s > 0, where + ": fp16 scale rounded up, not down");
            if (exact > 0) {
                short h = Float16Bits.toFp16(s);
                assertTrue(Float16Bits.fromFp16((short) (h - 1)) < exact, where + ": the smallest fp16 that covers");
            }
            if (!q.symmetric()) {
                int z = t.zeroPoints()[g];
                assertTrue(z >= 0 && z < 1 << bits, where + ": zero point " + z);
            }
        }
        float[] back = Quantizer.dequantize(t);
        for (int i = 0; i < v.length; i++) {
            int g = groupOf(i, cols, q);
            int sym = t.symbol(i);
            if (q.symmetric()) {
                assertTrue(sym >= 1 && sym <= 2 * qmax + 1, where + ": symmetric code " + (sym - qmax - 1));
            } else {
                assertTrue(sym < 1 << bits, where + ": symbol " + sym);
            }
            int zero = q.symmetric() ? 1 << (bits - 1) : t.zeroPoints()[g];
            float scale = t.scales()[g];
            assertEquals((sym - zero) * scale, back[i], 0.0, where + ": QuantizedTensor's formula");
            assertTrue(Math.abs(v[i] - back[i]) <= scale / 2 * (1 + 1e-9),
                    where + ": element " + i + " error " + Math.abs(v[i] - back[i]) + " > half step " + scale / 2);
        }
    }

    @Test
    void everyWidthGranularityAndSymmetryRoundTripsWithinHalfAStep() {
        float[] v = gaussian(ROWS * COLS, 1, 0.01, 0.05);
        for (int bits : new int[]{8, 4, 3, 2}) {
            for (String g : GRANULARITIES) {
                for (String s : new String[]{"sym", "asym"}) {
                    // Group sizes must fill whole bytes: int3 needs multiples of 8, which 16 and 32 are.
                    checkPlain(v, ROWS, COLS, WeightQuant.parse("int" + bits + "-" + g + "-" + s, "test"));
                }
            }
        }
    }

    @Test
    void oneSignedAndOffsetDataAlsoRoundTripWithinHalfAStep() {
        float[] positive = gaussian(ROWS * COLS, 2, 3.0, 0.5);
        float[] negative = gaussian(ROWS * COLS, 3, -2.0, 0.1);
        for (float[] v : new float[][]{positive, negative}) {
            for (String spec : new String[]{"int4-g16-asym", "int4-g16-sym", "int8-channel-asym", "int2-tensor-asym",
                    "int3-g32-asym"}) {
                checkPlain(v, ROWS, COLS, WeightQuant.parse(spec, "test"));
            }
        }
    }

    @Test
    void twoAndThreeBitSymmetricGridsAreTernaryAndSevenLevel() {
        float[] v = gaussian(ROWS * COLS, 4, 0, 1);
        QuantizedTensor t2 = Quantizer.quantize(v, ROWS, COLS, WeightQuant.parse("int2-g16-sym", "t"));
        QuantizedTensor t3 = Quantizer.quantize(v, ROWS, COLS, WeightQuant.parse("int3-g16-sym", "t"));
        long[] h2 = t2.histogram();
        assertEquals(0, h2[0], "int2 symmetric never uses code -2");
        assertTrue(h2[1] > 0 && h2[2] > 0 && h2[3] > 0, "codes -1, 0 and 1 all occur");
        long[] h3 = t3.histogram();
        assertEquals(0, h3[0], "int3 symmetric never uses code -4");
        assertTrue(h3[1] > 0 && h3[7] > 0, "the group extremes reach codes -3 and 3");
    }

    @Test
    void zerosStayExactlyZeroAndAZeroGroupIsHarmless() {
        float[] v = gaussian(ROWS * COLS, 5, 0.2, 1);
        for (int i = 0; i < v.length; i += 7) {
            v[i] = 0f;
        }
        for (int c = 0; c < COLS; c++) {
            v[2 * COLS + c] = 0f; // row 2 entirely zero
        }
        for (String spec : new String[]{"int4-g16-sym", "int4-g16-asym", "int8-channel-asym", "int2-channel-sym"}) {
            WeightQuant q = WeightQuant.parse(spec, "t");
            QuantizedTensor t = Quantizer.quantize(v, ROWS, COLS, q);
            float[] back = Quantizer.dequantize(t);
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0f) {
                    assertEquals(0f, back[i], 0.0, spec + ": element " + i);
                }
            }
            for (int g = 0; g < t.scales().length; g++) {
                float s = t.scales()[g];
                assertTrue(s > 0 && Float.isFinite(s), spec + ": scale " + s);
            }
            checkPlain(v, ROWS, COLS, q);
        }
    }

    @Test
    void perChannelBeatsPerTensorWhenOneRowIsMuchLarger() {
        float[] v = gaussian(8 * 64, 6, 0, 0.02);
        for (int c = 0; c < 64; c++) {
            v[c] *= 100; // row 0 a hundred times larger than the rest
        }
        for (String s : new String[]{"sym", "asym"}) {
            QuantError channel = QuantError.of(v, Quantizer.dequantize(
                    Quantizer.quantize(v, 8, 64, WeightQuant.parse("int4-channel-" + s, "t"))));
            QuantError tensor = QuantError.of(v, Quantizer.dequantize(
                    Quantizer.quantize(v, 8, 64, WeightQuant.parse("int4-tensor-" + s, "t"))));
            assertTrue(channel.mse() < tensor.mse(), s + ": " + channel.mse() + " vs " + tensor.mse());
            assertTrue(channel.sqnrDb() > tensor.sqnrDb(), s);
        }
    }

    @Test
    void errorMetricsFollowTheirDefinitions() {
        float[] a = {1f, -2f, 3f, 0f};
        float[] b = {1.5f, -2f, 2f, 0f};
        QuantError e = QuantError.of(a, b);
        assertEquals((0.25 + 0 + 1 + 0) / 4, e.mse(), 1e-15);
        assertEquals(1.0, e.maxAbsError(), 0.0);
        assertEquals(10 * Math.log10((1 + 4 + 9) / 1.25), e.sqnrDb(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, QuantError.of(a, a.clone()).sqnrDb());
    }

    @Test
    void badInputNamesTheTensorAndWhatWasExpected() {
        WeightQuant q = WeightQuant.parse("int4-g16-sym", "t");
        BadInputException shape = assertThrows(BadInputException.class,
                () -> new Quantizer(QuantOptions.NONE).quantize("layers.0.wq", new float[10], 3, 4, q));
        assertTrue(shape.getMessage().startsWith("layers.0.wq: shape [3][4]"), shape.getMessage());
        float[] nan = new float[16];
        nan[5] = Float.NaN;
        BadInputException e = assertThrows(BadInputException.class,
                () -> new Quantizer(QuantOptions.NONE).quantize("w", nan, 1, 16, q));
        assertTrue(e.getMessage().contains("element 5") && e.getMessage().contains("finite"), e.getMessage());
        BadInputException fp = assertThrows(BadInputException.class,
                () -> new Quantizer(QuantOptions.NONE).quantize("w", new float[16], 1, 16,
                        WeightQuant.parse("fp16", "t")));
        assertTrue(fp.getMessage().contains("fp16"), fp.getMessage());
        float[] huge = new float[16];
        huge[3] = 1e10f;
        BadInputException big = assertThrows(BadInputException.class,
                () -> new Quantizer(QuantOptions.NONE).quantize("w", huge, 1, 16, q));
        assertTrue(big.getMessage().contains("fp16") && big.getMessage().startsWith("w: group 0"), big.getMessage());
        for (BadInputException x : new BadInputException[]{shape, e, fp, big}) {
            assertFalse(x.getMessage().contains("\n"));
        }
    }

    @Test
    void dequantizeNeedsTheScales() {
        QuantizedTensor noScales = new QuantizedTensor(2, 8, WeightQuant.parse("int8-channel-sym", "t"),
                new byte[16], new float[0], null);
        assertThrows(IllegalArgumentException.class, () -> Quantizer.dequantize(noScales));
    }
}
