package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.testutil.ByteLevelTokenizerJson;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One tokenizer interface for llama2.c's tokenizer.bin and Hugging Face's tokenizer.json, told apart by content. */
class DecoderTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void aLlama2cTokenizerBinIsReadAsOne() {
        DecoderTokenizer t = DecoderTokenizer.load(TestModels.stories260KTokenizer(), 512);
        assertTrue(t instanceof Llama2cTokenizer);
        assertEquals(Llama2cTokenizer.BOS, t.bos());
        assertEquals(Set.of(Llama2cTokenizer.EOS), t.eos());
        assertArrayEquals(new int[]{Llama2cTokenizer.BOS}, t.encodePrompt(""));
        int[] p = t.encodePrompt("Lily had a ball");
        assertEquals("Lily had a ball", t.decode(Arrays.copyOfRange(p, 1, p.length)));
    }

    @Test
    void aTokenizerJsonFindsBosByNameOrFromItsPostProcessor() throws IOException {
        Path plain = ByteLevelTokenizerJson.write(dir.resolve("tokenizer.json"), 300);
        // Content decides, not the name; whitespace may come before the object.
        Path renamed = Files.writeString(dir.resolve("tok.bin"), "\n  " + Files.readString(plain));
        for (Path p : new Path[]{plain, renamed}) {
            DecoderTokenizer t = DecoderTokenizer.load(p, 512);
            assertTrue(t instanceof HfDecoderTokenizer, p.toString());
            assertEquals(298, t.bos());
            assertEquals(Set.of(299), t.eos());
            int[] ids = t.encodePrompt("Lily had a ball");
            assertEquals(298, ids[0]);
            // "Lily", " had", " " "a" (no merge makes " a"), " ball"
            assertEquals(1 + 5, ids.length, Arrays.toString(ids));
            assertEquals("Lily had a ball", t.decode(Arrays.copyOfRange(ids, 1, ids.length)));
            assertArrayEquals(new int[]{298}, t.encodePrompt(""));
        }

        Path llama3 = ByteLevelTokenizerJson.write(dir.resolve("llama3.json"), 300, "<|begin_of_text|>",
                "<|eot_id|>", true);
        DecoderTokenizer t = DecoderTokenizer.load(llama3, 512);
        assertEquals(298, t.bos());
        assertEquals(Set.of(299), t.eos());
        int[] ids = t.encodePrompt("Lily");
        assertEquals(2, ids.length, "the post-processor's BOS is not added twice: " + Arrays.toString(ids));
    }

    @Test
    void aTokenizerThatDoesNotFitTheModelIsRefusedInOneLine() throws IOException {
        Path big = ByteLevelTokenizerJson.write(dir.resolve("big.json"), 600);
        BadInputException e = assertThrows(BadInputException.class, () -> DecoderTokenizer.load(big, 512));
        assertTrue(e.getMessage().startsWith(big + ": 600 tokens, more than the model's vocabulary of 512"),
                e.getMessage());

        Path noBos = ByteLevelTokenizerJson.write(dir.resolve("nobos.json"), 300, "<pad>", "<unk>", false);
        e = assertThrows(BadInputException.class, () -> DecoderTokenizer.load(noBos, 512));
        assertTrue(e.getMessage().contains("no begin-of-sequence token"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        e = assertThrows(BadInputException.class, () -> DecoderTokenizer.load(dir.resolve("none.json"), 512));
        assertTrue(e.getMessage().contains("no such tokenizer file"), e.getMessage());
    }
}
