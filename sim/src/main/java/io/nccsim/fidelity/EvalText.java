package io.nccsim.fidelity;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text perplexity, top-1 agreement and KL are measured on.
 *
 * @param source where it came from: "built-in" or the file's path
 * @param text   the text itself, surrounding whitespace removed (a file's final newline is not part of the story)
 */
public record EvalText(String source, String text) {
    /**
     * A short story in the style of TinyStories, written for nccsim (so it is in no model's training set), with the
     * everyday words, names and dialogue such small story models are trained on.
     */
    public static final String BUILT_IN = "Once upon a time, there was a little boy named Tom. Tom had a red kite "
            + "that he loved very much. One windy day, he took his kite to the park with his mom. The kite flew high "
            + "up in the sky, and Tom laughed and ran after it. Then the string broke, and the kite got stuck in a "
            + "big tree. Tom was sad and began to cry. A kind girl named Sue saw him and said, \"Do not be sad. I "
            + "can help you.\" Sue got a long stick and pushed the kite down from the tree. Tom was so happy. He said,"
            + " \"Thank you, Sue! You are my best friend.\" They played with the kite together until the sun went "
            + "down.";

    public EvalText {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty evaluation text");
        }
    }

    /** The text's non-blank lines, stripped: one sentence each for an encoder. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    public static EvalText builtIn() {
        return new EvalText("built-in", BUILT_IN);
    }

    /**
     * The UTF-8 text of {@code file}; {@code option} names where it was given, for the one-line error.
     *
     * @throws BadInputException if the file cannot be read, is not UTF-8 or holds only whitespace
     */
    public static EvalText load(Path file, String option) {
        String s;
        try {
            // A strict decoder: malformed bytes are an error, not silently replaced characters.
            s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(option + " " + file + ": expected UTF-8 text, found malformed bytes");
        } catch (IOException e) {
            throw new BadInputException(option + " " + file + ": cannot read it: " + e.getMessage(), e);
        }
        if (s.isBlank()) {
            throw new BadInputException(option + " " + file + ": expected text to evaluate on, found none");
        }
        return new EvalText(file.toString(), s.strip());
    }
}
