package io.nccsim.isa;

import static io.nccsim.isa.EncodingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nccsim.isa.Instruction.Compress;
import io.nccsim.isa.Instruction.Config;
import io.nccsim.isa.Instruction.Copy;
import io.nccsim.isa.Instruction.Decompress;
import io.nccsim.isa.Instruction.LoadTable;
import io.nccsim.isa.Instruction.ReadCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ValidationTest {

    @Test
    void outOfRangeFieldsOfEachRecord() {
        assertMessage("DECOMPRESS: field streams=0 out of range 1..64",
                () -> new Decompress(0x1000, 4096, 8192, 3, 0, 4, 1));
        assertMessage("DECOMPRESS: field streams=65 out of range 1..64",
                () -> new Decompress(0x1000, 4096, 8192, 3, 65, 4, 1));
        assertMessage("DECOMPRESS: field src_bytes=0 out of range 1..16777216",
                () -> new Decompress(0x1000, 0, 8192, 3, 8, 4, 1));
        assertMessage("DECOMPRESS: field dst_bytes=16777217 out of range 1..16777216",
                () -> new Decompress(0x1000, 4096, (1 << 24) + 1, 3, 8, 4, 1));
        assertMessage("DECOMPRESS: field slot=256 out of range 0..255",
                () -> new Decompress(0x1000, 4096, 8192, 256, 8, 4, 1));
        assertMessage("DECOMPRESS: field elem_bits=9 out of range 1..8",
                () -> new Decompress(0x1000, 4096, 8192, 3, 8, 9, 1));
        assertMessage("DECOMPRESS: field level=0 out of range 1..7",
                () -> new Decompress(0x1000, 4096, 8192, 3, 8, 4, 0));
        assertMessage("COMPRESS: field level=8 out of range 1..7",
                () -> new Compress(0x1000, 4096, 3, 8, 4, 8));
        assertMessage("COMPRESS: field elem_bits=0 out of range 1..8",
                () -> new Compress(0x1000, 4096, 3, 8, 0, 1));
        assertMessage("COMPRESS: field slot=-1 out of range 0..255",
                () -> new Compress(0x1000, 4096, -1, 8, 4, 1));
        assertMessage("LOAD_TABLE: field bytes=1048577 out of range 1..1048576",
                () -> new LoadTable(0, 0x1000, (1 << 20) + 1, 4));
        assertMessage("LOAD_TABLE: field alphabet_bits=0 out of range 1..8",
                () -> new LoadTable(0, 0x1000, 256, 0));
        assertMessage("CONFIG: field level=8 out of range 0..7", () -> new Config(DataClass.WEIGHTS, 8));
        assertMessage("CONFIG: field level=-1 out of range 0..7", () -> new Config(DataClass.WEIGHTS, -1));
        assertMessage("COPY: field bytes=0 out of range 1..16777216", () -> new Copy(Direction.READ, 0, 0));
        assertMessage("READ_COUNTER: field id=256 out of range 0..255", () -> new ReadCounter(256));
    }

    @Test
    void addressesMustBeAlignedAndWithinFortyEightBits() {
        assertMessage("LOAD_TABLE: src 0x1001 is not 32-byte aligned", () -> new LoadTable(0, 0x1001, 256, 4));
        assertMessage("DECOMPRESS: src 0x1010 is not 32-byte aligned",
                () -> new Decompress(0x1010, 4096, 8192, 3, 8, 4, 1));
        assertMessage("COMPRESS: dst 0xffffffffffff is not 32-byte aligned",
                () -> new Compress(0xffff_ffff_ffffL, 4096, 3, 8, 4, 1));
        assertMessage("COPY: addr 0x20000001f is not 32-byte aligned",
                () -> new Copy(Direction.WRITE, 0x2_0000_001fL, 64));
        assertMessage("LOAD_TABLE: field src=0x1000000000000 out of range 0x0..0xffffffffffe0",
                () -> new LoadTable(0, 1L << 48, 256, 4));
        assertMessage("COPY: field addr=-0x20 out of range 0x0..0xffffffffffe0",
                () -> new Copy(Direction.READ, -32, 64));
    }

    @Test
    void enumFieldsMustBePresent() {
        assertMessage("CONFIG: field data_class is missing", () -> new Config(null, 1));
        assertMessage("COPY: field direction is missing", () -> new Copy(null, 0, 32));
    }

    /**
     * Every field of every opcode rejects the value just below its minimum and just above its maximum, with a message
     * naming the opcode and the field: when the record is built, when the text is assembled, and when the bytes are
     * decoded (where the bad value fits the field's bits at all). One test per opcode and field, made from the
     * layouts.
     */
    @TestFactory
    List<DynamicTest> everyFieldRejectsValuesJustOutsideItsRange() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            for (int i = 0; i < op.fields().size(); i++) {
                int index = i;
                tests.add(DynamicTest.dynamicTest(op + "." + op.fields().get(i).name(),
                        () -> assertOutOfRangeRejected(op, index)));
            }
        }
        assertEquals(Arrays.stream(Opcode.values()).mapToInt(op -> op.fields().size()).sum(), tests.size());
        return tests;
    }

    private static void assertOutOfRangeRejected(Opcode op, int i) {
        Field f = op.fields().get(i);
        long step = f.kind() == Field.Kind.ADDRESS ? Limits.DRAM_ALIGNMENT : 1;
        String range = f.kind() == Field.Kind.ADDRESS ? "0x0..0xffffffffffe0" : f.min() + ".." + f.max();
        for (long bad : new long[] {f.min() - step, f.max() + step}) {
            long[] values = Programs.allMin(op).fieldValues();
            values[i] = bad;
            String shown = f.kind() == Field.Kind.ADDRESS ? Field.hex(bad) : Long.toString(bad);
            String message = op + ": field " + f.name() + "=" + shown + " out of range " + range;
            assertMessage(message, () -> op.instantiate(values));
            // The text form has no negative numbers: a value below 0 is a bad value, still naming the field.
            assertMessage("line 1: " + (bad >= 0 ? message : op + ": bad value '" + shown + "' for field '"
                    + f.name() + "' (expected " + expectedText(f) + ")"), () -> Assembler.assemble(text(op, values)));
            if (bad >= 0 && bad < 1L << f.width()) {
                assertMessage("byte offset 0: " + message, () -> Encoding.decode(encodeUnchecked(op, values), 0));
            }
        }
    }

    /** Every DRAM address field rejects a misaligned address, built, assembled or decoded. */
    @TestFactory
    List<DynamicTest> everyAddressFieldRejectsMisalignedAddresses() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Opcode op : Opcode.values()) {
            for (int i = 0; i < op.fields().size(); i++) {
                Field f = op.fields().get(i);
                if (f.kind() != Field.Kind.ADDRESS) {
                    continue;
                }
                int index = i;
                tests.add(DynamicTest.dynamicTest(op + "." + f.name(), () -> {
                    for (long bad : new long[] {1, Limits.DRAM_ALIGNMENT / 2, Limits.MAX_ADDRESS + 1,
                            (1L << Limits.ADDRESS_BITS) - 1}) {
                        long[] values = Programs.allMin(op).fieldValues();
                        values[index] = bad;
                        String message = op + ": " + f.name() + " " + Field.hex(bad) + " is not 32-byte aligned";
                        assertMessage(message, () -> op.instantiate(values));
                        assertMessage("line 1: " + message, () -> Assembler.assemble(text(op, values)));
                        assertMessage("byte offset 0: " + message,
                                () -> Encoding.decode(encodeUnchecked(op, values), 0));
                    }
                }));
            }
        }
        assertEquals(4, tests.size(), "LOAD_TABLE, DECOMPRESS, COMPRESS and COPY each have one address");
        return tests;
    }

    /** The text of an instruction with these values, valid or not; numbers as the disassembler writes them. */
    private static String text(Opcode op, long[] values) {
        StringBuilder sb = new StringBuilder(op.mnemonic());
        for (int i = 0; i < values.length; i++) {
            Field f = op.fields().get(i);
            sb.append(' ').append(f.name()).append('=').append(f.number(values[i]));
        }
        return sb.toString();
    }

    /** The 16 bytes an instruction with these values would have, without the range checks of the records. */
    private static byte[] encodeUnchecked(Opcode op, long[] values) {
        long[] words = {op.code(), 0};
        for (int i = 0; i < values.length; i++) {
            Field f = op.fields().get(i);
            assertTrue(values[i] >= 0 && values[i] < 1L << f.width(), f.name() + " fits its bits");
            f.insert(words, values[i]);
        }
        byte[] bytes = new byte[Encoding.INSTRUCTION_BYTES];
        for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) (words[b / 8] >>> (8 * (b % 8)));
        }
        return bytes;
    }

    private static String expectedText(Field f) {
        return switch (f.kind()) {
            case SYMBOL -> String.join(", ", f.symbols());
            case ADDRESS -> "a number, e.g. 0x1000";
            case NUMBER -> "a number";
        };
    }

    @Test
    void opcodeCodesAndMnemonicsAreUnique() {
        Set<Integer> codes = new HashSet<>();
        Set<String> mnemonics = new HashSet<>();
        for (Opcode op : Opcode.values()) {
            assertEquals(true, codes.add(op.code()), op + " code");
            assertEquals(true, mnemonics.add(op.mnemonic()), op + " mnemonic");
            assertEquals(op, Opcode.fromCode(op.code()));
            assertEquals(op, Opcode.fromMnemonic(op.mnemonic().toUpperCase()));
            assertEquals(true, op.code() > 0 && op.code() < 256, op + " code in 0x01..0xff");
        }
        assertMessage("unknown opcode 0x00", () -> Opcode.fromCode(0));
        assertMessage("unknown opcode 'nop'", () -> Opcode.fromMnemonic("nop"));
    }

    @Test
    void symbolsAreIndexedByCode() {
        for (DataClass c : DataClass.values()) {
            assertEquals(c.symbol(), Opcode.CONFIG.field("data_class").symbols().get(c.code()));
        }
        for (Direction d : Direction.values()) {
            assertEquals(d.symbol(), Opcode.COPY.field("direction").symbols().get(d.code()));
        }
        assertEquals(0, DataClass.WEIGHTS.code());
        assertEquals(1, DataClass.ACTIVATIONS.code());
        assertEquals(2, DataClass.KV_CACHE.code());
        assertEquals(0, Direction.READ.code());
        assertEquals(1, Direction.WRITE.code());
    }
}
