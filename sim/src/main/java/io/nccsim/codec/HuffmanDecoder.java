package io.nccsim.codec;

import io.nccsim.common.BadInputException;

/**
 * Table-driven canonical Huffman decoding, as a hardware decoder lane does it: the next {@code maxLength} bits index
 * a table whose entry gives the symbol and its code length, and the lane consumes that many bits.
 *
 * <p>For codes of up to {@value #DIRECT_BITS} bits the table has {@code 2^maxLength} entries. Longer limits would
 * make it too big for SRAM (64 Ki entries at 16 bits), so the table splits in two levels: a root of
 * {@code 2^DIRECT_BITS} entries resolves every code of up to {@value #DIRECT_BITS} bits, and each root entry that
 * begins longer codes links to a second-level table indexed by as many further bits as the longest of them needs.
 * An entry nobody's code reaches is unassigned; landing on one means the stream is corrupt.
 */
public final class HuffmanDecoder {
    /** Longest limit decoded with a single table, and the index width of the root table above it. */
    public static final int DIRECT_BITS = 12;

    // Entry layout: bits 0..5 code length (0 = unassigned), bit 6 set for a link, bits 8.. symbol or link target.
    private static final int LENGTH_MASK = 0x3F;
    private static final int LINK = 0x40;

    private final HuffmanCode code;
    private final int rootBits;
    private final int[] table;

    public HuffmanDecoder(HuffmanCode code) {
        if (code.alphabetSize() > HuffmanEncoder.MAX_ALPHABET) {
            throw new BadInputException("HuffmanDecoder: expected an alphabet of at most "
                    + HuffmanEncoder.MAX_ALPHABET + " byte symbols, found " + code.alphabetSize());
        }
        this.code = code;
        this.rootBits = Math.min(code.maxLength(), DIRECT_BITS);
        this.table = build(code, rootBits);
    }

    private static int[] build(HuffmanCode code, int rootBits) {
        int[] lengths = code.lengths();
        int[] words = code.canonicalCodes();
        int rootSize = 1 << rootBits;
        // Size each second-level table by the longest code that begins with its root prefix.
        int[] subBits = new int[rootSize];
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len > rootBits) {
                int prefix = words[s] >>> (len - rootBits);
                subBits[prefix] = Math.max(subBits[prefix], len - rootBits);
            }
        }
        int total = rootSize;
        int[] subStart = new int[rootSize];
        for (int p = 0; p < rootSize; p++) {
            if (subBits[p] > 0) {
                subStart[p] = total;
                total += 1 << subBits[p];
            }
        }
        int[] table = new int[total];
        for (int p = 0; p < rootSize; p++) {
            if (subBits[p] > 0) {
                table[p] = (subStart[p] << 8) | LINK | subBits[p];
            }
        }
        for (int s = 0; s < lengths.length; s++) {
            int len = lengths[s];
            if (len == 0) {
                continue;
            }
            int entry = (s << 8) | len;
            if (len <= rootBits) {
                // Every index that starts with this code word decodes to it, whatever the bits after it are.
                int first = words[s] << (rootBits - len);
                for (int i = 0; i < 1 << (rootBits - len); i++) {
                    table[first + i] = entry;
                }
            } else {
                int prefix = words[s] >>> (len - rootBits);
                int sub = subBits[prefix];
                int rest = words[s] & ((1 << (len - rootBits)) - 1);
                int first = subStart[prefix] + (rest << (sub - (len - rootBits)));
                for (int i = 0; i < 1 << (sub - (len - rootBits)); i++) {
                    table[first + i] = entry;
                }
            }
        }
        return table;
    }

    public HuffmanCode code() {
        return code;
    }

    /** Entries in the lookup tables (root and second level), what the decoder's table SRAM must hold. */
    public int tableEntries() {
        return table.length;
    }

    /**
     * Decodes {@code count} symbols from {@code in} into {@code out[outFrom], out[outFrom+stride], ...}.
     *
     * @param where names the stream in error messages (e.g. "block 3 stream 2")
     * @throws BadInputException naming the bit offset, if the bits run out before the last symbol or hit an
     *                           unassigned code
     */
    public void decode(BitReader in, int count, byte[] out, int outFrom, int stride, String where) {
        final int[] t = table;
        final int shift = 64 - rootBits;
        final int maxLen = code.maxLength();
        int o = outFrom;
        for (int n = 0; n < count; n++, o += stride) {
            if (in.available() < maxLen) {
                in.refill();
            }
            long window = in.window();
            int e = t[(int) (window >>> shift)];
            if ((e & LINK) != 0) {
                int sub = e & LENGTH_MASK;
                e = t[(e >>> 8) + (int) ((window << rootBits) >>> (64 - sub))];
            }
            int len = e & LENGTH_MASK;
            if (len == 0) {
                throw new BadInputException(where + ": bit offset " + in.absoluteBitPosition() + ": expected a code"
                        + " word for symbol " + n + " of " + count + ", found bits that no code word begins with");
            }
            out[o] = (byte) (e >>> 8);
            in.skip(len);
        }
        if (in.overrun()) {
            throw new BadInputException(where + ": bit offset " + in.absoluteEndBit() + ": expected " + count
                    + " symbols, found the stream ends there, after " + in.bitLength() + " bits, but its symbols need "
                    + in.bitPosition());
        }
    }
}
