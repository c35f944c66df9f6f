package io.nccsim.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.codec.QuantizedTensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * safetensors (Hugging Face): a u64 little-endian header length N, N bytes of UTF-8 JSON, then the data section.
 * The JSON maps each tensor name to {@code {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}}
 * (offsets into the data section, end exclusive; shape outermost first, row-major data) and may hold
 * {@code "__metadata__"}, a map of strings to strings, which becomes {@link ModelFile#metadata()}.
 *
 * <p>dtypes read: F64, F32, F16, BF16, I8, U8, I16, I32, I64, BOOL. I8 and U8 tensors carry their bytes as codes of
 * a per-tensor {@link QuantizedTensor} without scales (see {@link TensorDecoding#byteCodes}). Every tensor must lie
 * inside the data section, hold exactly shape x dtype bytes, and overlap no other. Tensors are listed in data order.
 */
public final class SafetensorsLoader implements ModelLoader {
    /** Made on first use, so that loading another format does not pay for Jackson's start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    private static final Map<String, StorageType> DTYPES = Map.of("F64", StorageType.F64, "F32", StorageType.F32,
            "F16", StorageType.F16, "BF16", StorageType.BF16, "I8", StorageType.INT8, "U8", StorageType.UINT8,
            "I16", StorageType.INT16, "I32", StorageType.INT32, "I64", StorageType.INT64, "BOOL", StorageType.BOOL);
    private static final String DTYPE_LIST = "F64, F32, F16, BF16, I8, U8, I16, I32, I64, BOOL";

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public boolean recognizes(String fileName, byte[] head) {
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            return true;
        }
        if (head.length < 10) {
            return false;
        }
        long n = ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte next = head[9];
        return n >= 2 && n < (1L << 31) && head[8] == '{'
                && (next == '"' || next == '}' || next == ' ' || next == '\n' || next == '\r' || next == '\t');
    }

    private record Entry(String name, StorageType type, long[] shape, long begin, long end, int order) {
    }

    @Override
    public ModelFile load(String name, ByteBuffer data, String sha256) {
        LeReader r = new LeReader(name, data);
        long headerLen = r.count("the header length (u64)");
        if (headerLen > r.remaining()) {
            throw r.error(0, "header length " + headerLen + " runs past the end of the file at byte " + r.size()
                    + " (truncated, or not a safetensors file)");
        }
        long dataStart = 8 + headerLen;
        long dataLen = r.size() - dataStart;
        byte[] header = new byte[(int) headerLen];
        r.slice(8, headerLen).get(header);
        Map<String, Object> meta = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        // Streamed, so that each tensor's entry is named with the byte offset of its key in the file.
        try (JsonParser p = Json.MAPPER.getFactory().createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw r.error(8, "the JSON header is not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                long at = 8 + p.currentTokenLocation().getByteOffset();
                String tname = p.currentName();
                p.nextToken();
                JsonNode v = Json.MAPPER.readTree(p);
                if (tname.equals("__metadata__")) {
                    metadata(r, at, v, meta);
                } else {
                    entries.add(entry(r, at, "tensor '" + tname + "'", tname, v, entries.size(), dataLen));
                }
            }
            if (p.nextToken() != null) {
                throw r.error(8 + p.currentTokenLocation().getByteOffset(), "the JSON header has more after its "
                        + "closing brace");
            }
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("malformed");
            throw r.error(at < 0 ? 8 : 8 + at, "the JSON header is malformed: " + msg);
        } catch (IOException e) {
            throw r.error(8, "the JSON header cannot be read: " + e.getMessage());
        }

        List<Entry> inOrder = new ArrayList<>(entries);
        inOrder.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)
                .thenComparingInt(Entry::order));
        Entry last = null;
        for (Entry e : inOrder) {
            if (e.begin() == e.end()) {
                continue;
            }
            if (last != null && e.begin() < last.end()) {
                throw r.error(dataStart + e.begin(), "tensor '" + e.name() + "' (data_offsets ["
                        + e.begin() + ", " + e.end() + ")) overlaps tensor '" + last.name() + "' (data_offsets ["
                        + last.begin() + ", " + last.end() + "))");
            }
            last = e;
        }

        List<TensorData> tensors = new ArrayList<>(inOrder.size());
        for (Entry e : inOrder) {
            ByteBuffer b = r.slice(dataStart + e.begin(), e.end() - e.begin());
            int n = (int) TensorData.elementsOf(e.shape());
            if (e.type() == StorageType.INT8 || e.type() == StorageType.UINT8) {
                QuantizedTensor q = TensorDecoding.byteCodes(e.type(), e.shape(), b, n);
                tensors.add(new TensorData(e.name(), e.type(), e.shape(),
                        TensorDecoding.codeValues(q, e.type() == StorageType.INT8), q));
            } else {
                tensors.add(new TensorData(e.name(), e.type(), e.shape(), TensorDecoding.decode(e.type(), b, n),
                        null));
            }
        }
        return new ModelFile(name, format(), sha256, meta, tensors);
    }

    private static void metadata(LeReader r, long at, JsonNode v, Map<String, Object> meta) {
        if (!v.isObject()) {
            throw r.error(at, "__metadata__ must be a map of strings to strings");
        }
        v.fields().forEachRemaining(m -> {
            if (!m.getValue().isTextual()) {
                throw r.error(at, "__metadata__ entry '" + m.getKey() + "' is "
                        + m.getValue().getNodeType().toString().toLowerCase(Locale.ROOT) + ", not a string");
            }
            meta.put(m.getKey(), m.getValue().textValue());
        });
    }

    private static Entry entry(LeReader r, long at, String where, String tname, JsonNode v, int order,
                               long dataLen) {
        if (!v.isObject()) {
            throw r.error(at, where + " is not an object with dtype, shape and data_offsets");
        }
        JsonNode dtype = v.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw r.error(at, where + ": dtype is missing or not a string");
        }
        StorageType type = DTYPES.get(dtype.textValue());
        if (type == null) {
            throw r.error(at, where + ": dtype '" + dtype.textValue() + "' is not supported; nccsim reads "
                    + DTYPE_LIST);
        }
        long[] shape = longs(r, at, where, v.get("shape"), "shape", -1);
        String problem = TensorDecoding.shapeProblem(shape);
        if (problem != null) {
            throw r.error(at, where + ": " + problem);
        }
        long[] off = longs(r, at, where, v.get("data_offsets"), "data_offsets", 2);
        long begin = off[0];
        long end = off[1];
        if (begin > end) {
            throw r.error(at, where + ": data_offsets [" + begin + ", " + end + ") end before they begin");
        }
        if (end > dataLen) {
            throw r.error(at, where + ": data_offsets [" + begin + ", " + end + ") run past the end of the data "
                    + "section, which holds " + dataLen + " bytes (truncated or corrupt)");
        }
        long n = TensorData.elementsOf(shape);
        long want = n * type.bitsPerElement() / 8;
        if (end - begin != want) {
            throw r.error(at, where + ": data_offsets [" + begin + ", " + end + ") hold " + (end - begin)
                    + " bytes, but shape " + java.util.Arrays.toString(shape) + " of " + dtype.textValue()
                    + " needs " + want);
        }
        return new Entry(tname, type, shape, begin, end, order);
    }

    /** A JSON array of non-negative integers ({@code count} of them, or any number when -1). */
    private static long[] longs(LeReader r, long at, String where, JsonNode node, String field, int count) {
        if (node == null || !node.isArray() || (count >= 0 && node.size() != count)) {
            throw r.error(at, where + ": " + field + " is missing or not an array"
                    + (count >= 0 ? " of " + count + " integers" : " of integers"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = node.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong() || e.longValue() < 0) {
                throw r.error(at, where + ": " + field + "[" + i + "] = " + e + " is not a non-negative integer");
            }
            out[i] = e.longValue();
        }
        return out;
    }
}
