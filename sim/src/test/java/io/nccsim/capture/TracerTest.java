package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracer on small synthetic models: operation order, prefill batching, KV content, bytes per token. */
class TracerTest {
    @TempDir
    Path dir;

    /** dim 8, four query heads of 2 sharing two key/value heads, hidden 12, 2 layers, vocab 16, context 16. */
    private static LlamaConfig tiny(boolean shared) {
        return new LlamaConfig(8, 12, 2, 4, 2, 16, 16, LlamaConfig.LLAMA2C_NORM_EPS,
                LlamaConfig.LLAMA2C_ROPE_THETA, shared, false, false, false);
    }

    private ModelFile model(boolean shared) throws IOException {
        return ModelLoaders.load(SyntheticLlama2c.write(dir.resolve("tiny.bin"), tiny(shared),
                SyntheticLlama2c.random(11)));
    }

    /** A traced run, with the keys and values the engine handed to its cache, as the test saw them. */
    private record Run(List<TraceEvent> events, CaptureLayout layout, Generation generation, int decodeSteps,
                       Map<String, float[]> kvWritten) {
        List<TensorInfo> tensors() {
            return layout.tensors();
        }

        /** The ops of step {@code s} (0 = prefill). */
        List<OpEvent> step(int s) {
            List<OpEvent> ops = new ArrayList<>();
            int seen = -1;
            for (TraceEvent e : events) {
                if (e instanceof StepEvent) {
                    seen++;
                } else if (seen == s) {
                    ops.add((OpEvent) e);
                }
            }
            return ops;
        }
    }

    private static Run trace(ModelFile file, String weights, KvPrecision kv, int[] prompt, int maxNew) {
        DeployedWeights deployed = DeployedWeights.of(file, WeightQuant.parse(weights, "test"));
        // The context holds every position this run can fill: the prompt and all but the last new token.
        CaptureLayout layout = new CaptureLayout(deployed, kv, prompt.length, prompt.length + maxNew - 1);
        List<TraceEvent> events = new ArrayList<>();
        Tracer tracer = new Tracer(layout, prompt.length, events::add);
        Map<String, float[]> kvWritten = new HashMap<>();
        AccessListener both = new Tee(tracer, new AccessListener() {
            @Override
            public void onKvWrite(int layer, int pos, float[] k, float[] v) {
                kvWritten.put("k" + layer + "@" + pos, k.clone());
                kvWritten.put("v" + layer + "@" + pos, v.clone());
            }
        });
        Generation g = new Generator(new LlamaEngine(deployed.model(), kv, both), Sampler.greedy())
                .generate(prompt, maxNew);
        tracer.finish();
        // Random weights could choose BOS or EOS early; these seeds do not, so every test sees all its steps.
        assertEquals(maxNew - 1, tracer.decodeSteps(), "generation ended early: " + g.stop());
        return new Run(events, layout, g, tracer.decodeSteps(), kvWritten);
    }

    private static String describe(Access a, List<TensorInfo> tensors) {
        return (a.isRead() ? "R " : "W ") + tensors.get(a.tensorId()).name();
    }

    /**
     * One token's operations as AccessListener documents them, with each engine activation in the buffer the
     * layout gives it (residual: act.x; the norms' outputs: act.xb; ...), weights by their model-file names.
     */
    private static List<String> documentedOps(LlamaConfig c, boolean int8Kv, boolean embeddingScales) {
        List<String> ops = new ArrayList<>();
        ops.add("embedding -1: R tok_embeddings.weight" + (embeddingScales ? ", R tok_embeddings.weight" : "")
                + ", W act.x");
        String kvWrite = int8Kv ? "W K, W K, W V, W V" : "W K, W V";
        String kvRead = int8Kv ? "R K, R K, R V, R V" : "R K, R V";
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            String k = p + "k_cache";
            String v = p + "v_cache";
            ops.addAll(List.of(
                    "attn_norm " + l + ": R act.x, R " + p + "attention_norm.weight, W act.xb",
                    "attn_q " + l + ": R act.xb, R " + p + "attention.wq.weight, W act.q",
                    "attn_k " + l + ": R act.xb, R " + p + "attention.wk.weight, W act.k",
                    "attn_v " + l + ": R act.xb, R " + p + "attention.wv.weight, W act.v",
                    "rope " + l + ": R act.q, R act.k, W act.q, W act.k",
                    "kv_append " + l + ": R act.k, R act.v, " + kvWrite.replace("K", k).replace("V", v),
                    "attention " + l + ": R act.q, " + kvRead.replace("K", k).replace("V", v) + ", W act.att",
                    "attn_output " + l + ": R act.att, R " + p + "attention.wo.weight, W act.xb2",
                    "attn_residual " + l + ": R act.x, R act.xb2, W act.x",
                    "ffn_norm " + l + ": R act.x, R " + p + "ffn_norm.weight, W act.xb",
                    "ffn_gate " + l + ": R act.xb, R " + p + "feed_forward.w1.weight, W act.hb",
                    "ffn_up " + l + ": R act.xb, R " + p + "feed_forward.w3.weight, W act.hb2",
                    "swiglu " + l + ": R act.hb, R act.hb2, W act.hb",
                    "ffn_down " + l + ": R act.hb, R " + p + "feed_forward.w2.weight, W act.xb2",
                    "ffn_residual " + l + ": R act.x, R act.xb2, W act.x"));
        }
        ops.add("output_norm -1: R act.x, R norm.weight, W act.xb");
        ops.add("output -1: R act.xb, R " + (c.sharedClassifier() ? "tok_embeddings.weight" : "output.weight")
                + ", W act.logits");
        return ops;
    }

    private static List<String> describe(List<OpEvent> ops, List<TensorInfo> tensors) {
        List<String> out = new ArrayList<>();
        for (OpEvent op : ops) {
            List<String> a = new ArrayList<>();
            op.accesses().forEach(x -> a.add(describe(x, tensors)));
            out.add(op.name() + " " + op.layer() + ": " + String.join(", ", a));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyStepRunsTheEnginesKernelsInTheDocumentedOrder(boolean shared) throws IOException {
        Run r = trace(model(shared), "int4-g8-sym", KvPrecision.INT8, new int[] {1, 5, 9}, 5);
        List<String> expected = documentedOps(tiny(shared), true, true);
        assertEquals(1 + r.decodeSteps(), r.events().stream().filter(e -> e instanceof StepEvent).count());
        for (int s = 0; s <= r.decodeSteps(); s++) {
            // Prefill batches the same kernels; it reads the embedding rows (with their scales) of all 3 tokens.
            List<String> want = new ArrayList<>(expected);
            if (s == 0) {
                want.set(0, "embedding -1: " + "R tok_embeddings.weight, ".repeat(6) + "W act.x");
            }
            assertEquals(want, describe(r.step(s), r.tensors()), "step " + s);
        }
        // Steps: the prompt as one prefill at 0, then one decode step per further position, in order.
        List<StepEvent> steps = r.events().stream().filter(e -> e instanceof StepEvent).map(e -> (StepEvent) e)
                .toList();
        assertEquals(new StepEvent(StepEvent.Phase.PREFILL, 0, 3), steps.get(0));
        for (int s = 1; s < steps.size(); s++) {
            assertEquals(new StepEvent(StepEvent.Phase.DECODE, 2 + s, 1), steps.get(s));
        }
    }

    @Test
    void anFp16CacheWritesAndReadsOneRangePerCacheWithoutContent() throws IOException {
        Run r = trace(model(false), "fp32", KvPrecision.FP16, new int[] {1, 4}, 3);
        assertEquals(documentedOps(tiny(false), false, false), describe(r.step(1), r.tensors()));
        for (TraceEvent e : r.events()) {
            if (e instanceof OpEvent op) {
                op.accesses().forEach(a -> assertNull(a.histogram(), op.name()));
            }
        }
        TensorInfo k0 = r.tensors().stream().filter(t -> t.name().equals("layers.0.k_cache")).findFirst().orElseThrow();
        assertEquals("fp16", k0.elementType().id());
        assertEquals((long) r.layout().contextRows() * 4 * 2, k0.bytes(), "positions x kvDim x 2 bytes");
    }

    @Test
    void prefillReadsEachWeightOnceForTheWholePrompt() throws IOException {
        int[] prompt = {1, 7, 3, 12};
        int n = prompt.length;
        Run r = trace(model(true), "int8-channel-sym", KvPrecision.INT8, prompt, 2);
        LlamaConfig c = tiny(true);
        List<TensorInfo> t = r.tensors();
        Map<String, OpEvent> layer0 = new HashMap<>();
        List<OpEvent> prefill = r.step(0);
        for (OpEvent op : prefill) {
            if (op.layer() <= 0) {
                layer0.put(op.name(), op);
            }
        }
        // The embedding reads the prompt's rows, each followed by its per-channel scale, then writes n rows.
        List<Access> emb = layer0.get("embedding").accesses();
        for (int i = 0; i < n; i++) {
            assertEquals(Access.read(0, (long) prompt[i] * c.dim(), c.dim()), emb.get(2 * i));
            long payload = (long) c.vocabSize() * c.dim();
            assertEquals(Access.read(0, payload + prompt[i] * 2L, 2), emb.get(2 * i + 1));
        }
        assertEquals(Access.write(r.layout().buffer("residual").tensorId(), 0, (long) n * c.dim() * 2, null),
                emb.get(2 * n));
        // A projection: n input rows, its weight once, n output rows; n tokens' multiply-accumulates.
        OpEvent q = layer0.get("attn_q");
        int wq = r.layout().weightId("layers.0.attention.wq.weight");
        assertEquals(List.of(Access.read(r.layout().buffer("attn_in").tensorId(), 0, n * 16L),
                Access.read(wq, 0, t.get(wq).bytes()), Access.write(r.layout().buffer("q").tensorId(), 0, n * 16L,
                        null)), q.accesses());
        assertEquals((long) n * c.dim() * c.dim(), q.macs());
        // The cache append covers positions 0..n-1; attention reads them all, for n(n+1)/2 token-positions.
        Access kPayload = layer0.get("kv_append").accesses().get(2);
        assertEquals(0, kPayload.offsetBytes());
        assertEquals((long) n * c.kvDim(), kPayload.lengthBytes());
        assertEquals(n * c.kvDim(), java.util.Arrays.stream(kPayload.histogram()).sum());
        assertEquals(n * c.kvDim(), layer0.get("attention").accesses().get(1).lengthBytes());
        assertEquals(2L * c.dim() * n * (n + 1) / 2, layer0.get("attention").macs());
        // The logits are made for the last prompt token only.
        OpEvent norm = prefill.get(prefill.size() - 2);
        assertEquals("output_norm", norm.name());
        assertEquals(Access.read(r.layout().buffer("residual").tensorId(), (n - 1) * 16L, 16),
                norm.accesses().get(0));
        assertEquals(c.dim(), norm.macs());
        assertEquals((long) c.vocabSize() * c.dim(), prefill.get(prefill.size() - 1).macs());
    }

    @Test
    void kvWriteHistogramsCountTheInt8CodesOfTheValuesWritten() throws IOException {
        Run r = trace(model(false), "fp32", KvPrecision.INT8, new int[] {1, 2, 3}, 4);
        LlamaConfig c = tiny(false);
        int checked = 0;
        for (int s = 0; s <= r.decodeSteps(); s++) {
            int first = s == 0 ? 0 : 2 + s;
            int positions = s == 0 ? 3 : 1;
            for (OpEvent op : r.step(s)) {
                if (!op.name().equals("kv_append")) {
                    continue;
                }
                Access k = op.accesses().get(2);
                Access v = op.accesses().get(4);
                assertArrayEquals(expectedHistogram(r, "k", op.layer(), first, positions, c.headSize()),
                        k.histogram());
                assertArrayEquals(expectedHistogram(r, "v", op.layer(), first, positions, c.headSize()),
                        v.histogram());
                assertEquals((long) positions * c.kvDim(), java.util.Arrays.stream(k.histogram()).sum());
                checked++;
            }
        }
        assertEquals(c.layers() * (1 + r.decodeSteps()), checked);
    }

    /** Symmetric absmax int8 per head vector, symbol = code + 128, computed here from the values the engine gave. */
    private static int[] expectedHistogram(Run r, String which, int layer, int first, int positions, int head) {
        int[] h = new int[256];
        for (int p = first; p < first + positions; p++) {
            float[] x = r.kvWritten().get(which + layer + "@" + p);
            for (int from = 0; from < x.length; from += head) {
                float max = 0;
                for (int i = 0; i < head; i++) {
                    max = Math.max(max, Math.abs(x[from + i]));
                }
                for (int i = 0; i < head; i++) {
                    int code = max == 0 ? 0 : Math.round(x[from + i] / (max / 127f));
                    h[code + 128]++;
                }
            }
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"int4-g8-asym", "int8-tensor-sym", "fp16"})
    void aDecodeStepReadsEachDeployedWeightOnceAndOneEmbeddingRow(String weights) throws IOException {
        Run r = trace(model(true), weights, KvPrecision.INT8, new int[] {1, 3}, 3);
        WeightQuant q = WeightQuant.parse(weights, "test");
        LlamaConfig c = tiny(true);
        long expected = 0;
        for (TensorInfo t : r.tensors()) {
            if (t.role().dataClass() == TensorRole.DataClass.WEIGHTS) {
                expected += t.bytes(); // the tied table counts once, as the classifier
            }
        }
        long row = (long) c.dim() * q.type().bits() / 8;
        long rowScales = !q.quantized() ? 0 : q.groupSize() == WeightQuant.PER_TENSOR ? q.metadataBytes(16, 8)
                : q.metadataBytes(1, c.dim());
        expected += row + rowScales;
        for (int s = 1; s <= r.decodeSteps(); s++) {
            long read = 0;
            for (OpEvent op : r.step(s)) {
                for (Access a : op.accesses()) {
                    if (a.isRead() && r.tensors().get(a.tensorId()).role().dataClass()
                            == TensorRole.DataClass.WEIGHTS) {
                        read += a.lengthBytes();
                    }
                }
            }
            assertEquals(expected, read, "decode step " + s);
        }
        assertTrue(r.decodeSteps() > 0);
    }

    @Test
    void positionsMustRunOnceEachInOrderAndThePromptToTheEnd() throws IOException {
        DeployedWeights d = DeployedWeights.of(model(false), WeightQuant.parse("fp32", "test"));
        CaptureLayout layout = new CaptureLayout(d, KvPrecision.FP32, 3, 6);
        Tracer rewound = new Tracer(layout, 3, e -> { });
        LlamaEngine engine = new LlamaEngine(d.model(), KvPrecision.FP32, rewound);
        engine.forward(1, 0);
        engine.forward(4, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.forward(5, 1));
        assertTrue(e.getMessage().contains("expects position 2"), e.getMessage());

        Tracer shortPrompt = new Tracer(layout, 3, x -> { });
        LlamaEngine other = new LlamaEngine(d.model(), KvPrecision.FP32, shortPrompt);
        other.forward(1, 0);
        other.forward(4, 1);
        assertThrows(IllegalStateException.class, shortPrompt::finish);
        assertThrows(IllegalArgumentException.class, () -> new Tracer(layout, 2, x -> { }),
                "the prompt must fill the layout's batch rows");
    }

    /** Forwards every event to two listeners, in order. */
    private record Tee(AccessListener a, AccessListener b) implements AccessListener {
        @Override
        public void onForwardStart(int token, int pos) {
            a.onForwardStart(token, pos);
            b.onForwardStart(token, pos);
        }

        @Override
        public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
            a.onWeightRead(tensorName, layer, role, elements);
            b.onWeightRead(tensorName, layer, role, elements);
        }

        @Override
        public void onActivation(String name, int layer, float[] values, boolean write) {
            a.onActivation(name, layer, values, write);
            b.onActivation(name, layer, values, write);
        }

        @Override
        public void onKvWrite(int layer, int pos, float[] k, float[] v) {
            a.onKvWrite(layer, pos, k, v);
            b.onKvWrite(layer, pos, k, v);
        }

        @Override
        public void onKvRead(int layer, int fromPos, int toPos) {
            a.onKvRead(layer, fromPos, toPos);
            b.onKvRead(layer, fromPos, toPos);
        }

        @Override
        public void onForwardEnd(int pos) {
            a.onForwardEnd(pos);
            b.onForwardEnd(pos);
        }
    }
}
