package io.nccsim.codec.quant;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymmetryChooserTest {
    private static final SymmetryChooser CHOOSER = new SymmetryChooser(QuantOptions.NONE, 12);

    private static float[] uniform(int n, long seed, double lo, double hi) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return v;
    }

    @Test
    void oneSignedWeightsGetAsymmetric() {
        float[] positive = uniform(32 * 64, 21, 0.1, 1.0);
        float[] negative = uniform(32 * 64, 22, -0.5, -0.01);
        for (float[] v : new float[][]{positive, negative}) {
            for (String spec : new String[]{"int4-g32-auto", "int8-channel-auto", "int2-tensor-auto"}) {
                SymmetryChoice c = CHOOSER.decide("w", v, 32, 64, WeightQuant.parse(spec, "t")).choice();
                assertFalse(c.symmetric(), spec + ": " + c.reason());
                assertEquals(1.0, c.wastedResolutionBits(), 1e-12, "every group is of one sign");
                assertTrue(c.asymmetricCandidate().sqnrDb() > c.symmetricCandidate().sqnrDb(), c.reason());
                assertTrue(c.reason().startsWith("asymmetric"), c.reason());
            }
        }
    }

    @Test
    void weightsCentredOnZeroGetSymmetric() {
        float[] gaussian = QuantizerTest.gaussian(32 * 64, 23, 0, 0.02);
        float[] flat = uniform(32 * 64, 24, -1, 1);
        for (float[] v : new float[][]{gaussian, flat}) {
            for (String spec : new String[]{"int4-g32-auto", "int8-channel-auto", "int2-g32-auto", "int4-tensor-auto"}) {
                SymmetryChoice c = CHOOSER.decide("w", v, 32, 64, WeightQuant.parse(spec, "t")).choice();
                assertTrue(c.symmetric(), spec + ": " + c.reason());
                assertTrue(c.wastedResolutionBits() < SymmetryChooser.WASTE_THRESHOLD_BITS, c.reason());
                assertTrue(c.reason().startsWith("symmetric"), c.reason());
            }
        }
    }

    @Test
    void wastedResolutionIsTheLogOfTheSymmetricToAsymmetricSpan() {
        // One group spanning [-1, 3]: the symmetric grid spans [-3, 3], 6 / 4 of what is needed.
        float[] a = {-1f, 0.5f, 3f, 2f};
        assertEquals(Math.log(6.0 / 4) / Math.log(2), SymmetryChooser.wastedResolutionBits(a,
                new GroupLayout(1, 4, WeightQuant.PER_TENSOR)), 1e-12);
        // Two groups, [-2, 3] (waste log2(6/5)) and [0, 1] (one-signed: 1 bit), weighted by their sizes (2 and 2).
        float[] b = {-2f, 3f, 1f, 0.25f};
        double expected = (2 * Math.log(6.0 / 5) / Math.log(2) + 2 * 1.0) / 4;
        assertEquals(expected, SymmetryChooser.wastedResolutionBits(b, new GroupLayout(2, 2,
                WeightQuant.PER_CHANNEL)), 1e-12);
        assertEquals(0.0, SymmetryChooser.wastedResolutionBits(new float[4], new GroupLayout(1, 4,
                WeightQuant.PER_TENSOR)), 0.0, "an all-zero tensor wastes nothing");
        // The decision follows: 0.585 bits wasted > 0.5 gives asymmetric, 0.263 bits symmetric.
        WeightQuant auto = WeightQuant.parse("int8-tensor-auto", "t");
        assertFalse(CHOOSER.decide("a", a, 1, 4, auto).choice().symmetric());
        assertTrue(CHOOSER.decide("c", new float[]{-2f, 3f, 1f, 0f}, 1, 4, auto).choice().symmetric());
    }

    @Test
    void theReportedCandidatesAreTheTwoQuantizationsMeasured() {
        float[] v = QuantizerTest.gaussian(16 * 64, 25, 0.004, 0.02);
        WeightQuant auto = WeightQuant.parse("int4-g32-auto", "t");
        QuantOptions options = new QuantOptions(0.25, true, 0.01);
        SymmetryChooser chooser = new SymmetryChooser(options, 12);
        SymmetryChooser.Decision d = chooser.decide("blk.0.wq", v, 16, 64, auto);
        SymmetryChoice c = d.choice();
        assertEquals("blk.0.wq", c.tensor());
        Quantizer quantizer = new Quantizer(options);
        for (boolean sym : new boolean[]{true, false}) {
            QuantizedTensor t = quantizer.quantize("blk.0.wq", v, 16, 64, auto.resolved(sym));
            SymmetryChoice.Candidate cand = sym ? c.symmetricCandidate() : c.asymmetricCandidate();
            assertEquals(auto.resolved(sym).id(), cand.quant());
            QuantError e = QuantError.of(v, Quantizer.dequantize(t));
            assertEquals(e.mse(), cand.mse(), 0.0);
            assertEquals(e.sqnrDb(), cand.sqnrDb(), 0.0);
            assertEquals(Entropy.bitsPerSymbol(t.histogram()), cand.entropyBitsPerWeight(), 0.0);
            long[] hist = t.histogram();
            HuffmanCode code = HuffmanCode.build(hist, 12);
            long payload = 0;
            for (int s = 0; s < hist.length; s++) {
                payload += hist[s] * code.length(s);
            }
            long expected = payload + 8 * code.tableBytes() + 8L * 2 * (sym ? 1 : 2) * auto.groups(16, 64);
            assertEquals(expected, cand.codedBits());
            assertEquals(expected / (double) v.length, cand.codedBitsPerWeight(), 1e-12);
            if (sym == c.symmetric()) {
                assertArrayEquals(t.symbols(), d.tensor().symbols(), "the decision carries the chosen tensor");
                assertArrayEquals(t.scales(), d.tensor().scales());
            }
        }
        assertEquals(auto.resolved(c.symmetric()), c.chosen());
        assertTrue(c.reason().contains(String.format(java.util.Locale.ROOT, "%.3f", c.wastedResolutionBits())),
                c.reason());
    }

    @Test
    void anAutoSchemeQuantizesTheChosenWay() {
        float[] v = uniform(8 * 32, 26, 0.0, 2.0);
        QuantizedTensor t = Quantizer.quantize(v, 8, 32, WeightQuant.parse("int4-g32-auto", "t"));
        assertEquals("int4-g32-asym", t.quant().id());
        QuantizedTensor s = Quantizer.quantize(QuantizerTest.gaussian(8 * 32, 27, 0, 1), 8, 32,
                WeightQuant.parse("int4-g32-auto", "t"));
        assertEquals("int4-g32-sym", s.quant().id());
    }
}
