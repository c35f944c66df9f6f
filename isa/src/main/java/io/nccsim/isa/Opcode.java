package io.nccsim.isa;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The NCC's commands, each with its fixed 8-bit code (bits 0..7 of every instruction) and its field layout.
 *
 * <p>The layout is the single definition of an opcode's fields: their bit positions (see {@link Field} for the
 * numbering), valid ranges and text names. The binary encoding, the validation in the {@link Instruction} records,
 * the assembler and the disassembler all work from it. Fields shared by several opcodes sit at the same bits in each
 * (the table slot at 8..15, the DRAM address at 16..63, the byte count at 64..88, the symbol width at 121..124, the
 * coded level of DECOMPRESS and COMPRESS at 125..127), so the hardware decoder extracts them with the same wiring
 * whatever the opcode.
 *
 * <p>Code 0x00 is never an opcode, so that a zeroed queue entry or zeroed memory does not decode as a command; codes
 * 0x08..0xff are free for later opcodes.
 */
public enum Opcode {
    /** Set the compression level of a data class. See {@link Instruction.Config}. */
    CONFIG(0x01, v -> new Instruction.Config(DataClass.fromCode((int) v[0]), (int) v[1]),
            Field.symbol("data_class", 8, 8, DataClass.symbols()),
            Field.number("level", 16, 3, CompressionLevel.BYPASS, Limits.MAX_LEVEL)),

    /** Load a canonical Huffman table into a table slot. See {@link Instruction.LoadTable}. */
    LOAD_TABLE(0x02, v -> new Instruction.LoadTable((int) v[0], v[1], (int) v[2], (int) v[3]),
            Field.number("slot", 8, 8, 0, Limits.TABLE_SLOTS - 1),
            Field.address("src", 16),
            Field.number("bytes", 64, 25, 1, Limits.MAX_TABLE_BYTES),
            Field.number("alphabet_bits", 121, 4, 1, Limits.MAX_SYMBOL_BITS)),

    /** Read compressed bytes from DRAM and deliver them decoded to the processor. See {@link Instruction.Decompress}. */
    DECOMPRESS(0x03, v -> new Instruction.Decompress(v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4],
            (int) v[5], (int) v[6]),
            Field.address("src", 16),
            Field.number("src_bytes", 64, 25, 1, Limits.MAX_TRANSFER_BYTES),
            Field.number("dst_bytes", 89, 25, 1, Limits.MAX_TRANSFER_BYTES),
            Field.number("slot", 8, 8, 0, Limits.TABLE_SLOTS - 1),
            Field.number("streams", 114, 7, 1, Limits.MAX_STREAMS),
            Field.number("elem_bits", 121, 4, 1, Limits.MAX_SYMBOL_BITS),
            codedLevel()),

    /** Take raw bytes from the processor and write them encoded to DRAM. See {@link Instruction.Compress}. */
    COMPRESS(0x04, v -> new Instruction.Compress(v[0], (int) v[1], (int) v[2], (int) v[3], (int) v[4], (int) v[5]),
            Field.address("dst", 16),
            Field.number("src_bytes", 64, 25, 1, Limits.MAX_TRANSFER_BYTES),
            Field.number("slot", 8, 8, 0, Limits.TABLE_SLOTS - 1),
            Field.number("streams", 114, 7, 1, Limits.MAX_STREAMS),
            Field.number("elem_bits", 121, 4, 1, Limits.MAX_SYMBOL_BITS),
            codedLevel()),

    /** Move bytes between DRAM and the processor uncompressed. See {@link Instruction.Copy}. */
    COPY(0x05, v -> new Instruction.Copy(Direction.fromCode((int) v[0]), v[1], (int) v[2]),
            Field.symbol("direction", 8, 1, Direction.symbols()),
            Field.address("addr", 16),
            Field.number("bytes", 64, 25, 1, Limits.MAX_TRANSFER_BYTES)),

    /** Wait until all earlier commands complete. See {@link Instruction.Fence}. */
    FENCE(0x06, v -> new Instruction.Fence()),

    /** Read a performance counter into the response queue. See {@link Instruction.ReadCounter}. */
    READ_COUNTER(0x07, v -> new Instruction.ReadCounter((int) v[0]),
            Field.number("id", 8, 8, 0, Limits.COUNTERS - 1));

    /**
     * The {@code level} of DECOMPRESS and COMPRESS, in bits 125..127 (reserved before it existed): 1..7, since bypass
     * (0) data moves with COPY. Text written before the field existed leaves it out and means lossless (1).
     */
    private static Field codedLevel() {
        return Field.number("level", 125, 3, CompressionLevel.LOSSLESS, Limits.MAX_LEVEL)
                .withTextDefault(CompressionLevel.LOSSLESS);
    }

    /** Bits 0..7 of every instruction hold the opcode. */
    public static final int OPCODE_BITS = 8;

    private final int code;
    private final Function<long[], Instruction> factory;
    private final List<Field> fields;
    private final long[] usedBits = new long[2];

    Opcode(int code, Function<long[], Instruction> factory, Field... fields) {
        this.code = code;
        this.factory = factory;
        this.fields = List.of(fields);
        usedBits[0] = (1L << OPCODE_BITS) - 1;
        for (Field f : fields) {
            if ((usedBits[f.lsb() / 64] & f.mask()) != 0) {
                throw new IllegalArgumentException(name() + ": field " + f.name() + " overlaps another field");
            }
            usedBits[f.lsb() / 64] |= f.mask();
        }
    }

    /** The 8-bit code in bits 0..7 of the instruction. */
    public int code() {
        return code;
    }

    /** The name in the assembly text: the enum name in lower case, e.g. {@code load_table}. */
    public String mnemonic() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The fields in the order of the record components of the opcode's {@link Instruction} record, which is also the
     * order of {@link Instruction#fieldValues()} and of the assembly text (not necessarily bit order).
     */
    public List<Field> fields() {
        return fields;
    }

    /** The field with this name, or null. */
    public Field field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Build this opcode's instruction from its field values, given in the order of {@link #fields()}.
     *
     * @throws IsaException if a value is out of its field's range or an address is misaligned
     */
    public Instruction instantiate(long... values) {
        check(values);
        return factory.apply(values.clone());
    }

    /** Validate field values given in the order of {@link #fields()}; the records' constructors call this. */
    void check(long... values) {
        if (values.length != fields.size()) {
            throw new IllegalArgumentException(name() + " has " + fields.size() + " fields, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            Field f = fields.get(i);
            long v = values[i];
            // An address within the 48 bits but not aligned is reported as misaligned, even above MAX_ADDRESS.
            if (f.kind() == Field.Kind.ADDRESS && v >= 0 && v < 1L << Limits.ADDRESS_BITS
                    && v % Limits.DRAM_ALIGNMENT != 0) {
                throw new IsaException(name() + ": " + f.name() + " " + f.number(v) + " is not "
                        + Limits.DRAM_ALIGNMENT + "-byte aligned");
            }
            if (v < f.min() || v > f.max()) {
                throw new IsaException(name() + ": field " + f.name() + "=" + f.number(v) + " out of range "
                        + f.number(f.min()) + ".." + f.number(f.max()));
            }
        }
    }

    /** The bits of word 0 or 1 that the opcode byte and the fields cover; all other bits are reserved. */
    long usedBits(int word) {
        return usedBits[word];
    }

    /** The opcode with this code. */
    public static Opcode fromCode(int code) {
        for (Opcode op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new IsaException(String.format(Locale.ROOT, "unknown opcode 0x%02x", code));
    }

    /** The opcode with this mnemonic, in any letter case. */
    public static Opcode fromMnemonic(String mnemonic) {
        for (Opcode op : values()) {
            if (op.mnemonic().equalsIgnoreCase(mnemonic)) {
                return op;
            }
        }
        throw new IsaException("unknown opcode '" + mnemonic + "'");
    }
}
