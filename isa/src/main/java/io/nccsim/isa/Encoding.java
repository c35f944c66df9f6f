package io.nccsim.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fixed binary encoding: every instruction is 128 bits, two 64-bit little-endian words (16 bytes), with the
 * opcode in the low byte of word 0 (byte 0) and each field at the bits its {@link Opcode}'s layout fixes. Reserved
 * bits are written as zero and must read as zero. A program is instructions back to back. See isa/README.md.
 */
public final class Encoding {
    /** Bytes in one encoded instruction. */
    public static final int INSTRUCTION_BYTES = 16;

    private Encoding() {
    }

    /** The 16 bytes of one instruction. */
    public static byte[] encode(Instruction instruction) {
        byte[] out = new byte[INSTRUCTION_BYTES];
        encodeInto(instruction, out, 0);
        return out;
    }

    /**
     * Decode the instruction in the 16 bytes at {@code offset}.
     *
     * @throws IsaException naming the byte offset if fewer than 16 bytes remain, the opcode is unknown, a reserved
     *                      bit is set, or a field is out of range or misaligned
     */
    public static Instruction decode(byte[] bytes, int offset) {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0) {
            throw new IsaException("byte offset " + offset + ": negative");
        }
        if (offset > bytes.length - INSTRUCTION_BYTES) {
            throw new IsaException("byte offset " + offset + ": an instruction needs " + INSTRUCTION_BYTES
                    + " bytes, " + Math.max(0, bytes.length - offset) + " remain");
        }
        long[] words = {getLong(bytes, offset), getLong(bytes, offset + 8)};
        try {
            return decodeWords(words);
        } catch (IsaException e) {
            throw new IsaException("byte offset " + offset + ": " + e.getMessage(), e);
        }
    }

    /** The instructions back to back, 16 bytes each. */
    public static byte[] encodeProgram(List<Instruction> program) {
        byte[] out = new byte[program.size() * INSTRUCTION_BYTES];
        for (int i = 0; i < program.size(); i++) {
            encodeInto(Objects.requireNonNull(program.get(i), "instruction " + i), out, i * INSTRUCTION_BYTES);
        }
        return out;
    }

    /**
     * Decode a whole program.
     *
     * @throws IsaException if the length is not a multiple of 16, or as {@link #decode} for the first bad instruction
     */
    public static List<Instruction> decodeProgram(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int trailing = bytes.length % INSTRUCTION_BYTES;
        if (trailing != 0) {
            throw new IsaException("byte offset " + (bytes.length - trailing) + ": program length " + bytes.length
                    + " bytes is not a multiple of " + INSTRUCTION_BYTES + " (" + trailing + " trailing byte"
                    + (trailing == 1 ? "" : "s") + ")");
        }
        List<Instruction> program = new ArrayList<>(bytes.length / INSTRUCTION_BYTES);
        for (int offset = 0; offset < bytes.length; offset += INSTRUCTION_BYTES) {
            program.add(decode(bytes, offset));
        }
        return program;
    }

    private static void encodeInto(Instruction instruction, byte[] out, int offset) {
        Opcode op = instruction.opcode();
        long[] values = instruction.fieldValues();
        long[] words = {op.code(), 0};
        for (int i = 0; i < values.length; i++) {
            op.fields().get(i).insert(words, values[i]);
        }
        putLong(out, offset, words[0]);
        putLong(out, offset + 8, words[1]);
    }

    private static Instruction decodeWords(long[] words) {
        Opcode op = Opcode.fromCode((int) (words[0] & 0xff));
        long reserved0 = words[0] & ~op.usedBits(0);
        long reserved1 = words[1] & ~op.usedBits(1);
        if ((reserved0 | reserved1) != 0) {
            throw new IsaException(op.name() + ": reserved bits must be zero, found " + setBits(reserved0, reserved1));
        }
        List<Field> fields = op.fields();
        long[] values = new long[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = fields.get(i).extract(words);
        }
        return op.instantiate(values);
    }

    /** "bit 70 set" or "bits 9, 70, 71 set", listing at most 8. */
    private static String setBits(long word0, long word1) {
        List<Integer> bits = new ArrayList<>();
        for (int b = 0; b < 128; b++) {
            long word = b < 64 ? word0 : word1;
            if ((word >>> (b % 64) & 1) != 0) {
                bits.add(b);
            }
        }
        StringBuilder sb = new StringBuilder(bits.size() == 1 ? "bit " : "bits ");
        for (int i = 0; i < bits.size() && i < 8; i++) {
            sb.append(i == 0 ? "" : ", ").append(bits.get(i));
        }
        return sb.append(bits.size() > 8 ? ", ... set" : " set").toString();
    }

    private static long getLong(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (bytes[offset + i] & 0xff);
        }
        return v;
    }

    private static void putLong(byte[] bytes, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (v >>> (8 * i));
        }
    }
}
