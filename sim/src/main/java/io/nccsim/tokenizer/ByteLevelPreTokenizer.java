package io.nccsim.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level pre-tokenizer: optionally splits the text with GPT-2's word pattern (a word keeps the one
 * space before it: "Hello world" is "Hello", " world"), then writes each word's UTF-8 bytes in the
 * {@link ByteLevelAlphabet}, which is what the byte-level BPE vocabulary is spelled in.
 *
 * @param addPrefixSpace put a space before a piece that does not start with one, so the first word is spelled like
 *                       the others
 * @param useRegex       split with GPT-2's pattern (Llama-3 and Qwen2 split earlier with their own pattern and turn
 *                       this off)
 */
record ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
    /** GPT-2's pattern: English contractions, letters, numbers, other symbols, each with an optional leading space. */
    private static final Pattern GPT2_WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final RegexSplit WORDS = new RegexSplit(GPT2_WORDS, RegexSplit.Behavior.ISOLATED, false);

    @Override
    public void split(String piece, List<String> out) {
        String text = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
        List<String> words = new ArrayList<>();
        if (useRegex) {
            WORDS.split(text, words);
        } else if (!text.isEmpty()) {
            words.add(text);
        }
        for (String w : words) {
            out.add(ByteLevelAlphabet.encode(w));
        }
    }
}
