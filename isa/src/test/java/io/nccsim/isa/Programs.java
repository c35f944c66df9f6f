package io.nccsim.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/** Instructions for tests, built from the field layouts so that a new opcode is covered without editing tests. */
final class Programs {
    private Programs() {
    }

    /** The instruction of {@code op} with every field at its minimum. */
    static Instruction allMin(Opcode op) {
        return op.instantiate(values(op, Programs::min));
    }

    /** The instruction of {@code op} with every field at the middle of its range (an address aligned down). */
    static Instruction allMid(Opcode op) {
        return op.instantiate(values(op, Programs::mid));
    }

    /** The instruction of {@code op} with every field at its maximum. */
    static Instruction allMax(Opcode op) {
        return op.instantiate(values(op, Programs::max));
    }

    static long min(Field f) {
        return f.min();
    }

    static long max(Field f) {
        return f.max();
    }

    static long mid(Field f) {
        long v = f.min() + (f.max() - f.min()) / 2;
        return f.kind() == Field.Kind.ADDRESS ? v - v % Limits.DRAM_ALIGNMENT : v;
    }

    private static long[] values(Opcode op, ToLongFunction<Field> pick) {
        long[] values = new long[op.fields().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pick.applyAsLong(op.fields().get(i));
        }
        return values;
    }

    /** A valid instruction of {@code op} with random field values. */
    static Instruction random(Opcode op, Random random) {
        long[] values = new long[op.fields().size()];
        for (int i = 0; i < values.length; i++) {
            Field f = op.fields().get(i);
            long v = f.min() + (long) (random.nextDouble() * (f.max() - f.min() + 1));
            if (f.kind() == Field.Kind.ADDRESS) {
                v -= v % Limits.DRAM_ALIGNMENT;
            }
            values[i] = Math.min(v, f.max());
        }
        return op.instantiate(values);
    }

    /** {@code n} random instructions of random opcodes. */
    static List<Instruction> random(int n, long seed) {
        Random random = new Random(seed);
        Opcode[] ops = Opcode.values();
        List<Instruction> program = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            program.add(random(ops[random.nextInt(ops.length)], random));
        }
        return program;
    }

    static byte[] hex(String hex) {
        String h = hex.replaceAll("\\s", "");
        byte[] bytes = new byte[h.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
