package io.nccsim.model;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.testutil.GgufBuilder;
import io.nccsim.testutil.GgufBuilder.Bytes;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufLoaderTest {
    @TempDir
    Path dir;

    static byte[] f32s(float... v) {
        Bytes b = new Bytes();
        for (float f : v) {
            b.f32(f);
        }
        return b.bytes();
    }

    /** One Q8_0 block: fp16 scale, 32 int8 codes. */
    static byte[] q8Block(short d, byte[] q) {
        return new Bytes().u16(d).raw(q).bytes();
    }

    /** One Q4_0 block: fp16 scale, 16 bytes; element j (< 16) is the low nibble of byte j, element 16 + j the high. */
    static byte[] q4Block(short d, int[] nibbles) {
        Bytes b = new Bytes().u16(d);
        for (int j = 0; j < 16; j++) {
            b.u8(nibbles[j] | (nibbles[16 + j] << 4));
        }
        return b.bytes();
    }

    private static byte[] concat(byte[]... parts) {
        Bytes b = new Bytes();
        for (byte[] p : parts) {
            b.raw(p);
        }
        return b.bytes();
    }

    private Path write(String fileName, byte[] bytes) throws IOException {
        Path f = dir.resolve(fileName);
        Files.write(f, bytes);
        return f;
    }

    private static final byte[] Q8_CODES = new byte[32];
    private static final int[] Q4_NIBBLES_A = new int[32];
    private static final int[] Q4_NIBBLES_B = new int[32];

    static {
        for (int i = 0; i < 32; i++) {
            Q8_CODES[i] = (byte) (i * 8 - 128 + (i == 31 ? 7 : 0)); // -128 .. 127
            Q4_NIBBLES_A[i] = i % 16;
            Q4_NIBBLES_B[i] = 15 - (i * 7) % 16;
        }
    }

    /** A file with metadata of every value type and one tensor of every type read. */
    private static GgufBuilder everything(int version, long alignment) {
        GgufBuilder g = new GgufBuilder();
        g.version = version;
        g.alignment = alignment;
        g.kv("general.architecture", 8, new Bytes().str("llama"));
        if (alignment != 32) {
            g.kv("general.alignment", 4, new Bytes().u32(alignment));
        }
        g.kv("t.u8", 0, new Bytes().u8(200));
        g.kv("t.i8", 1, new Bytes().u8(0xFB));
        g.kv("t.u16", 2, new Bytes().u16(60000));
        g.kv("t.i16", 3, new Bytes().u16(-300 & 0xFFFF));
        g.kv("t.u32", 4, new Bytes().u32(4_000_000_000L));
        g.kv("t.i32", 5, new Bytes().u32(-7));
        g.kv("t.f32", 6, new Bytes().f32(1.5f));
        g.kv("t.bool", 7, new Bytes().u8(1));
        g.kv("t.string", 8, new Bytes().str("héllo"));
        g.kv("t.array.i32", 9, new Bytes().u32(5).u64(3).u32(1).u32(-2).u32(3));
        g.kv("t.array.str", 9, new Bytes().u32(8).u64(2).str("a").str("bc"));
        g.kv("t.array.nested", 9, new Bytes().u32(9).u64(2)
                .u32(0).u64(2).u8(1).u8(2)
                .u32(7).u64(1).u8(0));
        g.kv("t.array.empty", 9, new Bytes().u32(6).u64(0));
        g.kv("t.u64", 10, new Bytes().u64(Long.MIN_VALUE + 5)); // 2^63 + 5
        g.kv("t.i64", 11, new Bytes().u64(-9_000_000_000_000_000_000L));
        g.kv("t.f64", 12, new Bytes().f64(Math.PI));

        g.tensor("f32", 0, f32s(0, 1, 2, 3, 4, 5), 3, 2); // shape [2, 3]
        Bytes h = new Bytes();
        for (float v : new float[]{1f, -2.5f, 65504f, 0x1p-24f}) {
            h.u16(Float16Bits.toFp16(v));
        }
        g.tensor("f16", 1, h.bytes(), 4);
        Bytes bf = new Bytes();
        for (float v : new float[]{1f, -3f, 0.5f, 1e30f}) {
            bf.u16(Float16Bits.toBf16(v));
        }
        g.tensor("bf16", 30, bf.bytes(), 2, 2, 1); // shape [1, 2, 2]
        g.tensor("q8", 8, concat(q8Block(Float16Bits.toFp16(0.5f), Q8_CODES),
                q8Block(Float16Bits.toFp16(-0.25f), Q8_CODES)), 32, 2); // shape [2, 32]
        g.tensor("q4", 2, concat(q4Block(Float16Bits.toFp16(2f), Q4_NIBBLES_A),
                q4Block(Float16Bits.toFp16(0.125f), Q4_NIBBLES_B)), 64); // shape [64]
        return g;
    }

    @Test
    void readsMetadataOfEveryTypeAndTensorsOfEveryType() throws IOException {
        GgufBuilder g = everything(3, 64);
        Path f = write("every.gguf", g.build());
        assertEquals(0, g.dataStart % 64);
        assertTrue(g.offsets.get(1) == 64 && g.offsets.get(2) == 128, "tensors are padded apart: " + g.offsets);
        ModelFile m = ModelLoaders.load(f);
        assertEquals("gguf", m.format());
        assertEquals(f.toString(), m.name());
        assertEquals(ModelLoaders.sha256(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))), m.sha256());

        var meta = m.metadata();
        assertEquals("llama", meta.get("general.architecture"));
        assertEquals(64L, meta.get("general.alignment"));
        assertEquals(200, meta.get("t.u8"));
        assertEquals(-5, meta.get("t.i8"));
        assertEquals(60000, meta.get("t.u16"));
        assertEquals(-300, meta.get("t.i16"));
        assertEquals(4_000_000_000L, meta.get("t.u32"));
        assertEquals(-7, meta.get("t.i32"));
        assertEquals(1.5f, meta.get("t.f32"));
        assertEquals(true, meta.get("t.bool"));
        assertEquals("héllo", meta.get("t.string"));
        assertEquals(List.of(1, -2, 3), meta.get("t.array.i32"));
        assertEquals(List.of("a", "bc"), meta.get("t.array.str"));
        assertEquals(List.of(List.of(1, 2), List.of(false)), meta.get("t.array.nested"));
        assertEquals(List.of(), meta.get("t.array.empty"));
        assertEquals(BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(5)), meta.get("t.u64"));
        assertEquals(-9_000_000_000_000_000_000L, meta.get("t.i64"));
        assertEquals(Math.PI, meta.get("t.f64"));
        assertEquals(18, meta.size());
        assertEquals(List.of("general.architecture", "general.alignment", "t.u8"),
                new ArrayList<>(meta.keySet()).subList(0, 3), "metadata keeps the file's order");

        assertEquals(List.of("f32", "f16", "bf16", "q8", "q4"), m.tensors().stream().map(TensorData::name).toList());
        TensorData f32 = m.tensor("f32");
        assertEquals(StorageType.F32, f32.stored());
        assertArrayEquals(new long[]{2, 3}, f32.shape(), "GGUF dims [3, 2] are innermost first");
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, f32.values());
        assertNull(f32.quantized());
        assertArrayEquals(new float[]{1f, -2.5f, 65504f, 0x1p-24f}, m.tensor("f16").values());
        assertEquals(StorageType.F16, m.tensor("f16").stored());
        assertArrayEquals(new long[]{1, 2, 2}, m.tensor("bf16").shape());
        assertArrayEquals(new float[]{1f, -3f, 0.5f, Float16Bits.fromBf16(Float16Bits.toBf16(1e30f))},
                m.tensor("bf16").values());
        assertEquals(StorageType.BF16, m.tensor("bf16").stored());

        TensorData q8 = m.tensor("q8");
        assertEquals(StorageType.Q8_0, q8.stored());
        assertArrayEquals(new long[]{2, 32}, q8.shape());
        QuantizedTensor q = q8.quantized();
        assertEquals(new WeightQuant(ElementType.INT8, 32, true), q.quant());
        assertEquals(2, q.rows());
        assertEquals(32, q.cols());
        assertArrayEquals(new float[]{0.5f, -0.25f}, q.scales());
        assertNull(q.zeroPoints());
        for (int i = 0; i < 64; i++) {
            int code = Q8_CODES[i % 32];
            assertEquals(code + 128, q.symbol(i), "symbol " + i);
            assertEquals(code * (i < 32 ? 0.5f : -0.25f), q8.values()[i], "value " + i);
        }

        TensorData q4 = m.tensor("q4");
        assertEquals(StorageType.Q4_0, q4.stored());
        assertArrayEquals(new long[]{64}, q4.shape());
        QuantizedTensor p = q4.quantized();
        assertEquals(new WeightQuant(ElementType.INT4, 32, true), p.quant());
        assertEquals(1, p.rows());
        assertEquals(64, p.cols());
        assertArrayEquals(new float[]{2f, 0.125f}, p.scales());
        for (int i = 0; i < 64; i++) {
            int nibble = i < 32 ? Q4_NIBBLES_A[i] : Q4_NIBBLES_B[i - 32];
            assertEquals(nibble, p.symbol(i), "symbol " + i);
            assertEquals((nibble - 8) * (i < 32 ? 2f : 0.125f), q4.values()[i], "value " + i);
        }
        assertEquals(6 + 4 + 4 + 64 + 64, m.parameters());
    }

    @Test
    void readsVersion2AndTheDefaultAlignment() throws IOException {
        GgufBuilder g = everything(2, 32);
        Path f = write("v2.gguf", g.build());
        assertEquals(0, g.dataStart % 32);
        ModelFile m = ModelLoaders.load(f);
        assertNull(m.metadata().get("general.alignment"));
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, m.tensor("f32").values());
        assertEquals(0.125f, m.tensor("q4").quantized().scales()[1]);
    }

    @Test
    void aFileWithoutTensorsHasOnlyMetadata() throws IOException {
        GgufBuilder g = new GgufBuilder().kv("general.name", 8, new Bytes().str("empty"));
        ModelFile m = ModelLoaders.load(write("empty.gguf", g.build()));
        assertEquals(0, m.tensors().size());
        assertEquals("empty", m.metadata().get("general.name"));
    }

    private BadInputException rejects(String fileName, byte[] bytes) throws IOException {
        return MalformedFiles.rejects(write(fileName, bytes));
    }

    private static void assertMentions(BadInputException e, String... parts) {
        MalformedFiles.assertMentions(e, parts);
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        byte[] whole = everything(3, 32).build();
        assertMentions(rejects("cut.gguf", Arrays.copyOf(whole, 10)), "byte 8:", "tensor_count", "truncated");
        // Cut inside the first key's string.
        byte[] one = new GgufBuilder().kv("general.architecture", 8, new Bytes().str("llama")).build();
        assertMentions(rejects("cut2.gguf", Arrays.copyOf(one, 24 + 8 + 5)), "byte 32:",
                "key of metadata entry 0", "truncated");
    }

    @Test
    void rejectsBadMagicAndUnsupportedVersions() throws IOException {
        byte[] bytes = everything(3, 32).build();
        bytes[3] = 'X';
        BadInputException e = assertThrows(BadInputException.class,
                () -> new GgufLoader().load("x.gguf", java.nio.ByteBuffer.wrap(bytes), ""));
        assertMentions(e, "x.gguf: byte 0:", "magic");
        // Through ModelLoaders no loader recognises it.
        assertMentions(rejects("magic.gguf", bytes), "not a model file");

        GgufBuilder v1 = everything(1, 32);
        assertMentions(rejects("v1.gguf", v1.build()), "byte 4:", "version 1", "versions 2 and 3");
        GgufBuilder v4 = everything(4, 32);
        assertMentions(rejects("v4.gguf", v4.build()), "byte 4:", "version 4");
    }

    @Test
    void rejectsDataBeyondTheEnd() throws IOException {
        GgufBuilder g = new GgufBuilder().tensor("w", 0, f32s(1, 2, 3, 4), 4);
        byte[] whole = g.build();
        // Offset field of the only tensor: after header (24), name (8 + 1), n_dims (4), one dim (8), type (4).
        long offsetAt = 24 + 9 + 4 + 8 + 4;
        byte[] far = whole.clone();
        far[(int) offsetAt + 1] = 0x10; // offset 4096: aligned, but past the end
        assertMentions(rejects("far.gguf", far), "byte 24:", "tensor 'w'", "offset 4096", "past the end");
        // The data section cut short, inside the tensor's 16 bytes.
        assertMentions(rejects("short.gguf", Arrays.copyOf(whole, (int) g.dataStart + 15)), "tensor 'w'",
                "16 bytes of F32 data at offset 0 (byte 64)", "past the end of the file at byte 79");
        // An offset that is not aligned.
        byte[] odd = whole.clone();
        odd[(int) offsetAt] = 4;
        assertMentions(rejects("odd.gguf", odd), "tensor 'w'", "not a multiple of the alignment 32");
    }

    @Test
    void rejectsUnsupportedAndUnknownTensorTypes() throws IOException {
        GgufBuilder k = new GgufBuilder().tensor("blk.0.ffn_up.weight", 12, new byte[144], 256); // Q4_K
        assertMentions(rejects("k.gguf", k.build()), "byte 24:", "tensor 'blk.0.ffn_up.weight'", "Q4_K (12)",
                "not supported");
        GgufBuilder u = new GgufBuilder().tensor("w", 99, new byte[4], 1);
        assertMentions(rejects("u.gguf", u.build()), "tensor 'w'", "unknown ggml type 99");
    }

    @Test
    void rejectsBlocksThatDoNotFillARow() throws IOException {
        GgufBuilder g = new GgufBuilder().tensor("q", 8, new byte[34], 16, 2); // 32 elements but rows of 16
        assertMentions(rejects("rows.gguf", g.build()), "tensor 'q'", "whole blocks of 32", "innermost dimension is 16");
    }

    @Test
    void rejectsCorruptMetadata() throws IOException {
        // A string length beyond the file.
        byte[] longString = new GgufBuilder().kv("k", 8, new Bytes().u64(1L << 40)).build();
        assertMentions(rejects("str.gguf", longString), "byte 45:", "'k'", "1099511627776 bytes", "truncated");
        // An array count beyond what the file could hold.
        byte[] bigArray = new GgufBuilder().kv("arr", 9, new Bytes().u32(4).u64(1L << 40)).build();
        assertMentions(rejects("arr.gguf", bigArray), "byte 43:", "'arr'", "1099511627776", "corrupt");
        // An unknown value type.
        byte[] badType = new GgufBuilder().kv("t", 13, new Bytes().u32(0)).build();
        assertMentions(rejects("type.gguf", badType), "byte 33:", "'t'", "unknown value type 13");
        // A bool that is neither 0 nor 1, a count beyond 2^63, a repeated key.
        assertMentions(rejects("bool.gguf", new GgufBuilder().kv("b", 7, new Bytes().u8(2)).build()), "byte 37:",
                "bool of value 2");
        byte[] hugeCount = new GgufBuilder().build();
        hugeCount[15] = (byte) 0x80;
        assertMentions(rejects("count.gguf", hugeCount), "byte 8:", "tensor_count", "corrupt");
        byte[] twice = new GgufBuilder().kv("k", 0, new Bytes().u8(1)).kv("k", 0, new Bytes().u8(2)).build();
        assertMentions(rejects("twice.gguf", twice), "byte 38:", "'k' appears twice");
        // An alignment that is not a power of two, or not a uint32.
        assertMentions(rejects("align.gguf", new GgufBuilder().kv("general.alignment", 4, new Bytes().u32(48)).build()),
                "not a power of two");
        assertMentions(rejects("align2.gguf", new GgufBuilder().kv("general.alignment", 5, new Bytes().u32(64)).build()),
                "general.alignment must be a uint32");
        // Too many dimensions.
        assertMentions(rejects("dims.gguf", new GgufBuilder().tensor("w", 0, new byte[4], 1, 1, 1, 1, 1).build()),
                "byte 33:", "tensor 'w' has 5 dimensions");
    }

    @Test
    void rejectsNestingBeyondTheLimit() throws IOException {
        Bytes v = new Bytes();
        for (int i = 0; i < 100; i++) {
            v.u32(9).u64(1);
        }
        v.u32(0).u64(0);
        assertMentions(rejects("deep.gguf", new GgufBuilder().kv("deep", 9, v).build()), "nests arrays more than 64");
    }
}
