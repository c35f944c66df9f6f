package io.nccsim.fidelity;

import io.nccsim.capture.Generation;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.capture.LlamaModel;
import io.nccsim.codec.NamedTensor;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluator on small in-memory models: a bigram model whose perplexity and greedy continuation are worked out by
 * hand, and a random Gaussian model on which lossless must be exact, Huffman must add nothing to quantization, and
 * fewer bits must hurt more.
 */
class FidelityTest {
    private static final LlamaConfig SMALL = InMemoryLlama.config(32, 48, 2, 4, 2, 64, 96, true);
    private static final ModelFile GAUSSIAN = InMemoryLlama.model(SMALL, InMemoryLlama.gaussian(7));

    /** BOS then random tokens: any fixed text will do for comparing two runs. */
    private static int[] randomText(int length, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[length];
        t[0] = 1;
        for (int i = 1; i < length; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    private static final Fidelity SMALL_FIDELITY = new Fidelity(GAUSSIAN, randomText(48, 64, 3), 24);

    // --- a bigram model, by hand --------------------------------------------------------------------------------

    /**
     * dim 2, one head, every projection zero: attention and feed-forward add exactly nothing, so the final RMSNorm
     * sees the token's own embedding and the logits depend on the current token alone. Embeddings are the four unit
     * directions (+x, +y, -x, -y), each with mean square 1/2, so the norm scales them by s = 1/sqrt(1/2 + eps) and
     * the logits of token t are s * (O e_t).
     */
    private static final float[][] OUTPUT = {{0.2f, -1.0f}, {-0.5f, 0.5f}, {0.1f, 0.0f}, {1.0f, 1.5f}};
    private static final int[][] DIRECTION = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};

    private static ModelFile bigram() {
        LlamaConfig c = InMemoryLlama.config(2, 2, 1, 1, 1, 4, 16, false);
        return InMemoryLlama.model(c, (name, row, col) -> {
            if (name.contains("norm")) {
                return 1f;
            }
            if (name.equals("tok_embeddings.weight")) {
                return DIRECTION[row][col];
            }
            if (name.equals("output.weight")) {
                return OUTPUT[row][col];
            }
            return 0f;
        });
    }

    /** p(next | current) of the bigram model, in double from the formula above. */
    private static double[] handDistribution(int current) {
        double s = 1 / Math.sqrt(0.5 + LlamaConfig.LLAMA2C_NORM_EPS);
        double[] logits = new double[4];
        double sum = 0;
        for (int v = 0; v < 4; v++) {
            logits[v] = s * (OUTPUT[v][0] * DIRECTION[current][0] + OUTPUT[v][1] * DIRECTION[current][1]);
            sum += Math.exp(logits[v]);
        }
        for (int v = 0; v < 4; v++) {
            logits[v] = Math.exp(logits[v]) / sum;
        }
        return logits;
    }

    @Test
    void aBigramModelsPerplexityIsTheHandComputedOne() {
        int[] text = {1, 0, 3, 3, 2, 0, 1, 2, 3};
        double logSum = 0;
        for (int p = 0; p + 1 < text.length; p++) {
            logSum -= Math.log(handDistribution(text[p])[text[p + 1]]);
        }
        double expected = Math.exp(logSum / (text.length - 1));
        DecoderRun run = DecoderRun.of(LlamaModel.of(bigram()), KvPrecision.FP32, text, 5);
        assertEquals(text.length - 1, run.positions());
        // The engine works in fp32: agreement to a few float ulps of the logits.
        assertEquals(expected, run.perplexity(), expected * 1e-5);
        for (int p = 0; p < run.positions(); p++) {
            double[] nll = run.negativeLogLikelihoods();
            assertEquals(-Math.log(handDistribution(text[p])[text[p + 1]]), nll[p], 1e-5, "position " + p);
        }
    }

    @Test
    void aBigramModelsGreedyContinuationIsTheHandDerivedOne() {
        // From BOS (+y) the largest of O[.][1] is token 3; from 3 (-y) the smallest of O[.][1] is token 0; from 0
        // (+x) the largest of O[.][0] is token 3 again.
        DecoderRun run = DecoderRun.of(LlamaModel.of(bigram()), KvPrecision.FP32, new int[]{1, 0}, 5);
        assertArrayEquals(new int[]{3, 0, 3, 0, 3}, run.continuation());
        assertEquals(Generation.Stop.MAX_TOKENS, run.stop());
    }

    // --- lossless, Huffman, bits ----------------------------------------------------------------------------------

    @Test
    void losslessGivesBitIdenticalLogitsEverywhereAndTheSameContinuation() {
        Fidelity.CodecRun run = SMALL_FIDELITY.run(CodecSpec.parse("lossless", "--codec"));
        DecoderRun ref = SMALL_FIDELITY.referenceRun();
        for (int p = 0; p < ref.positions(); p++) {
            assertArrayEquals(ref.logitsAt(p), run.run().logitsAt(p), "position " + p);
        }
        assertArrayEquals(ref.continuation(), run.run().continuation());
        assertTrue(ref.continuation().length > 5, "the comparison covers a real continuation");
        FidelityRow row = run.row();
        assertTrue(row.logitsIdentical());
        assertEquals(0.0, row.meanKlNats());
        assertEquals(0.0, row.maxKlNats());
        assertEquals(1.0, row.top1Agreement());
        assertEquals(ref.perplexity(), row.perplexity());
        assertTrue(row.continuationUnchanged());
        assertEquals(-1, row.firstDivergence());
        assertEquals(32.0, row.bitsPerWeight());
    }

    @Test
    void theComparisonNoticesAnyChange() {
        // The same weights with an int8 KV cache: the logits move, so the row must say so.
        FidelityRow row = SMALL_FIDELITY.run(CodecSpec.parse("fp32,kv=int8", "--codec")).row();
        assertFalse(row.logitsIdentical());
        assertTrue(row.meanKlNats() > 0);
        assertTrue(row.maxKlNats() >= row.meanKlNats());
        assertEquals("int8", row.kv());
        assertEquals(32.0, row.bitsPerWeight(), "the weights are untouched");
    }

    @Test
    void huffmanCodingAddsNoErrorToQuantization() {
        Fidelity.CodecRun plain = SMALL_FIDELITY.run(CodecSpec.parse("int4-g32-sym", "--codec"));
        Fidelity.CodecRun coded = SMALL_FIDELITY.run(CodecSpec.parse("int4-g32-sym+huffman", "--codec"));
        List<TensorData> a = plain.coded().file().tensors();
        List<TensorData> b = coded.coded().file().tensors();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).values(), b.get(i).values(), a.get(i).name());
        }
        for (int p = 0; p < plain.run().positions(); p++) {
            assertArrayEquals(plain.run().logitsAt(p), coded.run().logitsAt(p), "position " + p);
        }
        assertArrayEquals(plain.run().continuation(), coded.run().continuation());
        assertEquals(plain.row().meanKlNats(), coded.row().meanKlNats());
        assertFalse(plain.row().logitsIdentical(), "int4 itself does change the logits");
        // Every matrix element went through the coder and back.
        long matrixElements = a.stream().filter(TensorData::isMatrix).mapToLong(TensorData::elements).sum();
        assertEquals(matrixElements, coded.coded().huffmanSymbols());
        assertEquals(0, plain.coded().huffmanSymbols());
    }

    @Test
    void theHuffmanRoundTripHandsOnDecodedSymbolsEqualToTheOriginals() {
        List<NamedTensor> tensors = new ArrayList<>();
        for (TensorData t : GAUSSIAN.tensors()) {
            if (t.isMatrix()) {
                tensors.add(new NamedTensor(t.name(), Quantizer.quantize(t.values(), t.rows(), t.cols(),
                        WeightQuant.parse("int3-g32-asym", "test"))));
            }
        }
        HuffmanRoundTrip.Result r = HuffmanRoundTrip.run(tensors);
        long total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            QuantizedTensor before = tensors.get(i).tensor();
            QuantizedTensor after = r.decoded().get(i).tensor();
            assertNotSame(before.symbols(), after.symbols(), "decoded into a fresh array, not passed through");
            assertArrayEquals(before.symbols(), after.symbols(), tensors.get(i).name());
            assertSame(before.scales(), after.scales());
            total += before.symbols().length;
        }
        assertEquals(total, r.symbolsCompared());
        assertTrue(r.plan().roundTripExact());
        assertEquals(r.plan().storedBits(), r.storedBits());
    }

    @Test
    void storedBitsAreTheSymbolsScalesAndFp32NormsOfTheModel() {
        // int8 per channel: 8 bits per matrix element and one fp16 scale per row; vectors stay fp32.
        int dim = SMALL.dim();
        int kv = SMALL.kvDim();
        int hidden = SMALL.hiddenDim();
        long[][] matrices = {{SMALL.vocabSize(), dim}, {dim, dim}, {kv, dim}, {kv, dim}, {dim, dim},
            {hidden, dim}, {dim, hidden}, {hidden, dim}};
        long bits = 8L * SMALL.vocabSize() * dim + 16L * SMALL.vocabSize() + 32L * dim;
        long parameters = (long) SMALL.vocabSize() * dim + dim;
        for (int l = 0; l < SMALL.layers(); l++) {
            for (int m = 1; m < matrices.length; m++) {
                bits += 8 * matrices[m][0] * matrices[m][1] + 16 * matrices[m][0];
                parameters += matrices[m][0] * matrices[m][1];
            }
            bits += 32L * 2 * dim;
            parameters += 2L * dim;
        }
        CodedModel coded = WeightCodec.apply(GAUSSIAN, CodecSpec.parse("int8-channel-sym", "--codec"));
        assertEquals(parameters, coded.parameters());
        assertEquals(bits, coded.storedBits());
        assertEquals(1 + 7 * SMALL.layers(), coded.codedTensors());
    }

    @Test
    void bf16RoundsTheMatricesAndLeavesTheNormsAlone() {
        CodedModel coded = WeightCodec.apply(GAUSSIAN, CodecSpec.parse("bf16", "--codec"));
        boolean changed = false;
        for (int i = 0; i < GAUSSIAN.tensors().size(); i++) {
            TensorData before = GAUSSIAN.tensors().get(i);
            TensorData after = coded.file().tensors().get(i);
            if (!before.isMatrix()) {
                assertArrayEquals(before.values(), after.values(), before.name());
                continue;
            }
            for (int j = 0; j < before.values().length; j++) {
                float v = after.values()[j];
                assertEquals(0, Float.floatToRawIntBits(v) & 0xFFFF, before.name() + " element " + j);
                // Nearest-even rounding to 8 mantissa bits: within half a bf16 ulp (2^-8 relative).
                assertEquals(before.values()[j], v, Math.abs(before.values()[j]) * 0x1p-8);
                changed |= v != before.values()[j];
            }
        }
        assertTrue(changed);
    }

    @Test
    void pruningZeroesTheSmallestWeightsOfEachMatrix() {
        CodedModel pruned = WeightCodec.apply(GAUSSIAN, CodecSpec.parse("int8-channel-sym,prune=0.5", "--codec"));
        CodedModel plain = WeightCodec.apply(GAUSSIAN, CodecSpec.parse("int8-channel-sym", "--codec"));
        for (int i = 0; i < GAUSSIAN.tensors().size(); i++) {
            TensorData t = pruned.file().tensors().get(i);
            if (t.isMatrix()) {
                assertTrue(zeros(t.values()) >= t.values().length / 2, t.name());
                assertTrue(zeros(plain.file().tensors().get(i).values()) < t.values().length / 10, t.name());
            }
        }
    }

    private static int zeros(float[] v) {
        int n = 0;
        for (float x : v) {
            n += x == 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void fewerBitsHurtMore() {
        FidelityRow int8 = SMALL_FIDELITY.run(CodecSpec.parse("int8-channel-sym", "--codec")).row();
        FidelityRow int4 = SMALL_FIDELITY.run(CodecSpec.parse("int4-g32-sym", "--codec")).row();
        FidelityRow int2 = SMALL_FIDELITY.run(CodecSpec.parse("int2-g32-sym", "--codec")).row();
        assertTrue(int2.meanKlNats() > int4.meanKlNats(), int2 + " / " + int4);
        assertTrue(int4.meanKlNats() > int8.meanKlNats(), int4 + " / " + int8);
        assertTrue(int8.meanKlNats() > 0);
        assertTrue(int8.top1Agreement() >= int4.top1Agreement() && int4.top1Agreement() >= int2.top1Agreement());
    }

    @Test
    void aWeightBeyondFp16IsRejectedNamingTheTensorAndElement() {
        ModelFile huge = InMemoryLlama.model(SMALL, (name, row, col) ->
                name.equals("layers.1.attention.wk.weight") && row == 2 && col == 3 ? 1e6f : 0.01f);
        BadInputException e = assertThrows(BadInputException.class,
                () -> WeightCodec.apply(huge, CodecSpec.parse("fp16", "--codec")));
        assertTrue(e.getMessage().contains("tensor 'layers.1.attention.wk.weight': element " + (2 * 32 + 3)
                + " = 1000000.0 overflows fp16"), e.getMessage());
        // bf16 has fp32's range: the same weight is fine there.
        assertEquals(1e6f, WeightCodec.apply(huge, CodecSpec.parse("bf16", "--codec")).file()
                .tensor("layers.1.attention.wk.weight").values()[2 * 32 + 3], 1e6f * 0x1p-8);
    }
}
