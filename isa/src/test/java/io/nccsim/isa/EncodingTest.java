package io.nccsim.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nccsim.isa.Instruction.Compress;
import io.nccsim.isa.Instruction.Config;
import io.nccsim.isa.Instruction.Copy;
import io.nccsim.isa.Instruction.Decompress;
import io.nccsim.isa.Instruction.Fence;
import io.nccsim.isa.Instruction.LoadTable;
import io.nccsim.isa.Instruction.ReadCounter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncodingTest {

    private static void assertRoundTrip(Instruction instruction) {
        byte[] bytes = Encoding.encode(instruction);
        assertEquals(Encoding.INSTRUCTION_BYTES, bytes.length);
        assertEquals(instruction.opcode().code(), bytes[0] & 0xff, "opcode in byte 0");
        Instruction decoded = Encoding.decode(bytes, 0);
        assertEquals(instruction, decoded);
        assertArrayEquals(instruction.fieldValues(), decoded.fieldValues());
    }

    /** The encoding is fixed: these bytes must never change. */
    @Test
    void goldenEncodings() {
        assertGolden(new Config(DataClass.KV_CACHE, Config.LOSSLESS),
                "01 02 01 00 00 00 00 00  00 00 00 00 00 00 00 00");
        assertGolden(new LoadTable(7, 0x20, 256, 4),
                "02 07 20 00 00 00 00 00  00 01 00 00 00 00 00 08");
        // level 1 is bit 125 (0x20 in byte 15), above elem_bits 4 at 121..124 (0x08)
        assertGolden(new Decompress(0x1000, 4096, 8192, 3, 8, 4, 1),
                "03 03 00 10 00 00 00 00  00 10 00 00 40 00 20 28");
        // every field at its maximum: byte 15 = level 7 (0xe0) | elem_bits 8 (0x10) | streams 64's bit 120 (0x01)
        assertGolden(new Compress(0xffff_ffff_ffe0L, 1 << 24, 255, 64, 8, 7),
                "04 ff e0 ff ff ff ff ff  00 00 00 01 00 00 00 f1");
        // lossy level 2 is bit 126 (0x40); streams 1 is bit 114 (0x04 in byte 14)
        assertGolden(new Compress(0x40, 64, 0, 1, 8, 2),
                "04 00 40 00 00 00 00 00  40 00 00 00 00 00 04 50");
        assertGolden(new Copy(Direction.WRITE, 0x40, 32),
                "05 01 40 00 00 00 00 00  20 00 00 00 00 00 00 00");
        assertGolden(new Fence(),
                "06 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00");
        assertGolden(new ReadCounter(0x80),
                "07 80 00 00 00 00 00 00  00 00 00 00 00 00 00 00");
    }

    private static void assertGolden(Instruction instruction, String hex) {
        assertArrayEquals(Programs.hex(hex), Encoding.encode(instruction), instruction.toString());
        assertEquals(instruction, Encoding.decode(Programs.hex(hex), 0));
    }

    @Test
    void typedRecordsAtTheirLimitsRoundTrip() {
        long maxAddr = Limits.MAX_ADDRESS;
        int maxXfer = Limits.MAX_TRANSFER_BYTES;
        List<Instruction> all = List.of(
                new Config(DataClass.WEIGHTS, 0), new Config(DataClass.KV_CACHE, 7),
                new Config(DataClass.ACTIVATIONS, Config.BYPASS),
                new LoadTable(0, 0, 1, 1), new LoadTable(255, maxAddr, Limits.MAX_TABLE_BYTES, 8),
                new Decompress(0, 1, 1, 0, 1, 1, 1), new Decompress(maxAddr, maxXfer, maxXfer, 255, 64, 8, 7),
                new Compress(0, 1, 0, 1, 1, 1), new Compress(maxAddr, maxXfer, 255, 64, 8, 7),
                new Copy(Direction.READ, 0, 1), new Copy(Direction.WRITE, maxAddr, maxXfer),
                new Fence(),
                new ReadCounter(0), new ReadCounter(255));
        all.forEach(EncodingTest::assertRoundTrip);
        assertEquals(all, Encoding.decodeProgram(Encoding.encodeProgram(all)));
        Set<Opcode> covered = new HashSet<>();
        all.forEach(i -> covered.add(i.opcode()));
        assertEquals(Set.of(Opcode.values()), covered);
    }

    @Test
    void randomProgramRoundTrips() {
        List<Instruction> program = Programs.random(2000, 42);
        byte[] bytes = Encoding.encodeProgram(program);
        assertEquals(program.size() * 16, bytes.length);
        assertEquals(program, Encoding.decodeProgram(bytes));
        assertEquals(List.of(), Encoding.decodeProgram(new byte[0]));
    }

    @Test
    void decodeAtAnOffset() {
        List<Instruction> program = List.of(new Fence(), new ReadCounter(9), new Copy(Direction.READ, 0x100, 64));
        byte[] bytes = Encoding.encodeProgram(program);
        assertEquals(new ReadCounter(9), Encoding.decode(bytes, 16));
        assertEquals(new Copy(Direction.READ, 0x100, 64), Encoding.decode(bytes, 32));
    }

    @Test
    void unknownOpcodeNamesTheByteOffset() {
        byte[] bytes = Encoding.encodeProgram(List.of(new Fence(), new Fence(), new Fence()));
        bytes[32] = 0x09;
        assertMessage("byte offset 32: unknown opcode 0x09", () -> Encoding.decodeProgram(bytes));
        bytes[32] = 0x00;
        assertMessage("byte offset 32: unknown opcode 0x00", () -> Encoding.decodeProgram(bytes));
        bytes[32] = (byte) 0xff;
        assertMessage("byte offset 32: unknown opcode 0xff", () -> Encoding.decode(bytes, 32));
    }

    @Test
    void everyCodeThatIsNoOpcodeIsRejected() {
        Set<Integer> defined = new HashSet<>();
        for (Opcode op : Opcode.values()) {
            defined.add(op.code());
        }
        int rejected = 0;
        for (int code = 0; code < 256; code++) {
            if (!defined.contains(code)) {
                byte[] bytes = new byte[Encoding.INSTRUCTION_BYTES];
                bytes[0] = (byte) code;
                assertMessage(String.format("byte offset 0: unknown opcode 0x%02x", code),
                        () -> Encoding.decode(bytes, 0));
                rejected++;
            }
        }
        assertEquals(256 - Opcode.values().length, rejected);
    }

    @Test
    void reservedBitsMustBeZero() {
        byte[] fence = Encoding.encodeProgram(List.of(new Fence(), new Fence()));
        fence[31] = (byte) 0x80;
        assertMessage("byte offset 16: FENCE: reserved bits must be zero, found bit 127 set",
                () -> Encoding.decodeProgram(fence));

        // COPY's direction is bit 8 alone: bits 9..15 are reserved, as are 89..127.
        byte[] copy = Encoding.encode(new Copy(Direction.WRITE, 0x40, 32));
        copy[1] |= 0x02;
        copy[11] |= 0x02;
        assertMessage("byte offset 0: COPY: reserved bits must be zero, found bits 9, 89 set",
                () -> Encoding.decode(copy, 0));

        // COMPRESS has no dst_bytes: DECOMPRESS's bits 89..113 are reserved in it.
        byte[] compress = Encoding.encode(new Compress(0, 1, 0, 1, 1, 1));
        compress[12] = 1;
        assertMessage("byte offset 0: COMPRESS: reserved bits must be zero, found bit 96 set",
                () -> Encoding.decode(compress, 0));

        byte[] all = Programs.hex("07 00 ff ff ff ff ff ff  00 00 00 00 00 00 00 00");
        assertMessage("byte offset 0: READ_COUNTER: reserved bits must be zero, found bits 16, 17, 18, 19, 20, 21,"
                + " 22, 23, ... set", () -> Encoding.decode(all, 0));
    }

    @Test
    void everyUncoveredBitIsReserved() {
        for (Opcode op : Opcode.values()) {
            byte[] base = Encoding.encode(Programs.allMin(op));
            List<Integer> reserved = new ArrayList<>();
            for (int bit = Opcode.OPCODE_BITS; bit < 128; bit++) {
                int b = bit;
                boolean covered = op.fields().stream().anyMatch(f -> f.lsb() <= b && b <= f.msb());
                if (!covered) {
                    reserved.add(bit);
                    byte[] bytes = base.clone();
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                    assertMessage("byte offset 0: " + op + ": reserved bits must be zero, found bit " + bit + " set",
                            () -> Encoding.decode(bytes, 0));
                }
            }
            int fieldBits = op.fields().stream().mapToInt(Field::width).sum();
            assertEquals(128 - Opcode.OPCODE_BITS - fieldBits, reserved.size(), op + " fields overlap");
        }
    }

    @Test
    void decodedFieldsAreValidated() {
        byte[] streams = Encoding.encode(new Decompress(0x1000, 4096, 8192, 3, 8, 4, 1));
        streams[14] &= (byte) ~0x20; // streams 8 -> 0 (bit 117)
        assertMessage("byte offset 0: DECOMPRESS: field streams=0 out of range 1..64",
                () -> Encoding.decode(streams, 0));

        byte[] misaligned = Encoding.encode(new LoadTable(7, 0x1000, 256, 4));
        misaligned[2] = 0x01; // src 0x1000 -> 0x1001
        byte[] program = new byte[48];
        System.arraycopy(misaligned, 0, program, 32, 16);
        System.arraycopy(Encoding.encode(new Fence()), 0, program, 0, 16);
        System.arraycopy(Encoding.encode(new Fence()), 0, program, 16, 16);
        assertMessage("byte offset 32: LOAD_TABLE: src 0x1001 is not 32-byte aligned",
                () -> Encoding.decodeProgram(program));

        // A DECOMPRESS encoded before 'level' existed has bits 125..127 zero: level 0 is bypass, never decoded.
        byte[] preLevel = Encoding.encode(new Decompress(0x1000, 4096, 8192, 3, 8, 4, 1));
        preLevel[15] &= (byte) ~0x20;
        assertMessage("byte offset 0: DECOMPRESS: field level=0 out of range 1..7", () -> Encoding.decode(preLevel, 0));

        byte[] dataClass = Encoding.encode(new Config(DataClass.WEIGHTS, 1));
        dataClass[1] = 3;
        assertMessage("byte offset 0: CONFIG: field data_class=3 out of range 0..2",
                () -> Encoding.decode(dataClass, 0));

        byte[] table = Encoding.encode(new LoadTable(7, 0x1000, Limits.MAX_TABLE_BYTES, 4));
        table[8] = 1; // bytes 2^20 -> 2^20 + 1
        assertMessage("byte offset 0: LOAD_TABLE: field bytes=1048577 out of range 1..1048576",
                () -> Encoding.decode(table, 0));
    }

    @Test
    void badProgramLengthNamesTheByteOffset() {
        assertMessage("byte offset 16: program length 17 bytes is not a multiple of 16 (1 trailing byte)",
                () -> Encoding.decodeProgram(new byte[17]));
        assertMessage("byte offset 0: program length 5 bytes is not a multiple of 16 (5 trailing bytes)",
                () -> Encoding.decodeProgram(new byte[5]));
    }

    @Test
    void decodeNeedsSixteenBytes() {
        byte[] bytes = Encoding.encode(new Fence());
        assertMessage("byte offset 8: an instruction needs 16 bytes, 8 remain", () -> Encoding.decode(bytes, 8));
        assertMessage("byte offset -1: negative", () -> Encoding.decode(bytes, -1));
        assertMessage("byte offset 20: an instruction needs 16 bytes, 0 remain", () -> Encoding.decode(bytes, 20));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        IsaException e = assertThrows(IsaException.class, executable);
        assertEquals(expected, e.getMessage());
    }
}
