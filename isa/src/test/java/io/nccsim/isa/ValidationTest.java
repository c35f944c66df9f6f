package io.nccsim.isa;

import static io.nccsim.isa.EncodingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nccsim.isa.Instruction.Compress;
import io.nccsim.isa.Instruction.Config;
import io.nccsim.isa.Instruction.Copy;
import io.nccsim.isa.Instruction.Decompress;
import io.nccsim.isa.Instruction.LoadTable;
import io.nccsim.isa.Instruction.ReadCounter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValidationTest {

    @Test
    void outOfRangeFieldsOfEachRecord() {
        assertMessage("DECOMPRESS: field streams=0 out of range 1..64",
                () -> new Decompress(0x1000, 4096, 8192, 3, 0, 4));
        assertMessage("DECOMPRESS: field streams=65 out of range 1..64",
                () -> new Decompress(0x1000, 4096, 8192, 3, 65, 4));
        assertMessage("DECOMPRESS: field src_bytes=0 out of range 1..16777216",
                () -> new Decompress(0x1000, 0, 8192, 3, 8, 4));
        assertMessage("DECOMPRESS: field dst_bytes=16777217 out of range 1..16777216",
                () -> new Decompress(0x1000, 4096, (1 << 24) + 1, 3, 8, 4));
        assertMessage("DECOMPRESS: field slot=256 out of range 0..255",
                () -> new Decompress(0x1000, 4096, 8192, 256, 8, 4));
        assertMessage("DECOMPRESS: field elem_bits=9 out of range 1..8",
                () -> new Decompress(0x1000, 4096, 8192, 3, 8, 9));
        assertMessage("COMPRESS: field elem_bits=0 out of range 1..8",
                () -> new Compress(0x1000, 4096, 3, 8, 0));
        assertMessage("COMPRESS: field slot=-1 out of range 0..255",
                () -> new Compress(0x1000, 4096, -1, 8, 4));
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
                () -> new Decompress(0x1010, 4096, 8192, 3, 8, 4));
        assertMessage("COMPRESS: dst 0xffffffffffff is not 32-byte aligned",
                () -> new Compress(0xffff_ffff_ffffL, 4096, 3, 8, 4));
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

    /** Every field of every opcode rejects the value just below its minimum and just above its maximum. */
    @ParameterizedTest
    @EnumSource(Opcode.class)
    void everyFieldRejectsValuesJustOutsideItsRange(Opcode op) {
        long[] valid = Programs.allMin(op).fieldValues();
        for (int i = 0; i < valid.length; i++) {
            Field f = op.fields().get(i);
            long step = f.kind() == Field.Kind.ADDRESS ? Limits.DRAM_ALIGNMENT : 1;
            for (long bad : new long[] {f.min() - step, f.max() + step}) {
                long[] values = valid.clone();
                values[i] = bad;
                String shown = f.kind() == Field.Kind.ADDRESS ? Field.hex(bad) : Long.toString(bad);
                String range = f.kind() == Field.Kind.ADDRESS
                        ? "0x0..0xffffffffffe0" : f.min() + ".." + f.max();
                assertMessage(op + ": field " + f.name() + "=" + shown + " out of range " + range,
                        () -> op.instantiate(values));
            }
        }
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
