package io.nccsim.codec.quant;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quantization of a real trained model's matrices (stories260K; skipped when absent). The error bounds asserted
 * follow from the quantizer's construction, not from measurements; the entropies are printed for comparison with
 * EntroLLM's reported figures.
 */
class Stories260KQuantTest {
    /** fp16 scales are rounded up by less than one part in 2^10: the most a bound can loosen by. */
    private static final double FP16_SLACK_DB = 20 * Math.log10(1 + 0x1p-10);
    private static List<TensorData> matrices;

    @BeforeAll
    static void load() {
        ModelFile m = ModelLoaders.load(TestModels.stories260K());
        matrices = m.tensors().stream().filter(TensorData::isMatrix).toList();
    }

    /** Symbol counts over all matrices, and the SQNR of the whole model, for one scheme. */
    private record ModelQuant(String quant, long[] histogram, long weights, double sqnrDb, int symmetricTensors) {
        double entropy() {
            return Entropy.bitsPerSymbol(histogram);
        }

        double huffmanBitsPerWeight() {
            HuffmanCode code = HuffmanCode.build(histogram, SymmetryChooser.DEFAULT_MAX_CODE_LENGTH);
            long bits = 0;
            for (int s = 0; s < histogram.length; s++) {
                bits += histogram[s] * code.length(s);
            }
            return (double) bits / weights;
        }

        void print() {
            System.out.printf(Locale.ROOT, "stories260K %-18s entropy %.3f bits/weight, Huffman (one table, "
                            + "<= %d-bit codes) %.3f bits/weight, SQNR %.2f dB%s%n", quant, entropy(),
                    SymmetryChooser.DEFAULT_MAX_CODE_LENGTH, huffmanBitsPerWeight(), sqnrDb,
                    quant.endsWith("auto") ? ", " + symmetricTensors + " of " + matrices.size()
                            + " tensors symmetric" : "");
        }
    }

    /**
     * Quantizes every matrix and checks the bounds that hold by construction: every error at most half its group's
     * step, hence noise at most {@code sum n_g step_g^2 / 4}; and since a group's largest magnitude A satisfies
     * {@code A^2 <= sum of the group's squares}, SQNR >= {@code 10 log10(4 qmax^2 / n)} for groups of n weights,
     * whatever the weights.
     */
    private static ModelQuant quantizeAll(String spec) {
        WeightQuant q = WeightQuant.parse(spec, "test");
        int qmax = (1 << (q.type().bits() - 1)) - 1;
        long[] hist = new long[q.type().alphabetSize()];
        double signal = 0;
        double noise = 0;
        long n = 0;
        int symmetric = 0;
        for (TensorData t : matrices) {
            QuantizedTensor qt = Quantizer.quantize(t.values(), t.rows(), t.cols(), q);
            symmetric += qt.quant().symmetric() ? 1 : 0;
            float[] v = t.values();
            float[] back = Quantizer.dequantize(qt);
            GroupLayout layout = GroupLayout.of(t.rows(), t.cols(), qt.quant());
            double worstNoise = 0;
            double tensorSignal = 0;
            int largestGroup = 0;
            for (int g = 0; g < layout.count(); g++) {
                double step = qt.scales()[g];
                worstNoise += layout.length(g) * step * step / 4;
                largestGroup = Math.max(largestGroup, layout.length(g));
                for (int i = layout.start(g); i < layout.start(g) + layout.length(g); i++) {
                    assertTrue(Math.abs(v[i] - back[i]) <= step / 2 * (1 + 1e-9), t.name() + " element " + i);
                    tensorSignal += (double) v[i] * v[i];
                }
            }
            QuantError e = QuantError.of(v, back);
            assertTrue(e.sqnrDb() >= 10 * Math.log10(tensorSignal / worstNoise) - 1e-9, t.name());
            double widthBound = 10 * Math.log10(4.0 * qmax * qmax / largestGroup) - FP16_SLACK_DB;
            assertTrue(e.sqnrDb() >= widthBound, t.name() + ": " + e.sqnrDb() + " dB < " + widthBound);
            long[] h = qt.histogram();
            for (int s = 0; s < h.length; s++) {
                hist[s] += h[s];
            }
            signal += tensorSignal;
            noise += e.mse() * v.length;
            n += v.length;
        }
        return new ModelQuant(spec, hist, n, 10 * Math.log10(signal / noise), symmetric);
    }

    @Test
    void int8PerChannelAndInt4Group32MeetTheirBitWidthBounds() {
        ModelQuant int8 = quantizeAll("int8-channel-sym");
        ModelQuant int4 = quantizeAll("int4-g32-sym");
        // The uniform-noise estimate 6.02 b + 4.77 - 20 log10(max/rms) exceeds 30 dB at 8 bits for any row whose
        // largest weight is under 8.7 times its rms; trained weight rows are far from that.
        for (TensorData t : matrices) {
            QuantError e = QuantError.of(t.values(), Quantizer.dequantize(Quantizer.quantize(t.values(), t.rows(),
                    t.cols(), WeightQuant.parse("int8-channel-sym", "t"))));
            assertTrue(e.sqnrDb() > 30, t.name() + ": " + e.sqnrDb());
        }
        // Entropy never exceeds the width, and Huffman never beats entropy.
        assertTrue(int8.entropy() <= 8 && int4.entropy() <= 4);
        assertTrue(int8.huffmanBitsPerWeight() >= int8.entropy() && int4.huffmanBitsPerWeight() >= int4.entropy());
        assertEquals(matrices.stream().mapToLong(TensorData::elements).sum(), int8.weights());
        int8.print();
        int4.print();
    }

    @Test
    void tensorLevelAndAutoSchemesAsEntroLlmUsesThem() {
        // EntroLLM quantizes per tensor; these are the figures to set beside its phi3-mini numbers.
        for (String spec : new String[]{"int8-tensor-sym", "int8-tensor-asym", "int8-tensor-auto",
                "int4-tensor-sym", "int4-tensor-asym", "int4-g32-auto", "int8-channel-auto"}) {
            ModelQuant m = quantizeAll(spec);
            assertFalse(Double.isNaN(m.sqnrDb()), spec);
            m.print();
        }
        SymmetryChooser chooser = new SymmetryChooser(QuantOptions.NONE, SymmetryChooser.DEFAULT_MAX_CODE_LENGTH);
        for (TensorData t : matrices) {
            SymmetryChoice c = chooser.decide(t.name(), t.values(), t.rows(), t.cols(),
                    WeightQuant.parse("int4-g32-auto", "t")).choice();
            assertTrue(c.wastedResolutionBits() >= 0 && c.wastedResolutionBits() <= 1, c.reason());
            assertEquals(c.wastedResolutionBits() <= SymmetryChooser.WASTE_THRESHOLD_BITS, c.symmetric());
        }
    }

    @Test
    void pruningAndRescalingLowerTheEntropyOfRealWeights() {
        WeightQuant q = WeightQuant.parse("int4-g32-sym", "t");
        QuantOptions[] options = {QuantOptions.NONE, QuantOptions.rescaled(0), QuantOptions.rescaled(0.05),
                QuantOptions.pruned(0.3)};
        double[] entropy = new double[options.length];
        double[] sqnr = new double[options.length];
        long[][] histograms = new long[options.length][];
        for (int o = 0; o < options.length; o++) {
            long[] hist = new long[16];
            histograms[o] = hist;
            double signal = 0;
            double noise = 0;
            for (TensorData t : matrices) {
                QuantizedTensor qt = new Quantizer(options[o]).quantize(t.name(), t.values(), t.rows(), t.cols(), q);
                long[] h = qt.histogram();
                for (int s = 0; s < 16; s++) {
                    hist[s] += h[s];
                }
                QuantError e = QuantError.of(t.values(), Quantizer.dequantize(qt));
                noise += e.mse() * t.elements();
                for (float w : t.values()) {
                    signal += (double) w * w;
                }
            }
            entropy[o] = Entropy.bitsPerSymbol(hist);
            sqnr[o] = 10 * Math.log10(signal / noise);
            System.out.printf(Locale.ROOT, "stories260K int4-g32-sym %s: entropy %.3f bits/weight, SQNR %.2f dB%n",
                    options[o], entropy[o], sqnr[o]);
        }
        assertTrue(sqnr[1] >= sqnr[0] - 1e-9, "MSE-optimal clipping is never worse than max scaling");
        // Pruning leaves every group's extremes, hence its scale, alone and only moves weights onto the zero
        // symbol (8). Moving counts onto the most frequent symbol always lowers entropy, so when zero is the mode
        // and some weights move, entropy must fall.
        long[] plain = histograms[0];
        for (int s = 0; s < 16; s++) {
            assertTrue(plain[8] >= plain[s], "zero is the most frequent symbol");
        }
        assertTrue(histograms[3][8] > plain[8], "pruning 30% puts more weights on zero than rounding did");
        assertTrue(entropy[3] < entropy[0], "so the entropy falls");
    }
}
