package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on small models written by the test, whose weights make the right logits derivable by hand. */
class LlamaEngineTest {
    @TempDir
    Path dir;

    /** dim 8, four query heads of 2 sharing two key/value heads (grouped-query attention), 2 layers. */
    private static LlamaConfig tiny(boolean shared) {
        return new LlamaConfig(8, 12, 2, 4, 2, 16, 8, LlamaConfig.LLAMA2C_NORM_EPS, LlamaConfig.LLAMA2C_ROPE_THETA,
                shared, false, false, false);
    }

    private ModelFile written(LlamaConfig c, SyntheticLlama2c.Rule rule) throws IOException {
        return ModelLoaders.load(SyntheticLlama2c.write(dir.resolve("tiny.bin"), c, rule));
    }

    /**
     * With zero query and key projections every score is 0, so attention is a plain average of the values seen so
     * far; with identity value and output projections, unit norm gains and a zero feed-forward, each layer adds to
     * the residual the mean over positions 0..pos of the first kvDim elements of its normalized input, query head h
     * reading key/value head h / 2. The logits are then the classifier times the normalized residual.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void uniformAttentionAveragesTheCachedValuesOfEachKvHead(boolean shared) throws IOException {
        LlamaConfig c = tiny(shared);
        SyntheticLlama2c.Rule random = SyntheticLlama2c.random(11);
        ModelFile file = written(c, (name, row, col) -> {
            if (name.contains("norm")) {
                return 1f;
            }
            if (name.contains("wv") || name.contains("wo")) {
                return row == col ? 1f : 0f;
            }
            if (name.contains("wq") || name.contains("wk") || name.contains("feed_forward")) {
                return 0f;
            }
            return random.value(name, row, col); // embeddings and the separate classifier
        });
        float[] embedding = file.tensor("tok_embeddings.weight").values();
        float[] classifier = file.tensor(shared ? "tok_embeddings.weight" : "output.weight").values();
        LlamaEngine engine = new LlamaEngine(LlamaModel.of(file));
        int[] tokens = {3, 7, 7, 1, 15};
        int dim = c.dim();
        int kvDim = c.kvDim();
        int headSize = c.headSize();
        // residual[t] is position t's residual stream, advanced layer by layer for all positions at once.
        double[][] residual = new double[tokens.length][dim];
        for (int t = 0; t < tokens.length; t++) {
            for (int i = 0; i < dim; i++) {
                residual[t][i] = embedding[tokens[t] * dim + i];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            double[][] values = new double[tokens.length][];
            for (int t = 0; t < tokens.length; t++) {
                values[t] = java.util.Arrays.copyOf(rmsNorm(residual[t], c.normEps()), kvDim);
            }
            for (int p = 0; p < tokens.length; p++) {
                for (int h = 0; h < c.heads(); h++) {
                    int kvHead = h / 2;
                    for (int i = 0; i < headSize; i++) {
                        double mean = 0;
                        for (int t = 0; t <= p; t++) {
                            mean += values[t][kvHead * headSize + i] / (p + 1);
                        }
                        residual[p][h * headSize + i] += mean;
                    }
                }
            }
        }
        for (int p = 0; p < tokens.length; p++) {
            float[] logits = engine.forward(tokens[p], p);
            double[] normed = rmsNorm(residual[p], c.normEps());
            for (int v = 0; v < c.vocabSize(); v++) {
                double expected = 0;
                for (int i = 0; i < dim; i++) {
                    expected += classifier[v * dim + i] * normed[i];
                }
                assertEquals(expected, logits[v], 1e-5, "pos " + p + " token " + v);
            }
        }
    }

    private static double[] rmsNorm(double[] x, double eps) {
        double ss = 0;
        for (double e : x) {
            ss += e * e;
        }
        double inv = 1 / Math.sqrt(ss / x.length + eps);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv;
        }
        return out;
    }

    @Test
    void positionsReplayIdenticallyAndLaterLogitsDependOnEarlierTokens() throws IOException {
        LlamaModel model = LlamaModel.of(written(tiny(false), SyntheticLlama2c.random(5)));
        int[] tokens = {1, 4, 9, 4, 2};
        LlamaEngine engine = new LlamaEngine(model);
        List<float[]> first = new ArrayList<>();
        for (int p = 0; p < tokens.length; p++) {
            first.add(engine.forward(tokens[p], p));
        }
        // Rewinding to position 0 overwrites the cache: the same tokens give the same logits, bit for bit.
        for (int p = 0; p < tokens.length; p++) {
            assertArrayEquals(first.get(p), engine.forward(tokens[p], p));
        }
        // Changing only the first token changes the last position's logits: attention reads the whole cache.
        LlamaEngine other = new LlamaEngine(model);
        float[] last = null;
        for (int p = 0; p < tokens.length; p++) {
            last = other.forward(p == 0 ? 3 : tokens[p], p);
        }
        assertFalse(java.util.Arrays.equals(first.get(tokens.length - 1), last));
        // Positions are filled in order: the engine refuses to skip one, or to read past a rewind.
        engine.forward(tokens[0], 0);
        assertThrows(IllegalArgumentException.class, () -> engine.forward(tokens[2], 2));
        LlamaEngine fresh = new LlamaEngine(model);
        fresh.forward(1, 0);
        assertThrows(IllegalArgumentException.class, () -> fresh.forward(1, 2));
        assertThrows(IllegalArgumentException.class, () -> fresh.forward(16, 1));
    }

    @Test
    void roundedKvCachesStayCloseToFp32ButAreNotExact() throws IOException {
        LlamaModel model = LlamaModel.of(written(tiny(true), SyntheticLlama2c.random(9)));
        int[] tokens = {1, 5, 6, 7, 8, 9};
        Map<KvPrecision, float[]> lastLogits = new LinkedHashMap<>();
        for (KvPrecision precision : KvPrecision.values()) {
            LlamaEngine engine = new LlamaEngine(model, precision, AccessListener.NONE);
            for (int p = 0; p < tokens.length; p++) {
                lastLogits.put(precision, engine.forward(tokens[p], p));
            }
        }
        float[] exact = lastLogits.get(KvPrecision.FP32);
        // fp16 keeps 11 significant bits (relative error <= 2^-11) and int8 a step of max|x|/127 per head vector
        // (error <= max|x|/254); through two layers of O(1) weights the logits, themselves O(1), move by about
        // that much: well under 1e-2 and 5e-2, yet not zero.
        double fp16 = maxAbsDifference(exact, lastLogits.get(KvPrecision.FP16));
        double int8 = maxAbsDifference(exact, lastLogits.get(KvPrecision.INT8));
        assertTrue(fp16 > 0 && fp16 < 1e-2, "fp16 moved the logits by " + fp16);
        assertTrue(int8 > 0 && int8 < 5e-2, "int8 moved the logits by " + int8);
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Records every event as one line. */
    private static final class Recorder implements AccessListener {
        final List<String> events = new ArrayList<>();
        long weightElements;

        @Override
        public void onForwardStart(int token, int pos) {
            events.add("start " + token + " @" + pos);
        }

        @Override
        public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
            weightElements += elements;
            events.add("weight " + tensorName + " " + role.id() + " " + elements);
        }

        @Override
        public void onActivation(String name, int layer, float[] values, boolean write) {
            events.add((write ? "write " : "read ") + name + " L" + layer + " x" + values.length);
        }

        @Override
        public void onKvWrite(int layer, int pos, float[] k, float[] v) {
            events.add("kv-write L" + layer + " @" + pos + " x" + k.length + "+" + v.length);
        }

        @Override
        public void onKvRead(int layer, int fromPos, int toPos) {
            events.add("kv-read L" + layer + " @" + fromPos + ".." + toPos);
        }

        @Override
        public void onForwardEnd(int pos) {
            events.add("end @" + pos);
        }
    }

    /** The order AccessListener documents, spelled out for one token at position 2 of the tiny model. */
    private static List<String> documentedOrder(LlamaConfig c, int token, int pos) {
        int d = c.dim();
        int kv = c.kvDim();
        int h = c.hiddenDim();
        List<String> e = new ArrayList<>();
        e.add("start " + token + " @" + pos);
        e.add("weight tok_embeddings.weight embedding " + d);
        e.add("write residual L-1 x" + d);
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            String at = " L" + l + " x";
            e.addAll(List.of("read residual" + at + d, "weight " + p + "attention_norm.weight norm " + d,
                    "write attn_in" + at + d));
            e.addAll(List.of("read attn_in" + at + d, "weight " + p + "attention.wq.weight attn_q " + d * d,
                    "write q" + at + d));
            e.addAll(List.of("read attn_in" + at + d, "weight " + p + "attention.wk.weight attn_k " + kv * d,
                    "write k" + at + kv));
            e.addAll(List.of("read attn_in" + at + d, "weight " + p + "attention.wv.weight attn_v " + kv * d,
                    "write v" + at + kv));
            e.addAll(List.of("read q" + at + d, "read k" + at + kv, "write q" + at + d, "write k" + at + kv));
            e.addAll(List.of("read k" + at + kv, "read v" + at + kv,
                    "kv-write L" + l + " @" + pos + " x" + kv + "+" + kv));
            e.addAll(List.of("read q" + at + d, "kv-read L" + l + " @0.." + pos, "write attn_out" + at + d));
            e.addAll(List.of("read attn_out" + at + d, "weight " + p + "attention.wo.weight attn_o " + d * d,
                    "write attn_proj" + at + d));
            e.addAll(List.of("read residual" + at + d, "read attn_proj" + at + d, "write residual" + at + d));
            e.addAll(List.of("read residual" + at + d, "weight " + p + "ffn_norm.weight norm " + d,
                    "write ffn_in" + at + d));
            e.addAll(List.of("read ffn_in" + at + d, "weight " + p + "feed_forward.w1.weight mlp_gate " + h * d,
                    "write gate" + at + h));
            e.addAll(List.of("read ffn_in" + at + d, "weight " + p + "feed_forward.w3.weight mlp_up " + h * d,
                    "write up" + at + h));
            e.addAll(List.of("read gate" + at + h, "read up" + at + h, "write ffn_act" + at + h));
            e.addAll(List.of("read ffn_act" + at + h, "weight " + p + "feed_forward.w2.weight mlp_down " + d * h,
                    "write ffn_out" + at + d));
            e.addAll(List.of("read residual" + at + d, "read ffn_out" + at + d, "write residual" + at + d));
        }
        e.addAll(List.of("read residual L-1 x" + d, "weight norm.weight norm " + d, "write final_norm L-1 x" + d));
        String classifier = c.sharedClassifier() ? "tok_embeddings.weight" : "output.weight";
        e.addAll(List.of("read final_norm L-1 x" + d, "weight " + classifier + " lm_head " + c.vocabSize() * d,
                "write logits L-1 x" + c.vocabSize()));
        e.add("end @" + pos);
        return e;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void oneTokenReportsEveryAccessInTheDocumentedOrder(boolean shared) throws IOException {
        LlamaConfig c = tiny(shared);
        ModelFile file = written(c, SyntheticLlama2c.random(3));
        Recorder r = new Recorder();
        LlamaEngine engine = new LlamaEngine(LlamaModel.of(file), KvPrecision.FP32, r);
        engine.forward(1, 0);
        engine.forward(6, 1);
        r.events.clear();
        r.weightElements = 0;
        engine.forward(9, 2);
        assertEquals(documentedOrder(c, 9, 2), r.events);
        // Every tensor of the file once, except that the lookup reads one embedding row rather than the table,
        // and a shared classifier reads the whole table (again).
        long table = (long) c.vocabSize() * c.dim();
        long expected = file.parameters() - table + c.dim() + (shared ? table : 0);
        assertEquals(expected, r.weightElements);
    }

    /**
     * A shape-only run (no arithmetic) of the same model, and of its configuration alone, makes every listener call
     * of a real run, in order, with the same names, sizes and positions; its logits are zeros.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aShapeOnlyRunReportsExactlyTheAccessesOfARealRun(boolean shared) throws IOException {
        LlamaConfig c = tiny(shared);
        LlamaModel real = LlamaModel.of(written(c, SyntheticLlama2c.random(3)));
        LlamaModel shapes = LlamaModel.shapeOnly(c, "tiny configuration");
        int[] tokens = {1, 5, 9, 3, 7};
        List<String> computed = events(new Recorder(), r -> new LlamaEngine(real, KvPrecision.INT8, r), tokens);
        assertEquals(5 * documentedOrder(c, 9, 2).size(), computed.size());
        assertEquals(computed, events(new Recorder(), r -> LlamaEngine.shapeOnly(real, KvPrecision.INT8, r), tokens));
        assertEquals(computed, events(new Recorder(), r -> LlamaEngine.shapeOnly(shapes, KvPrecision.INT8, r),
                tokens));
        assertArrayEquals(new float[c.vocabSize()], LlamaEngine.shapeOnly(shapes, KvPrecision.FP32,
                AccessListener.NONE).forward(2, 0), "nothing is computed");
        assertThrows(IllegalArgumentException.class, () -> new LlamaEngine(shapes),
                "weights known by shape alone cannot be computed with");
    }

    private static List<String> events(Recorder r, java.util.function.Function<Recorder, LlamaEngine> engine,
                                       int[] tokens) {
        LlamaEngine e = engine.apply(r);
        for (int pos = 0; pos < tokens.length; pos++) {
            e.forward(tokens[pos], pos);
        }
        return r.events;
    }

    @Test
    void parametersCountEachStoredTensorOnce() throws IOException {
        for (boolean shared : new boolean[]{true, false}) {
            ModelFile file = written(tiny(shared), SyntheticLlama2c.random(1));
            assertEquals(file.parameters(), LlamaModel.of(file).parameters(), "shared " + shared);
        }
    }

    private static ModelFile replacing(ModelFile f, String name, TensorData replacement) {
        List<TensorData> tensors = new ArrayList<>();
        for (TensorData t : f.tensors()) {
            if (!t.name().equals(name)) {
                tensors.add(t);
            } else if (replacement != null) {
                tensors.add(replacement);
            }
        }
        return new ModelFile(f.name(), f.format(), f.sha256(), f.metadata(), tensors);
    }

    @Test
    void rejectsWrongShapesMissingTensorsBadMetadataAndMissingVariantTensors() throws IOException {
        LlamaConfig c = tiny(true);
        ModelFile file = written(c, SyntheticLlama2c.random(2));
        String wk = "layers.1.attention.wk.weight";
        ModelFile wrongShape = replacing(file, wk, new TensorData(wk, StorageType.F32, new long[]{8, 4},
                new float[32], null));
        BadInputException e = assertThrows(BadInputException.class, () -> LlamaModel.of(wrongShape));
        assertEquals(file.name() + ": tensor '" + wk + "': expected shape [4, 8] from the model's configuration, "
                + "found [8, 4]", e.getMessage());

        ModelFile missing = replacing(file, "layers.0.feed_forward.w2.weight", null);
        e = assertThrows(BadInputException.class, () -> LlamaModel.of(missing));
        assertTrue(e.getMessage().startsWith(file.name() + ": no tensor 'layers.0.feed_forward.w2.weight'"),
                e.getMessage());

        Map<String, Object> meta = new LinkedHashMap<>(file.metadata());
        meta.put("n_kv_heads", 3);
        ModelFile badHeads = new ModelFile(file.name(), file.format(), file.sha256(), meta, file.tensors());
        e = assertThrows(BadInputException.class, () -> LlamaModel.of(badHeads));
        assertTrue(e.getMessage().startsWith(file.name() + ": metadata: ") && e.getMessage().contains("n_kv_heads 3"),
                e.getMessage());
        meta.put("n_kv_heads", "two");
        ModelFile textHeads = new ModelFile(file.name(), file.format(), file.sha256(), meta, file.tensors());
        e = assertThrows(BadInputException.class, () -> LlamaModel.of(textHeads));
        assertEquals(file.name() + ": metadata 'n_kv_heads': expected a positive integer, found String two",
                e.getMessage());

        LlamaConfig qwen = new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.vocabSize(),
                c.seqLen(), c.normEps(), c.ropeTheta(), true, true, false, false);
        e = assertThrows(BadInputException.class, () -> LlamaModel.of(file, qwen));
        // A bias layout asks for bias tensors, which a llama2.c checkpoint does not have.
        assertTrue(e.getMessage().contains("no tensor 'layers.0.attention.wq.bias'"), e.getMessage());
    }
}
