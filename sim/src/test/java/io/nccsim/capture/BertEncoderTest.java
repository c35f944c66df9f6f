package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.model.TensorNames;
import io.nccsim.testutil.MiniLm;
import io.nccsim.tokenizer.HfTokenizer;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder's own promises: batching changes no bit, every weight is reported, both weight layouts agree. */
class BertEncoderTest {
    private static HfTokenizer tokenizer;
    private static BertModel model;

    private static final List<String> SENTENCES = List.of("Short one.",
            "A somewhat longer sentence, with a clause or two, to pad the others against.", "x",
            "Medium length sentence here.", "Another medium sentence, for good measure!");

    @BeforeAll
    static void load() {
        tokenizer = HfTokenizer.read(MiniLm.tokenizerPath());
        model = BertModel.of(MiniLm.model(), MiniLm.HEADS);
    }

    @Test
    void theConfigurationComesFromTheWeights() {
        BertConfig c = model.config();
        assertEquals(new BertConfig(384, 12, 6, 1536, 30522, 512, 2, 1e-12), c);
        assertEquals(32, c.headSize());
        // every initializer but the unused pooler and the position-id constant
        long expected = MiniLm.model().parameters() - 384 * 384 - 384 - 512;
        assertEquals(expected, model.parameters());
    }

    @Test
    void aSentenceGetsTheSameBitsAloneOrInAPaddedBatch() {
        BertEncoder encoder = new BertEncoder(model, tokenizer);
        float[][] batch = encoder.embed(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertArrayEquals(encoder.embed(SENTENCES.get(i)), batch[i], SENTENCES.get(i));
        }
        assertArrayEquals(batch[1], encoder.embed(SENTENCES)[1], "and again");
    }

    /** Records what the encoder reports. */
    private static final class Recorder implements AccessListener {
        final List<String> events = new ArrayList<>();
        final List<String> weights = new ArrayList<>();
        final Map<String, Long> elements = new HashMap<>();
        final Map<String, TensorRole> roles = new HashMap<>();
        final List<Integer> weightLayers = new ArrayList<>();
        final Map<String, Integer> writes = new HashMap<>();
        final Map<String, Integer> widths = new HashMap<>();

        @Override
        public void onEncoderStart(int sequences, int length) {
            events.add("start " + sequences + "x" + length);
        }

        @Override
        public void onWeightRead(String tensorName, int layer, TensorRole role, long n) {
            events.add("weight " + tensorName);
            weights.add(tensorName);
            elements.merge(tensorName, n, Long::sum);
            roles.put(tensorName, role);
            weightLayers.add(layer);
            assertEquals(TensorNames.layerOf(tensorName), layer, tensorName);
        }

        @Override
        public void onActivation(String name, int layer, float[] values, boolean write) {
            events.add((write ? "write " : "read ") + name);
            if (write) {
                writes.merge(name, 1, Integer::sum);
                widths.put(name, values.length);
            }
        }

        @Override
        public void onEncoderEnd() {
            events.add("end");
        }
    }

    @Test
    void everyWeightIsReportedOnceWithItsRoleAndLayerInExecutionOrder() {
        Recorder r = new Recorder();
        String sentence = "Compression saves energy.";
        int tokens = tokenizer.encode(sentence).length();
        new BertEncoder(model, tokenizer, r).embed(sentence);

        assertEquals("start 1x" + tokens, r.events.get(0));
        assertEquals("end", r.events.get(r.events.size() - 1));
        ModelFile named = OnnxWeightNames.resolve(MiniLm.model());
        Set<String> expected = new HashSet<>();
        for (TensorData t : named.tensors()) {
            if (!t.name().startsWith("pooler.") && !t.name().equals("embeddings.position_ids")) {
                expected.add(t.name());
            }
        }
        assertEquals(expected, new HashSet<>(r.weights), "every tensor the encoder uses");
        assertEquals(expected.size(), r.weights.size(), "each read once");
        for (String name : r.weights) {
            assertEquals(TensorNames.roleOf(name), r.roles.get(name), name);
            long n = named.tensor(name).elements();
            long read = switch (name) {
                case "embeddings.word_embeddings.weight", "embeddings.token_type_embeddings.weight",
                     "embeddings.position_embeddings.weight" -> (long) tokens * 384; // the gathered rows
                default -> n;
            };
            assertEquals(read, r.elements.get(name), name);
        }
        for (int i = 1; i < r.weightLayers.size(); i++) {
            assertTrue(r.weightLayers.get(i) >= r.weightLayers.get(i - 1), "layers run in order");
        }
        assertEquals(1 + 2 * 6, r.writes.get("hidden"), "the embeddings' LayerNorm and two per layer");
        for (String a : List.of("q", "k", "v", "context", "attn_out", "ffn_out")) {
            assertEquals(6, r.writes.get(a), a);
            assertEquals(tokens * 384, r.widths.get(a), a + ": one row per token");
        }
        assertEquals(tokens * 1536, r.widths.get("ffn_act"));
        assertEquals(384, r.widths.get("sentence_embedding"));
        // each projection reads its input, then its weight and bias, then writes its output
        int q = r.events.indexOf("weight encoder.layer.0.attention.self.query.weight");
        assertEquals(List.of("read hidden", "weight encoder.layer.0.attention.self.query.weight",
                "weight encoder.layer.0.attention.self.query.bias", "write q"), r.events.subList(q - 1, q + 3));
    }

    /** MiniLM's weights as a PyTorch checkpoint would hold them: [out, in] matrices, under a "bert." prefix. */
    private static ModelFile asPyTorchCheckpoint() {
        ModelFile onnx = OnnxWeightNames.resolve(MiniLm.model());
        Set<String> matrices = new HashSet<>(OnnxWeightNames.linearWeightNames(MiniLm.model()).values());
        List<TensorData> tensors = new ArrayList<>();
        for (TensorData t : onnx.tensors()) {
            if (!matrices.contains(t.name())) {
                tensors.add(new TensorData("bert." + t.name(), t.stored(), t.shape(), t.values(), null));
                continue;
            }
            int in = (int) t.shape()[0];
            int out = (int) t.shape()[1];
            float[] v = t.values();
            float[] transposed = new float[v.length];
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    transposed[o * in + i] = v[i * out + o];
                }
            }
            tensors.add(new TensorData("bert." + t.name(), StorageType.F32, new long[]{out, in}, transposed, null));
        }
        return new ModelFile("minilm.safetensors", "safetensors", "", Map.of(), tensors);
    }

    @Test
    void aPyTorchLayoutCheckpointGivesTheSameBits() {
        BertModel fromPyTorch = BertModel.of(asPyTorchCheckpoint(), MiniLm.HEADS);
        assertEquals(model.config(), fromPyTorch.config());
        float[][] expected = new BertEncoder(model, tokenizer).embed(SENTENCES.subList(0, 2));
        float[][] actual = new BertEncoder(fromPyTorch, tokenizer).embed(SENTENCES.subList(0, 2));
        assertArrayEquals(expected[0], actual[0]);
        assertArrayEquals(expected[1], actual[1]);
    }

    // ---- bad input, on a tiny encoder: hidden 8, 2 heads, 1 layer, feed-forward 16, 20 tokens ----

    private static List<TensorData> tinyBert() {
        Random random = new Random(5);
        List<TensorData> t = new ArrayList<>();
        java.util.function.BiConsumer<String, long[]> add = (name, shape) -> {
            float[] v = new float[(int) TensorData.elementsOf(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian() * 0.1f;
            }
            t.add(new TensorData(name, StorageType.F32, shape, v, null));
        };
        add.accept("embeddings.word_embeddings.weight", new long[]{20, 8});
        add.accept("embeddings.position_embeddings.weight", new long[]{16, 8});
        add.accept("embeddings.token_type_embeddings.weight", new long[]{2, 8});
        add.accept("embeddings.LayerNorm.weight", new long[]{8});
        add.accept("embeddings.LayerNorm.bias", new long[]{8});
        String p = "encoder.layer.0.";
        for (String proj : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense")) {
            add.accept(p + proj + ".weight", new long[]{8, 8});
            add.accept(p + proj + ".bias", new long[]{8});
        }
        add.accept(p + "intermediate.dense.weight", new long[]{16, 8});
        add.accept(p + "intermediate.dense.bias", new long[]{16});
        add.accept(p + "output.dense.weight", new long[]{8, 16});
        add.accept(p + "output.dense.bias", new long[]{8});
        for (String norm : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
            add.accept(p + norm + ".weight", new long[]{8});
            add.accept(p + norm + ".bias", new long[]{8});
        }
        return t;
    }

    private static ModelFile file(List<TensorData> tensors) {
        return new ModelFile("tiny.safetensors", "safetensors", "", Map.of(), tensors);
    }

    private static void assertMentions(Exception e, String... parts) {
        String m = e.getMessage();
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + m + "' mentions '" + p + "'");
        }
    }

    @Test
    void missingOrMisshapenWeightsAreNamed() {
        assertEquals(new BertConfig(8, 2, 1, 16, 20, 16, 2, 1e-12), BertModel.of(file(tinyBert()), 2).config());

        List<TensorData> noValue = new ArrayList<>(tinyBert());
        noValue.removeIf(t -> t.name().equals("encoder.layer.0.attention.self.value.weight"));
        assertMentions(assertThrows(BadInputException.class, () -> BertModel.of(file(noValue), 2)),
                "tiny.safetensors", "no tensor 'encoder.layer.0.attention.self.value.weight'", "[8, 8]");

        List<TensorData> wrongShape = new ArrayList<>(tinyBert());
        wrongShape.replaceAll(t -> t.name().equals("encoder.layer.0.output.dense.weight")
                ? new TensorData(t.name(), StorageType.F32, new long[]{16, 8}, t.values(), null) : t);
        assertMentions(assertThrows(BadInputException.class, () -> BertModel.of(file(wrongShape), 2)),
                "tiny.safetensors", "'encoder.layer.0.output.dense.weight'", "expected shape [8, 16]",
                "found [16, 8]");

        assertMentions(assertThrows(BadInputException.class, () -> BertModel.of(file(tinyBert()), 3)),
                "tiny.safetensors", "hidden 8 does not split into 3 equal heads");

        List<TensorData> noLayers = new ArrayList<>(tinyBert());
        noLayers.removeIf(t -> t.name().startsWith("encoder."));
        assertMentions(assertThrows(BadInputException.class, () -> BertModel.of(file(noLayers), 2)),
                "tiny.safetensors", "encoder.layer.0.attention.self.query.bias");
    }

    @Test
    void aTokenizerLargerThanTheEmbeddingTableOrABadBatchIsRefused() {
        BertModel tiny = BertModel.of(file(tinyBert()), 2);
        assertMentions(assertThrows(BadInputException.class, () -> new BertEncoder(tiny, tokenizer)),
                "all-minilm-l6-v2-tokenizer.json", "30522 tokens", "20 rows");

        BertEncoder encoder = new BertEncoder(model, tokenizer);
        assertMentions(assertThrows(IllegalArgumentException.class, () -> encoder.lastHiddenStates(
                new int[][]{{101, 102}}, new int[][]{{0, 0}}, new int[][]{{0, 0}})), "sequence 0 is all padding");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> encoder.lastHiddenStates(
                new int[][]{{101, 30522}}, new int[][]{{0, 0}}, new int[][]{{1, 1}})), "position 1", "token 30522");
        assertMentions(assertThrows(IllegalArgumentException.class, () -> encoder.lastHiddenStates(
                new int[][]{{101, 102}, {101}}, new int[][]{{0, 0}, {0}}, new int[][]{{1, 1}, {1}})),
                "sequence 1", "pad the batch");
    }
}
