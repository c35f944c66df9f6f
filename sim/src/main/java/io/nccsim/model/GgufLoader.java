package io.nccsim.model;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.trace.ElementType;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GGUF, llama.cpp's model file, versions 2 and 3 (both little-endian; version 1 had 32-bit counts and is refused).
 *
 * <pre>
 *   magic "GGUF"  version u32  tensor_count u64  kv_count u64
 *   kv_count x    key string, value_type u32, value          (string = u64 length + UTF-8 bytes, no terminator)
 *   tensor_count x name string, n_dims u32, n_dims x u64 dims (innermost first), ggml_type u32, offset u64
 *   padding to general.alignment (default 32), then the data section; each offset is relative to its start and
 *   a multiple of the alignment
 * </pre>
 *
 * Value types: 0 uint8, 1 int8, 2 uint16, 3 int16, 4 uint32, 5 int32, 6 float32, 7 bool, 8 string, 9 array
 * (element type u32, count u64, elements; arrays nest), 10 uint64, 11 int64, 12 float64. In {@link
 * ModelFile#metadata()} 8- to 32-bit signed and 8- and 16-bit unsigned integers are Integer, uint32 and int64 Long,
 * uint64 Long (BigInteger from 2^63), float32 Float, float64 Double, arrays unmodifiable Lists.
 *
 * <p>Tensor types read: F32 (0), F16 (1), BF16 (30), Q8_0 (8: blocks of 32 elements, an fp16 scale d then 32 int8
 * codes q; value q x d) and Q4_0 (2: blocks of 32, an fp16 d then 16 bytes whose low nibbles are elements 0..15 and
 * high nibbles 16..31; value (q - 8) x d). Q8_0 and Q4_0 tensors also carry their codes as a
 * {@link QuantizedTensor} (symmetric, group 32, symbol = signed code + 2^(bits-1), so Q4_0's stored nibble is its
 * symbol and Q8_0's q becomes q + 128; scales = each block's d). Shapes are turned round to outermost first.
 */
public final class GgufLoader implements ModelLoader {
    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4; // ggml's GGML_MAX_DIMS
    private static final int MAX_NESTING = 64;

    /** ggml type names by id, for messages (ids 4, 5 and 31..33 are retired). */
    private static final String[] GGML_TYPES = {"F32", "F16", "Q4_0", "Q4_1", null, null, "Q5_0", "Q5_1", "Q8_0",
            "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL",
            "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16", null, null, null, "TQ1_0",
            "TQ2_0"};

    private static final String[] VALUE_TYPES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
            "bool", "string", "array", "uint64", "int64", "float64"};

    @Override
    public String format() {
        return "gguf";
    }

    @Override
    public boolean recognizes(String fileName, byte[] head) {
        return head.length >= 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F';
    }

    private record Info(String name, long[] ggufDims, int type, long offset, long infoAt) {
    }

    @Override
    public ModelFile load(String name, ByteBuffer data, String sha256) {
        LeReader r = new LeReader(name, data);
        if (r.size() < 4 || r.i32("magic") != MAGIC) {
            throw r.error(0, "not a GGUF file: it does not start with the magic \"GGUF\"");
        }
        long version = r.u32("version");
        if (version != 2 && version != 3) {
            throw r.error(4, "GGUF version " + version + " is not supported; nccsim reads versions 2 and 3"
                    + (version == 1 ? " (version 1 had 32-bit counts; convert the file with a current llama.cpp)"
                    : ""));
        }
        long tensorCount = r.count("tensor_count");
        long kvCount = r.count("kv_count");
        // Each key/value takes at least 8 + 4 + 1 bytes, each tensor info 8 + 4 + 4 + 8: counts beyond what the
        // file can hold are corrupt, and are refused before anything is allocated for them.
        if (kvCount > r.remaining() / 13) {
            throw r.error(16, "kv_count " + kvCount + " cannot fit in the file's " + r.size() + " bytes (corrupt)");
        }
        if (tensorCount > r.remaining() / 24) {
            throw r.error(8, "tensor_count " + tensorCount + " cannot fit in the file's " + r.size()
                    + " bytes (corrupt)");
        }

        Map<String, Object> meta = new LinkedHashMap<>();
        long alignment = DEFAULT_ALIGNMENT;
        for (long i = 0; i < kvCount; i++) {
            long keyAt = r.pos();
            String key = string(r, "key of metadata entry " + i);
            if (meta.containsKey(key)) {
                throw r.error(keyAt, "metadata key '" + key + "' appears twice");
            }
            long typeAt = r.pos();
            int type = r.i32("value type of '" + key + "'");
            Object value = value(r, type, typeAt, "'" + key + "'", 0);
            if (key.equals("general.alignment")) {
                if (type != 4) {
                    throw r.error(typeAt, "general.alignment must be a uint32, found " + typeName(type));
                }
                alignment = (Long) value;
                if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
                    throw r.error(typeAt + 4, "general.alignment " + alignment + " is not a power of two");
                }
            }
            meta.put(key, value);
        }

        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            long at = r.pos();
            String tname = string(r, "name of tensor " + i);
            if (!names.add(tname)) {
                throw r.error(at, "tensor '" + tname + "' appears twice");
            }
            long dimsAt = r.pos();
            long nDims = r.u32("n_dims of tensor '" + tname + "'");
            if (nDims > MAX_DIMS) {
                throw r.error(dimsAt, "tensor '" + tname + "' has " + nDims + " dimensions; GGUF allows at most "
                        + MAX_DIMS);
            }
            long[] dims = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = r.count("dimension " + d + " of tensor '" + tname + "'");
            }
            int type = r.i32("ggml type of tensor '" + tname + "'");
            long offset = r.count("data offset of tensor '" + tname + "'");
            infos.add(new Info(tname, dims, type, offset, at));
        }

        long dataStart = (r.pos() + alignment - 1) / alignment * alignment;
        if (!infos.isEmpty() && dataStart > r.size()) {
            throw r.error(r.pos(), "the data section should start at byte " + dataStart + " (aligned to "
                    + alignment + ") but the file ends at byte " + r.size() + " (truncated)");
        }
        List<TensorData> tensors = new ArrayList<>(infos.size());
        for (Info info : infos) {
            tensors.add(tensor(r, info, dataStart, alignment));
        }
        return new ModelFile(name, format(), sha256, meta, tensors);
    }

    private static String string(LeReader r, String what) {
        long len = r.count("length of " + what);
        return r.utf8(len, what);
    }

    private static String typeName(int type) {
        return type >= 0 && type < VALUE_TYPES.length ? VALUE_TYPES[type] : "value type " + type;
    }

    /** Smallest encoding of one value of {@code type}, to bound array counts by the bytes left. */
    private static long minBytes(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 8, 10, 11, 12 -> 8;
            case 9 -> 12;
            default -> 1;
        };
    }

    private static Object value(LeReader r, int type, long typeAt, String what, int depth) {
        switch (type) {
            case 0:
                return r.u8(what);
            case 1:
                return (int) r.i8(what);
            case 2:
                return r.u16(what);
            case 3:
                return (int) r.i16(what);
            case 4:
                return r.u32(what);
            case 5:
                return r.i32(what);
            case 6:
                return r.f32(what);
            case 7: {
                long at = r.pos();
                int b = r.u8(what);
                if (b > 1) {
                    throw r.error(at, what + " is a bool of value " + b + "; expected 0 or 1");
                }
                return b == 1;
            }
            case 8:
                return string(r, what);
            case 9: {
                if (depth >= MAX_NESTING) {
                    throw r.error(typeAt, what + " nests arrays more than " + MAX_NESTING + " deep (corrupt)");
                }
                long elemAt = r.pos();
                int elemType = r.i32("element type of " + what);
                long countAt = r.pos();
                long count = r.count("element count of " + what);
                if (elemType < 0 || elemType >= VALUE_TYPES.length) {
                    throw r.error(elemAt, what + " is an array of unknown value type " + elemType
                            + "; expected 0..12");
                }
                if (count > r.remaining() / minBytes(elemType)) {
                    throw r.error(countAt, what + " claims " + count + " " + VALUE_TYPES[elemType]
                            + " elements, more than the " + r.remaining() + " bytes left can hold (corrupt)");
                }
                List<Object> list = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    // Index only the outermost level: a path through deep nesting would be a long message.
                    list.add(value(r, elemType, elemAt, depth == 0 ? what + "[" + i + "]" : what, depth + 1));
                }
                return Collections.unmodifiableList(list);
            }
            case 10: {
                long v = r.i64(what);
                return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
            }
            case 11:
                return r.i64(what);
            case 12:
                return r.f64(what);
            default:
                throw r.error(typeAt, what + " has unknown value type " + type + "; expected 0..12");
        }
    }

    /** Why a ggml type id is not read: a type nccsim does not read, or no ggml type at all. */
    private static String ggmlName(int type) {
        String n = type >= 0 && type < GGML_TYPES.length ? GGML_TYPES[type] : null;
        return n != null ? "ggml type " + n + " (" + type + ") is not supported" : "unknown ggml type " + type;
    }

    private static TensorData tensor(LeReader r, Info info, long dataStart, long alignment) {
        long[] shape = new long[info.ggufDims().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = info.ggufDims()[shape.length - 1 - i];
        }
        String where = "tensor '" + info.name() + "'"; // the message's byte offset is where its info starts
        StorageType type = switch (info.type()) {
            case 0 -> StorageType.F32;
            case 1 -> StorageType.F16;
            case 30 -> StorageType.BF16;
            case 8 -> StorageType.Q8_0;
            case 2 -> StorageType.Q4_0;
            default -> throw r.error(info.infoAt(), where + ": " + ggmlName(info.type())
                    + "; nccsim reads F32, F16, BF16, Q8_0 and Q4_0");
        };
        String problem = TensorDecoding.shapeProblem(shape);
        if (problem != null) {
            throw r.error(info.infoAt(), where + ": " + problem);
        }
        long n = TensorData.elementsOf(shape);
        if (type.blockElements() > 1 && (shape.length == 0 ? 1 : shape[shape.length - 1]) % type.blockElements()
                != 0) {
            throw r.error(info.infoAt(), where + ": a " + type + " tensor's rows must be whole blocks of "
                    + type.blockElements() + " elements, but its innermost dimension is "
                    + (shape.length == 0 ? 1 : shape[shape.length - 1]));
        }
        if (info.offset() % alignment != 0) {
            throw r.error(info.infoAt(), where + ": data offset " + info.offset() + " is not a multiple of the "
                    + "alignment " + alignment + " (corrupt)");
        }
        long bytes = TensorDecoding.bytesOf(type, n);
        long begin = dataStart + info.offset();
        if (info.offset() > r.size() || begin + bytes > r.size()) {
            throw r.error(info.infoAt(), where + ": its " + bytes + " bytes of " + type + " data at offset "
                    + info.offset() + " (byte " + begin + ") run past the end of the file at byte " + r.size()
                    + " (truncated or corrupt)");
        }
        ByteBuffer b = r.slice(begin, bytes);
        int count = (int) n;
        return switch (type) {
            case Q8_0 -> q8(info.name(), shape, b, count);
            case Q4_0 -> q4(info.name(), shape, b, count);
            default -> new TensorData(info.name(), type, shape, TensorDecoding.decode(type, b, count), null);
        };
    }

    private static int cols(long[] shape) {
        return shape.length == 0 ? 1 : (int) shape[shape.length - 1];
    }

    private static TensorData q8(String name, long[] shape, ByteBuffer b, int n) {
        int blocks = n / 32;
        byte[] symbols = new byte[n];
        float[] scales = new float[blocks];
        float[] values = new float[n];
        for (int k = 0; k < blocks; k++) {
            int at = k * 34;
            float d = Float16Bits.fromFp16(b.getShort(at));
            scales[k] = d;
            for (int j = 0; j < 32; j++) {
                byte q = b.get(at + 2 + j);
                symbols[k * 32 + j] = (byte) (q + 128);
                values[k * 32 + j] = q * d;
            }
        }
        return quantizedTensor(name, StorageType.Q8_0, ElementType.INT8, shape, symbols, scales, values);
    }

    private static TensorData q4(String name, long[] shape, ByteBuffer b, int n) {
        int blocks = n / 32;
        byte[] symbols = new byte[n];
        float[] scales = new float[blocks];
        float[] values = new float[n];
        for (int k = 0; k < blocks; k++) {
            int at = k * 18;
            float d = Float16Bits.fromFp16(b.getShort(at));
            scales[k] = d;
            int base = k * 32;
            for (int j = 0; j < 16; j++) {
                int q = b.get(at + 2 + j) & 0xFF;
                int lo = q & 0x0F;
                int hi = q >>> 4;
                symbols[base + j] = (byte) lo;
                symbols[base + 16 + j] = (byte) hi;
                values[base + j] = (lo - 8) * d;
                values[base + 16 + j] = (hi - 8) * d;
            }
        }
        return quantizedTensor(name, StorageType.Q4_0, ElementType.INT4, shape, symbols, scales, values);
    }

    private static TensorData quantizedTensor(String name, StorageType type, ElementType codes, long[] shape,
                                              byte[] symbols, float[] scales, float[] values) {
        int cols = cols(shape);
        int rows = cols == 0 ? 0 : symbols.length / cols;
        QuantizedTensor q = new QuantizedTensor(rows, cols, new WeightQuant(codes, 32, true), symbols, scales, null);
        return new TensorData(name, type, shape, values, q);
    }
}
