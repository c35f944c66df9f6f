package io.nccsim.capture;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.cli.Version;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.fidelity.EvalText;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.MiniLm;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.tokenizer.HfTokenizer;
import io.nccsim.trace.Access;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;
import io.nccsim.trace.WeightContent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real MiniLM capture of a few sentences, checked against what the encoder itself reported while embedding them:
 * the trace is the encoder's run access for access, weights are read whole once per layer and batch at their
 * deployed size, activations cover the batch's rows at fp16, and the header says captured from the ONNX file.
 */
class EncoderCaptureTest {
    private static final WeightQuant Q = WeightQuant.parse("int8-channel-sym", "test");
    /** 20 sentences: two batches of the encoder's 16, of different padded lengths. */
    private static final List<String> SENTENCES = sentences();

    @TempDir
    static Path dir;
    private static Path trace;
    private static EncoderCapture.Result result;
    private static HfTokenizer tokenizer;
    private static DeployedEncoder deployed;
    private static List<BertEncoder.Batch> plan;
    private static Recorder reported;

    private static List<String> sentences() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            s.add("Sentence " + i + " says" + " something".repeat(1 + i % 7) + ".");
        }
        return s;
    }

    @BeforeAll
    static void capture() {
        tokenizer = HfTokenizer.read(MiniLm.tokenizerPath());
        trace = dir.resolve("minilm.trace");
        result = EncoderCapture.capture(MiniLm.model(), tokenizer,
                new EncoderCapture.Options(SENTENCES, "test", Q, BertConfig.MINILM_HEADS, 4096, "test"), trace);
        deployed = DeployedEncoder.of(BertModel.of(MiniLm.model(), BertConfig.MINILM_HEADS), Q);
        plan = new BertEncoder(deployed.model(), tokenizer).batches(SENTENCES);
        reported = new Recorder();
        assertArrayEquals(result.embeddings(), new BertEncoder(deployed.model(), tokenizer, reported)
                .embedBatches(plan), "tracing changes nothing the encoder computes");
    }

    /** What the encoder reports, as (tensor, read or write) in order, with the batch shapes. */
    private static final class Recorder implements AccessListener {
        final List<String> accesses = new ArrayList<>();
        final List<Integer> rows = new ArrayList<>();

        @Override
        public void onEncoderStart(int sequences, int length) {
            rows.add(sequences * length);
        }

        @Override
        public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
            add("read " + tensorName);
        }

        @Override
        public void onActivation(String name, int layer, float[] values, boolean write) {
            add((write ? "write " : "read ") + BUFFER.get(name));
        }

        /** Consecutive accesses of one tensor in one direction are one (an embedding gather reads many rows). */
        private void add(String a) {
            if (accesses.isEmpty() || !accesses.get(accesses.size() - 1).equals(a)) {
                accesses.add(a);
            }
        }
    }

    /** The encoder's activations and the trace buffers that hold them (EncoderLayout's documented sharing). */
    private static final Map<String, String> BUFFER = Map.ofEntries(Map.entry("embeddings", "act.hidden"),
            Map.entry("hidden", "act.hidden"), Map.entry("q", "act.q"), Map.entry("k", "act.k"),
            Map.entry("v", "act.v"), Map.entry("context", "act.context"), Map.entry("attn_out", "act.proj"),
            Map.entry("ffn_out", "act.proj"), Map.entry("ffn_up", "act.ffn"), Map.entry("ffn_act", "act.ffn"),
            Map.entry("sentence_embedding", "act.sentence_embedding"));

    private static List<TraceEvent> events(TraceReader r) {
        List<TraceEvent> all = new ArrayList<>();
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
            all.add(e);
        }
        return all;
    }

    @Test
    void theHeaderSaysCapturedFromTheOnnxFileWithItsSha256AndOneStepOfEveryRow() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(MiniLm.modelBytes()));
        int rows = plan.stream().mapToInt(BertEncoder.Batch::rows).sum();
        assertEquals(2, plan.size());
        assertEquals(List.of(plan.get(0).rows(), plan.get(1).rows()), reported.rows);
        try (TraceReader r = TraceReader.open(trace)) {
            TraceHeader h = r.header();
            assertEquals("captured", h.provenance().kind());
            assertEquals(sha, h.provenance().sourceSha256(), "the sha256 of the ONNX entry inside the jar");
            assertTrue(h.provenance().method().contains("BertEncoder"), h.provenance().method());
            assertEquals("all-minilm-l6-v2", h.modelName());
            assertEquals("bert", h.shape().family());
            assertEquals(6, h.shape().layers());
            assertEquals(deployed.model().parameters(), h.shape().parameters());
            assertEquals("int8-channel-sym", h.weightQuant());
            assertEquals("none", h.kvCacheType());
            assertEquals(rows, h.promptTokens());
            assertEquals(0, h.generatedTokens());
            assertEquals(rows, result.rows());
            List<TraceEvent> events = events(r);
            assertEquals(new StepEvent(StepEvent.Phase.PREFILL, 0, rows), events.get(0));
            assertEquals(1, events.stream().filter(e -> e instanceof StepEvent).count(), "one step, no decode");
        }
    }

    @Test
    void theTraceIsTheEncodersRunAccessForAccessInKernelsOfItsPass() {
        List<String> perBatch = new ArrayList<>(List.of("embedding -1", "embedding_norm -1"));
        for (int l = 0; l < 6; l++) {
            for (String k : List.of("attn_q", "attn_k", "attn_v", "attention", "attn_output", "attn_add_norm",
                    "ffn_up", "gelu", "ffn_down", "ffn_add_norm")) {
                perBatch.add(k + " " + l);
            }
        }
        perBatch.add("pooling -1");
        List<String> ops = new ArrayList<>();
        List<String> accesses = new ArrayList<>();
        try (TraceReader r = TraceReader.open(trace)) {
            List<TensorInfo> tensors = r.tensors();
            for (TraceEvent e : events(r)) {
                if (e instanceof OpEvent op) {
                    ops.add(op.name() + " " + op.layer());
                    for (Access a : op.accesses()) {
                        String s = (a.isRead() ? "read " : "write ") + tensors.get(a.tensorId()).name();
                        if (accesses.isEmpty() || !accesses.get(accesses.size() - 1).equals(s)) {
                            accesses.add(s);
                        }
                    }
                }
            }
        }
        List<String> expectedOps = new ArrayList<>(perBatch);
        expectedOps.addAll(perBatch);
        assertEquals(expectedOps, ops);
        assertEquals(reported.accesses, accesses);
    }

    @Test
    void weightsAreReadWholeOncePerLayerPerBatchAtTheirDeployedSize() {
        Map<String, Integer> reads = new HashMap<>();
        Map<String, Long> bytesRead = new HashMap<>();
        try (TraceReader r = TraceReader.open(trace)) {
            List<TensorInfo> tensors = r.tensors();
            for (TraceEvent e : events(r)) {
                if (e instanceof OpEvent op) {
                    for (Access a : op.accesses()) {
                        TensorInfo t = tensors.get(a.tensorId());
                        if (t.role().dataClass() == TensorRole.DataClass.WEIGHTS) {
                            reads.merge(t.name(), 1, Integer::sum);
                            bytesRead.merge(t.name(), a.lengthBytes(), Long::sum);
                        }
                    }
                }
            }
            int checked = 0;
            for (TensorInfo t : tensors) {
                if (t.role().dataClass() != TensorRole.DataClass.WEIGHTS || t.role() == TensorRole.EMBEDDING) {
                    continue;
                }
                long elements = t.shape().stream().reduce(1L, (a, b) -> a * b);
                boolean matrix = t.shape().size() == 2;
                // int8 codes and one fp16 scale per stored row; vectors (biases, LayerNorm) fp16.
                long expected = matrix ? elements + 2 * t.shape().get(0) : 2 * elements;
                assertEquals(matrix ? ElementType.INT8 : ElementType.FP16, t.elementType(), t.name());
                assertEquals(expected, t.bytes(), t.name());
                assertEquals(2, reads.get(t.name()), t.name() + ": once per batch");
                assertEquals(2 * expected, bytesRead.get(t.name()), t.name() + ": whole each time");
                checked++;
            }
            assertEquals(2 + 6 * 16, checked, "embedding LayerNorm, and 6 projections with biases and 2 LayerNorms "
                    + "of gain and bias per layer");
            // The word table: one 384-byte row and its 2-byte scale per row computed, padding included.
            assertEquals(result.rows() * (384L + 2), bytesRead.get("embeddings.word_embeddings.weight"));
            long positions = plan.get(0).length() + plan.get(1).length();
            assertEquals(positions * (384L + 2), bytesRead.get("embeddings.position_embeddings.weight"));
        }
    }

    @Test
    void activationsCoverTheBatchsRowsAtFp16AndTheEmbeddingsOneFp32RowPerSentence() {
        try (TraceReader r = TraceReader.open(trace)) {
            List<TensorInfo> tensors = r.tensors();
            int batch = -1;
            int writes = 0;
            for (TraceEvent e : events(r)) {
                if (!(e instanceof OpEvent op)) {
                    continue;
                }
                if (op.name().equals("embedding")) {
                    batch++;
                }
                BertEncoder.Batch b = plan.get(batch);
                for (Access a : op.accesses()) {
                    TensorInfo t = tensors.get(a.tensorId());
                    if (t.role() != TensorRole.ACTIVATION) {
                        continue;
                    }
                    long width = t.shape().get(t.shape().size() - 1);
                    long expected = t.name().equals("act.sentence_embedding") ? b.sequences() * width * 4
                            : b.rows() * width * 2;
                    assertEquals(expected, a.lengthBytes(), op.name() + " " + t.name());
                    assertEquals(0, a.offsetBytes());
                    assertNull(a.histogram(), "activations carry no content");
                    writes += a.isRead() ? 0 : 1;
                }
            }
            assertEquals(2 * (2 + 6 * 10 + 1), writes, "every kernel writes once, in both batches");
            assertEquals(Math.max(plan.get(0).rows(), plan.get(1).rows()) * 384L * 2,
                    tensors.stream().filter(t -> t.name().equals("act.q")).findFirst().orElseThrow().bytes());
        }
    }

    @Test
    void weightContentIsTheHistogramOfTheQuantizersCodes() {
        ModelFile named = OnnxWeightNames.resolve(MiniLm.model());
        try (TraceReader r = TraceReader.open(trace)) {
            int block = r.header().contentBlockElements();
            int withContent = 0;
            for (TensorInfo t : r.tensors()) {
                WeightContent content = r.weightContent(t.id());
                if (content != null) {
                    withContent++;
                }
                if (!t.name().equals("encoder.layer.0.attention.self.query.weight")
                        && !t.name().equals("embeddings.position_embeddings.weight")) {
                    continue;
                }
                TensorData data = named.tensor(t.name());
                QuantizedTensor codes = Quantizer.quantize(data.values(), data.rows(), data.cols(), Q);
                int[][] expected = new int[(int) ((data.elements() + block - 1) / block)][256];
                for (int i = 0; i < data.elements(); i++) {
                    expected[i / block][codes.symbol(i)]++;
                }
                assertArrayEquals(expected, content.histograms(), t.name());
            }
            assertEquals(3 + 6 * 6, withContent, "the three embedding tables and six matrices per layer");
        }
    }

    @Test
    void theShippedTraceIsWhatItsCommandInTracesReadmeMakes(@TempDir Path out) throws IOException {
        // traces/README.md: capture --prompt traces/minilm-sentences.txt --weights int8-channel-sym, run from the
        // project root; the header quotes the --prompt as given.
        List<String> sentences = EvalText.load(ProjectFiles.resolve("traces/minilm-sentences.txt"), "test").lines();
        assertEquals(64, sentences.size());
        Path remade = out.resolve("minilm.trace");
        EncoderCapture.capture(MiniLm.model(), tokenizer, new EncoderCapture.Options(sentences,
                "--prompt traces/minilm-sentences.txt", Q, BertConfig.MINILM_HEADS, 4096,
                "nccsim " + Version.get() + " capture"), remade);
        assertEquals(-1, Files.mismatch(ProjectFiles.resolve("traces/minilm.trace"), remade),
                "traces/minilm.trace is stale: remake it with the command in traces/README.md");
    }

    @Test
    void theTraceReplaysInTheSimulatorAsOnePrefillOfCapturedContent(@TempDir Path out) {
        Cli.Result r = Cli.run("--config", ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "--trace",
                trace.toString(), "--out", out.resolve("report").toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("content: CAPTURED from model sha256 "), r.out());
        assertTrue(r.out().contains("(" + result.rows() + " prompt + 0 generated tokens"), r.out());
    }
}
