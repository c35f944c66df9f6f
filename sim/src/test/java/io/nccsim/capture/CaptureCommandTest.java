package io.nccsim.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.Access;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nccsim capture} on the real stories260K model: the trace it writes is captured from that model (content
 * recomputed here from the model file), follows the engine's kernels, replays in the simulator, and is the same
 * bytes every time; bad input fails in one line without leaving a file.
 */
class CaptureCommandTest {
    /** Eight tokens with BOS under stories260K's tokenizer (checked below). */
    private static final String PROMPT = "Lily had a red ball";
    private static final String WEIGHTS = "int4-g32-sym";
    private static final int NEW_TOKENS = 16;

    @TempDir
    static Path shared;
    private static Path model;
    private static Path trace;
    private static Cli.Result captured;

    @BeforeAll
    static void capture() {
        model = TestModels.stories260K();
        TestModels.stories260KTokenizer();
        trace = shared.resolve("stories.trace");
        captured = run(trace, "--prompt", PROMPT, "--weights", WEIGHTS);
        assertEquals(0, captured.code(), captured.err());
    }

    private static Cli.Result run(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("capture", "--model", model.toString(), "--max-new-tokens",
                Integer.toString(NEW_TOKENS), "-o", out.toString()));
        args.addAll(Arrays.asList(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static Llama2cTokenizer tokenizer() {
        return Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
    }

    /** Every event of the trace, steps and ops, in order. */
    private static List<TraceEvent> events(TraceReader r) {
        List<TraceEvent> all = new ArrayList<>();
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
            all.add(e);
        }
        return all;
    }

    @Test
    void theHeaderSaysCapturedFromThisModelFileWithThisPromptAndFormat() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
        try (TraceReader r = TraceReader.open(trace)) {
            TraceHeader h = r.header();
            assertEquals("captured", h.provenance().kind());
            assertEquals(sha, h.provenance().sourceSha256());
            assertTrue(h.provenance().method().contains("LlamaEngine"), h.provenance().method());
            assertTrue(h.provenance().method().contains(WEIGHTS), h.provenance().method());
            assertTrue(h.provenance().method().contains("\"" + PROMPT + "\""), h.provenance().method());
            assertEquals(WEIGHTS, h.weightQuant());
            assertEquals("int8", h.kvCacheType());
            assertEquals(8, tokenizer().encode(PROMPT, true, false).length);
            assertEquals(8, h.promptTokens());
            // The last of the 16 new tokens is chosen from the logits of the 15th; it is output, never run.
            assertEquals(NEW_TOKENS - 1, h.generatedTokens());
            assertEquals(ModelLoaders.load(model).parameters(), h.shape().parameters());
        }
        assertTrue(captured.out().startsWith(PROMPT), captured.out());
        assertTrue(captured.out().contains("content: captured"), captured.out());
    }

    @Test
    void everyWeightsContentIsTheHistogramOfTheQuantizersSymbolsForIt() {
        ModelFile file = ModelLoaders.load(model);
        WeightQuant q = WeightQuant.parse(WEIGHTS, "test");
        int checked = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            int block = r.header().contentBlockElements();
            for (TensorInfo t : r.tensors()) {
                WeightContent content = r.weightContent(t.id());
                if (t.role().dataClass() != TensorRole.DataClass.WEIGHTS || t.role() == TensorRole.NORM) {
                    assertTrue(content == null, t.name() + " has no quantized content");
                    continue;
                }
                TensorData data = file.tensor(t.name());
                QuantizedTensor codes = Quantizer.quantize(data.values(), data.rows(), data.cols(), q);
                int blocks = (int) ((data.elements() + block - 1) / block);
                int[][] expected = new int[blocks][16];
                for (int i = 0; i < data.elements(); i++) {
                    expected[i / block][codes.symbol(i)]++;
                }
                assertArrayEquals(expected, content.histograms(), t.name());
                assertEquals(codes.payloadBytes() + codes.metadataBytes(), t.bytes(), t.name());
                checked++;
            }
        }
        assertEquals(1 + 5 * 7, checked, "the (tied) embedding and 7 matrices in each of 5 layers");
    }

    @Test
    void stepsAndOpsFollowTheEnginesKernelsAndPositions() {
        List<String> perToken = new ArrayList<>(List.of("embedding -1"));
        for (int l = 0; l < 5; l++) {
            for (String k : List.of("attn_norm", "attn_q", "attn_k", "attn_v", "rope", "kv_append", "attention",
                    "attn_output", "attn_residual", "ffn_norm", "ffn_gate", "ffn_up", "swiglu", "ffn_down",
                    "ffn_residual")) {
                perToken.add(k + " " + l);
            }
        }
        perToken.addAll(List.of("output_norm -1", "output -1"));
        try (TraceReader r = TraceReader.open(trace)) {
            List<StepEvent> steps = new ArrayList<>();
            List<List<String>> ops = new ArrayList<>();
            for (TraceEvent e : events(r)) {
                if (e instanceof StepEvent s) {
                    steps.add(s);
                    ops.add(new ArrayList<>());
                } else {
                    OpEvent op = (OpEvent) e;
                    ops.get(ops.size() - 1).add(op.name() + " " + op.layer());
                }
            }
            assertEquals(new StepEvent(StepEvent.Phase.PREFILL, 0, 8), steps.get(0));
            assertEquals(NEW_TOKENS, steps.size());
            for (int s = 1; s < steps.size(); s++) {
                assertEquals(new StepEvent(StepEvent.Phase.DECODE, 7 + s, 1), steps.get(s));
            }
            for (List<String> step : ops) {
                assertEquals(perToken, step);
            }
        }
    }

    @Test
    void aDecodeStepReadsTheDeployedWeightsOnceAndOneEmbeddingRow() {
        try (TraceReader r = TraceReader.open(trace)) {
            List<TensorInfo> tensors = r.tensors();
            // Every weight tensor whole (the tied table as the classifier), plus the looked-up row: 64 int4 codes
            // and the fp16 scales of its two 32-element groups.
            long expected = 64 * 4 / 8 + 2 * 2;
            for (TensorInfo t : tensors) {
                if (t.role().dataClass() == TensorRole.DataClass.WEIGHTS) {
                    expected += t.bytes();
                }
            }
            List<Long> perStep = new ArrayList<>();
            long kvSymbols = 0;
            long kvPayloadWritten = 0;
            for (TraceEvent e : events(r)) {
                if (e instanceof StepEvent s) {
                    perStep.add(0L);
                    continue;
                }
                for (Access a : ((OpEvent) e).accesses()) {
                    TensorInfo t = tensors.get(a.tensorId());
                    if (a.isRead() && t.role().dataClass() == TensorRole.DataClass.WEIGHTS) {
                        perStep.set(perStep.size() - 1, perStep.get(perStep.size() - 1) + a.lengthBytes());
                    }
                    if (a.histogram() != null) {
                        assertEquals(t.role(), TensorRole.KV_CACHE);
                        long sum = Arrays.stream(a.histogram()).asLongStream().sum();
                        assertEquals(a.lengthBytes(), sum, "one int8 code per byte written");
                        kvSymbols += sum;
                    }
                    if (!a.isRead() && t.role() == TensorRole.KV_CACHE && a.offsetBytes() < t.payloadBytes()) {
                        kvPayloadWritten += a.lengthBytes();
                    }
                }
            }
            for (int s = 1; s < perStep.size(); s++) {
                assertEquals(expected, perStep.get(s), "decode step " + s);
            }
            // Keys and values of every position run (8 + 15), in 5 layers, 32 elements each.
            assertEquals(2L * 5 * (8 + NEW_TOKENS - 1) * 32, kvSymbols);
            assertEquals(kvSymbols, kvPayloadWritten, "every code written is counted");
        }
    }

    @Test
    void theTraceReplaysInTheSimulatorAndTheReportSaysCaptured(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("--config", ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "--trace",
                trace.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("content: CAPTURED from model sha256 "), r.out());
        assertFalse(r.out().contains("modeled"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("captured", j.path("trace").path("provenance").path("kind").asText());
        assertTrue(j.path("ncc").path("dram_bytes_read").asLong() < j.path("baseline").path("dram_bytes_read")
                .asLong(), "the NCC decodes the captured int4 weights' Huffman code");
        // No lossless coder beats the entropy of the blocks it codes: the weights' compression ratio the NCC reports
        // (bytes delivered over bytes read) cannot exceed stored bytes over entropy-coded payload plus metadata.
        double storedBytes = 0;
        double boundBytes = 0;
        try (TraceReader tr = TraceReader.open(trace)) {
            for (TensorInfo t : tr.tensors()) {
                WeightContent c = tr.weightContent(t.id());
                if (c == null) {
                    continue;
                }
                double entropyBits = 0;
                for (int[] h : c.histograms()) {
                    long n = java.util.Arrays.stream(h).asLongStream().sum();
                    entropyBits += io.nccsim.codec.Entropy.bitsPerSymbol(h) * n;
                }
                storedBytes += t.bytes();
                boundBytes += entropyBits / 8 + (t.bytes() - t.payloadBytes());
            }
        }
        double ratio = j.path("ncc").path("ncc_activity").path("compression_ratio").path("weights").asDouble();
        assertTrue(ratio > 1 && ratio <= storedBytes / boundBytes, "weights ratio " + ratio + " against the "
                + "entropy bound " + storedBytes / boundBytes + ": a decoded block must not be reused across sweeps");
    }

    @Test
    void twoCapturesOfTheSameRunAreTheSameBytes(@TempDir Path dir) throws IOException {
        Path again = dir.resolve("again.trace");
        Cli.Result r = run(again, "--prompt", PROMPT, "--weights", WEIGHTS);
        assertEquals(0, r.code(), r.err());
        assertEquals(-1, Files.mismatch(trace, again));
        assertEquals(captured.out().lines().findFirst(), r.out().lines().findFirst(), "the same text");
    }

    @Test
    void greedyTokensFromBosAloneAreTheOnesProvenanceQuotes(@TempDir Path dir) throws IOException {
        String quoted = Stories260KTest.greedyQuote(Files.readString(model.resolveSibling("PROVENANCE.md")));
        int[] encoded = tokenizer().encode(quoted.substring(1), true, false);
        int[] quotedTokens = Arrays.copyOfRange(encoded, 1, encoded.length);
        Cli.Result r = run(dir.resolve("bos.trace"), "--prompt", "", "--weights", "fp32", "--print-tokens");
        assertEquals(0, r.code(), r.err());
        int[] printed = tokensLine(r.out());
        assertEquals(NEW_TOKENS, printed.length);
        assertArrayEquals(Arrays.copyOf(quotedTokens, NEW_TOKENS), printed);
        assertTrue(quoted.substring(1).startsWith(r.out().lines().findFirst().orElseThrow()), r.out());
        try (TraceReader t = TraceReader.open(dir.resolve("bos.trace"))) {
            assertEquals(1, t.header().promptTokens(), "BOS alone");
            assertTrue(t.contentTensorIds().isEmpty(), "fp32 weights carry no symbol content");
        }
    }

    @Test
    void theEngineRunsTheDeployedWeightsSoCoarseQuantizationChangesTheText(@TempDir Path dir) {
        Cli.Result exact = run(dir.resolve("fp32.trace"), "--prompt", "", "--weights", "fp32", "--print-tokens");
        Cli.Result coarse = run(dir.resolve("int2.trace"), "--prompt", "", "--weights", "int2-g32-sym",
                "--print-tokens");
        assertEquals(0, exact.code(), exact.err());
        assertEquals(0, coarse.code(), coarse.err());
        assertFalse(Arrays.equals(tokensLine(exact.out()), tokensLine(coarse.out())),
                "2-bit weights must change what the model writes");
    }

    private static int[] tokensLine(String out) {
        String line = out.lines().filter(l -> l.startsWith("tokens: ")).findFirst().orElseThrow();
        return Arrays.stream(line.substring("tokens: ".length()).split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void badInputFailsInOneLineAndWritesNothing(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bad.trace");
        List<String[]> cases = List.of(
                new String[] {"capture", "--model", dir.resolve("missing.bin").toString(), "--prompt", "x",
                    "--max-new-tokens", "4", "--weights", "fp32", "-o", out.toString()},
                new String[] {"capture", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "4",
                    "--weights", "int5-g32", "-o", out.toString()},
                new String[] {"capture", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "0",
                    "--weights", "fp32", "-o", out.toString()},
                new String[] {"capture", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "-3",
                    "--weights", "fp32", "-o", out.toString()},
                new String[] {"capture", "--model", model.toString(), "--prompt", "x", "--max-new-tokens", "4",
                    "--weights", "fp32", "--kv", "int4", "-o", out.toString()},
                new String[] {"capture", "--model", model.toString(), "--prompt", "a ".repeat(600),
                    "--max-new-tokens", "4", "--weights", "fp32", "-o", out.toString()});
        List<String> mentions = List.of("--model", "--weights", "--max-new-tokens", "--max-new-tokens", "--kv",
                "--prompt");
        for (int i = 0; i < cases.size(); i++) {
            Cli.Result r = Cli.run(cases.get(i));
            assertEquals(2, r.code(), String.join(" ", cases.get(i)) + "\n" + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("nccsim: error: ") && r.err().contains(mentions.get(i)), r.err());
            assertFalse(Files.exists(out), "no output for " + String.join(" ", cases.get(i)));
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "no partial file either");
        }
    }

    @Test
    void anExistingTraceNeedsForceAndAModelWithoutOneTokenizerNeedsTokenizer(@TempDir Path dir) throws IOException {
        Path existing = dir.resolve("existing.trace");
        Files.writeString(existing, "keep me");
        Cli.Result r = run(existing, "--prompt", "x", "--weights", "fp32");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals("keep me", Files.readString(existing));

        Path alone = Files.copy(model, dir.resolve("alone.bin"));
        Path out = dir.resolve("alone.trace");
        Cli.Result noTok = Cli.run("capture", "--model", alone.toString(), "--prompt", "x", "--max-new-tokens", "2",
                "--weights", "fp32", "-o", out.toString());
        assertEquals(2, noTok.code(), noTok.err());
        assertEquals(1, noTok.err().lines().count(), noTok.err());
        assertTrue(noTok.err().contains("--tokenizer"), noTok.err());
        assertFalse(Files.exists(out));
        Cli.Result given = Cli.run("capture", "--model", alone.toString(), "--tokenizer",
                TestModels.stories260KTokenizer().toString(), "--prompt", "x", "--max-new-tokens", "2", "--weights",
                "fp32", "-o", out.toString());
        assertEquals(0, given.code(), given.err());
        assertNotEquals(0, Files.size(out));
    }
}
