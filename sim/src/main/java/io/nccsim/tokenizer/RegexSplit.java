package io.nccsim.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Splits a piece of text at the matches of a regular expression (tokenizer.json's {@code Split}, {@code Digits} and
 * {@code Punctuation} pre-tokenizers), keeping or dropping the matches as {@link Behavior} says.
 *
 * <p>Patterns are compiled with {@link Pattern#UNICODE_CHARACTER_CLASS}, so that {@code \s}, {@code \w} and
 * case-insensitive groups mean what they mean in the Oniguruma engine Hugging Face uses (Unicode, not ASCII).
 *
 * @param pattern  what a delimiter looks like
 * @param behavior what becomes of the delimiters
 * @param invert   the matches are the words and the text between them the delimiters
 */
record RegexSplit(Pattern pattern, Behavior behavior, boolean invert) implements PreTokenizer {
    /** One BERT punctuation mark: Unicode's P* categories and every ASCII punctuation character. */
    static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}!-/:-@\\[-`{-~]");

    /** What becomes of a delimiter, as tokenizer.json's SplitDelimiterBehavior names it. */
    enum Behavior {
        /** dropped */
        REMOVED,
        /** a word of its own */
        ISOLATED,
        /** glued to the end of the word before it */
        MERGED_WITH_PREVIOUS,
        /** glued to the start of the word after it */
        MERGED_WITH_NEXT,
        /** one word per run of adjacent delimiters */
        CONTIGUOUS;

        static Behavior read(JsonField f) {
            return switch (f.text()) {
                case "Removed" -> REMOVED;
                case "Isolated" -> ISOLATED;
                case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
                case "MergedWithNext" -> MERGED_WITH_NEXT;
                case "Contiguous" -> CONTIGUOUS;
                default -> throw f.error("Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous");
            };
        }
    }

    static Pattern compile(JsonField regex) {
        try {
            return Pattern.compile(regex.text(), Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw regex.problem("not a regular expression Java can compile: "
                    + e.getDescription() + " at index " + e.getIndex());
        }
    }

    /** A stretch of the piece: a delimiter or the text between delimiters. */
    private record Span(int start, int end, boolean delimiter) {
    }

    @Override
    public void split(String piece, List<String> out) {
        List<Span> spans = new ArrayList<>();
        Matcher m = pattern.matcher(piece);
        int at = 0;
        while (m.find()) {
            if (m.end() == m.start()) {
                continue; // an empty match delimits nothing
            }
            if (m.start() > at) {
                spans.add(new Span(at, m.start(), invert));
            }
            spans.add(new Span(m.start(), m.end(), !invert));
            at = m.end();
        }
        if (at < piece.length()) {
            spans.add(new Span(at, piece.length(), invert));
        }
        // Each word is {start, end}; delimiters join a neighbour only when that neighbour is not a delimiter itself,
        // as in Hugging Face's implementation.
        List<int[]> words = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            Span s = spans.get(i);
            boolean previousDelimiter = i > 0 && spans.get(i - 1).delimiter;
            int[] last = words.isEmpty() ? null : words.get(words.size() - 1);
            if (!s.delimiter) {
                // Under MergedWithNext the delimiter just before glues onto this word.
                if (behavior == Behavior.MERGED_WITH_NEXT && previousDelimiter) {
                    last[1] = s.end;
                } else {
                    words.add(new int[]{s.start, s.end});
                }
                continue;
            }
            switch (behavior) {
                case REMOVED -> {
                }
                case ISOLATED, MERGED_WITH_NEXT -> words.add(new int[]{s.start, s.end});
                case MERGED_WITH_PREVIOUS, CONTIGUOUS -> {
                    boolean join = last != null && (behavior == Behavior.MERGED_WITH_PREVIOUS
                            ? !previousDelimiter : previousDelimiter);
                    if (join) {
                        last[1] = s.end;
                    } else {
                        words.add(new int[]{s.start, s.end});
                    }
                }
            }
        }
        for (int[] w : words) {
            out.add(piece.substring(w[0], w[1]));
        }
    }
}
