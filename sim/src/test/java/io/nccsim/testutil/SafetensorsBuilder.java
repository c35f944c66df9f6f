package io.nccsim.testutil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes safetensors files for tests. */
public final class SafetensorsBuilder {
    private SafetensorsBuilder() {
    }

    /** One tensor as the header describes it, with its bytes. */
    public record Tensor(String name, String dtype, long[] shape, byte[] data) {
    }

    /**
     * A safetensors file as the format's reference writer lays it out: u64 header length, the JSON header padded
     * with spaces to a multiple of 8, then each tensor's bytes in the order given (the header lists them sorted by
     * name, as the reference writer does, so header order and data order differ).
     */
    public static byte[] file(Map<String, String> metadata, List<Tensor> tensors) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null) {
            json.append("\"__metadata__\":{");
            List<String> kv = new ArrayList<>();
            metadata.forEach((k, v) -> kv.add("\"" + k + "\":\"" + v + "\""));
            json.append(String.join(",", kv)).append("},");
        }
        long off = 0;
        List<String> entries = new ArrayList<>();
        for (Tensor t : tensors) {
            StringBuilder shape = new StringBuilder();
            for (long d : t.shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            entries.add("\"" + t.name() + "\":{\"dtype\":\"" + t.dtype() + "\",\"shape\":[" + shape
                    + "],\"data_offsets\":[" + off + "," + (off + t.data().length) + "]}");
            off += t.data().length;
        }
        entries.sort(null);
        json.append(String.join(",", entries)).append("}");
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        return withHeader(json.toString(), tensors.stream().map(Tensor::data).toList());
    }

    public static byte[] withHeader(String json, List<byte[]> data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int total = 8 + h.length + data.stream().mapToInt(d -> d.length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        data.forEach(b::put);
        return b.array();
    }

    /** An F32 tensor of {@code shape} (outermost first), little-endian. */
    public static Tensor f32(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new Tensor(name, "F32", shape, b.array());
    }
}
