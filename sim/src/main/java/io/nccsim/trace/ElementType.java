package io.nccsim.trace;

import java.util.Locale;

/** Element types a tensor may be stored in. Integer types are the symbols the NCC's Huffman path codes. */
public enum ElementType {
    FP32(32, false), FP16(16, false), BF16(16, false), INT8(8, true), INT4(4, true), INT3(3, true), INT2(2, true);

    private final int bits;
    private final boolean quantized;

    ElementType(int bits, boolean quantized) {
        this.bits = bits;
        this.quantized = quantized;
    }

    public int bits() {
        return bits;
    }

    /** True for the integer types whose values are symbols from an alphabet of {@code 2^bits}. */
    public boolean quantized() {
        return quantized;
    }

    /** Alphabet size of a quantized type; histograms of this type have exactly this many bins. */
    public int alphabetSize() {
        if (!quantized) {
            throw new IllegalStateException(this + " has no symbol alphabet");
        }
        return 1 << bits;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ElementType fromId(String id) {
        for (ElementType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown element type '" + id + "'");
    }
}
