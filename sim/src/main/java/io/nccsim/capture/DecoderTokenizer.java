package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.tokenizer.HfTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What running a decoder needs from its tokenizer: the prompt as token ids with BOS first, the generated ids back
 * as text, and the ids that begin and end a text (generation stops at either, as llama2.c's loop stops at BOS).
 * Served by llama2.c's {@code tokenizer.bin} ({@link Llama2cTokenizer}) and by Hugging Face {@code tokenizer.json}
 * files ({@link HfDecoderTokenizer}).
 */
public interface DecoderTokenizer {
    /** The begin-of-sequence id that starts every prompt. */
    int bos();

    /** The ids that end a text. */
    Set<Integer> eos();

    /** Tokens the vocabulary holds (ids 0 .. vocabSize-1); at most the model's vocabulary. */
    int vocabSize();

    /** {@code text} as the model reads it: BOS, then the text's tokens ("" gives BOS alone). */
    int[] encodePrompt(String text);

    /** The text of {@code tokens}, which follow BOS, as printed after a run (control tokens left out). */
    String decode(int[] tokens);

    /**
     * The tokenizer in {@code file}, told apart by content: a JSON object is a Hugging Face tokenizer.json, anything
     * else a llama2.c tokenizer.bin, which must hold exactly {@code modelVocab} tokens. A tokenizer.json may be
     * smaller than the model's vocabulary (embedding tables are often padded), never larger.
     */
    static DecoderTokenizer load(Path file, int modelVocab) {
        if (!file.toString().contains("!/") && !Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such tokenizer file");
        }
        DecoderTokenizer t = file.toString().contains("!/") || startsLikeJson(file)
                ? HfDecoderTokenizer.of(HfTokenizer.read(file))
                : Llama2cTokenizer.load(file, modelVocab);
        if (t.vocabSize() > modelVocab) {
            throw new BadInputException(file + ": " + t.vocabSize() + " tokens, more than the model's vocabulary of "
                    + modelVocab + "; expected the tokenizer that goes with the model");
        }
        return t;
    }

    private static boolean startsLikeJson(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            for (byte b : head) {
                if (b == '{') {
                    return true;
                }
                // whitespace and a UTF-8 byte-order mark may come before the object
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != (byte) 0xEF && b != (byte) 0xBB
                        && b != (byte) 0xBF) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the tokenizer: " + e.getMessage(), e);
        }
    }
}
