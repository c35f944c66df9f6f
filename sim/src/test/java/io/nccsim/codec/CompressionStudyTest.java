package io.nccsim.codec;

import io.nccsim.codec.CompressionStudy.TensorRow;
import io.nccsim.codec.quant.QuantOptions;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.report.CompressionReport;
import io.nccsim.testutil.TestModels;
import io.nccsim.model.ModelLoaders;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressionStudyTest {
    /** A model of two Laplacian-ish matrices (one of them shifted to be all positive) and a norm vector. */
    private static ModelFile synthetic() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] a = new float[48 * 64];
        float[] b = new float[32 * 96];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (Math.log(rnd.nextDouble() + 1e-12) * (rnd.nextBoolean() ? 1 : -1) * 0.02);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (0.01 + rnd.nextDouble() * 0.05);
        }
        float[] norm = new float[64];
        java.util.Arrays.fill(norm, 1f);
        return new ModelFile("synthetic.bin", "test", "00", Map.of(), List.of(
                new TensorData("layers.0.attention.wq.weight", StorageType.F32, new long[]{48, 64}, a, null),
                new TensorData("layers.0.attention_norm.weight", StorageType.F32, new long[]{64}, norm, null),
                new TensorData("layers.1.feed_forward.w1.weight", StorageType.F32, new long[]{32, 96}, b, null)));
    }

    private static CompressionStudy.Settings settings(String quant, int threads) {
        return new CompressionStudy.Settings(WeightQuant.parse(quant, "test"), QuantOptions.NONE, 12,
                MultiStreamLayout.of(4, MultiStreamLayout.Split.CHUNKED), 1000, TableScope.PER_TENSOR, threads);
    }

    @Test
    void sizesAddUpAndRespectTheBounds() {
        CompressionStudy.Result r = CompressionStudy.run(synthetic(), settings("int4-g32-sym", 1), i -> { });
        assertEquals(3, r.rows().size());
        TensorRow wq = r.rows().get(0);
        // Raw: 4 bits a weight plus one fp16 scale per group of 32.
        assertEquals(4L * 48 * 64 + 16L * 48 * 2, wq.rawBits());
        assertEquals(16L * 48 * 2, wq.metadataBits());
        // A table fitted to the tensor cannot beat the tensor's own entropy; the blocks' own bounds are lower still.
        assertTrue(wq.huffmanBits() >= wq.entropyBits(), wq.toString());
        assertTrue(wq.blockEntropyBits() <= wq.entropyBits() + 1e-6);
        assertTrue(wq.huffmanBits() - wq.tableBits() - wq.overheadBits() - wq.metadataBits()
                < wq.entropyBits() - wq.metadataBits() + wq.parameters(), "Huffman within 1 bit/symbol of entropy");
        assertTrue(wq.roundTripExact());
        assertTrue(wq.sqnrDb() > 10 && wq.sqnrDb() < 40, "int4 SQNR " + wq.sqnrDb());
        // The norm is kept as fp16 and costs the same in every column.
        TensorRow norm = r.rows().get(1);
        assertEquals("kept fp16", norm.scheme());
        assertEquals(16L * 64, norm.rawBits());
        assertEquals(norm.rawBits(), norm.huffmanBits());
        assertEquals(norm.rawBits(), norm.zstdBits());
        assertEquals(48 * 64 + 32 * 96, r.codedParameters());
    }

    @Test
    void autoPicksAsymmetricForTheOneSignedTensorAndSaysWhy() {
        CompressionStudy.Result r = CompressionStudy.run(synthetic(), settings("int4-g32-auto", 1), i -> { });
        assertTrue(r.rows().get(0).scheme().endsWith("-sym"), r.rows().get(0).scheme());
        assertTrue(r.rows().get(2).scheme().endsWith("-asym"), r.rows().get(2).scheme());
        assertTrue(!r.rows().get(2).note().isEmpty());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        String one = new CompressionReport(CompressionStudy.run(synthetic(), settings("int8-channel-asym", 1),
                i -> { }), "t", "c").json();
        String four = new CompressionReport(CompressionStudy.run(synthetic(), settings("int8-channel-asym", 4),
                i -> { }), "t", "c").json();
        assertEquals(one, four);
    }

    @Test
    void exponentCodingIsLosslessAndBelowSixteenBits() {
        CompressionStudy.Result r = CompressionStudy.run(synthetic(), settings("bf16", 2), i -> { });
        TensorRow wq = r.rows().get(0);
        assertEquals("bf16+exp", wq.scheme());
        assertEquals(16L * wq.parameters(), wq.rawBits());
        // Sign and mantissa (8 bits a weight) stay raw, so nothing can go below 8; the exponents must gain.
        assertTrue(wq.huffmanBits() > 8L * wq.parameters() && wq.huffmanBits() < 16L * wq.parameters(),
                wq.toString());
        assertTrue(wq.roundTripExact());
    }

    @Test
    void storedCodesAreCodedAsTheyAreWithTheirBlockScales() {
        // A Q8_0 tensor as a GGUF loader hands it over: 2048 codes, 64 blocks of 32 with one fp16 scale each.
        int n = 2048;
        byte[] symbols = new byte[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int code = (i % 7) - 3;
            symbols[i] = (byte) (code + 128);
            values[i] = code * 0.5f;
        }
        float[] scales = new float[n / 32];
        java.util.Arrays.fill(scales, 0.5f);
        QuantizedTensor q = new QuantizedTensor(64, 32, new WeightQuant(io.nccsim.trace.ElementType.INT8, 32, true),
                symbols, scales, null);
        ModelFile m = new ModelFile("q.gguf", "gguf", "00", Map.of(), List.of(
                new TensorData("blk.0.attn_q.weight", StorageType.Q8_0, new long[]{64, 32}, values, q)));
        CompressionStudy.Settings s = new CompressionStudy.Settings(null, QuantOptions.NONE, 12,
                MultiStreamLayout.of(1, MultiStreamLayout.Split.CHUNKED), 16384, TableScope.SHARED, 1);
        TensorRow row = CompressionStudy.run(m, s, i -> { }).rows().get(0);
        assertEquals("q8_0 as stored", row.scheme());
        assertEquals(8L * n + (n / 32) * 16, row.rawBits());
        // 7 distinct codes: a little under 3 bits a code, plus a 256-entry table of 4-bit lengths, plus the scales.
        assertTrue(row.huffmanBits() < 3L * n + 256 * 4 + (n / 32) * 16 + 64, row.toString());
        assertTrue(row.roundTripExact());
    }

    @Test
    void aCodeLimitTooShortForTheAlphabetIsBadInput() {
        CompressionStudy.Settings s = new CompressionStudy.Settings(WeightQuant.parse("int8-channel-sym", "t"),
                QuantOptions.NONE, 6, MultiStreamLayout.of(1, MultiStreamLayout.Split.CHUNKED), 1000,
                TableScope.PER_TENSOR, 1);
        BadInputException e = assertThrows(BadInputException.class, () -> CompressionStudy.run(synthetic(), s,
                i -> { }));
        assertTrue(e.getMessage().contains("--huffman-max-len 6"), e.getMessage());
    }

    @Test
    void miniLmInt8AsStoredRoundTripsExactly() {
        ModelFile m = ModelLoaders.load(TestModels.miniLmJar(true));
        // Only the quantized matrices of the first layer, to keep the test quick; the command does them all.
        List<TensorData> some = m.tensors().stream()
                .filter(t -> t.quantized() != null && t.elements() == 384L * 384).limit(4).toList();
        assertEquals(4, some.size());
        ModelFile sub = new ModelFile(m.name(), m.format(), m.sha256(), Map.of(), some);
        CompressionStudy.Settings s = new CompressionStudy.Settings(null, QuantOptions.NONE, 12,
                MultiStreamLayout.of(8, MultiStreamLayout.Split.CHUNKED), 16384, TableScope.PER_TENSOR, 2);
        CompressionStudy.Result r = CompressionStudy.run(sub, s, i -> { });
        assertTrue(r.roundTripExact());
        for (TensorRow row : r.rows()) {
            assertEquals(8L * row.parameters(), row.rawBits());
            // Trained weights quantized to int8 use far fewer than 8 bits of information.
            assertTrue(row.entropyBits() < 7.0 * row.parameters(), row.toString());
            assertTrue(row.huffmanBits() < row.rawBits(), row.toString());
        }
    }
}
