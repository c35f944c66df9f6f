package io.nccsim.tokenizer;

import java.util.List;

/**
 * BERT's word splitting: words are separated by whitespace, which is dropped, and every punctuation mark is a word
 * of its own ("don't!" is "don", "'", "t", "!").
 */
final class BertPreTokenizer implements PreTokenizer {
    @Override
    public void split(String piece, List<String> out) {
        int start = -1;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (CharClasses.isWhitespace(cp) || CharClasses.isPunctuation(cp)) {
                if (start >= 0) {
                    out.add(piece.substring(start, i));
                    start = -1;
                }
                if (!CharClasses.isWhitespace(cp)) {
                    out.add(piece.substring(i, next));
                }
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        if (start >= 0) {
            out.add(piece.substring(start));
        }
    }

    /** Words separated by whitespace, which is dropped (tokenizer.json's WhitespaceSplit). */
    static void splitOnWhitespace(String piece, List<String> out) {
        int start = -1;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            if (CharClasses.isWhitespace(cp)) {
                if (start >= 0) {
                    out.add(piece.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(piece.substring(start));
        }
    }
}
