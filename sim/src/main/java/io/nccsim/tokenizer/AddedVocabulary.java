package io.nccsim.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the added tokens out of a text: the pieces between them go on to the normalizer and the model, the added
 * tokens become their ids directly. At each position the longest added token that matches there wins, scanning
 * left to right, as Hugging Face's leftmost-longest matcher does.
 */
final class AddedVocabulary {
    /** A piece of text, or an added token (then {@code id} is its id and {@code text} its content). */
    record Segment(String text, int id) {
        boolean isAdded() {
            return id >= 0;
        }
    }

    private final List<AddedToken> raw;
    private final List<AddedToken> normalized;

    AddedVocabulary(List<AddedToken> tokens) {
        Comparator<AddedToken> longestFirst = Comparator.comparingInt((AddedToken t) -> t.content().length())
                .reversed();
        this.raw = tokens.stream().filter(t -> !t.normalized()).sorted(longestFirst).toList();
        this.normalized = tokens.stream().filter(AddedToken::normalized).sorted(longestFirst).toList();
    }

    /** Cuts the tokens matched in the raw text (those with {@code normalized} false). */
    List<Segment> splitRaw(String text) {
        return split(text, raw);
    }

    /** Cuts the tokens matched in the normalized text. */
    List<Segment> splitNormalized(String text) {
        return split(text, normalized);
    }

    private static List<Segment> split(String text, List<AddedToken> tokens) {
        List<Segment> out = new ArrayList<>();
        if (tokens.isEmpty()) {
            out.add(new Segment(text, -1));
            return out;
        }
        int pieceStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken hit = match(text, i, tokens);
            if (hit == null) {
                i++;
                continue;
            }
            int start = i;
            int end = i + hit.content().length();
            if (hit.lstrip()) {
                while (start > pieceStart && CharClasses.isWhitespace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (hit.rstrip()) {
                while (end < text.length() && CharClasses.isWhitespace(text.charAt(end))) {
                    end++;
                }
            }
            if (start > pieceStart) {
                out.add(new Segment(text.substring(pieceStart, start), -1));
            }
            out.add(new Segment(hit.content(), hit.id()));
            pieceStart = end;
            i = end;
        }
        if (pieceStart < text.length()) {
            out.add(new Segment(text.substring(pieceStart), -1));
        }
        return out;
    }

    /** The longest token matching at {@code i} (the list is longest first), honouring single_word. */
    private static AddedToken match(String text, int i, List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            if (!text.startsWith(t.content(), i)) {
                continue;
            }
            int end = i + t.content().length();
            if (t.singleWord() && ((i > 0 && isWordChar(text.codePointBefore(i)))
                    || (end < text.length() && isWordChar(text.codePointAt(end))))) {
                continue;
            }
            return t;
        }
        return null;
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
