package io.nccsim.tokenizer;

import java.text.Normalizer;

/**
 * BERT's text clean-up, in Hugging Face's order: drop control characters and turn every whitespace character into a
 * space; put spaces around CJK ideographs; strip accents (decompose, then drop the combining marks); lowercase.
 *
 * @param cleanText    drop NUL, U+FFFD and control characters; whitespace becomes ' '
 * @param chineseChars surround each CJK ideograph with spaces, so that each becomes a word
 * @param stripAccents NFD, then drop non-spacing marks: "café" becomes "cafe"
 * @param lowercase    Unicode lower case
 */
record BertNormalizer(boolean cleanText, boolean chineseChars, boolean stripAccents, boolean lowercase)
        implements TextNormalizer {

    @Override
    public String normalize(String text) {
        String s = text;
        if (cleanText || chineseChars) {
            StringBuilder b = new StringBuilder(s.length() + 8);
            s.codePoints().forEach(cp -> {
                if (cleanText && (cp == 0 || cp == 0xFFFD || CharClasses.isControl(cp))) {
                    return;
                }
                if (cleanText && CharClasses.isWhitespace(cp)) {
                    b.append(' ');
                } else if (chineseChars && CharClasses.isCjkIdeograph(cp)) {
                    b.append(' ').appendCodePoint(cp).append(' ');
                } else {
                    b.appendCodePoint(cp);
                }
            });
            s = b.toString();
        }
        if (stripAccents) {
            StringBuilder b = new StringBuilder(s.length());
            Normalizer.normalize(s, Normalizer.Form.NFD).codePoints()
                    .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                    .forEach(b::appendCodePoint);
            s = b.toString();
        }
        return lowercase ? CharClasses.lowercase(s) : s;
    }
}
