package io.nccsim.capture;

import io.nccsim.testutil.Cli;
import io.nccsim.testutil.MiniLm;
import io.nccsim.tokenizer.HfTokenizer;
import io.nccsim.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nccsim capture} on all-MiniLM-L6-v2 named inside its jar: it recognises the encoder, takes --prompt as a
 * file of sentences, prints what it embedded, and refuses the decoder's generation options in one line.
 */
class EncoderCaptureCommandTest {
    private static Cli.Result capture(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("capture", "--model", MiniLm.modelPath().toString(),
                "--weights", "int8-channel-sym", "-o", out.toString()));
        args.addAll(Arrays.asList(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aFileOfSentencesIsEmbeddedAndTraced(@TempDir Path dir) throws IOException {
        Path sentences = Files.writeString(dir.resolve("s.txt"), "The first sentence.\n\n  A second one, longer "
                + "than the first.  \nThird.\n");
        Path out = dir.resolve("minilm.trace");
        Cli.Result r = capture(out, "--tokenizer", MiniLm.tokenizerPath().toString(), "--prompt",
                sentences.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("embedded 3 sentences"), r.out());
        List<String> lines = List.of("The first sentence.", "A second one, longer than the first.", "Third.");
        HfTokenizer tok = HfTokenizer.read(MiniLm.tokenizerPath());
        int tokens = lines.stream().mapToInt(s -> tok.encode(s).length()).sum();
        assertTrue(r.out().contains(tokens + " tokens"), r.out());
        float[][] expected = new BertEncoder(DeployedEncoder.of(BertModel.of(MiniLm.model(), 12),
                io.nccsim.codec.WeightQuant.parse("int8-channel-sym", "test")).model(), tok).embed(lines);
        assertTrue(r.out().contains(String.format(Locale.ROOT, "embeddings crc32: %08x",
                EncoderCapture.crc32(expected))), r.out());
        assertTrue(r.out().contains("sentences/s"), r.out());
        try (TraceReader t = TraceReader.open(out)) {
            assertEquals("bert", t.header().shape().family());
            assertTrue(t.header().provenance().method().contains("3 sentences from --prompt " + sentences),
                    t.header().provenance().method());
        }
    }

    @Test
    void generationOptionsAndAMissingTokenizerAreRefusedInOneLineWithNoFile(@TempDir Path dir) {
        Path out = dir.resolve("bad.trace");
        String tok = MiniLm.tokenizerPath().toString();
        // Each case loads the 90 MB model to learn it is an encoder, so only two: a generation option, and the
        // tokenizer an encoder cannot do without.
        List<String[]> cases = List.of(
                new String[] {"--tokenizer", tok, "--prompt", "x", "--max-new-tokens", "4"},
                new String[] {"--prompt", "x"});
        List<String> mentions = List.of("--max-new-tokens", "--tokenizer");
        for (int i = 0; i < cases.size(); i++) {
            Cli.Result r = capture(out, cases.get(i));
            assertEquals(2, r.code(), String.join(" ", cases.get(i)) + "\n" + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains(mentions.get(i)), r.err());
            assertFalse(Files.exists(out));
        }
        // The int8 export runs in the encoder, but a capture deploys fp32 weights in --weights: it says so.
        Cli.Result q = Cli.run("capture", "--model", MiniLm.int8ModelPath().toString(), "--tokenizer", tok,
                "--prompt", "x", "--weights", "int8-channel-sym", "-o", out.toString());
        assertEquals(2, q.code(), q.err());
        assertEquals(1, q.err().lines().count(), q.err());
        assertTrue(q.err().contains("int8 weights already"), q.err());
        assertFalse(Files.exists(out));
    }
}
