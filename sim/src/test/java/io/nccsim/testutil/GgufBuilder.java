package io.nccsim.testutil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF files for tests, byte by byte as the GGUF spec lays them out: header, key/values, tensor infos
 * (dimensions innermost first), padding, aligned tensor data. Key/values may be given already encoded
 * ({@link #kv}) or through the typed helpers.
 */
public final class GgufBuilder {
    /** Little-endian bytes, written one by one as the GGUF spec lays them out. */
    public static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Bytes u8(int v) {
            out.write(v);
            return this;
        }

        public Bytes u16(int v) {
            return u8(v & 0xFF).u8((v >>> 8) & 0xFF);
        }

        public Bytes u32(long v) {
            for (int i = 0; i < 4; i++) {
                u8((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        public Bytes u64(long v) {
            for (int i = 0; i < 8; i++) {
                u8((int) (v >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        public Bytes f32(float v) {
            return u32(Float.floatToIntBits(v));
        }

        public Bytes f64(double v) {
            return u64(Double.doubleToLongBits(v));
        }

        public Bytes str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            out.writeBytes(b);
            return this;
        }

        public Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        public int size() {
            return out.size();
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    private record Tensor(String name, long[] ggufDims, int type, byte[] data) {
    }

    public int version = 3;
    public long alignment = 32;
    private final List<byte[]> kvs = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    /** Offsets as written, filled in by {@link #build}. */
    public final List<Long> offsets = new ArrayList<>();
    public long dataStart;

    public GgufBuilder kv(String key, int type, Bytes value) {
        kvs.add(new Bytes().str(key).u32(type).raw(value.bytes()).bytes());
        return this;
    }

    public GgufBuilder tensor(String name, int type, byte[] data, long... ggufDims) {
        tensors.add(new Tensor(name, ggufDims, type, data));
        return this;
    }

    public byte[] build() {
        Bytes b = new Bytes().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version)
                .u64(tensors.size()).u64(kvs.size());
        kvs.forEach(b::raw);
        long off = 0;
        offsets.clear();
        for (Tensor t : tensors) {
            offsets.add(off);
            b.str(t.name()).u32(t.ggufDims().length);
            for (long d : t.ggufDims()) {
                b.u64(d);
            }
            b.u32(t.type()).u64(off);
            off = pad(off + t.data().length);
        }
        while (b.size() % alignment != 0) {
            b.u8(0);
        }
        dataStart = b.size();
        for (Tensor t : tensors) {
            b.raw(t.data());
            while ((b.size() - dataStart) % alignment != 0) {
                b.u8(0);
            }
        }
        return b.bytes();
    }

    private long pad(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    /** A string value (type 8). */
    public GgufBuilder string(String key, String value) {
        return kv(key, 8, new Bytes().str(value));
    }

    /** A uint32 value (type 4). */
    public GgufBuilder u32(String key, long value) {
        return kv(key, 4, new Bytes().u32(value));
    }

    /** A float32 value (type 6). */
    public GgufBuilder f32(String key, float value) {
        return kv(key, 6, new Bytes().f32(value));
    }

    /** An array of strings (type 9 of type 8). */
    public GgufBuilder strings(String key, List<String> values) {
        Bytes b = new Bytes().u32(8).u64(values.size());
        values.forEach(b::str);
        return kv(key, 9, b);
    }

    /** An F32 tensor of {@code shape} given outermost first, as nccsim's loaders report it (GGUF stores it reversed). */
    public GgufBuilder f32Tensor(String name, float[] values, long... shape) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[shape.length - 1 - i];
        }
        Bytes b = new Bytes();
        for (float v : values) {
            b.f32(v);
        }
        return tensor(name, 0, b.bytes(), dims);
    }
}
