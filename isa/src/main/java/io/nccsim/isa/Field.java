package io.nccsim.isa;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One field of an opcode's fixed 128-bit layout.
 *
 * <p>Bits are numbered 0..127 across the instruction: bits 0..63 are word 0 and bits 64..127 are word 1, each word
 * stored little-endian, so bit {@code b} is in byte {@code b / 8}. A field never straddles the two words. The field
 * holds its value as an unsigned binary number; bits of an instruction that no field of its opcode covers are
 * reserved and must be zero.
 *
 * @param name    the field's name in the assembly text, in error messages and in the README, e.g. {@code src_bytes}
 * @param lsb     lowest bit of the field, 0..127
 * @param width   bits in the field, 1..63
 * @param min     smallest valid value
 * @param max     largest valid value; fits in {@code width} bits
 * @param kind    how the value is read: a number, a DRAM address or a symbol
 * @param symbols for a {@link Kind#SYMBOL} field, the name of each value, indexed by value; otherwise empty
 * @param textDefault the value the assembly text means when the field is left out, or empty when the field must be
 *                    given. Only a field added to an existing opcode has one, so that text written before it existed
 *                    still assembles; the disassembler always writes the field
 */
public record Field(String name, int lsb, int width, long min, long max, Kind kind, List<String> symbols,
                    OptionalLong textDefault) {

    /** How a field's value is read and written as text. */
    public enum Kind {
        /** An unsigned number, written in decimal. */
        NUMBER,
        /** A DRAM byte address, 48 bits, a multiple of {@link Limits#DRAM_ALIGNMENT}, written in hex. */
        ADDRESS,
        /** One of a few named values (an enum), written by name. */
        SYMBOL
    }

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(textDefault, "textDefault");
        symbols = List.copyOf(symbols);
        if (width < 1 || width > 63 || lsb < 0 || lsb + width > 128) {
            throw new IllegalArgumentException("field " + name + ": bits " + lsb + "+" + width + " not within 0..127");
        }
        if (lsb / 64 != (lsb + width - 1) / 64) {
            throw new IllegalArgumentException("field " + name + " straddles the two 64-bit words");
        }
        if (min < 0 || min > max || max > (1L << width) - 1) {
            throw new IllegalArgumentException("field " + name + ": range " + min + ".." + max
                    + " does not fit " + width + " bits");
        }
        if ((kind == Kind.SYMBOL) != !symbols.isEmpty()
                || kind == Kind.SYMBOL && (min != 0 || max != symbols.size() - 1)) {
            throw new IllegalArgumentException("field " + name + ": symbols must name exactly the values 0..max");
        }
        if (textDefault.isPresent() && (textDefault.getAsLong() < min || textDefault.getAsLong() > max)) {
            throw new IllegalArgumentException("field " + name + ": text default " + textDefault.getAsLong()
                    + " out of range " + min + ".." + max);
        }
    }

    static Field number(String name, int lsb, int width, long min, long max) {
        return new Field(name, lsb, width, min, max, Kind.NUMBER, List.of(), OptionalLong.empty());
    }

    static Field address(String name, int lsb) {
        return new Field(name, lsb, Limits.ADDRESS_BITS, 0, Limits.MAX_ADDRESS, Kind.ADDRESS, List.of(),
                OptionalLong.empty());
    }

    static Field symbol(String name, int lsb, int width, List<String> symbols) {
        return new Field(name, lsb, width, 0, symbols.size() - 1, Kind.SYMBOL, symbols, OptionalLong.empty());
    }

    /** This field with a value that the assembly text may leave out; see {@link #textDefault()}. */
    Field withTextDefault(long value) {
        return new Field(name, lsb, width, min, max, kind, symbols, OptionalLong.of(value));
    }

    /** Highest bit of the field. */
    public int msb() {
        return lsb + width - 1;
    }

    /** The value as the assembly text writes it: hex for an address, the name for a symbol, else decimal. */
    public String format(long value) {
        if (kind == Kind.SYMBOL && value >= 0 && value < symbols.size()) {
            return symbols.get((int) value);
        }
        return number(value);
    }

    /** The value as a number, as error messages show it: hex for an address, else decimal. */
    String number(long value) {
        return kind == Kind.ADDRESS ? hex(value) : Long.toString(value);
    }

    static String hex(long value) {
        return value < 0 ? "-0x" + Long.toUnsignedString(-value, 16) : "0x" + Long.toHexString(value);
    }

    /** Bits of the field within its word. */
    long mask() {
        return ((1L << width) - 1) << (lsb % 64);
    }

    void insert(long[] words, long value) {
        words[lsb / 64] |= (value << (lsb % 64)) & mask();
    }

    long extract(long[] words) {
        return (words[lsb / 64] & mask()) >>> (lsb % 64);
    }
}
