package io.nccsim.capture;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.MiniLm;
import io.nccsim.tokenizer.Encoding;
import io.nccsim.tokenizer.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2's int8 file ("-q", dynamically quantized by onnxruntime) in nccsim's encoder against onnxruntime
 * running that same file, sentence by sentence (a batch of one, as the dynamic activation scales are taken over the
 * whole batch).
 */
class BertEncoderInt8ReferenceTest {
    /** The bound for the fp32 file, kept for the int8 one (its integer arithmetic is exact). */
    private static final double TOLERANCE = 1e-4;

    private static final List<String> SENTENCES = List.of("Hello, world!", "A",
            "The quick brown fox jumps over the lazy dog.",
            "Neural compression of LLM weights between an edge processor and its DRAM saves energy and bandwidth.",
            "I don't think so!!! 42% of $100 is $42; see [ref] {x} <y>.");

    private static OrtEnvironment env;
    private static OrtSession session;
    private static HfTokenizer tokenizer;
    private static BertEncoder encoder;

    @BeforeAll
    static void load() throws OrtException {
        tokenizer = HfTokenizer.read(MiniLm.tokenizerPath());
        ModelFile q = ModelLoaders.load(MiniLm.int8ModelPath());
        encoder = new BertEncoder(BertModel.of(q, MiniLm.HEADS), tokenizer);
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(MiniLm.int8ModelBytes(), new OrtSession.SessionOptions());
    }

    @AfterAll
    static void close() throws OrtException {
        session.close();
    }

    private static float[][] reference(Encoding e) throws OrtException {
        long[][] ids = {java.util.Arrays.stream(e.ids()).asLongStream().toArray()};
        long[][] types = {java.util.Arrays.stream(e.typeIds()).asLongStream().toArray()};
        long[][] mask = {new long[e.length()]};
        java.util.Arrays.fill(mask[0], 1);
        Map<String, OnnxTensor> inputs = Map.of("input_ids", OnnxTensor.createTensor(env, ids),
                "attention_mask", OnnxTensor.createTensor(env, mask),
                "token_type_ids", OnnxTensor.createTensor(env, types));
        try (OrtSession.Result r = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> v : r) {
                if (v.getValue().getValue() instanceof float[][][] hidden) {
                    return hidden[0];
                }
            }
            throw new AssertionError("no [batch, length, hidden] output");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void lastHiddenStatesMatchOnnxruntimeOnTheSameInt8File() throws OrtException {
        double worst = 0;
        for (String s : SENTENCES) {
            Encoding e = tokenizer.encode(s);
            int[][] mask = {new int[e.length()]};
            java.util.Arrays.fill(mask[0], 1);
            float[][] actual = encoder.lastHiddenStates(new int[][]{e.ids()}, new int[][]{e.typeIds()}, mask)[0];
            float[][] expected = reference(e);
            for (int t = 0; t < expected.length; t++) {
                for (int i = 0; i < expected[t].length; i++) {
                    worst = Math.max(worst, Math.abs((double) expected[t][i] - actual[t][i]));
                }
            }
        }
        System.out.printf("BERT int8 last_hidden_state vs onnxruntime: max abs difference %.3g%n", worst);
        assertTrue(worst <= TOLERANCE, "largest difference " + worst);
    }

    @Test
    void sentenceEmbeddingsMatchOnnxruntimesPooledHereAndStayCloseToTheFp32Models() throws OrtException {
        // One sentence at a time, as onnxruntime ran them: a batch shares its activations' dynamic scales.
        float[][] int8 = SENTENCES.stream().map(encoder::embed).toArray(float[][]::new);
        float[][] fp32 = new BertEncoder(BertModel.of(MiniLm.model(), MiniLm.HEADS), tokenizer).embed(SENTENCES);
        double worst = 0;
        for (int k = 0; k < SENTENCES.size(); k++) {
            float[][] hidden = reference(tokenizer.encode(SENTENCES.get(k)));
            double[] mean = new double[hidden[0].length];
            for (float[] row : hidden) {
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += row[i] / (double) hidden.length;
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(mean).map(v -> v * v).sum());
            double dot = 0;
            for (int i = 0; i < mean.length; i++) {
                worst = Math.max(worst, Math.abs(mean[i] / norm - int8[k][i]));
                dot += (double) int8[k][i] * fp32[k][i];
            }
            // Both are unit vectors: the dot product is their cosine. int8 weights and activations are not fp32.
            assertTrue(dot > 0.95 && dot < 1, SENTENCES.get(k) + ": cosine to the fp32 model's " + dot);
        }
        System.out.printf("BERT int8 sentence embedding vs onnxruntime + pooling: max abs difference %.3g%n", worst);
        assertTrue(worst <= TOLERANCE, "largest difference " + worst);
    }
}
