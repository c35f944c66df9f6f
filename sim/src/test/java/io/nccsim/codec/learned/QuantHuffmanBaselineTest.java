package io.nccsim.codec.learned;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantHuffmanBaselineTest {
    /** {@code blocks} blocks of {@code n} values from one tensor "t" (or {@code tensors} tensors, round robin). */
    private static BlockDataset.BlockSet set(double[][] values, int tensors) {
        List<BlockDataset.BlockSource> src = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            src.add(new BlockDataset.BlockSource("m", "t" + (i % tensors), "attn_q", 4, i, 0));
        }
        return new BlockDataset.BlockSet(values, new double[values.length][], src);
    }

    private static double[][] random(int blocks, int n, long seed, boolean gaussian) {
        Random r = new Random(seed);
        double[][] v = new double[blocks][n];
        for (double[] b : v) {
            for (int j = 0; j < n; j++) {
                // Held as floats, as blocks cut from fp32 tensors are.
                b[j] = (float) (gaussian ? 0.02 * r.nextGaussian() : 2 * r.nextDouble() - 1);
            }
        }
        return v;
    }

    @Test
    void handComputedTwoBitBlock() {
        // Symmetric 2 bits is ternary: scale max|x| / 1 = 1 (exact in fp16); 0.5 rounds to even, 0.
        BlockDataset.BlockSet s = set(new double[][]{{0, 1, -1, 0.5}}, 1);
        QuantHuffmanBaseline.Measurement m = QuantHuffmanBaseline.measure(s,
                new QuantHuffmanBaseline.Settings(List.of(2), 12, false)).get(0);
        assertTrue(m.symmetric());
        // Symbols 1, 2, 0, 1 (code + 1): counts {1, 2, 1, 0} -> code lengths 2, 1, 2: 6 bits.
        assertEquals(6, m.codeBits());
        assertEquals(16, m.tableBits(), "4 symbols x 4-bit lengths = 2 bytes");
        assertEquals(16, m.sideBits(), "one fp16 scale");
        assertEquals((6 + 16 + 16) / 4.0, m.huffmanBitsPerValue(), 1e-12);
        assertEquals((8 + 16) / 4.0, m.fixedBitsPerValue(), 1e-12);
        assertEquals(0.25 / 4, m.mse(), 1e-15);
        assertEquals(10 * Math.log10(2.25 / 0.25), m.sqnrDb(), 1e-9);
        assertEquals(1.5 * 4, m.entropyBits(), 1e-12, "entropy of {1/4, 1/2, 1/4}");
    }

    @Test
    void reproducesTheWeightQuantizerAtItsWidths() {
        int n = 32;
        double[][] blocks = random(40, n, 5, true);
        blocks[3] = new double[n]; // a block of zeros
        float[] flat = new float[blocks.length * n];
        for (int i = 0; i < blocks.length; i++) {
            for (int j = 0; j < n; j++) {
                flat[i * n + j] = (float) blocks[i][j];
            }
        }
        ElementType[] types = {ElementType.INT2, ElementType.INT3, ElementType.INT4, ElementType.INT8};
        for (ElementType type : types) {
            for (boolean sym : new boolean[]{true, false}) {
                QuantizedTensor qt = Quantizer.quantize(flat, blocks.length, n, new WeightQuant(type, n, sym));
                float[] want = Quantizer.dequantize(qt);
                UniformBlockQuantizer q = new UniformBlockQuantizer(type.bits(), sym);
                int[] symbols = new int[n];
                double[] recon = new double[n];
                for (int i = 0; i < blocks.length; i++) {
                    UniformBlockQuantizer.Params p = q.quantize(blocks[i], symbols, recon);
                    assertEquals(qt.scales()[i], p.scale(), type + " sym=" + sym + " block " + i);
                    for (int j = 0; j < n; j++) {
                        assertEquals(qt.symbol(i * n + j), symbols[j], type + " sym=" + sym + " block " + i);
                        assertEquals(want[i * n + j], recon[j], 0.0, type + " sym=" + sym + " block " + i);
                    }
                }
            }
        }
    }

    @Test
    void uniformInputGainsAboutSixDbPerBit() {
        // Uniform on [-1, 1]: the step is max|x| / qmax (symmetric) and the noise step^2 / 12 against a signal of 1/3,
        // so SQNR = 20 log10(2 qmax) + 20 log10(1 / max|x|); max|x| of 256 uniform values is about 1 - 1/257.
        // Asymmetric: step = range / (2^b - 1), SQNR = 20 log10(2^b - 1) likewise.
        BlockDataset.BlockSet s = set(random(400, 256, 11, false), 1);
        List<QuantHuffmanBaseline.Measurement> ms = QuantHuffmanBaseline.measure(s,
                new QuantHuffmanBaseline.Settings(List.of(2, 3, 4, 5, 6, 7, 8), 12, false));
        for (QuantHuffmanBaseline.Measurement m : ms) {
            int qmax = (1 << (m.bits() - 1)) - 1;
            double want = m.symmetric() ? 20 * Math.log10(2 * qmax) : 20 * Math.log10((1 << m.bits()) - 1);
            assertEquals(want, m.sqnrDb(), 0.3, (m.symmetric() ? "sym " : "asym ") + m.bits() + " bits");
        }
        for (int i = 1; i < 7; i++) {
            // Symmetric codes double from 2^(b-1) - 1 to 2^b - 1 levels a side: 20 log10((2^b - 2) / (2^(b-1) - 2))
            // dB a bit, which tends to 6.02 dB (6.09 from 7 to 8 bits).
            int b = ms.get(i).bits();
            double step = 20 * Math.log10(((1 << b) - 2.0) / ((1 << (b - 1)) - 2.0));
            double gained = ms.get(i).sqnrDb() - ms.get(i - 1).sqnrDb();
            assertEquals(step, gained, 0.15, b + " bits");
            if (b >= 6) {
                assertEquals(6.02, gained, 0.35, b + " bits");
            }
        }
        // Uniform symbols are incompressible: Huffman gains nothing but must not lose beyond its table.
        QuantHuffmanBaseline.Measurement eight = ms.get(6);
        assertEquals(8.0, (double) eight.codeBits() / eight.values(), 0.05);
    }

    @Test
    void huffmanOnGaussianBlocksIsBetweenEntropyAndFixedWidth() {
        BlockDataset.BlockSet s = set(random(300, 64, 3, true), 3);
        List<QuantHuffmanBaseline.Measurement> ms = QuantHuffmanBaseline.measure(s,
                QuantHuffmanBaseline.Settings.defaults());
        assertEquals(12, ms.size());
        double lastMse = Double.POSITIVE_INFINITY;
        for (QuantHuffmanBaseline.Measurement m : ms) {
            assertEquals(3, m.tables(), "one table per source tensor");
            assertEquals(300, m.blocks());
            assertEquals(300L * (m.symmetric() ? 16 : 32), m.sideBits());
            // A code no longer than b bits is feasible, so the optimal one cannot be worse than fixed width...
            assertTrue(m.codeBits() <= (long) m.bits() * m.values(), m.toString());
            assertTrue(m.huffmanBitsPerValue() <= m.fixedBitsPerValue() + (double) m.tableBits() / m.values());
            // ...nor better than the Shannon bound of each table's symbols.
            assertTrue(m.codeBits() >= m.entropyBits() - 1e-6, m.toString());
            // and the tables are 2^b lengths of 4 bits each, per tensor.
            assertEquals(3L * (1 << m.bits()) * 4, m.tableBits());
            if (m.bits() == 2) {
                lastMse = Double.POSITIVE_INFINITY;
            }
            assertTrue(m.mse() < lastMse, "more bits, less error: " + m);
            lastMse = m.mse();
        }
        // Gaussian blocks scaled to their maximum (about 2.4 sigma for 64 values) use the outer codes rarely: the
        // symbols' entropy is about h(X) - log2(step) = 2.05 + log2(127 / 2.4) = 7.8 bits, and Huffman gets close.
        QuantHuffmanBaseline.Measurement sym8 = ms.get(5);
        assertEquals(8, sym8.bits());
        double codeBitsPerValue = (double) sym8.codeBits() / sym8.values();
        assertTrue(codeBitsPerValue < 7.9 && codeBitsPerValue > 7.4, sym8.toString());
        assertEquals(sym8.entropyBits() / sym8.values(), codeBitsPerValue, 0.05, "Huffman near the entropy");
        List<RdPoint> points = QuantHuffmanBaseline.points(s, QuantHuffmanBaseline.Settings.defaults());
        assertEquals(24, points.size());
        assertEquals(6, points.stream().filter(p -> p.method().equals(QuantHuffmanBaseline.SYM_HUFFMAN)).count());
    }

    @Test
    void weightsWeighTheErrors() {
        double[][] v = random(2, 16, 9, true);
        BlockDataset.BlockSet both = set(v, 1);
        double[][] w = {new double[16], null}; // block 0 weighs nothing, block 1 (no weights) weighs 1
        BlockDataset.BlockSet weighted = new BlockDataset.BlockSet(v, w, both.sources());
        BlockDataset.BlockSet second = set(new double[][]{v[1]}, 1);
        QuantHuffmanBaseline.Settings s = new QuantHuffmanBaseline.Settings(List.of(4), 12, true);
        QuantHuffmanBaseline.Measurement got = QuantHuffmanBaseline.measure(weighted, s).get(0);
        QuantHuffmanBaseline.Measurement alone = QuantHuffmanBaseline.measure(second, s).get(0);
        assertEquals(alone.mse(), got.mse(), 1e-18);
        assertEquals(alone.sqnrDb(), got.sqnrDb(), 1e-9);
        QuantHuffmanBaseline.Measurement unweighted = QuantHuffmanBaseline.measure(weighted,
                s.withWeights(false)).get(0);
        QuantHuffmanBaseline.Measurement plain = QuantHuffmanBaseline.measure(both, s.withWeights(false)).get(0);
        assertEquals(plain.mse(), unweighted.mse(), 0.0, "weights off: plain MSE");
    }

    @Test
    void interpolationAtMatchedBits() {
        List<RdPoint> pts = List.of(new RdPoint("a", 2, 1e-2, 0), new RdPoint("a", 4, 1e-4, 0),
                new RdPoint("a", 3, 1e-3, 0), new RdPoint("b", 3, 5e-4, 0), new RdPoint("b", 5, 1e-6, 0));
        assertEquals(1e-3, QuantHuffmanBaseline.mseAt(pts, "a", 3), 0.0, "a point's own MSE");
        assertEquals(Math.sqrt(1e-3 * 1e-4), QuantHuffmanBaseline.mseAt(pts, "a", 3.5), 1e-15,
                "halfway in bits: the geometric mean");
        assertTrue(Double.isNaN(QuantHuffmanBaseline.mseAt(pts, "a", 1.9)));
        assertTrue(Double.isNaN(QuantHuffmanBaseline.mseAt(pts, "a", 4.1)));
        assertTrue(Double.isNaN(QuantHuffmanBaseline.mseAt(pts, "c", 3)));
        assertEquals(5e-4, QuantHuffmanBaseline.bestMseAt(pts, 3), 0.0);
        assertEquals(1e-2, QuantHuffmanBaseline.bestMseAt(pts, 2), 0.0, "only a reaches 2 bits");
        assertTrue(Double.isNaN(QuantHuffmanBaseline.bestMseAt(pts, 6)));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(BadInputException.class, () -> new QuantHuffmanBaseline.Settings(List.of(9), 12, false));
        assertThrows(BadInputException.class, () -> new QuantHuffmanBaseline.Settings(List.of(8), 7, false));
        assertThrows(BadInputException.class, () -> new QuantHuffmanBaseline.Settings(List.of(), 12, false));
        assertThrows(BadInputException.class, () -> new UniformBlockQuantizer(1, true));
        BlockDataset.BlockSet nan = set(new double[][]{{0, Double.NaN}}, 1);
        assertThrows(BadInputException.class, () -> QuantHuffmanBaseline.measure(nan,
                QuantHuffmanBaseline.Settings.defaults()));
        assertArrayEquals(new int[]{2, 3, 4, 5, 6, 8},
                QuantHuffmanBaseline.DEFAULT_BITS.stream().mapToInt(Integer::intValue).toArray());
        assertTrue(Arrays.asList(QuantHuffmanBaseline.SYM_HUFFMAN, QuantHuffmanBaseline.ASYM_HUFFMAN)
                .contains(QuantHuffmanBaseline.measure(set(new double[][]{{1, 2}}, 1),
                        QuantHuffmanBaseline.Settings.defaults()).get(7).points().get(0).method()));
    }
}
