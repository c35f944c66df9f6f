package io.nccsim.model;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxLoaderTest {
    @TempDir
    Path dir;

    /** The protobuf wire format, byte by byte: varints, tags, fixed-width little-endian and length-delimited. */
    static final class Pb {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pb varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Pb tag(int field, int wire) {
            return varint(((long) field << 3) | wire);
        }

        Pb int64(int field, long v) {
            return tag(field, 0).varint(v);
        }

        Pb bytes(int field, byte[] b) {
            tag(field, 2).varint(b.length);
            out.writeBytes(b);
            return this;
        }

        Pb string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Pb message(int field, Pb m) {
            return bytes(field, m.bytes());
        }

        Pb fixed32(int field, int v) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        /** A packed repeated varint field. */
        Pb packed(int field, long... v) {
            Pb inner = new Pb();
            for (long x : v) {
                inner.varint(x);
            }
            return bytes(field, inner.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A TensorProto: dims (field 1, packed), data_type (2), name (8), then whatever data fields are added. */
    static Pb tensor(String name, int dataType, long... dims) {
        Pb t = new Pb();
        if (dims.length > 0) {
            t.packed(1, dims);
        }
        return t.int64(2, dataType).string(8, name);
    }

    /** A ModelProto around a graph of these initializers and two nodes. */
    static byte[] model(Pb... initializers) {
        Pb graph = new Pb()
                .message(1, new Pb().string(1, "x").string(2, "y").string(4, "MatMul"))
                .message(1, new Pb().string(4, "Add").string(3, "add0"))
                .string(2, "tiny");
        for (Pb t : initializers) {
            graph.message(5, t);
        }
        return new Pb()
                .int64(1, 8)
                .string(2, "nccsim-test")
                .string(3, "1.0")
                .message(8, new Pb().string(1, "").int64(2, 17))
                .message(8, new Pb().string(1, "com.microsoft").int64(2, 1))
                .message(14, new Pb().string(1, "author").string(2, "tests"))
                .message(7, graph)
                .int64(5, 3)
                .bytes();
    }

    private static List<Pb> everyType() {
        List<Pb> t = new ArrayList<>();
        ByteBuffer f = le(24);
        for (int i = 0; i < 6; i++) {
            f.putFloat(i * 1.5f - 2);
        }
        t.add(tensor("raw_f32", 1, 2, 3).bytes(9, f.array()));
        // float_data packed; dims written unpacked, one varint per tag
        ByteBuffer fd = le(12).putFloat(1f).putFloat(-0.5f).putFloat(1e-30f);
        t.add(new Pb().int64(1, 3).int64(2, 1).string(8, "typed_f32").bytes(4, fd.array()));
        // float_data unpacked (one fixed32 per tag)
        t.add(tensor("fixed_f32", 1, 2).fixed32(4, Float.floatToIntBits(7f)).fixed32(4, Float.floatToIntBits(8f)));
        t.add(tensor("typed_i64", 7, 2).packed(7, -3, 1L << 40));
        t.add(tensor("raw_i64", 7, 1, 2).bytes(9, le(16).putLong(5).putLong(-6).array()));
        t.add(tensor("raw_i8", 3, 2, 2).bytes(9, new byte[]{-128, -1, 0, 127}));
        t.add(tensor("typed_u8", 2, 4).packed(5, 0, 1, 128, 255));
        t.add(tensor("typed_i8", 3, 3).packed(5, -2, 0).int64(5, 5)); // packed, then one more unpacked
        t.add(tensor("raw_f16", 10, 2).bytes(9, le(4).putShort(Float16Bits.toFp16(0.25f))
                .putShort(Float16Bits.toFp16(-1000f)).array()));
        t.add(tensor("typed_f16", 10, 2).packed(5, Float16Bits.toFp16(3f) & 0xFFFF, Float16Bits.toFp16(-2f) & 0xFFFF));
        t.add(tensor("raw_bf16", 16, 2).bytes(9, le(4).putShort(Float16Bits.toBf16(1.5f))
                .putShort(Float16Bits.toBf16(-256f)).array()));
        t.add(tensor("typed_f64", 11, 2).bytes(10, le(16).putDouble(0.1).putDouble(-2.5).array()));
        t.add(tensor("typed_i32", 6, 3).packed(5, -7, 0, 1 << 30));
        t.add(tensor("raw_i16", 5, 2).bytes(9, le(4).putShort((short) -300).putShort((short) 300).array()));
        t.add(tensor("raw_bool", 9, 3).bytes(9, new byte[]{1, 0, 1}));
        t.add(tensor("scalar", 1).bytes(9, le(4).putFloat(42f).array()));
        return t;
    }

    private Path write(String fileName, byte[] bytes) throws IOException {
        Path f = dir.resolve(fileName);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void readsEveryDataTypeEncodingAndTheMetadata() throws IOException {
        ModelFile m = ModelLoaders.load(write("tiny.onnx", model(everyType().toArray(Pb[]::new))));
        assertEquals("onnx", m.format());
        var meta = m.metadata();
        assertEquals(8L, meta.get("ir_version"));
        assertEquals("nccsim-test", meta.get("producer_name"));
        assertEquals("1.0", meta.get("producer_version"));
        assertEquals(3L, meta.get("model_version"));
        assertEquals(List.of("ai.onnx:17", "com.microsoft:1"), meta.get("opset_import"));
        assertEquals("tests", meta.get("metadata.author"));
        assertEquals("tiny", meta.get("graph.name"));
        assertEquals(2L, meta.get("graph.nodes"));
        assertEquals(List.of("Add", "MatMul"), meta.get("graph.op_types"));
        assertEquals(List.of(new GraphNode("", "MatMul", List.of("x"), List.of("y")),
                new GraphNode("add0", "Add", List.of(), List.of())), m.graph(), "nodes, wiring and names in file order");

        assertEquals(16, m.tensors().size());
        assertEquals("raw_f32", m.tensors().get(0).name(), "file order");
        TensorData raw = m.tensor("raw_f32");
        assertEquals(StorageType.F32, raw.stored());
        assertArrayEquals(new long[]{2, 3}, raw.shape());
        assertArrayEquals(new float[]{-2, -0.5f, 1, 2.5f, 4, 5.5f}, raw.values());
        assertNull(raw.quantized());
        assertArrayEquals(new long[]{3}, m.tensor("typed_f32").shape());
        assertArrayEquals(new float[]{1f, -0.5f, 1e-30f}, m.tensor("typed_f32").values());
        assertArrayEquals(new float[]{7f, 8f}, m.tensor("fixed_f32").values());
        assertEquals(StorageType.INT64, m.tensor("typed_i64").stored());
        assertArrayEquals(new float[]{-3, 1L << 40}, m.tensor("typed_i64").values());
        assertArrayEquals(new float[]{5, -6}, m.tensor("raw_i64").values());
        assertArrayEquals(new float[]{0.25f, -1000f}, m.tensor("raw_f16").values());
        assertEquals(StorageType.F16, m.tensor("raw_f16").stored());
        assertArrayEquals(new float[]{3f, -2f}, m.tensor("typed_f16").values());
        assertArrayEquals(new float[]{1.5f, -256f}, m.tensor("raw_bf16").values());
        assertEquals(StorageType.BF16, m.tensor("raw_bf16").stored());
        assertArrayEquals(new float[]{0.1f, -2.5f}, m.tensor("typed_f64").values());
        assertEquals(StorageType.F64, m.tensor("typed_f64").stored());
        assertArrayEquals(new float[]{-7, 0, 1 << 30}, m.tensor("typed_i32").values());
        assertEquals(StorageType.INT32, m.tensor("typed_i32").stored());
        assertArrayEquals(new float[]{-300, 300}, m.tensor("raw_i16").values());
        assertEquals(StorageType.INT16, m.tensor("raw_i16").stored());
        assertArrayEquals(new float[]{1, 0, 1}, m.tensor("raw_bool").values());
        assertEquals(StorageType.BOOL, m.tensor("raw_bool").stored());
        TensorData scalar = m.tensor("scalar");
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[]{42f}, scalar.values());
        assertEquals(1, scalar.rows());

        TensorData i8 = m.tensor("raw_i8");
        assertEquals(StorageType.INT8, i8.stored());
        assertArrayEquals(new float[]{-128, -1, 0, 127}, i8.values());
        QuantizedTensor q = i8.quantized();
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, true), q.quant());
        assertEquals(List.of(0, 127, 128, 255), List.of(q.symbol(0), q.symbol(1), q.symbol(2), q.symbol(3)));
        assertEquals(2, q.rows());
        assertEquals(2, q.cols());
        assertEquals(0, q.scales().length, "ONNX keeps the scale in another initializer");
        assertNull(q.zeroPoints());

        TensorData u8 = m.tensor("typed_u8");
        assertEquals(StorageType.UINT8, u8.stored());
        assertArrayEquals(new float[]{0, 1, 128, 255}, u8.values());
        QuantizedTensor p = u8.quantized();
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, false), p.quant());
        assertEquals(List.of(0, 1, 128, 255), List.of(p.symbol(0), p.symbol(1), p.symbol(2), p.symbol(3)));
        assertEquals(1, p.rows(), "a vector is one row");
        assertEquals(4, p.cols());
        assertEquals(0, p.zeroPoints().length);

        assertArrayEquals(new float[]{-2, 0, 5}, m.tensor("typed_i8").values(),
                "int32_data accumulates over packed and unpacked fields");
    }

    private BadInputException rejects(String fileName, byte[] bytes) throws IOException {
        return MalformedFiles.rejects(write(fileName, bytes));
    }

    private static void assertMentions(BadInputException e, String... parts) {
        MalformedFiles.assertMentions(e, parts);
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        byte[] whole = model(tensor("w", 1, 64).bytes(9, new byte[256]));
        assertMentions(rejects("cut.onnx", Arrays.copyOf(whole, whole.length - 100)), "truncated");
        assertMentions(rejects("cut2.onnx", Arrays.copyOf(whole, 3)), "byte 3:", "ModelProto",
                "the file ends inside producer_name (field 2) (truncated)");
        assertMentions(rejects("cut3.onnx", Arrays.copyOf(whole, 8)), "byte 3:", "ModelProto",
                "producer_name (field 2) claims 11 bytes, but only 4 are left in the file (truncated)");
    }

    @Test
    void rejectsRawDataOfTheWrongSize() throws IOException {
        byte[] bytes = model(tensor("weights", 1, 2, 2).bytes(9, new byte[12]));
        assertMentions(rejects("size.onnx", bytes), "graph.initializer[0] 'weights'",
                "raw_data holds 12 bytes, but 4 elements of FLOAT (1) (shape [2, 2]) need 16");
        byte[] typed = model(tensor("t", 1, 3).bytes(4, new byte[8]));
        assertMentions(rejects("typed.onnx", typed), "'t'", "2 values in float_data, but shape [3] needs 3");
    }

    @Test
    void rejectsUnsupportedDataTypes() throws IOException {
        assertMentions(rejects("fp8.onnx", model(tensor("w", 17, 4).bytes(9, new byte[4]))),
                "graph.initializer[0] 'w'", "FLOAT8E4M3FN (17) is not supported");
        assertMentions(rejects("str.onnx", model(tensor("s", 8, 1).string(6, "hi"))), "STRING (8)");
        assertMentions(rejects("u16.onnx", model(tensor("u", 4, 1).packed(5, 7))), "UINT16 (4)");
        assertMentions(rejects("range.onnx", model(tensor("r", 3, 1).packed(5, 200))),
                "int32_data[0] = 200 is out of range for INT8 (3)");
    }

    @Test
    void rejectsExternalData() throws IOException {
        byte[] bytes = model(tensor("big", 1, 1000)
                .message(13, new Pb().string(1, "location").string(2, "weights.bin"))
                .int64(14, 1));
        assertMentions(rejects("ext.onnx", bytes), "'big'", "external file 'weights.bin'");
    }

    @Test
    void rejectsFilesThatAreNotOnnx() throws IOException {
        assertMentions(rejects("nograph.onnx", new Pb().int64(1, 7).bytes()), "no graph (ModelProto field 7)");
        assertMentions(rejects("text.onnx", "hello, world\n".getBytes(StandardCharsets.US_ASCII)), "byte 2:",
                "field 13 has invalid wire type 4");
        byte[] wrongWire = new Pb().int64(7, 5).bytes();
        assertMentions(rejects("wire.onnx", wrongWire), "byte 0:", "graph (field 7) has wire type 0, expected 2");
        // A sub-message whose length runs past its parent's.
        Pb graph = new Pb().tag(5, 2).varint(1000);
        assertMentions(rejects("len.onnx", new Pb().message(7, graph).bytes()), "byte 3:", "graph",
                "claims 1000 bytes, but only 0 are left in its enclosing message");
    }

    // ---- the real files: all-MiniLM-L6-v2, fp32 and its dynamically quantized int8 variant ----

    private static Path miniLm(boolean int8) {
        return Path.of(TestModels.miniLmJar(int8) + "!/" + TestModels.miniLmEntry(int8));
    }

    @Test
    void loadsMiniLmFp32FromItsJarEntryAndFromTheBareJar() {
        ModelFile m = ModelLoaders.load(miniLm(false));
        assertEquals("ca46f1a88a9c6e61b918af1ab38be3e7903b986616551f0a6f10a7ecc5730cd4", m.sha256());
        assertEquals(22_713_728L, m.parameters(), "all-MiniLM-L6-v2 has about 22.7M parameters");
        assertEquals(104, m.tensors().size());
        assertEquals("pytorch", m.metadata().get("producer_name"));
        assertEquals(List.of("ai.onnx:14"), m.metadata().get("opset_import"));
        assertEquals(7L, m.metadata().get("ir_version"));
        TensorData words = m.tensor("embeddings.word_embeddings.weight");
        assertArrayEquals(new long[]{30522, 384}, words.shape());
        assertEquals(StorageType.F32, words.stored());
        assertArrayEquals(new long[]{512, 384}, m.tensor("embeddings.position_embeddings.weight").shape());
        assertArrayEquals(new long[]{1536}, m.tensor("encoder.layer.5.intermediate.dense.bias").shape());
        TensorData ids = m.tensor("embeddings.position_ids");
        assertEquals(StorageType.INT64, ids.stored());
        assertArrayEquals(new long[]{1, 512}, ids.shape());
        assertEquals(511f, ids.values()[511]);
        assertEquals(36, matMulWeights(m, false).size(), "6 layers x (q, k, v, attention out, up, down)");
        for (TensorData t : m.tensors()) {
            for (float v : t.values()) {
                assertTrue(Float.isFinite(v), t.name());
            }
        }

        ModelFile bare = ModelLoaders.load(TestModels.miniLmJar(false));
        assertEquals(m.sha256(), bare.sha256());
        assertEquals(m.parameters(), bare.parameters());
        assertTrue(bare.name().endsWith("!/" + TestModels.miniLmEntry(false)), bare.name());
    }

    /** The MatMul weights in file order: {@code onnx::MatMul_N} (fp32) or {@code onnx::MatMul_N_quantized}. */
    private static List<TensorData> matMulWeights(ModelFile m, boolean quantized) {
        return m.tensors().stream().filter(t -> t.name().startsWith("onnx::MatMul_")
                && t.name().endsWith("_quantized") == quantized
                && !t.name().endsWith("_scale") && !t.name().endsWith("_zero_point")).toList();
    }

    @Test
    void loadsMiniLmInt8AndItsWeightsDequantizeToTheFp32Ones() {
        ModelFile q = ModelLoaders.load(miniLm(true));
        ModelFile f = ModelLoaders.load(miniLm(false));
        assertEquals("afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1", q.sha256());
        assertEquals("onnx.quantize", q.metadata().get("producer_name"));
        assertTrue(((List<?>) q.metadata().get("graph.op_types")).containsAll(
                List.of("MatMulInteger", "DynamicQuantizeLinear", "DequantizeLinear")));
        assertEquals(22_607_366L, q.parameters(), "the fp32 model less its pooler, plus scales and zero points");
        long int8 = 0;
        long uint8 = 0;
        for (TensorData t : q.tensors()) {
            int8 += t.stored() == StorageType.INT8 ? t.elements() : 0;
            uint8 += t.stored() == StorageType.UINT8 ? t.elements() : 0;
        }
        // 6 layers x (4 x 384 x 384 + 2 x 384 x 1536) int8 weights, and a zero point per output column.
        assertEquals(10_616_832L, int8 - zeroPointElements(q), "int8 MatMul weights");
        assertEquals(20_736L, zeroPointElements(q), "int8 MatMul zero points");
        assertEquals(30522 * 384 + 512 * 384 + 2 * 384 + 3, uint8, "uint8 embedding tables and their zero points");

        // The embedding tables: uint8, one scale and zero point per tensor.
        TensorData words = q.tensor("embeddings.word_embeddings.weight_quantized");
        assertEquals(StorageType.UINT8, words.stored());
        assertArrayEquals(new long[]{30522, 384}, words.shape());
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, false), words.quantized().quant());
        for (String name : List.of("word", "position", "token_type")) {
            String base = "embeddings." + name + "_embeddings.weight";
            assertWithinHalfAStep(q.tensor(base + "_quantized"), q.tensor(base + "_scale"),
                    q.tensor(base + "_zero_point"), f.tensor(base));
        }

        // The 36 MatMul weights: int8 [K, N], a scale and an (int8) zero point per output column N. The two
        // exports number their MatMul initializers differently, but in the same order.
        List<TensorData> qw = matMulWeights(q, true);
        List<TensorData> fw = matMulWeights(f, false);
        assertEquals(36, qw.size());
        for (int i = 0; i < qw.size(); i++) {
            TensorData w = qw.get(i);
            assertEquals(StorageType.INT8, w.stored());
            assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, true), w.quantized().quant());
            String base = w.name().substring(0, w.name().length() - "_quantized".length());
            TensorData zp = q.tensor(base + "_zero_point");
            for (float z : zp.values()) {
                assertEquals(0f, z, base + ": int8 weights are symmetric (zero point 0)");
            }
            assertWithinHalfAStep(w, q.tensor(base + "_scale"), zp, fw.get(i));
        }
    }

    private static long zeroPointElements(ModelFile q) {
        return q.tensors().stream().filter(t -> t.stored() == StorageType.INT8 && t.name().endsWith("_zero_point"))
                .mapToLong(TensorData::elements).sum();
    }

    /**
     * Dequantizes {@code codes} from its symbols with its companion scale and zero point (one per tensor, or one per
     * column) and checks every element is within half a quantization step of the fp32 weight (plus fp32 rounding):
     * what round-to-nearest quantization of these very weights gives.
     */
    private static void assertWithinHalfAStep(TensorData codes, TensorData scale, TensorData zeroPoint,
                                              TensorData fp32) {
        assertNotNull(scale, codes.name());
        assertNotNull(zeroPoint, codes.name());
        assertArrayEquals(fp32.shape(), codes.shape(), codes.name() + " vs " + fp32.name());
        QuantizedTensor q = codes.quantized();
        int symbolOffset = codes.stored() == StorageType.INT8 ? 128 : 0; // symbol = code + 128 for int8
        int cols = codes.cols();
        float[] want = fp32.values();
        double worstSteps = 0;
        for (int i = 0; i < want.length; i++) {
            int c = i % cols;
            float s = scale.elements() == 1 ? scale.values()[0] : scale.values()[c];
            float z = zeroPoint.elements() == 1 ? zeroPoint.values()[0] : zeroPoint.values()[c];
            double value = (q.symbol(i) - symbolOffset - z) * (double) s;
            double steps = Math.abs(value - want[i]) / s;
            worstSteps = Math.max(worstSteps, steps);
        }
        assertTrue(worstSteps <= 0.5 + 1e-4, codes.name() + " vs " + fp32.name() + ": worst error " + worstSteps
                + " quantization steps");
        assertTrue(worstSteps > 0.4, codes.name() + ": the codes are not simply the fp32 weights");
    }
}
