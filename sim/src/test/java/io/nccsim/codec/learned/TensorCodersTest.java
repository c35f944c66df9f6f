package io.nccsim.codec.learned;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coders the learned levels are measured with and against: bits and values, by hand where possible. */
class TensorCodersTest {
    private static SourceTensor random(int rows, int cols, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.02 * rng.nextGaussian() + (i % 7 == 0 ? 0.05 : 0));
        }
        return new SourceTensor("m", "layers.4.attention.wq.weight", TensorRole.ATTN_Q, 4, rows, cols, v);
    }

    @Test
    void uniformStepByHand() {
        // RMS of {0, 1, -1, 2} is sqrt(6/4); step 1 RMS: bins 0, round(0.816) = 1, -1, round(1.633) = 2.
        SourceTensor t = new SourceTensor("m", "w", TensorRole.ATTN_Q, 0, 1, 4, new float[] {0, 1, -1, 2});
        TensorCoder.Coded c = new UniformStepTensorCoder(1.0).code(t);
        float s = (float) Math.sqrt(1.5);
        assertArrayEquals(new float[] {0, (float) (1.0 * s), (float) (-1.0 * s), (float) (2.0 * s)}, c.values());
        // Four bins seen once each: 2-bit codes, 8 bits. Table: 4 bins + escape = 5 lengths of 4 bits (3 bytes) and
        // a 4-byte range header: 56 bits. Scale: 32 bits.
        assertEquals(8 + 56 + 32, c.bits());
        assertEquals(2.0 * 4 + 56 + 32, c.idealBits(), 1e-12);
    }

    @Test
    void uniformStepEscapesBinsOutsideItsWindow() {
        // 1100 distinct bins: 1023 coded directly, 77 escaped (escape code + 16 bits each).
        float[] v = new float[1100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        SourceTensor t = new SourceTensor("m", "w", TensorRole.ATTN_Q, 0, 1, v.length, v);
        float s = TensorScaling.rmsScale(v);
        TensorCoder.Coded c = new UniformStepTensorCoder(1.0 / s).code(t);
        long[] alphabet = new long[1024];
        java.util.Arrays.fill(alphabet, 0, 1023, 1);
        alphabet[1023] = 77;
        HuffmanCode code = HuffmanCode.build(alphabet, 15);
        long codeBits = 77L * 16;
        for (int i = 0; i < alphabet.length; i++) {
            codeBits += alphabet[i] * code.length(i);
        }
        assertEquals(codeBits + 8 * (code.tableBytes() + 4) + 32, c.bits());
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], c.values()[i], 1e-3 * v[i] + 1e-6, "bin " + i);
        }
    }

    @Test
    void blockQuantizationMatchesTheBaselineOnTheSameGroups() {
        SourceTensor t = random(3, 40, 1); // groups of 16 along rows: 16, 16 and a short 8 per row
        for (boolean sym : new boolean[] {true, false}) {
            BlockQuantTensorCoder coder = new BlockQuantTensorCoder(4, sym, 16, 12);
            TensorCoder.Coded c = coder.code(t);
            List<double[]> blocks = new ArrayList<>();
            List<BlockDataset.BlockSource> sources = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                for (int c0 = 0; c0 < 40; c0 += 16) {
                    int len = Math.min(16, 40 - c0);
                    double[] b = new double[len];
                    for (int j = 0; j < len; j++) {
                        b[j] = t.values()[r * 40 + c0 + j];
                    }
                    blocks.add(b);
                    sources.add(new BlockDataset.BlockSource("m", t.name(), "attn_q", 4, r, c0));
                }
            }
            BlockDataset.BlockSet set = new BlockDataset.BlockSet(blocks.toArray(new double[0][]),
                    new double[blocks.size()][], sources);
            QuantHuffmanBaseline.Measurement m = QuantHuffmanBaseline.measure(set,
                    new QuantHuffmanBaseline.Settings(List.of(4), 12, false)).get(sym ? 0 : 1);
            assertEquals(m.codeBits() + m.tableBits() + m.sideBits(), c.bits());
            RdMeasurement rd = RdMeasurement.measure(coder, List.of(t));
            assertEquals(m.mse(), rd.mse(), 1e-18);
            assertEquals(m.huffmanBitsPerValue(), rd.bitsPerValue(), 1e-12);
            assertEquals(BlockQuantTensorCoder.method(sym, 16), rd.method());
        }
    }

    @Test
    void learnedCoderPadsTheShortBlockOfARowAndCountsItsLatentsInFull() {
        double[][] blocks = SyntheticBlocks.plane(400, 16, 0.1, 1.0, 2);
        TrainedBlockCodec codec = BlockCodecTrainer.train(BlockCodecConfig.linear(16, 16, 0.1, 0.001)
                .withTraining(3, 32, 0.01, BlockCodecConfig.Schedule.COSINE, 3), blocks);
        SourceTensor t = random(2, 20, 3); // per row: a block of 16 and one of 4 padded with 12 zeros
        LearnedTensorCoder coder = new LearnedTensorCoder("high", codec);
        TensorCoder.Coded c = coder.code(t);
        float s = TensorScaling.rmsScale(t.values());
        long bits = 32;
        float[] expected = new float[40];
        for (int r = 0; r < 2; r++) {
            for (int c0 = 0; c0 < 20; c0 += 16) {
                double[] b = new double[16];
                int len = Math.min(16, 20 - c0);
                for (int j = 0; j < len; j++) {
                    b[j] = t.values()[r * 20 + c0 + j] / (double) s;
                }
                int[] latent = codec.encode(b);
                bits += codec.bitsHuffman(latent);
                double[] d = codec.decode(latent);
                for (int j = 0; j < len; j++) {
                    expected[r * 20 + c0 + j] = (float) (d[j] * s);
                }
            }
        }
        assertEquals(bits, c.bits());
        assertArrayEquals(expected, c.values());
        assertEquals(8 * codec.tableBytes(), coder.sharedBits());
        RdMeasurement m = RdMeasurement.measure(coder, List.of(t, t));
        assertEquals(2 * bits + 8 * codec.tableBytes(), m.bits(), "tables once, however many tensors");
        assertEquals(80, m.values());
    }

    @Test
    void residualCoderAddsTheLearnedResidualToTheBase() {
        BlockQuantTensorCoder base = ResidualTensorCoder.parseBase("int3-g16-sym", "--residual-of");
        assertEquals("int3-g16-sym", ResidualTensorCoder.spec(base));
        SourceTensor t = random(2, 32, 4);
        SourceTensor r = ResidualTensorCoder.residualOf(base, t);
        double[][] blocks = new double[4][16];
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < 16; j++) {
                blocks[b][j] = r.values()[b * 16 + j] / TensorScaling.rmsScale(r.values());
            }
        }
        TrainedBlockCodec codec = BlockCodecTrainer.train(BlockCodecConfig.linear(16, 16, 0.3, 0.01)
                .withTraining(2, 4, 0.01, BlockCodecConfig.Schedule.COSINE, 2), blocks);
        LearnedTensorCoder learned = new LearnedTensorCoder("medium", codec);
        TensorCoder.Coded c = new ResidualTensorCoder(base, learned).code(t);
        TensorCoder.Coded b = base.code(t);
        TensorCoder.Coded l = learned.code(r);
        assertEquals(b.bits() + l.bits(), c.bits());
        for (int i = 0; i < t.values().length; i++) {
            assertEquals(b.values()[i] + l.values()[i], c.values()[i]);
        }
    }

    @Test
    void matchedBitsComparisonInterpolatesAndNeverExtrapolates() {
        // Baseline: 2 bits/value at MSE 1e-2, 4 bits/value at 1e-4 (20 dB apart, linear in log MSE).
        RdMeasurement lo = new RdMeasurement("base", "2 bits", 1, 100, 200, Double.NaN, 0, 1e-2, 1.0);
        RdMeasurement hi = new RdMeasurement("base", "4 bits", 1, 100, 400, Double.NaN, 0, 1e-4, 1.0);
        // Learned at 3 bits (20 of them tables) with half the interpolated MSE (1e-3): +3.01 dB; and at 5 bits: none.
        RdMeasurement at3 = new RdMeasurement("learned", "a", 1, 100, 300, Double.NaN, 20, 5e-4, 1.0);
        RdMeasurement at5 = new RdMeasurement("learned", "b", 1, 100, 500, Double.NaN, 0, 1e-5, 1.0);
        List<HeldOutEvaluation.Row> rows = HeldOutEvaluation.compare(List.of(at3, at5), List.of(lo, hi));
        HeldOutEvaluation.Row r = rows.get(0);
        assertEquals(1e-3, r.best().mse(), 1e-15);
        assertEquals(30.0, r.best().sqnrDb(), 1e-9);
        assertEquals(10 * Math.log10(2), r.best().gainDb(), 1e-9);
        assertEquals(2.8, r.bitsPerValueTablesFree(), 1e-12);
        // Without tables the level is at 2.8 bits, where the baseline's MSE is 10^(-2 - 0.8) = 1.585e-3.
        assertEquals(10 * Math.log10(Math.pow(10, -2.8) / 5e-4), r.bestTablesFree().gainDb(), 1e-9);
        assertTrue(Double.isNaN(rows.get(1).best().gainDb()));
        assertEquals("none", rows.get(1).best().method());
    }
}
