package io.nccsim.codec;

import io.nccsim.common.BadInputException;

/**
 * Bit-exact canonical Huffman encoding of byte symbols with a {@link HuffmanCode}: each symbol becomes its canonical
 * code word, most significant bit first, so a stream is exactly {@code sum(count(s) * length(s))} bits.
 */
public final class HuffmanEncoder {
    /** Symbols are bytes, so an alphabet holds at most 256 of them. */
    public static final int MAX_ALPHABET = 256;

    private final HuffmanCode code;
    private final int[] words = new int[MAX_ALPHABET];
    private final int[] lengths = new int[MAX_ALPHABET]; // 0 for symbols without a code, and beyond the alphabet

    public HuffmanEncoder(HuffmanCode code) {
        if (code.alphabetSize() > MAX_ALPHABET) {
            throw new BadInputException("HuffmanEncoder: expected an alphabet of at most " + MAX_ALPHABET
                    + " byte symbols, found " + code.alphabetSize());
        }
        this.code = code;
        int[] canonical = code.canonicalCodes();
        for (int s = 0; s < code.alphabetSize(); s++) {
            words[s] = canonical[s];
            lengths[s] = code.length(s);
        }
    }

    public HuffmanCode code() {
        return code;
    }

    /**
     * Bits that coding {@code symbols[from], symbols[from+stride], ...} (up to, not including, {@code to}) takes;
     * a symbol without a code is a {@link BadInputException} naming its index.
     */
    public long codedBits(byte[] symbols, int from, int to, int stride) {
        long bits = 0;
        for (int i = from; i < to; i += stride) {
            int len = lengths[symbols[i] & 0xFF];
            if (len == 0) {
                throw noCode(symbols, i);
            }
            bits += len;
        }
        return bits;
    }

    /** Writes the code words of {@code symbols[from], symbols[from+stride], ...} (before {@code to}) to {@code out}. */
    public void encode(byte[] symbols, int from, int to, int stride, BitWriter out) {
        for (int i = from; i < to; i += stride) {
            int s = symbols[i] & 0xFF;
            int len = lengths[s];
            if (len == 0) {
                throw noCode(symbols, i);
            }
            out.write(words[s], len);
        }
    }

    private BadInputException noCode(byte[] symbols, int i) {
        return new BadInputException("Huffman encoder: symbol index " + i + ": expected a symbol with a code word in"
                + " this table (alphabet of " + code.alphabetSize() + "), found symbol " + (symbols[i] & 0xFF));
    }
}
