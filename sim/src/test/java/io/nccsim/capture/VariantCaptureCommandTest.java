package io.nccsim.capture;

import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.ByteLevelTokenizerJson;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nccsim capture} end to end on the family's variants (stories260K's weights as a Phi-3 style and a Qwen2
 * style safetensors checkpoint, with a byte-level BPE tokenizer.json): the trace reads back, its fused kernels and
 * biases appear with their roles, and its tokens are the engine's.
 */
class VariantCaptureCommandTest {
    private static final String PROMPT = "Lily had a ball";
    private static final int NEW_TOKENS = 6;

    @TempDir
    static Path dir;
    private static VariantCheckpoints variants;

    @BeforeAll
    static void load() {
        variants = new VariantCheckpoints(ModelLoaders.load(TestModels.stories260K()));
    }

    private static Cli.Result capture(Path model, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("capture", "--model", model.toString(), "--prompt", PROMPT,
                "--max-new-tokens", Integer.toString(NEW_TOKENS), "--print-tokens", "-o", out.toString()));
        args.addAll(Arrays.asList(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private record Read(List<TensorInfo> tensors, List<OpEvent> ops, String method) {
        TensorInfo tensor(int id) {
            return tensors.get(id);
        }

        /** Roles and ranks of the weight tensors the op reads, in order, e.g. "attn_q/2", "attn_q/1". */
        List<String> weightReads(OpEvent op) {
            List<String> out = new ArrayList<>();
            for (Access a : op.accesses()) {
                TensorInfo t = tensor(a.tensorId());
                if (a.isRead() && t.role().dataClass() == TensorRole.DataClass.WEIGHTS) {
                    out.add(t.role().id() + "/" + t.shape().size());
                }
            }
            return out;
        }
    }

    private static Read read(Path trace) {
        try (TraceReader r = TraceReader.open(trace)) {
            List<OpEvent> ops = new ArrayList<>();
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                if (e instanceof OpEvent op) {
                    ops.add(op);
                }
            }
            return new Read(r.tensors(), ops, r.header().provenance().method());
        }
    }

    /** The simulator replays the trace and reports it captured. */
    private static void assertReplays(Path trace) {
        Cli.Result r = Cli.run("--config", ProjectFiles.resolve("configs/jetson_nano.yaml").toString(), "--trace",
                trace.toString(), "--out", trace.resolveSibling(trace.getFileName() + ".report").toString(),
                "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("content: CAPTURED from model sha256 "), r.out());
    }

    private static int[] printedTokens(String out) {
        String line = out.lines().filter(l -> l.startsWith("tokens: ")).findFirst().orElseThrow();
        return Arrays.stream(line.substring("tokens: ".length()).split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void aPhi3StyleCheckpointTracesOneFusedQkvAndOneFusedGateUpPerLayer() throws IOException {
        Path folder = dir.resolve("phi3");
        Path model = variants.writeHf(folder, "model", VariantCheckpoints.Variant.phi3());
        Path tokenizerJson = ByteLevelTokenizerJson.write(folder.resolve("tokenizer.json"), 512);
        Path trace = dir.resolve("phi3.trace");
        Cli.Result r = capture(model, trace, "--weights", "int8-channel-sym", "--kv", "fp16");
        assertEquals(0, r.code(), r.err());

        Read t = read(trace);
        assertTrue(t.method().contains("RoPE neox, fused qkv, fused gate_up, tied classifier"), t.method());
        int layers = variants.config().layers();
        List<String> names = t.ops().stream().map(OpEvent::name).toList();
        assertFalse(names.contains("attn_q") || names.contains("ffn_gate") || names.contains("ffn_up"), names.toString());
        // prefill plus each decode step runs every layer's two fused kernels
        int passes = 1 + NEW_TOKENS - 1;
        assertEquals(layers * passes, names.stream().filter("attn_qkv"::equals).count());
        assertEquals(layers * passes, names.stream().filter("ffn_gate_up"::equals).count());
        for (OpEvent op : t.ops()) {
            if (op.name().equals("attn_qkv")) {
                assertEquals(List.of("attn_qkv/2"), t.weightReads(op));
                long qkvRows = t.tensors().stream().filter(x -> x.role() == TensorRole.ATTN_QKV).findFirst()
                        .orElseThrow().shape().get(0);
                assertEquals(variants.config().dim() + 2L * variants.config().kvDim(), qkvRows);
            }
            if (op.name().equals("ffn_gate_up")) {
                assertEquals(List.of("mlp_gate_up/2"), t.weightReads(op));
            }
        }

        // The printed tokens are the engine's greedy choice after the tokenizer's prompt, under the same
        // deployed weights.
        DecoderTokenizer tok = DecoderTokenizer.load(tokenizerJson, 512);
        int[] prompt = tok.encodePrompt(PROMPT);
        assertEquals(510, prompt[0], "BOS is <s>, found by name");
        DeployedWeights deployed = DeployedWeights.of(ModelLoaders.load(model),
                io.nccsim.codec.WeightQuant.parse("int8-channel-sym", "test"));
        Generation g = new Generator(new LlamaEngine(deployed.model(), KvPrecision.FP16, AccessListener.NONE),
                Sampler.greedy(), tok).generate(prompt, NEW_TOKENS);
        assertArrayEquals(g.generatedTokens(), printedTokens(r.out()));
        assertTrue(r.out().startsWith(PROMPT), r.out());
        assertReplays(trace);
    }

    @Test
    void aQwen2StyleCheckpointReadsEachBiasRightAfterItsMatrix() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] bias = new float[variants.config().dim()];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (rnd.nextDouble() - 0.5);
        }
        Path model = variants.writeHf(dir.resolve("qwen2-model"), "model",
                VariantCheckpoints.Variant.qwen2(Map.of("0.q", bias)));
        // The config and tokenizer elsewhere, given explicitly.
        Path elsewhere = Files.createDirectories(dir.resolve("qwen2-files"));
        Path config = Files.move(model.resolveSibling("config.json"), elsewhere.resolve("config.json"));
        Path tokenizerJson = ByteLevelTokenizerJson.write(elsewhere.resolve("tok.json"), 500);
        Path trace = dir.resolve("qwen2.trace");
        Cli.Result r = capture(model, trace, "--weights", "fp32", "--config", config.toString(), "--tokenizer",
                tokenizerJson.toString());
        assertEquals(0, r.code(), r.err());

        Read t = read(trace);
        assertTrue(t.method().contains("q/k/v biases"), t.method());
        int checked = 0;
        for (OpEvent op : t.ops()) {
            switch (op.name()) {
                case "attn_q" -> assertEquals(List.of("attn_q/2", "attn_q/1"), t.weightReads(op));
                case "attn_k" -> assertEquals(List.of("attn_k/2", "attn_k/1"), t.weightReads(op));
                case "attn_v" -> assertEquals(List.of("attn_v/2", "attn_v/1"), t.weightReads(op));
                default -> {
                    continue;
                }
            }
            checked++;
        }
        assertEquals(3 * variants.config().layers() * NEW_TOKENS, checked);
        assertTrue(t.tensors().stream().anyMatch(x -> x.name().equals("model.layers.0.self_attn.q_proj.bias")
                && x.role() == TensorRole.ATTN_Q && x.shape().equals(List.of((long) bias.length))));
        // A 500-token tokenizer serves the 512-row embedding table (tables are often padded past the vocabulary):
        // ids it does not know print as nothing.
        assertEquals(NEW_TOKENS, printedTokens(r.out()).length, r.out());
        assertReplays(trace);
    }

    @Test
    void aGgufModelWithoutTokenizerIsRefusedInOneLineAndWritesNothing() throws IOException {
        Path gguf = variants.writeGguf(dir.resolve("alone/model.gguf"), "llama", null);
        Path trace = dir.resolve("gguf.trace");
        Cli.Result r = capture(gguf, trace, "--weights", "fp32");
        assertTrue(r.code() != 0, r.out());
        assertTrue(r.err().contains("--tokenizer: not given") && r.err().contains("GGUF"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(trace));

        // With a tokenizer it runs, under Meta's RoPE order.
        Path tokenizerJson = ByteLevelTokenizerJson.write(dir.resolve("alone/tokenizer.json"), 512);
        r = capture(gguf, trace, "--weights", "fp32", "--tokenizer", tokenizerJson.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(read(trace).method().contains("(gguf; RoPE interleaved"), read(trace).method());
    }
}
