package io.nccsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.codec.learned.CodecProfile;
import io.nccsim.codec.learned.TrainedCodecs;
import io.nccsim.testutil.Cli.Result;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static io.nccsim.testutil.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nccsim codec train|eval} end to end on stories260K with tiny settings, determinism, and bad input. */
class CodecCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tiny: 300 training blocks, 2 epochs per candidate (seconds, not minutes). */
    private static final String[] TINY = {"--max-train-blocks", "300", "--max-epochs", "2"};

    private static Result train(Path model, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("codec", "train", "--model", model.toString(),
                "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    private static void assertOneLineError(Result r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("nccsim: error: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals("", r.out(), "no partial output");
    }

    @Test
    void trainsThenEvaluatesTheHeldOutLayerWithFidelity(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Path trained = dir.resolve("train");
        Result t = train(model, trained);
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().startsWith("level "), t.out());
        assertTrue(t.out().contains("near-lossless") && t.out().contains("aggressive"), t.out());
        assertTrue(t.err().contains("train 300 (of 10400 before the cap), validation 2784, evaluation 2784"), t.err());
        assertTrue(t.err().contains("trained in "), t.err());

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
        CodecProfile profile = CodecProfile.read(trained.resolve("profile.json"));
        assertEquals(4, profile.levels().size());
        assertTrue(profile.provenance().contains(sha), profile.provenance());
        assertTrue(profile.provenance().contains("validation 3, evaluation 4"), profile.provenance());
        TrainedCodecs codecs = TrainedCodecs.read(trained.resolve("codecs.json"));
        assertEquals(sha, codecs.setup().models().get(0).sha256());
        assertEquals(300, codecs.setup().trainBlocks());
        assertEquals(10400, codecs.setup().trainBlocksBeforeCap());

        Path eval = dir.resolve("eval");
        Result e = run("codec", "eval", "--profile", trained.resolve("profile.json").toString(), "--model",
                model.toString(), "--tokens", "8", "--out", eval.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("Verdict: "), e.out());
        assertTrue(e.out().endsWith("report: " + eval + System.lineSeparator()), e.out());
        for (String f : List.of("table.md", "table.csv", "rd.svg", "rd.png", "fidelity.csv", "fidelity.svg",
                "fidelity.png", "report.json")) {
            assertTrue(Files.size(eval.resolve(f)) > 0, f);
        }
        JsonNode j = JSON.readTree(eval.resolve("report.json").toFile());
        assertEquals(sha, j.path("model").path("sha256").asText());
        // Layer 4's seven matrices: wq, wk, wv, wo, w1, w2, w3 = 64*64*2 + 32*64*2 + 172*64*3 values.
        assertEquals(7, j.path("held_out").path("tensors").size());
        j.path("held_out").path("tensors").forEach(n -> assertTrue(n.asText().startsWith("layers.4."), n.asText()));
        assertEquals(2 * 64 * 64 + 2 * 32 * 64 + 3 * 172 * 64, j.path("held_out").path("values").asLong());
        assertEquals(4, j.path("matched").size());
        JsonNode fid = j.path("fidelity").path("points");
        assertEquals("reference", fid.get(0).path("method").asText());
        assertEquals(1.0, fid.get(0).path("top1_agreement").asDouble());
        assertEquals("learned", fid.get(1).path("method").asText());
        assertTrue(fid.get(1).path("top1_agreement").asDouble() > 0.5, fid.get(1).toString());
        String md = Files.readString(eval.resolve("table.md"));
        assertTrue(md.contains("| near-lossless | linear k16"), md);
        assertTrue(md.contains("## Model-output fidelity"), md);
        List<String> csv = Files.readAllLines(eval.resolve("table.csv"));
        assertEquals("method,setting,values,bits_per_value,ideal_bits_per_value,shared_bits_per_value,mse,sqnr_db",
                csv.get(0));
        // 4 levels, quantization at groups 16, 32, 64, 128 x sym/asym x 6 widths, 14 uniform steps.
        assertEquals(1 + 4 + 48 + 14, csv.size());
        assertTrue(Files.readString(eval.resolve("rd.svg")).startsWith("<svg") || Files.readString(
                eval.resolve("rd.svg")).startsWith("<?xml"));
        byte[] png = Files.readAllBytes(eval.resolve("rd.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }

    @Test
    void sameSeedSameProfileBytes(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        assertEquals(0, train(model, dir.resolve("a"), "--seed", "5").code());
        assertEquals(0, train(model, dir.resolve("b"), "--seed", "5").code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/profile.json")),
                Files.readAllBytes(dir.resolve("b/profile.json")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/codecs.json")),
                Files.readAllBytes(dir.resolve("b/codecs.json")));
        assertEquals(0, train(model, dir.resolve("c"), "--seed", "6").code());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/codecs.json")),
                Files.readAllBytes(dir.resolve("c/codecs.json"))), "another seed draws other blocks");
    }

    @Test
    void kvCacheLevelsAreTrainedAndEvaluatedOnCapturedVectors(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Result t = train(model, dir.resolve("kv"), "--roles", "kv_cache");
        assertEquals(0, t.code(), t.err());
        Result e = run("codec", "eval", "--profile", dir.resolve("kv/profile.json").toString(), "--model",
                model.toString(), "--out", dir.resolve("kv-eval").toString());
        assertEquals(0, e.code(), e.err());
        JsonNode j = JSON.readTree(dir.resolve("kv-eval/report.json").toFile());
        assertEquals("kv_cache", j.path("held_out").path("data_class").asText());
        assertEquals(List.of("kv_cache.k", "kv_cache.v"), List.of(j.path("held_out").path("tensors").get(0).asText(),
                j.path("held_out").path("tensors").get(1).asText()));
        assertTrue(j.path("fidelity").asText().startsWith("Not measured"), j.toString());
        assertFalse(Files.exists(dir.resolve("kv-eval/fidelity.csv")));
    }

    @Test
    void badInputIsOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        assertOneLineError(run("codec", "train", "--model", dir.resolve("missing.bin").toString(), "--out",
                out.toString()), "no such model file");
        assertFalse(Files.exists(out));

        assertOneLineError(run("codec", "train", "--model", TestModels.stories260K().toString(), "--roles",
                "attn_q,kv_cache", "--out", out.toString()), "mixes attn_q and kv_cache");
        assertFalse(Files.exists(out));

        assertOneLineError(run("codec", "train", "--model", TestModels.stories260K().toString(), "--residual-of",
                "int9-g16-sym", "--out", out.toString()), "--residual-of 'int9-g16-sym': expected intB-gN-sym");
        assertOneLineError(run("codec", "train", "--model", TestModels.stories260K().toString(), "--levels",
                "fancy", "--out", out.toString()), "--levels fancy: expected default or extended");
        assertFalse(Files.exists(out));

        Path bad = dir.resolve("bad/profile.json");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "{\"format\": \"nccsim-codec-profile\", \"version\": 1, \"levels\": [}");
        assertOneLineError(run("codec", "eval", "--profile", bad.toString(), "--model",
                TestModels.stories260K().toString(), "--out", out.toString()), bad + ":1:");
        assertFalse(Files.exists(out));

        Files.writeString(bad, "{\"format\": \"nccsim-codec-profile\", \"version\": 1, \"provenance\": \"x\"}");
        assertOneLineError(run("codec", "eval", "--profile", bad.toString(), "--model",
                TestModels.stories260K().toString(), "--out", out.toString()), "levels");
        assertFalse(Files.exists(out));

        // A good profile without its codecs.json beside it.
        Path lonely = dir.resolve("lonely/profile.json");
        Files.createDirectories(lonely.getParent());
        Files.writeString(lonely, "{\"format\": \"nccsim-codec-profile\", \"version\": 1, \"provenance\": \"x\","
                + " \"levels\": [{\"name\": \"a\", \"variant\": \"linear\", \"block_size\": 16,"
                + " \"latent_size\": 16, \"hidden_width\": 0, \"step\": 0.1, \"bits_per_value\": 5,"
                + " \"bits_per_value_ideal\": 5, \"table_bytes\": 10, \"distortion_mse\": 0.001, \"sqnr_db\": 30,"
                + " \"decoder_macs_per_value\": 16, \"encoder_macs_per_value\": 16,"
                + " \"decoder_parameter_bytes\": 548}]}");
        assertOneLineError(run("codec", "eval", "--profile", lonely.toString(), "--model",
                TestModels.stories260K().toString(), "--out", out.toString()), "codecs.json (the trained levels) is "
                + "missing");
        assertFalse(Files.exists(out));

        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        assertOneLineError(run("codec", "train", "--model", TestModels.stories260K().toString(), "--out",
                out.toString()), "directory is not empty; pass --force");
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }
}
