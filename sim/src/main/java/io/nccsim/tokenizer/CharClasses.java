package io.nccsim.tokenizer;

import java.util.Locale;

/**
 * The character classes Hugging Face's tokenizers test, defined on code points as the Rust library defines them
 * (which differs from {@link Character#isWhitespace}: no-break spaces are whitespace there, and are here).
 */
final class CharClasses {
    private CharClasses() {
    }

    /** Unicode's White_Space property, which Rust's {@code char::is_whitespace} follows. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** BERT's "control": Unicode's Other categories (Cc, Cf, Cs, Co, Cn), except tab, newline and return. */
    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
                || t == Character.PRIVATE_USE || t == Character.UNASSIGNED;
    }

    /** BERT's punctuation: every ASCII punctuation mark (including $, +, <, =, >, ^, `, |, ~) and Unicode's P*. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION;
    }

    /**
     * The CJK Unified Ideographs blocks, whose characters BERT treats as words of their own (Chinese text has no
     * spaces); Japanese kana and Korean hangul are not among them, as in BERT.
     */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * Unicode lower case one character at a time, as Hugging Face's normalizers do it: unlike
     * {@link String#toLowerCase}, a final capital sigma becomes 'σ', not 'ς', since no character sees its
     * neighbours. Full mappings still apply ('İ' becomes "i̇").
     */
    static String lowercase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                b.append((char) (cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
            } else {
                b.append(Character.toString(cp).toLowerCase(Locale.ROOT));
            }
        });
        return b.toString();
    }
}
