package io.nccsim.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every opcode, with its fields at their minimum, middle and maximum, survives the three round trips: instruction ->
 * bytes -> instruction, text -> instruction -> the same text, and bytes -> text -> the same bytes. The cases are made
 * from the field layouts, so a new opcode or field is covered without editing this test.
 */
class RoundTripTest {

    /** One instruction to round-trip and the name of its test. */
    private record Case(String name, Instruction instruction) {
    }

    /**
     * Per opcode: all fields at their minimum, middle, maximum; then each field alone at its maximum (the others at
     * their minimum) and alone at its minimum (the others at their maximum), which catches a field that writes over
     * or reads from its neighbour's bits.
     */
    static List<Case> cases(Opcode op) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(op + " all at minimum", Programs.allMin(op)));
        cases.add(new Case(op + " all at middle", Programs.allMid(op)));
        cases.add(new Case(op + " all at maximum", Programs.allMax(op)));
        for (int i = 0; i < op.fields().size(); i++) {
            cases.add(alone(op, i, Programs::max, Programs.allMin(op), "maximum, the others at minimum"));
            cases.add(alone(op, i, Programs::min, Programs.allMax(op), "minimum, the others at maximum"));
        }
        return cases;
    }

    private static Case alone(Opcode op, int i, ToLongFunction<Field> pick, Instruction base, String what) {
        Field f = op.fields().get(i);
        long[] values = base.fieldValues();
        values[i] = pick.applyAsLong(f);
        return new Case(op + " " + f.name() + " at " + what, op.instantiate(values));
    }

    @TestFactory
    List<DynamicTest> everyOpcodeAtItsLimitsRoundTripsThroughBytesAndText() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            for (Case c : cases(op)) {
                tests.add(DynamicTest.dynamicTest(c.name(), () -> assertAllRoundTrips(c.instruction())));
            }
        }
        return tests;
    }

    private static void assertAllRoundTrips(Instruction instruction) {
        Opcode op = instruction.opcode();

        // instruction -> bytes -> instruction
        byte[] bytes = Encoding.encode(instruction);
        assertEquals(Encoding.INSTRUCTION_BYTES, bytes.length);
        assertEquals(op.code(), bytes[0] & 0xff, "opcode in byte 0");
        Instruction decoded = Encoding.decode(bytes, 0);
        assertEquals(instruction, decoded);
        assertArrayEquals(instruction.fieldValues(), decoded.fieldValues());

        // text -> instruction -> the same text; the canonical text names every field, defaults included
        String text = Disassembler.format(instruction);
        assertTrue(text.startsWith(op.mnemonic()), text);
        for (Field f : op.fields()) {
            assertTrue(text.contains(" " + f.name() + "="), f.name() + " missing from " + text);
        }
        Instruction assembled = Assembler.assembleLine(text);
        assertEquals(instruction, assembled);
        assertEquals(text, Disassembler.format(assembled));

        // bytes -> text -> the same bytes
        String disassembled = Disassembler.disassemble(bytes);
        assertEquals(text + "\n", disassembled);
        assertArrayEquals(bytes, Encoding.encodeProgram(Assembler.assemble(disassembled)));
    }

    @Test
    void middleValuesLieStrictlyInsideEveryWideRange() {
        // Hand-computed middles: a mid value that fell on a limit would test nothing new.
        assertEquals(List.of(0x7fff_ffff_ffe0L, 8_388_608L, 8_388_608L, 127L, 32L, 4L, 4L),
                longs(Programs.allMid(Opcode.DECOMPRESS).fieldValues()));
        for (Opcode op : Opcode.values()) {
            for (Field f : op.fields()) {
                if (f.max() - f.min() >= 2) {
                    long mid = Programs.mid(f);
                    assertTrue(f.min() < mid && mid < f.max(), op + "." + f.name() + " middle " + mid);
                }
            }
        }
    }

    @Test
    void aWholeProgramOfEveryCaseRoundTrips() {
        List<Instruction> program = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            cases(op).forEach(c -> program.add(c.instruction()));
        }
        byte[] bytes = Encoding.encodeProgram(program);
        String text = Disassembler.disassemble(bytes);
        assertEquals(program, Assembler.assemble(text));
        assertArrayEquals(bytes, Encoding.encodeProgram(Assembler.assemble(text)));
        assertEquals(text, Disassembler.disassemble(Assembler.assemble(text)));
    }

    private static List<Long> longs(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
