package io.nccsim.isa;

/**
 * The compression levels, numbered alike in CONFIG's {@code level} (the level the write path uses for a data class)
 * and in DECOMPRESS's and COMPRESS's {@code level} (the level the data is, or is to be, coded at):
 *
 * <ul>
 *   <li>{@link #BYPASS} (0): uncompressed. Never in DECOMPRESS or COMPRESS: uncompressed data moves with COPY.</li>
 *   <li>{@link #LOSSLESS} (1): lossless canonical Huffman coding of each element.</li>
 *   <li>2..4 (lossy): the low 1, 2 or 3 bits of each element ({@link #droppedBits}) are dropped before Huffman
 *       coding; the element width stays {@code elem_bits}, and the decoder restores each element as the midpoint of
 *       its dropped range ({@link #restoredElement}).</li>
 *   <li>5..7 (learned): decoded by the NCC's neural datapath, the codec defined by a codec profile. Until a profile
 *       defines them an NCC may reject these levels when it executes the command; the encoding accepts them.</li>
 * </ul>
 */
public final class CompressionLevel {
    /** Level 0: no compression (CONFIG only). */
    public static final int BYPASS = 0;
    /** Level 1: lossless canonical Huffman coding. */
    public static final int LOSSLESS = 1;
    /** The lowest lossy level: one low bit dropped. */
    public static final int MIN_LOSSY = 2;
    /** The highest lossy level: three low bits dropped. */
    public static final int MAX_LOSSY = 4;
    /** The lowest learned-codec level. */
    public static final int MIN_LEARNED = 5;
    /** The highest level; the {@code level} fields are 3 bits wide. */
    public static final int MAX = Limits.MAX_LEVEL;

    private CompressionLevel() {
    }

    /** True for the lossy levels 2..4, which drop low bits before Huffman coding. */
    public static boolean isLossy(int level) {
        return level >= MIN_LOSSY && level <= MAX_LOSSY;
    }

    /** True for the learned-codec levels 5..7. */
    public static boolean isLearned(int level) {
        return level >= MIN_LEARNED && level <= MAX;
    }

    /**
     * The low bits of each element a Huffman-coded level drops before coding: 0 at level 1, {@code level - 1} at
     * levels 2..4. The Huffman symbol is the element shifted right by this many bits, so the table in the command's
     * slot codes symbols of {@code elem_bits - droppedBits(level)} bits (its {@code alphabet_bits}).
     *
     * @throws IsaException for bypass and the learned levels, which do not Huffman-code elements
     */
    public static int droppedBits(int level) {
        if (level == LOSSLESS || isLossy(level)) {
            return level - LOSSLESS;
        }
        throw new IsaException("level " + level + " is not a Huffman-coded level (1.." + MAX_LOSSY + ")");
    }

    /** The Huffman symbol of an unsigned element at a Huffman-coded level: its low bits dropped. */
    public static int codedSymbol(int element, int level) {
        return element >>> droppedBits(level);
    }

    /**
     * The element the decoder restores from a symbol at a Huffman-coded level: the midpoint of the
     * {@code 2^d} elements that share the symbol ({@code d = droppedBits(level)}), rounded up as integers are:
     * {@code (symbol << d) + 2^(d-1)}; at level 1 the symbol itself.
     */
    public static int restoredElement(int symbol, int level) {
        int d = droppedBits(level);
        return d == 0 ? symbol : (symbol << d) + (1 << (d - 1));
    }
}
