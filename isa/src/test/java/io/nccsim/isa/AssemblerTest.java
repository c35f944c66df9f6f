package io.nccsim.isa;

import static io.nccsim.isa.EncodingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nccsim.isa.Instruction.Compress;
import io.nccsim.isa.Instruction.Config;
import io.nccsim.isa.Instruction.Copy;
import io.nccsim.isa.Instruction.Decompress;
import io.nccsim.isa.Instruction.Fence;
import io.nccsim.isa.Instruction.LoadTable;
import io.nccsim.isa.Instruction.ReadCounter;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AssemblerTest {

    private static final String PROGRAM = """
            # Decode one weight tile, then spill an activation tile.
            config data_class=weights level=1
            config data_class=activations level=1
            load_table slot=3 src=0x10000 bytes=256 alphabet_bits=4

            decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4 level=3  # int4 weights
            compress dst=0x200000 src_bytes=8192 slot=3 streams=8 elem_bits=4   # written before 'level': means 1
            copy direction=read addr=0x40000 bytes=4096
            fence
            read_counter id=0
            """;

    private static final List<Instruction> EXPECTED = List.of(
            new Config(DataClass.WEIGHTS, 1),
            new Config(DataClass.ACTIVATIONS, 1),
            new LoadTable(3, 0x10000, 256, 4),
            new Decompress(0x1000, 4096, 8192, 3, 8, 4, 3),
            new Compress(0x200000, 8192, 3, 8, 4, CompressionLevel.LOSSLESS),
            new Copy(Direction.READ, 0x40000, 4096),
            new Fence(),
            new ReadCounter(Compress.LENGTH_COUNTER));

    @Test
    void assemblesAProgram() {
        assertEquals(EXPECTED, Assembler.assemble(PROGRAM));
    }

    @Test
    void disassemblesToTheCanonicalText() {
        String canonical = """
                config data_class=weights level=1
                config data_class=activations level=1
                load_table slot=3 src=0x10000 bytes=256 alphabet_bits=4
                decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4 level=3
                compress dst=0x200000 src_bytes=8192 slot=3 streams=8 elem_bits=4 level=1
                copy direction=read addr=0x40000 bytes=4096
                fence
                read_counter id=0
                """;
        assertEquals(canonical, Disassembler.disassemble(EXPECTED));
        assertEquals(canonical, Disassembler.disassemble(Encoding.encodeProgram(EXPECTED)));
        assertEquals("decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4 level=1",
                Disassembler.format(new Decompress(0x1000, 4096, 8192, 3, 8, 4, 1)));
    }

    @Test
    void acceptsAnyFieldOrderCaseHexUnderscoresAndSymbolCodes() {
        assertEquals(new Decompress(0x1000, 4096, 8192, 3, 8, 4, 6), Assembler.assembleLine(
                "  DECOMPRESS elem_bits=4 LEVEL=0x6 Streams=8 slot=0x3 dst_bytes=8_192 src_bytes=0x1000 src=4096 #"));
        assertEquals(new Config(DataClass.KV_CACHE, 0), Assembler.assembleLine("config data_class=2 level=0"));
        assertEquals(new Copy(Direction.WRITE, 0xffff_ffff_ffe0L, 1), Assembler.assembleLine(
                "copy\tdirection=WRITE\taddr=0xFFFF_FFFF_FFE0 bytes=1"));
        assertEquals(List.of(), Assembler.assemble("\n  # nothing here\r\n\n"));
    }

    @Test
    void levelOfDecompressAndCompressDefaultsToLosslessButConfigsMustBeGiven() {
        assertEquals(new Compress(0x40, 64, 0, 1, 8, 1),
                Assembler.assembleLine("compress dst=0x40 src_bytes=64 slot=0 streams=1 elem_bits=8"));
        assertEquals(new Decompress(0x40, 64, 128, 0, 1, 8, 1),
                Assembler.assembleLine("decompress src=0x40 src_bytes=64 dst_bytes=128 slot=0 streams=1 elem_bits=8"));
        // The disassembler writes the default out, so the canonical text always names the level.
        assertEquals("compress dst=0x40 src_bytes=64 slot=0 streams=1 elem_bits=8 level=1",
                Disassembler.format(new Compress(0x40, 64, 0, 1, 8, 1)));
        assertEquals(OptionalLong.of(1), Opcode.DECOMPRESS.field("level").textDefault());
        assertEquals(OptionalLong.empty(), Opcode.CONFIG.field("level").textDefault());
        assertMessage("line 1: CONFIG: missing field 'level'", () -> Assembler.assemble("config data_class=weights"));
        assertMessage("line 1: COMPRESS: field level=0 out of range 1..7", () -> Assembler.assemble(
                "compress dst=0x40 src_bytes=64 slot=0 streams=1 elem_bits=8 level=0"));
    }

    @Test
    void randomProgramRoundTripsThroughText() {
        List<Instruction> program = Programs.random(2000, 7);
        String text = Disassembler.disassemble(program);
        assertEquals(program, Assembler.assemble(text));
        assertEquals(text, Disassembler.disassemble(Assembler.assemble(text)));
    }

    @Test
    void errorsNameTheLine() {
        assertMessage("line 3: unknown opcode 'decomprss'", () -> Assembler.assemble("""
                fence
                # a comment
                decomprss src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4
                """));
        assertMessage("line 1: DECOMPRESS: missing field 'slot'", () -> Assembler.assemble(
                "decompress src=0x1000 src_bytes=4096 dst_bytes=8192 streams=8 elem_bits=4"));
        assertMessage("line 2: DECOMPRESS: unknown field 'srcbytes' (fields: src, src_bytes, dst_bytes, slot,"
                + " streams, elem_bits, level)", () -> Assembler.assemble(
                "fence\ndecompress src=0x1000 srcbytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4"));
        assertMessage("line 1: READ_COUNTER: field 'id' given twice",
                () -> Assembler.assemble("read_counter id=1 id=2"));
        assertMessage("line 1: FENCE: unknown field 'now' (fields: none)", () -> Assembler.assemble("fence now=1"));
        assertMessage("line 1: READ_COUNTER: expected name=value, found 'id'",
                () -> Assembler.assemble("read_counter id"));
        assertMessage("line 1: READ_COUNTER: expected name=value, found 'id='",
                () -> Assembler.assemble("read_counter id="));
        assertMessage("line 1: READ_COUNTER: expected name=value, found '=3'",
                () -> Assembler.assemble("read_counter =3"));
        assertMessage("line 1: READ_COUNTER: bad value 'x1' for field 'id' (expected a number)",
                () -> Assembler.assemble("read_counter id=x1"));
        assertMessage("line 1: READ_COUNTER: bad value '-1' for field 'id' (expected a number)",
                () -> Assembler.assemble("read_counter id=-1"));
        assertMessage("line 1: CONFIG: bad value 'weight' for field 'data_class' (expected weights, activations,"
                + " kv_cache)", () -> Assembler.assemble("config data_class=weight level=1"));
        assertMessage("line 1: COPY: bad value 'sideways' for field 'direction' (expected read, write)",
                () -> Assembler.assemble("copy direction=sideways addr=0 bytes=1"));
        assertMessage("line 1: COPY: bad value '0x' for field 'addr' (expected a number, e.g. 0x1000)",
                () -> Assembler.assemble("copy direction=read addr=0x bytes=1"));
        assertMessage("line 1: CONFIG: field data_class=3 out of range 0..2",
                () -> Assembler.assemble("config data_class=3 level=1"));
    }

    @Test
    void validationErrorsNameTheLine() {
        assertMessage("line 2: DECOMPRESS: field streams=0 out of range 1..64", () -> Assembler.assemble(
                "fence\ndecompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=0 elem_bits=4\n"));
        assertMessage("line 1: LOAD_TABLE: src 0x1001 is not 32-byte aligned",
                () -> Assembler.assemble("load_table slot=0 src=0x1001 bytes=256 alphabet_bits=4"));
        assertMessage("line 1: LOAD_TABLE: field src=0x1000000000000000000 out of range 0x0..0xffffffffffe0",
                () -> Assembler.assemble("load_table slot=0 src=0x1000000000000000000 bytes=256 alphabet_bits=4"));
    }

    @Test
    void assembleLineNeedsAnInstruction() {
        assertMessage("no instruction in '  # only a comment'", () -> Assembler.assembleLine("  # only a comment"));
    }
}
