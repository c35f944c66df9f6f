package io.nccsim.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on the family's variants, built from stories260K's real weights rewritten as each format and family
 * lays them out ({@link VariantCheckpoints}): Hugging Face safetensors in rotate-half order, llama.cpp GGUF in Meta's
 * order, Phi-3's fused projections, Qwen2's biases, a separate classifier; and the configurations a malformed
 * file gives, refused in one line.
 */
class LlamaVariantsTest {
    /** Positions whose logits are compared: BOS and the first greedy tokens after it. */
    private static final int POSITIONS = 32;

    @TempDir
    static Path dir;
    private static VariantCheckpoints variants;
    private static LlamaModel llama2c;
    private static Llama2cTokenizer tokenizer;
    /** BOS and the llama2.c run's greedy tokens after it. */
    private static int[] greedy;
    private static float[][] reference;

    @BeforeAll
    static void load() {
        ModelFile file = ModelLoaders.load(TestModels.stories260K());
        variants = new VariantCheckpoints(file);
        llama2c = LlamaModel.of(file);
        tokenizer = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
        Generation g = new Generator(new LlamaEngine(llama2c), Sampler.greedy())
                .generate(new int[]{Llama2cTokenizer.BOS}, 120);
        greedy = new int[g.prompt().size() + g.generated().size()];
        greedy[0] = Llama2cTokenizer.BOS;
        for (int i = 0; i < g.generated().size(); i++) {
            greedy[i + 1] = g.generated().get(i);
        }
        reference = logits(llama2c);
    }

    private static float[][] logits(LlamaModel m) {
        LlamaEngine engine = new LlamaEngine(m);
        float[][] out = new float[POSITIONS][];
        for (int pos = 0; pos < POSITIONS; pos++) {
            out[pos] = engine.forward(greedy[pos], pos);
        }
        return out;
    }

    private static int[] greedyTokens(LlamaModel m, int n) {
        return new Generator(new LlamaEngine(m), Sampler.greedy()).generate(new int[]{Llama2cTokenizer.BOS}, n)
                .generatedTokens();
    }

    private static LlamaModel load(Path model) {
        return LlamaModel.of(ModelLoaders.load(model));
    }

    private static void assertBitIdentical(float[][] expected, float[][] actual, String what) {
        for (int p = 0; p < expected.length; p++) {
            assertArrayEquals(expected[p], actual[p], 0f, what + ", position " + p);
        }
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int p = 0; p < a.length; p++) {
            for (int i = 0; i < a[p].length; i++) {
                max = Math.max(max, Math.abs(a[p][i] - b[p][i]));
            }
        }
        return max;
    }

    @Test
    void huggingFaceSafetensorsInRotateHalfOrderGiveTheProvenanceContinuation() throws IOException {
        Path model = variants.writeHf(dir.resolve("hf-llama"), "model", VariantCheckpoints.Variant.llama());
        LlamaModel hf = load(model);
        assertEquals(RopeLayout.NEOX, hf.config().ropeLayout());
        assertEquals(llama2c.parameters(), hf.parameters());

        int[] tokens = greedyTokens(hf, 120);
        assertArrayEquals(Arrays.copyOfRange(greedy, 1, greedy.length), tokens);
        String quoted = Stories260KTest.greedyQuote(Files.readString(TestModels.stories260K()
                .resolveSibling("PROVENANCE.md")));
        assertTrue((" " + tokenizer.decode(tokens)).startsWith(quoted), tokenizer.decode(tokens));

        // The same model: permuting q and k rows alike within a head only changes the order of each head's
        // q.k sum, so the logits differ by rounding alone.
        double diff = maxAbsDiff(reference, logits(hf));
        System.out.printf("HF safetensors (rotate-half) vs llama2.c logits over %d positions: max |diff| %.3g%n",
                POSITIONS, diff);
        assertTrue(diff < 1e-4, "max |diff| " + diff);
        assertTrue(diff > 0, "a different summation order leaves some rounding");
    }

    @Test
    void llamaCppGgufInMetaOrderGivesBitIdenticalLogits() throws IOException {
        LlamaModel gguf = load(variants.writeGguf(dir.resolve("llama.gguf"), "llama", null));
        LlamaConfig c = gguf.config();
        assertEquals(RopeLayout.INTERLEAVED, c.ropeLayout());
        assertEquals(llama2c.config(), c);
        assertTrue(gguf.classifier().name().equals("token_embd.weight"), "no output.weight: tied");
        assertBitIdentical(reference, logits(gguf), "GGUF llama");
    }

    @Test
    void fusedQkvAndGateUpGiveBitIdenticalLogitsInSafetensorsAndGguf() throws IOException {
        LlamaModel unfused = load(variants.writeHf(dir.resolve("hf-unfused"), "model",
                VariantCheckpoints.Variant.llama()));
        LlamaModel phi3 = load(variants.writeHf(dir.resolve("hf-phi3"), "model", VariantCheckpoints.Variant.phi3()));
        assertTrue(phi3.config().fusedQkv() && phi3.config().fusedGateUp());
        assertEquals(TensorRole.ATTN_QKV, phi3.layers().get(0).wqkv().role());
        assertEquals(TensorRole.MLP_GATE_UP, phi3.layers().get(0).w13().role());
        float[][] expected = logits(unfused);
        assertBitIdentical(expected, logits(phi3), "HF phi3");

        LlamaModel ggufPhi3 = load(variants.writeGguf(dir.resolve("phi3.gguf"), "phi3", null));
        assertEquals(RopeLayout.NEOX, ggufPhi3.config().ropeLayout());
        assertTrue(ggufPhi3.config().fusedQkv() && ggufPhi3.config().fusedGateUp());
        assertBitIdentical(expected, logits(ggufPhi3), "GGUF phi3");
    }

    @Test
    void qwen2ZeroBiasesChangeNoBitAndRealOnesAreAddedAfterTheProduct() throws IOException {
        LlamaModel plain = load(variants.writeHf(dir.resolve("hf-plain"), "model",
                VariantCheckpoints.Variant.llama()));
        LlamaModel zero = load(variants.writeHf(dir.resolve("hf-qwen2-zero"), "model",
                VariantCheckpoints.Variant.qwen2(Map.of())));
        assertTrue(zero.config().attentionBias());
        assertBitIdentical(logits(plain), logits(zero), "zero biases");

        LlamaConfig c = variants.config();
        SplittableRandom r = new SplittableRandom(3);
        Map<String, float[]> biases = new HashMap<>();
        biases.put("0.q", random(r, c.dim()));
        biases.put("0.k", random(r, c.kvDim()));
        biases.put("0.v", random(r, c.kvDim()));
        Path biased = variants.writeHf(dir.resolve("hf-qwen2"), "model",
                VariantCheckpoints.Variant.qwen2(biases));
        Map<String, float[]> projected = firstWrites(load(biased), 0, List.of("q", "k", "v"));

        // Independently: RMSNorm of BOS's embedding row, then W x + b in double, from the file's own tensors.
        Map<String, float[]> t = variants.hfTensors(VariantCheckpoints.Variant.qwen2(biases));
        float[] x = Arrays.copyOfRange(t.get("model.embed_tokens.weight"), Llama2cTokenizer.BOS * c.dim(),
                (Llama2cTokenizer.BOS + 1) * c.dim());
        double meanSquare = 0;
        for (float e : x) {
            meanSquare += (double) e * e / x.length;
        }
        double inverseRms = 1 / Math.sqrt(meanSquare + c.normEps());
        float[] gain = t.get("model.layers.0.input_layernorm.weight");
        double[] normed = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            normed[i] = gain[i] * inverseRms * x[i];
        }
        for (String kind : List.of("q", "k", "v")) {
            float[] w = t.get("model.layers.0.self_attn." + kind + "_proj.weight");
            float[] b = biases.get("0." + kind);
            float[] got = projected.get(kind);
            assertEquals(b.length, got.length);
            for (int row = 0; row < b.length; row++) {
                double sum = b[row];
                for (int j = 0; j < normed.length; j++) {
                    sum += w[row * normed.length + j] * normed[j];
                }
                assertEquals(sum, got[row], 1e-5, kind + " row " + row);
            }
        }
        assertNotEquals(Arrays.toString(firstWrites(zero, 0, List.of("q")).get("q")),
                Arrays.toString(projected.get("q")), "the biases moved q");
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
        }
        return v;
    }

    /** The first value each named activation of {@code layer} is written with, running BOS at position 0. */
    private static Map<String, float[]> firstWrites(LlamaModel m, int layer, List<String> names) {
        Map<String, float[]> seen = new HashMap<>();
        new LlamaEngine(m, KvPrecision.FP32, new AccessListener() {
            @Override
            public void onActivation(String name, int l, float[] values, boolean write) {
                if (write && l == layer && names.contains(name)) {
                    seen.putIfAbsent(name, values.clone());
                }
            }
        }).forward(Llama2cTokenizer.BOS, 0);
        return seen;
    }

    @Test
    void aSeparateClassifierIsReadInsteadOfTheEmbeddingTable() throws IOException {
        float[] embedding = variants.meta("tok_embeddings.weight");
        float[] doubled = new float[embedding.length];
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] = 2 * embedding[i]; // exact in fp32, so every logit doubles exactly
        }
        LlamaModel tied = load(variants.writeHf(dir.resolve("hf-tied"), "model", VariantCheckpoints.Variant.llama()));
        LlamaModel separate = load(variants.writeHf(dir.resolve("hf-separate"), "model",
                VariantCheckpoints.Variant.llama().withLmHead(doubled)));
        assertTrue(tied.config().sharedClassifier());
        assertFalse(separate.config().sharedClassifier());
        assertEquals("lm_head.weight", separate.classifier().name());
        assertEquals(tied.parameters() + embedding.length, separate.parameters());
        float[] a = new LlamaEngine(tied).forward(Llama2cTokenizer.BOS, 0);
        float[] b = new LlamaEngine(separate).forward(Llama2cTokenizer.BOS, 0);
        for (int i = 0; i < a.length; i++) {
            assertEquals(2 * a[i], b[i], 0f, "logit " + i);
        }

        LlamaModel ggufSeparate = load(variants.writeGguf(dir.resolve("separate.gguf"), "llama", doubled));
        assertFalse(ggufSeparate.config().sharedClassifier());
        assertArrayEquals(new LlamaEngine(llama2c).forward(Llama2cTokenizer.BOS, 0),
                halved(new LlamaEngine(ggufSeparate).forward(Llama2cTokenizer.BOS, 0)), 0f);
    }

    private static float[] halved(float[] v) {
        float[] h = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            h[i] = v[i] / 2;
        }
        return h;
    }

    /** A config.json edit, written beside the plain HF tensors; returns the one-line error loading gives. */
    private static BadInputException badConfig(String name, java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        VariantCheckpoints.Variant v = VariantCheckpoints.Variant.llama();
        ObjectNode config = variants.hfConfig(v);
        edit.accept(config);
        Path model = variants.writeHf(dir.resolve("bad-" + name), "model", variants.hfTensors(v), config);
        BadInputException e = assertThrows(BadInputException.class, () -> load(model));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void malformedConfigsAreRefusedInOneLineNamingTheFileAndField() throws IOException {
        BadInputException e = badConfig("missing", c -> c.remove("hidden_size"));
        assertTrue(e.getMessage().contains("bad-missing/config.json: field 'hidden_size': expected a positive "
                + "integer, found nothing"), e.getMessage());

        e = badConfig("type", c -> c.put("model_type", "gemma"));
        assertTrue(e.getMessage().contains("bad-type/config.json: field 'model_type': 'gemma'"), e.getMessage());

        e = badConfig("shape", c -> c.put("intermediate_size", 100));
        assertTrue(e.getMessage().contains("bad-shape/model.safetensors: tensor 'model.layers.0.mlp.gate_proj"
                + ".weight': expected shape [100, 64]"), e.getMessage());

        e = badConfig("scaling", c -> c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 8));
        assertTrue(e.getMessage().contains("field 'rope_scaling': type 'llama3'"), e.getMessage());

        e = badConfig("heads", c -> c.put("num_key_value_heads", 3));
        assertTrue(e.getMessage().contains("bad-heads/config.json") && e.getMessage().contains("n_kv_heads 3"),
                e.getMessage());

        Path noConfig = dir.resolve("no-config");
        variants.writeHf(noConfig, "model", VariantCheckpoints.Variant.llama());
        Files.delete(noConfig.resolve("config.json"));
        e = assertThrows(BadInputException.class, () -> load(noConfig.resolve("model.safetensors")));
        assertTrue(e.getMessage().contains("needs its Hugging Face config.json") && e.getMessage().contains("--config"),
                e.getMessage());
    }

    @Test
    void contextLimitsAndIgnoredSettingsAreAsDocumented() throws IOException {
        VariantCheckpoints.Variant v = VariantCheckpoints.Variant.llama();
        ObjectNode mistral = variants.hfConfig(v).put("model_type", "mistral").put("sliding_window", 128);
        mistral.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0);
        Path model = variants.writeHf(dir.resolve("mistral"), "model", variants.hfTensors(v), mistral);
        LlamaConfig c = load(model).config();
        assertEquals(128, c.seqLen(), "the context is limited to the sliding window");
        ObjectNode qwen = variants.hfConfig(v).put("model_type", "qwen2").put("sliding_window", 128)
                .put("use_sliding_window", false);
        Map<String, float[]> withBiases = variants.hfTensors(VariantCheckpoints.Variant.qwen2(Map.of()));
        LlamaConfig q = load(variants.writeHf(dir.resolve("qwen-window"), "model", withBiases, qwen)).config();
        assertEquals(variants.config().seqLen(), q.seqLen(), "Qwen2's window applies only when used");
    }

    @Test
    void malformedGgufMetadataIsRefusedInOneLine() throws IOException {
        Path gguf = variants.writeGguf(dir.resolve("ok.gguf"), "llama", null);
        byte[] bytes = Files.readAllBytes(gguf);
        // A same-length edit of a metadata key: the file stays valid GGUF, its Llama metadata does not.
        Path unknownArch = variants.writeGguf(dir.resolve("gemma.gguf"), "gemma", null);
        BadInputException e = assertThrows(BadInputException.class, () -> load(unknownArch));
        assertTrue(e.getMessage().contains("gemma.gguf: metadata 'general.architecture': 'gemma'"), e.getMessage());
        Path noBlocks = Files.write(dir.resolve("noblocks.gguf"), replace(bytes, "llama.block_count",
                "llama.block_cound", 1));
        e = assertThrows(BadInputException.class, () -> load(noBlocks));
        assertTrue(e.getMessage().contains("noblocks.gguf: metadata 'llama.block_count': expected a positive "
                + "integer, found nothing"), e.getMessage());
    }

    /** {@code bytes} with the {@code nth} occurrence of {@code from} (ISO-8859-1) replaced by {@code to}. */
    private static byte[] replace(byte[] bytes, String from, String to, int nth) {
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = -1;
        for (int i = 0; i < nth; i++) {
            at = s.indexOf(from, at + 1);
        }
        assertTrue(at >= 0, from);
        byte[] out = bytes.clone();
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, out, at, t.length);
        return out;
    }

    @Test
    void everyVariantReportsEachWeightOnceInForwardOrder() throws IOException {
        Map<String, float[]> biases = Map.of("1.q", random(new SplittableRandom(5), variants.config().dim()));
        for (VariantCheckpoints.Variant v : List.of(VariantCheckpoints.Variant.phi3(),
                VariantCheckpoints.Variant.qwen2(biases))) {
            LlamaModel m = load(variants.writeHf(dir.resolve("order-" + v.modelType()), "model", v));
            List<String> read = new ArrayList<>();
            new LlamaEngine(m, KvPrecision.FP32, new AccessListener() {
                @Override
                public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
                    read.add(tensorName);
                }
            }).forward(Llama2cTokenizer.BOS, 0);
            List<String> expected = new ArrayList<>();
            expected.add("model.embed_tokens.weight");
            DeployedWeights.distinctWeights(m).stream().skip(1).forEach(w -> expected.add(w.name()));
            expected.add("model.embed_tokens.weight"); // the tied classifier
            assertEquals(expected, read, v.modelType());
        }
    }
}
