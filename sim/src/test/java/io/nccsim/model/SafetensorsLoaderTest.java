package io.nccsim.model;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.testutil.SafetensorsBuilder.Tensor;
import io.nccsim.trace.ElementType;

import static io.nccsim.testutil.SafetensorsBuilder.file;
import static io.nccsim.testutil.SafetensorsBuilder.withHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsLoaderTest {
    @TempDir
    Path dir;

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = le(4 * v.length);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static List<Tensor> everyDtype() {
        ByteBuffer f64 = le(16).putDouble(1.25).putDouble(-1e300);
        ByteBuffer f16 = le(6).putShort(Float16Bits.toFp16(0.5f)).putShort(Float16Bits.toFp16(-65504f))
                .putShort(Float16Bits.toFp16(0x1p-20f));
        ByteBuffer bf16 = le(4).putShort(Float16Bits.toBf16(3f)).putShort(Float16Bits.toBf16(-0.15625f));
        ByteBuffer i16 = le(4).putShort((short) -32768).putShort((short) 32767);
        ByteBuffer i32 = le(8).putInt(-5).putInt(1 << 24);
        ByteBuffer i64 = le(8).putLong(-(1L << 40));
        return List.of(
                new Tensor("w.f32", "F32", new long[]{2, 3}, f32(0, 1, 2, 3, 4, 5)),
                new Tensor("a.f64", "F64", new long[]{2}, f64.array()),
                new Tensor("m.f16", "F16", new long[]{3, 1}, f16.array()),
                new Tensor("b.bf16", "BF16", new long[]{1, 2}, bf16.array()),
                new Tensor("c.i8", "I8", new long[]{2, 2}, new byte[]{-128, -1, 0, 127}),
                new Tensor("d.u8", "U8", new long[]{3}, new byte[]{0, (byte) 128, (byte) 255}),
                new Tensor("e.i16", "I16", new long[]{2}, i16.array()),
                new Tensor("f.i32", "I32", new long[]{1, 1, 2}, i32.array()),
                new Tensor("g.i64", "I64", new long[]{}, i64.array()),
                new Tensor("h.bool", "BOOL", new long[]{2}, new byte[]{1, 0}),
                new Tensor("z.empty", "F32", new long[]{0, 4}, new byte[0]));
    }

    private Path write(String fileName, byte[] bytes) throws IOException {
        Path f = dir.resolve(fileName);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void readsEveryDtypeShapeAndTheMetadata() throws IOException {
        Path f = write("every.safetensors", file(Map.of("format", "pt", "note", "tiny"), everyDtype()));
        ModelFile m = ModelLoaders.load(f);
        assertEquals("safetensors", m.format());
        assertEquals(Map.of("format", "pt", "note", "tiny"), m.metadata());
        assertEquals(List.of("w.f32", "a.f64", "m.f16", "b.bf16", "c.i8", "d.u8", "e.i16", "f.i32", "g.i64",
                "h.bool", "z.empty"), m.tensors().stream().map(TensorData::name).toList(), "data order");

        TensorData w = m.tensor("w.f32");
        assertEquals(StorageType.F32, w.stored());
        assertArrayEquals(new long[]{2, 3}, w.shape());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, w.values());
        assertNull(w.quantized());
        assertArrayEquals(new float[]{1.25f, (float) -1e300}, m.tensor("a.f64").values());
        assertEquals(StorageType.F64, m.tensor("a.f64").stored());
        assertArrayEquals(new float[]{0.5f, -65504f, 0x1p-20f}, m.tensor("m.f16").values());
        assertArrayEquals(new long[]{3, 1}, m.tensor("m.f16").shape());
        assertArrayEquals(new float[]{3f, -0.15625f}, m.tensor("b.bf16").values());
        assertEquals(StorageType.BF16, m.tensor("b.bf16").stored());
        assertArrayEquals(new float[]{-32768, 32767}, m.tensor("e.i16").values());
        assertEquals(StorageType.INT16, m.tensor("e.i16").stored());
        assertArrayEquals(new float[]{-5, 1 << 24}, m.tensor("f.i32").values());
        assertArrayEquals(new long[]{1, 1, 2}, m.tensor("f.i32").shape());
        TensorData scalar = m.tensor("g.i64");
        assertEquals(StorageType.INT64, scalar.stored());
        assertArrayEquals(new long[]{}, scalar.shape());
        assertArrayEquals(new float[]{-(1L << 40)}, scalar.values());
        assertEquals(1, scalar.rows());
        assertArrayEquals(new float[]{1, 0}, m.tensor("h.bool").values());
        assertEquals(StorageType.BOOL, m.tensor("h.bool").stored());
        assertEquals(0, m.tensor("z.empty").elements());

        TensorData i8 = m.tensor("c.i8");
        assertEquals(StorageType.INT8, i8.stored());
        assertArrayEquals(new float[]{-128, -1, 0, 127}, i8.values());
        QuantizedTensor q = i8.quantized();
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, true), q.quant());
        assertEquals(List.of(0, 127, 128, 255), List.of(q.symbol(0), q.symbol(1), q.symbol(2), q.symbol(3)));
        assertEquals(2, q.rows());
        assertEquals(2, q.cols());
        assertEquals(0, q.scales().length);
        assertNull(q.zeroPoints());

        TensorData u8 = m.tensor("d.u8");
        assertEquals(StorageType.UINT8, u8.stored());
        assertArrayEquals(new float[]{0, 128, 255}, u8.values());
        QuantizedTensor p = u8.quantized();
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, false), p.quant());
        assertEquals(List.of(0, 128, 255), List.of(p.symbol(0), p.symbol(1), p.symbol(2)));
        assertEquals(1, p.rows(), "a vector is one row");
        assertEquals(3, p.cols());
        assertEquals(0, p.scales().length);
        assertEquals(0, p.zeroPoints().length, "the zero point is not in the file's tensor");
        assertEquals(6 + 2 + 3 + 2 + 4 + 3 + 2 + 2 + 1 + 2, m.parameters());
    }

    @Test
    void aHeaderWithoutMetadataOrTensorsIsAnEmptyModel() throws IOException {
        ModelFile m = ModelLoaders.load(write("empty.safetensors", withHeader("{}", List.of())));
        assertEquals(0, m.tensors().size());
        assertEquals(Map.of(), m.metadata());
    }

    private BadInputException rejects(String fileName, byte[] bytes) throws IOException {
        return MalformedFiles.rejects(write(fileName, bytes));
    }

    private static void assertMentions(BadInputException e, String... parts) {
        MalformedFiles.assertMentions(e, parts);
    }

    private static byte[] one(String entry, int dataBytes) {
        return withHeader("{\"w\":" + entry + "}", List.of(new byte[dataBytes]));
    }

    @Test
    void rejectsTruncatedHeaders() throws IOException {
        assertMentions(rejects("tiny.safetensors", new byte[5]), "byte 0:", "header length", "truncated");
        byte[] whole = file(null, List.of(new Tensor("w", "F32", new long[]{2}, f32(1, 2))));
        assertMentions(rejects("cut.safetensors", Arrays.copyOf(whole, 20)), "byte 0:",
                "header length " + (whole.length - 8 - 8), "past the end of the file at byte 20");
    }

    @Test
    void rejectsMalformedJsonWithItsByteOffset() throws IOException {
        // The error is at the '}' that should have been a value: byte 8 + 5.
        assertMentions(rejects("json.safetensors", withHeader("{\"w\":}", List.of())), "byte 13:",
                "JSON header is malformed");
        assertMentions(rejects("array.safetensors", withHeader("[1, 2]  ", List.of())), "byte 8:", "not an object");
        assertMentions(rejects("trail.safetensors", withHeader("{} {}", List.of())), "byte 11:",
                "more after its closing brace");
        String entry = "{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}";
        assertMentions(rejects("dup.safetensors", withHeader("{\"a\":" + entry + ",\"a\":" + entry + "}", List.of())),
                "byte 64:", "Duplicate field 'a'");
    }

    @Test
    void rejectsOffsetsBeyondTheEnd() throws IOException {
        BadInputException e = rejects("far.safetensors",
                one("{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}", 12));
        assertMentions(e, "byte 9:", "tensor 'w'", "[0, 16)", "data section, which holds 12 bytes");
        assertMentions(rejects("back.safetensors",
                one("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}", 12)), "end before they begin");
        assertMentions(rejects("neg.safetensors",
                one("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}", 12)),
                "data_offsets[0] = -4 is not a non-negative integer");
    }

    @Test
    void rejectsASizeThatDoesNotMatchShapeAndDtype() throws IOException {
        BadInputException e = rejects("size.safetensors",
                one("{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}", 12));
        assertMentions(e, "byte 9:", "tensor 'w'", "hold 12 bytes", "shape [2, 2] of F32 needs 16");
        assertMentions(rejects("size16.safetensors",
                one("{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,12]}", 12)), "of BF16 needs 6");
    }

    @Test
    void rejectsOverlaps() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertMentions(rejects("overlap.safetensors", withHeader(json, List.of(new byte[12]))),
                "tensor 'b' (data_offsets [4, 12)) overlaps tensor 'a' (data_offsets [0, 8))");
    }

    @Test
    void rejectsUnknownDtypesAndBadEntries() throws IOException {
        assertMentions(rejects("fp8.safetensors",
                one("{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}", 4)),
                "byte 9:", "tensor 'w'", "dtype 'F8_E4M3' is not supported", "F64, F32, F16");
        assertMentions(rejects("nodtype.safetensors", one("{\"shape\":[4],\"data_offsets\":[0,4]}", 4)),
                "tensor 'w': dtype is missing");
        assertMentions(rejects("noshape.safetensors", one("{\"dtype\":\"U8\",\"data_offsets\":[0,4]}", 4)),
                "tensor 'w': shape is missing or not an array");
        assertMentions(rejects("offs.safetensors", one("{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0]}", 4)),
                "data_offsets is missing or not an array of 2 integers");
        assertMentions(rejects("notobj.safetensors", one("7", 4)), "tensor 'w' is not an object");
        assertMentions(rejects("meta.safetensors", withHeader("{\"__metadata__\":{\"n\":3}}", List.of())),
                "byte 9:", "__metadata__ entry 'n' is number, not a string");
    }

    @Test
    void isRecognisedByItsHeaderWhateverItsName() throws IOException {
        byte[] bytes = file(null, List.of(new Tensor("w", "F32", new long[]{1}, f32(7))));
        ModelFile m = ModelLoaders.load(write("weights.dat", bytes));
        assertEquals("safetensors", m.format());
        assertArrayEquals(new float[]{7}, m.tensor("w").values());
        SafetensorsLoader l = new SafetensorsLoader();
        assertTrue(l.recognizes("x.SafeTensors", new byte[0]));
        assertTrue(!l.recognizes("x.bin", Arrays.copyOf(bytes, 8)), "too short to tell");
        byte[] notJson = bytes.clone();
        notJson[8] = '[';
        assertTrue(!l.recognizes("x.bin", Arrays.copyOf(notJson, 64)));
    }
}
