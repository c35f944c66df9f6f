package io.nccsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.capture.Llama2cTokenizer;
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

/** {@code nccsim fidelity} as a user meets it: the table and its three files, determinism, and bad input. */
class FidelityCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void assertOneLineError(Result r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("nccsim: error: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals("", r.out(), "no partial output");
    }

    @Test
    void printsTheTableAndWritesCsvMarkdownAndJson(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Path out = dir.resolve("fid");
        Result r = run("fidelity", "--model", model.toString(), "--codec", "lossless", "--codec", "int8-channel-sym",
                "--codec", "int4-g32-sym,kv=int8", "--tokens", "16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("codec "), r.out());
        assertTrue(lines.get(0).contains("KL mean (nats)"), r.out());
        assertTrue(lines.get(1).startsWith("reference "), r.out());
        assertTrue(lines.get(2).matches("lossless +fp32 +32\\.000 +1\\.0000 +[0-9.]+ +0 +0 +identical +unchanged"),
                lines.get(2));
        assertTrue(lines.get(4).startsWith("int4-g32-sym,kv=int8  int8 "), lines.get(4));
        assertEquals("report: " + out, lines.get(5));
        // Columns line up: every row's "kv" cell starts where the header's does.
        int kvColumn = lines.get(0).indexOf("kv");
        for (int i = 1; i <= 4; i++) {
            assertTrue(lines.get(i).startsWith("fp32", kvColumn) || lines.get(i).startsWith("int8", kvColumn),
                    lines.get(i));
        }

        List<String> csv = Files.readAllLines(out.resolve("fidelity.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(0).startsWith("codec,kv,bits_per_weight,positions,top1_agreement,perplexity,"), csv.get(0));
        assertTrue(csv.get(2).startsWith("lossless,fp32,32.0,"), csv.get(2));
        assertTrue(csv.get(2).contains(",1.0,") && csv.get(2).contains(",0.0,0.0,true,16,true,-1,0"), csv.get(2));
        assertTrue(csv.get(4).startsWith("\"int4-g32-sym,kv=int8\",int8,"), "a comma in a codec is quoted");

        String md = Files.readString(out.resolve("fidelity.md"));
        assertTrue(md.contains("| lossless | fp32 | 32.000 | 1.0000 |"), md);
        assertTrue(md.contains("| --- | --- | ---: |"), md);

        JsonNode j = JSON.readTree(out.resolve("report.json").toFile());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
        assertEquals(sha, j.path("model").path("sha256").asText());
        assertTrue(j.path("outputs").asText().startsWith("computed from real weights"));
        assertEquals("built-in", j.path("text").path("source").asText());
        assertEquals(16, j.path("greedy").path("max_tokens").asInt());
        JsonNode rows = j.path("rows");
        assertEquals(4, rows.size());
        assertEquals("reference", rows.get(0).path("codec").asText());
        assertTrue(rows.get(0).path("greedy_text").asText().startsWith("Once upon a time"));
        assertEquals(rows.get(0).path("greedy_text"), rows.get(1).path("greedy_text"));
        assertEquals(0.0, rows.get(1).path("kl_max_nats").asDouble());
        assertTrue(rows.get(1).path("logits_identical").asBoolean());
        assertTrue(rows.get(2).path("kl_mean_nats").asDouble() > 0);
        assertEquals("int8", rows.get(3).path("kv").asText());
    }

    @Test
    void theSameInputsGiveTheSameBytes(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Path text = Files.writeString(dir.resolve("story.txt"), "Tom and Sue went to the park. They saw a dog.\n");
        for (String name : List.of("a", "b")) {
            Result r = run("fidelity", "--model", model.toString(), "--codec", "int4-g128-asym", "--codec", "bf16",
                    "--text", text.toString(), "--tokens", "8", "--out", dir.resolve(name).toString());
            assertEquals(0, r.code(), r.err());
        }
        for (String file : List.of("fidelity.csv", "fidelity.md", "report.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
                    Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
        JsonNode j = JSON.readTree(dir.resolve("a").resolve("report.json").toFile());
        assertEquals(text.toString(), j.path("text").path("source").asText());
        int tokens = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512)
                .encode("Tom and Sue went to the park. They saw a dog.", true, false).length;
        assertEquals(tokens, j.path("text").path("tokens_with_bos").asInt(), "the file's final newline is dropped");
    }

    @Test
    void aNonEmptyOutIsRefusedWithoutForceAndReplacedWithIt(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Path out = Files.createDirectories(dir.resolve("fid"));
        Path kept = Files.writeString(out.resolve("notes.txt"), "mine");
        Result r = run("fidelity", "--model", model.toString(), "--codec", "bf16", "--tokens", "4",
                "--out", out.toString());
        assertOneLineError(r, "--out " + out + ": directory is not empty; pass --force");
        assertEquals("mine", Files.readString(kept));
        assertFalse(Files.exists(out.resolve("fidelity.csv")));

        r = run("fidelity", "--model", model.toString(), "--codec", "bf16", "--tokens", "4", "--out", out.toString(),
                "--force");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(kept));
        assertTrue(Files.isRegularFile(out.resolve("fidelity.csv")));
    }

    @Test
    void badSettingsAreRefusedBeforeAnyWorkWithOneLine(@TempDir Path dir) throws Exception {
        // Settings are checked before the model is read: a placeholder file stands in for it.
        Path model = Files.writeString(dir.resolve("m.bin"), "not read");
        Path out = dir.resolve("fid");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "int8-channel-sym",
                "--codec", "int5-g32", "--out", out.toString()), "--codec 'int5-g32': 'int5-g32' is not a weight format");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "int8-channel",
                "--codec", "INT8-channel-sym", "--out", out.toString()), "the same setting as --codec 'int8-channel'");
        assertOneLineError(run("fidelity", "--model", dir.resolve("none.bin").toString(), "--codec", "bf16"),
                "--model " + dir.resolve("none.bin") + ": no such model file");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "bf16",
                "--text", dir.resolve("none.txt").toString()), "--text " + dir.resolve("none.txt"));
        assertFalse(Files.exists(out), "nothing written");
        assertEquals(2, run("fidelity", "--model", model.toString()).code(), "--codec is required");
    }

    @Test
    void inputsThatDoNotFitTheModelAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
        Path model = TestModels.stories260K();
        Path out = dir.resolve("fid");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "bf16", "--tokens", "0",
                "--out", out.toString()), "--tokens 0: expected 1..511");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "bf16", "--tokens", "512",
                "--out", out.toString()), "--tokens 512: expected 1..511");
        Path longText = Files.writeString(dir.resolve("long.txt"), "The cat sat on the mat. ".repeat(200));
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "bf16", "--text",
                longText.toString(), "--out", out.toString()), "tokens with BOS; expected at most 512");
        Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\n");
        assertOneLineError(run("fidelity", "--model", model.toString(), "--codec", "bf16", "--text",
                blank.toString(), "--out", out.toString()), "expected text to evaluate on, found none");
        Path alone = Files.copy(model, Files.createDirectories(dir.resolve("alone")).resolve("stories260K.bin"));
        assertOneLineError(run("fidelity", "--model", alone.toString(), "--codec", "bf16", "--out", out.toString()),
                "--tokenizer: not given, and none of");
        assertFalse(Files.exists(out), "nothing written");
    }
}
