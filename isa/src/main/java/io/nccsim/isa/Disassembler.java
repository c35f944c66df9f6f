package io.nccsim.isa;

import java.util.List;

/**
 * Writes instructions as the assembly text {@link Assembler} reads: the mnemonic, then every field as
 * {@code name=value} in the order of {@link Opcode#fields()}; DRAM addresses in hex, symbols by name, other numbers
 * in decimal. {@code Assembler.assemble(Disassembler.disassemble(p))} equals {@code p}.
 */
public final class Disassembler {
    private Disassembler() {
    }

    /** One instruction as one line of text, without a line end, e.g. {@code read_counter id=0}. */
    public static String format(Instruction instruction) {
        Opcode op = instruction.opcode();
        long[] values = instruction.fieldValues();
        StringBuilder sb = new StringBuilder(op.mnemonic());
        for (int i = 0; i < values.length; i++) {
            Field f = op.fields().get(i);
            sb.append(' ').append(f.name()).append('=').append(f.format(values[i]));
        }
        return sb.toString();
    }

    /** A program as text, one line per instruction, each ended by a newline. */
    public static String disassemble(List<Instruction> program) {
        StringBuilder sb = new StringBuilder();
        for (Instruction instruction : program) {
            sb.append(format(instruction)).append('\n');
        }
        return sb.toString();
    }

    /**
     * An encoded program as text.
     *
     * @throws IsaException as {@link Encoding#decodeProgram}
     */
    public static String disassemble(byte[] program) {
        return disassemble(Encoding.decodeProgram(program));
    }
}
