package io.nccsim.cli;

import static io.nccsim.testutil.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nccsim.testutil.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** {@code nccsim isa asm|disasm} as a user meets it: files in and out, one-line errors, nothing half-written. */
class IsaCommandTest {
    private static final String PROGRAM = """
            # one weight tile, then an activation spill
            config data_class=weights level=1
            load_table slot=3 src=0x10000 bytes=256 alphabet_bits=4
            decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4   # level 1 by default
            compress dst=0x200000 src_bytes=8192 slot=3 streams=8 elem_bits=4 level=2
            copy direction=read addr=0x40000 bytes=4096
            fence
            read_counter id=0
            """;

    private static final String CANONICAL = """
            config data_class=weights level=1
            load_table slot=3 src=0x10000 bytes=256 alphabet_bits=4
            decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4 level=1
            compress dst=0x200000 src_bytes=8192 slot=3 streams=8 elem_bits=4 level=2
            copy direction=read addr=0x40000 bytes=4096
            fence
            read_counter id=0
            """;

    @Test
    void asmThenDisasmThenAsmGivesTheSameBytes(@TempDir Path dir) throws Exception {
        Path source = write(dir.resolve("prog.s"), PROGRAM);
        Path bin = dir.resolve("prog.bin");
        Result asm = run("isa", "asm", source.toString(), "-o", bin.toString());
        assertEquals(0, asm.code(), asm.err());
        assertEquals("wrote " + bin + " (7 instructions, 112 bytes)\n", asm.out());
        byte[] bytes = Files.readAllBytes(bin);
        assertEquals(7 * 16, bytes.length);
        // The DECOMPRESS line, as isa/README.md's example: level 1 (bit 125) beside elem_bits 4 in byte 15.
        assertEquals("03030010000000000010000040002028", HexFormat.of().formatHex(bytes, 32, 48));

        Path text = dir.resolve("back.s");
        Result disasm = run("isa", "disasm", bin.toString(), "-o", text.toString());
        assertEquals(0, disasm.code(), disasm.err());
        assertEquals("wrote " + text + " (7 instructions)\n", disasm.out());
        assertEquals(CANONICAL, Files.readString(text));

        Path again = dir.resolve("again.bin");
        Result reasm = run("isa", "asm", text.toString(), "-o", again.toString());
        assertEquals(0, reasm.code(), reasm.err());
        assertArrayEquals(bytes, Files.readAllBytes(again));
        assertEquals(4, countFiles(dir), "prog.s, prog.bin, back.s, again.bin and no temporary file: " + dir);
    }

    @Test
    void disasmWithoutOutputPrintsTheText(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("prog.bin");
        assertEquals(0, run("isa", "asm", write(dir.resolve("prog.s"), PROGRAM).toString(), "-o", bin.toString())
                .code());
        Result r = run("isa", "disasm", bin.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(CANONICAL, r.out());
        assertEquals("", r.err());
    }

    @Test
    void aBadLineFailsNamingFileAndLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path source = write(dir.resolve("bad.s"), "fence\n# comment\ndecompress src=0x1000 src_bytes=4096 "
                + "dst_bytes=8192 slot=3 streams=0 elem_bits=4\n");
        Path bin = dir.resolve("bad.bin");
        Result r = run("isa", "asm", source.toString(), "-o", bin.toString());
        assertEquals(2, r.code());
        assertEquals("nccsim: error: " + source + ": line 3: DECOMPRESS: field streams=0 out of range 1..64\n",
                r.err());
        assertFalse(Files.exists(bin), "no output file");
        assertEquals(1, countFiles(dir), "nothing else written either");
    }

    @Test
    void aBadLineLeavesAnExistingOutputUntouchedEvenWithForce(@TempDir Path dir) throws Exception {
        Path source = write(dir.resolve("bad.s"), "read_counter id=256\n");
        Path bin = write(dir.resolve("old.bin"), "previous");
        Result r = run("isa", "asm", source.toString(), "-o", bin.toString(), "--force");
        assertEquals(2, r.code());
        assertTrue(r.err().contains(source + ": line 1: READ_COUNTER: field id=256 out of range 0..255"), r.err());
        assertEquals("previous", Files.readString(bin), "not truncated");
    }

    @Test
    void badBytesFailNamingFileAndByteOffset(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[48];
        bytes[0] = 0x06; // fence
        bytes[16] = 0x06; // fence
        bytes[32] = 0x09; // no such opcode
        Path bin = dir.resolve("bad.bin");
        Files.write(bin, bytes);
        Path text = dir.resolve("bad.s");
        Result r = run("isa", "disasm", bin.toString(), "-o", text.toString());
        assertEquals(2, r.code());
        assertEquals("nccsim: error: " + bin + ": byte offset 32: unknown opcode 0x09\n", r.err());
        assertFalse(Files.exists(text));

        // A DECOMPRESS encoded before the level field existed (bits 125..127 zero) is refused, not read as lossless.
        byte[] preLevel = HexFormat.of().parseHex("03030010000000000010000040002008");
        Files.write(bin, preLevel);
        Result old = run("isa", "disasm", bin.toString());
        assertEquals(2, old.code());
        assertEquals("nccsim: error: " + bin + ": byte offset 0: DECOMPRESS: field level=0 out of range 1..7\n",
                old.err());
        assertEquals("", old.out(), "nothing printed before the error");

        Files.write(bin, new byte[17]);
        Result length = run("isa", "disasm", bin.toString());
        assertEquals(2, length.code());
        assertTrue(length.err().contains(bin + ": byte offset 16: program length 17 bytes is not a multiple of 16"),
                length.err());
    }

    @Test
    void anExistingOutputSurvivesWithoutForceAndIsReplacedWithIt(@TempDir Path dir) throws Exception {
        Path source = write(dir.resolve("prog.s"), "fence\n");
        Path bin = write(dir.resolve("prog.bin"), "keep me");
        Result r = run("isa", "asm", source.toString(), "-o", bin.toString());
        assertEquals(2, r.code());
        assertEquals("nccsim: error: -o " + bin + ": file exists; pass --force to replace it\n", r.err());
        assertEquals("keep me", Files.readString(bin));

        Path text = write(dir.resolve("prog.txt"), "keep me too");
        Result d = run("isa", "disasm", bin.toString(), "-o", text.toString());
        assertEquals(2, d.code());
        assertEquals("nccsim: error: -o " + text + ": file exists; pass --force to replace it\n", d.err());
        assertEquals("keep me too", Files.readString(text));

        Result forced = run("isa", "asm", source.toString(), "-o", bin.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertArrayEquals(HexFormat.of().parseHex("06000000000000000000000000000000"), Files.readAllBytes(bin));
        assertEquals(3, countFiles(dir), "no temporary file left behind");
    }

    @Test
    void aMissingInputFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.s");
        Path bin = dir.resolve("nope.bin");
        Result asm = run("isa", "asm", missing.toString(), "-o", bin.toString());
        assertEquals(2, asm.code());
        assertTrue(asm.err().startsWith("nccsim: error: " + missing + ": no such assembly file"), asm.err());
        assertFalse(Files.exists(bin));

        Result disasm = run("isa", "disasm", bin.toString());
        assertEquals(2, disasm.code());
        assertTrue(disasm.err().startsWith("nccsim: error: " + bin + ": no such binary file"), disasm.err());
    }

    @Test
    void aBinaryGivenToAsmIsRefusedAsText(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("prog.bin");
        Files.write(bin, new byte[] {0x03, (byte) 0xff, (byte) 0xfe, 0x00});
        Result r = run("isa", "asm", bin.toString(), "-o", dir.resolve("x.bin").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(bin + ": not UTF-8 text"), r.err());
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }

    @Test
    void usageErrors(@TempDir Path dir) throws Exception {
        Path source = write(dir.resolve("prog.s"), "fence\n");
        Result noOutput = run("isa", "asm", source.toString());
        assertEquals(2, noOutput.code());
        assertTrue(noOutput.err().contains("Missing required option: '--output=FILE.bin'"), noOutput.err());

        Result directory = run("isa", "asm", source.toString(), "-o", dir.toString(), "--force");
        assertEquals(2, directory.code());
        assertTrue(directory.err().contains("is a directory"), directory.err());

        assertTrue(run("--help").out().contains("isa"), "listed as a subcommand of nccsim");
        Result bare = run("isa");
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("asm") && bare.err().contains("disasm"), bare.err());
    }

    private static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static long countFiles(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }
}
