package io.nccsim.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * ONNX: a protobuf {@code ModelProto}, read field by field from the wire format with protobuf-java's
 * {@link CodedInputStream} (no generated classes), keeping every initializer of the main graph as a tensor.
 *
 * <p>Field numbers used, from onnx.proto (onnx/onnx, stable since IR version 3):
 * <pre>
 *   ModelProto         ir_version = 1 (int64), producer_name = 2, producer_version = 3, domain = 4 (strings),
 *                      model_version = 5 (int64), graph = 7 (GraphProto), opset_import = 8 (repeated
 *                      OperatorSetIdProto), metadata_props = 14 (repeated StringStringEntryProto)
 *   OperatorSetIdProto domain = 1 (string), version = 2 (int64)
 *   StringStringEntryProto key = 1, value = 2 (strings)
 *   GraphProto         node = 1 (repeated NodeProto), name = 2 (string), initializer = 5 (repeated TensorProto),
 *                      sparse_initializer = 15 (refused)
 *   NodeProto          input = 1, output = 2 (repeated strings), name = 3, op_type = 4 (strings); attributes are
 *                      skipped
 *   TensorProto        dims = 1 (repeated int64, packed or not), data_type = 2 (int32), segment = 3 (refused),
 *                      float_data = 4 (repeated float, packed), int32_data = 5 (repeated int32: also carries
 *                      INT8, UINT8, INT16, BOOL, and FLOAT16/BFLOAT16 bit patterns), int64_data = 7, name = 8,
 *                      raw_data = 9 (bytes, little-endian), double_data = 10 (repeated double, packed),
 *                      uint64_data = 11 (only UINT32/UINT64 use it, and those types are refused, so it is skipped),
 *                      external_data = 13 (refused), data_location = 14 (1 = EXTERNAL, refused)
 * </pre>
 * Every other field is skipped by its wire type.
 *
 * <p>Data types read (TensorProto.DataType): FLOAT 1, UINT8 2, INT8 3, INT16 5, INT32 6, INT64 7, BOOL 9,
 * FLOAT16 10, DOUBLE 11, BFLOAT16 16. INT8 and UINT8 initializers (the weights of a dynamically quantized model,
 * whose scale and zero point are separate {@code _scale}/{@code _zero_point} initializers) carry their codes as a
 * per-tensor {@link QuantizedTensor} with no scales (see {@link TensorDecoding#byteCodes}).
 *
 * <p>Metadata: {@code ir_version}, {@code producer_name}, {@code producer_version}, {@code domain},
 * {@code model_version}, {@code opset_import} (a list of {@code "domain:version"}, the default domain written
 * {@code ai.onnx}), {@code graph.name}, {@code graph.nodes} (how many), {@code graph.op_types} (the distinct op
 * types, sorted) and each metadata_props entry as {@code metadata.KEY}; only those the file has.
 *
 * <p>Graph: every node of the main graph, in file order, with its inputs and outputs ({@link ModelFile#graph()}), so
 * that a caller can find out what an initializer the exporter gave no meaningful name (say {@code onnx::MatMul_885})
 * is for. Subgraphs (the bodies of If and Loop nodes, which are attributes) are not read.
 *
 * <p>protobuf has no magic, so ONNX is recognised by the {@code .onnx} name alone.
 */
public final class OnnxLoader implements ModelLoader {
    private static final int WIRE_VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int WIRE_FIXED64 = WireFormat.WIRETYPE_FIXED64;
    private static final int WIRE_LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int WIRE_FIXED32 = WireFormat.WIRETYPE_FIXED32;

    private static final String[] DATA_TYPES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
            "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128",
            "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4",
            "FLOAT4E2M1"};

    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public boolean recognizes(String fileName, byte[] head) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public ModelFile load(String name, ByteBuffer data, String sha256) {
        return new Reader(name, data).model(sha256);
    }

    private static String dataTypeName(int t) {
        return t >= 0 && t < DATA_TYPES.length ? DATA_TYPES[t] + " (" + t + ")" : "data type " + t;
    }

    /** StorageType of an ONNX data type, or null when nccsim does not read it. */
    private static StorageType storage(int dataType) {
        return switch (dataType) {
            case 1 -> StorageType.F32;
            case 2 -> StorageType.UINT8;
            case 3 -> StorageType.INT8;
            case 5 -> StorageType.INT16;
            case 6 -> StorageType.INT32;
            case 7 -> StorageType.INT64;
            case 9 -> StorageType.BOOL;
            case 10 -> StorageType.F16;
            case 11 -> StorageType.F64;
            case 16 -> StorageType.BF16;
            default -> null;
        };
    }

    /** One pass over the file; {@link #where} says what is being read, for messages. */
    private static final class Reader {
        private final String name;
        private final ByteBuffer data;
        private final CodedInputStream in;
        private String where = "ModelProto";
        /** The field being read, for a message when protobuf-java itself finds the bytes malformed. */
        private String field = "the first field";

        Reader(String name, ByteBuffer data) {
            this.name = name;
            this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            this.in = CodedInputStream.newInstance(this.data.duplicate());
            this.in.setSizeLimit(Integer.MAX_VALUE);
        }

        private long pos() {
            return in.getTotalBytesRead();
        }

        private BadInputException error(long at, String message) {
            return new BadInputException(name + ": byte " + at + ": " + where + ": " + message);
        }

        ModelFile model(String sha256) {
            try {
                return readModel(sha256);
            } catch (InvalidProtocolBufferException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                if (m.contains("ended unexpectedly")) {
                    throw error(pos(), "the file ends inside " + field + " (truncated)");
                }
                throw error(pos(), "not a well-formed ONNX protobuf at " + field + " (" + oneLine(m) + ")");
            } catch (IOException e) {
                throw error(pos(), "cannot read: " + oneLine(e.getMessage()));
            }
        }

        private static String oneLine(String s) {
            if (s == null) {
                return "malformed";
            }
            String first = s.lines().findFirst().orElse(s);
            int dot = first.indexOf(". ");
            return dot > 0 ? first.substring(0, dot) : first;
        }

        private ModelFile readModel(String sha256) throws IOException {
            Map<String, Object> meta = new LinkedHashMap<>();
            List<String> opsets = new ArrayList<>();
            List<TensorData> tensors = new ArrayList<>();
            List<GraphNode> nodes = new ArrayList<>();
            boolean graph = false;
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> meta.put("ir_version", int64(tag, tagAt, "ir_version"));
                    case 2 -> meta.put("producer_name", string(tag, tagAt, "producer_name"));
                    case 3 -> meta.put("producer_version", string(tag, tagAt, "producer_version"));
                    case 4 -> meta.put("domain", string(tag, tagAt, "domain"));
                    case 5 -> meta.put("model_version", int64(tag, tagAt, "model_version"));
                    case 7 -> {
                        int old = begin(tag, tagAt, "graph");
                        where = "graph";
                        readGraph(meta, tensors, nodes);
                        where = "ModelProto";
                        end(old);
                        graph = true;
                    }
                    case 8 -> {
                        int old = begin(tag, tagAt, "opset_import");
                        where = "opset_import[" + opsets.size() + "]";
                        opsets.add(readOpset());
                        where = "ModelProto";
                        end(old);
                    }
                    case 14 -> {
                        int old = begin(tag, tagAt, "metadata_props");
                        where = "metadata_props";
                        String[] kv = readStringPair();
                        where = "ModelProto";
                        end(old);
                        meta.put("metadata." + kv[0], kv[1]);
                    }
                    default -> skip(tag, tagAt);
                }
            }
            if (!graph) {
                throw error(0, "no graph (ModelProto field 7); is this an ONNX model?");
            }
            if (!opsets.isEmpty()) {
                meta.put("opset_import", List.copyOf(opsets));
            }
            return new ModelFile(name, "onnx", sha256, meta, tensors, nodes);
        }

        private void readGraph(Map<String, Object> meta, List<TensorData> tensors, List<GraphNode> nodes)
                throws IOException {
            TreeSet<String> ops = new TreeSet<>();
            String graphWhere = where;
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        int old = begin(tag, tagAt, "node");
                        where = graphWhere + ".node[" + nodes.size() + "]";
                        GraphNode node = readNode();
                        if (!node.opType().isEmpty()) {
                            ops.add(node.opType());
                        }
                        nodes.add(node);
                        where = graphWhere;
                        end(old);
                    }
                    case 2 -> meta.put("graph.name", string(tag, tagAt, "name"));
                    case 5 -> {
                        int old = begin(tag, tagAt, "initializer");
                        where = graphWhere + ".initializer[" + tensors.size() + "]";
                        tensors.add(readTensor(tagAt));
                        where = graphWhere;
                        end(old);
                    }
                    case 15 -> throw error(tagAt, "sparse initializers (GraphProto field 15) are not read by "
                            + "nccsim");
                    default -> skip(tag, tagAt);
                }
            }
            meta.put("graph.nodes", (long) nodes.size());
            meta.put("graph.op_types", List.copyOf(ops));
        }

        private GraphNode readNode() throws IOException {
            String nodeName = "";
            String op = "";
            List<String> inputs = new ArrayList<>();
            List<String> outputs = new ArrayList<>();
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    return new GraphNode(nodeName, op, inputs, outputs);
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> inputs.add(string(tag, tagAt, "input"));
                    case 2 -> outputs.add(string(tag, tagAt, "output"));
                    case 3 -> nodeName = string(tag, tagAt, "name");
                    case 4 -> op = string(tag, tagAt, "op_type");
                    default -> skip(tag, tagAt);
                }
            }
        }

        private String readOpset() throws IOException {
            String domain = "";
            long version = 0;
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> domain = string(tag, tagAt, "domain");
                    case 2 -> version = int64(tag, tagAt, "version");
                    default -> skip(tag, tagAt);
                }
            }
            return (domain.isEmpty() ? "ai.onnx" : domain) + ":" + version;
        }

        private String[] readStringPair() throws IOException {
            String[] kv = {"", ""};
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    return kv;
                }
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> kv[0] = string(tag, tagAt, "key");
                    case 2 -> kv[1] = string(tag, tagAt, "value");
                    default -> skip(tag, tagAt);
                }
            }
        }

        /** A TensorProto's fields as found. */
        private static final class Fields {
            final LongList dims = new LongList();
            int dataType;
            String name;
            ByteBuffer raw;
            long rawAt = -1;
            final FloatList floats = new FloatList();
            final LongList int32s = new LongList();
            final LongList int64s = new LongList();
            final DoubleList doubles = new DoubleList();
            boolean external;
            String location;
        }

        private TensorData readTensor(long startAt) throws IOException {
            Fields f = new Fields();
            while (true) {
                long tagAt = pos();
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int wire = WireFormat.getTagWireType(tag);
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> varints(tag, tagAt, "dims", f.dims, false);
                    case 2 -> f.dataType = (int) int64(tag, tagAt, "data_type");
                    case 3 -> throw error(tagAt, "segmented tensors (TensorProto field 3) are not read by nccsim");
                    case 4 -> {
                        if (wire == WIRE_FIXED32) {
                            f.floats.add(in.readFloat());
                        } else {
                            ByteBuffer b = bytes(tag, tagAt, "float_data");
                            if (b.remaining() % 4 != 0) {
                                throw error(tagAt, "packed float_data of " + b.remaining()
                                        + " bytes is not whole floats");
                            }
                            f.floats.addAll(b);
                        }
                    }
                    case 5 -> varints(tag, tagAt, "int32_data", f.int32s, true);
                    case 7 -> varints(tag, tagAt, "int64_data", f.int64s, false);
                    case 8 -> {
                        f.name = string(tag, tagAt, "name");
                        where = where + " '" + f.name + "'";
                    }
                    case 9 -> {
                        f.rawAt = tagAt;
                        f.raw = bytes(tag, tagAt, "raw_data");
                    }
                    case 10 -> {
                        if (wire == WIRE_FIXED64) {
                            f.doubles.add(in.readDouble());
                        } else {
                            ByteBuffer b = bytes(tag, tagAt, "double_data");
                            if (b.remaining() % 8 != 0) {
                                throw error(tagAt, "packed double_data of " + b.remaining()
                                        + " bytes is not whole doubles");
                            }
                            f.doubles.addAll(b);
                        }
                    }
                    // 11 uint64_data carries only UINT32 and UINT64, which nccsim refuses: skipped below
                    case 13 -> {
                        f.external = true;
                        int old = begin(tag, tagAt, "external_data");
                        String[] kv = readStringPair();
                        end(old);
                        if (kv[0].equals("location")) {
                            f.location = kv[1];
                        }
                    }
                    case 14 -> f.external |= int64(tag, tagAt, "data_location") == 1;
                    default -> skip(tag, tagAt);
                }
            }
            return tensor(f, startAt);
        }

        private TensorData tensor(Fields f, long at) {
            String tname = f.name == null ? "" : f.name;
            if (f.external) {
                throw error(at, "its data is in an external file" + (f.location == null ? ""
                        : " '" + f.location + "'") + "; nccsim reads only ONNX files that hold their weights "
                        + "(re-save the model with all tensors inside)");
            }
            StorageType type = storage(f.dataType);
            if (type == null) {
                throw error(at, "data type " + dataTypeName(f.dataType) + " is not supported; nccsim reads FLOAT, "
                        + "UINT8, INT8, INT16, INT32, INT64, BOOL, FLOAT16, DOUBLE and BFLOAT16");
            }
            long[] shape = f.dims.toArray();
            String problem = TensorDecoding.shapeProblem(shape);
            if (problem != null) {
                throw error(at, problem);
            }
            int n = (int) TensorData.elementsOf(shape);
            long bytes = TensorDecoding.bytesOf(type, n);
            ByteBuffer b;
            if (f.raw != null) {
                if (f.raw.remaining() != bytes) {
                    throw error(f.rawAt, "raw_data holds " + f.raw.remaining() + " bytes, but " + n + " elements "
                            + "of " + dataTypeName(f.dataType) + " (shape " + Arrays.toString(shape) + ") need "
                            + bytes);
                }
                b = f.raw;
            } else {
                b = typed(f, type, n, at);
            }
            if (type == StorageType.INT8 || type == StorageType.UINT8) {
                QuantizedTensor q = TensorDecoding.byteCodes(type, shape, b, n);
                return new TensorData(tname, type, shape, TensorDecoding.codeValues(q, type == StorageType.INT8),
                        q);
            }
            return new TensorData(tname, type, shape, TensorDecoding.decode(type, b, n), null);
        }

        /** The typed-field values of a tensor without raw_data, as the little-endian bytes raw_data would hold. */
        private ByteBuffer typed(Fields f, StorageType type, int n, long at) {
            String field;
            int found;
            switch (type) {
                case F32 -> {
                    field = "float_data";
                    found = f.floats.size;
                }
                case INT64 -> {
                    field = "int64_data";
                    found = f.int64s.size;
                }
                case F64 -> {
                    field = "double_data";
                    found = f.doubles.size;
                }
                default -> {
                    field = "int32_data";
                    found = f.int32s.size;
                }
            }
            if (found != n) {
                throw error(at, "has no raw_data and " + found + " values in " + field + ", but shape "
                        + Arrays.toString(f.dims.toArray()) + " needs " + n);
            }
            ByteBuffer b = ByteBuffer.allocate((int) TensorDecoding.bytesOf(type, n)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (type) {
                    case F32 -> b.putFloat(f.floats.values[i]);
                    case F64 -> b.putDouble(f.doubles.values[i]);
                    case INT64 -> b.putLong(f.int64s.values[i]);
                    case INT32 -> b.putInt((int) f.int32s.values[i]);
                    default -> {
                        long v = f.int32s.values[i];
                        long lo;
                        long hi;
                        switch (type) {
                            case INT8 -> {
                                lo = -128;
                                hi = 127;
                            }
                            case UINT8 -> {
                                lo = 0;
                                hi = 255;
                            }
                            case BOOL -> {
                                lo = 0;
                                hi = 1;
                            }
                            case INT16 -> {
                                lo = Short.MIN_VALUE;
                                hi = Short.MAX_VALUE;
                            }
                            default -> { // FLOAT16, BFLOAT16: the 16-bit pattern
                                lo = 0;
                                hi = 0xFFFF;
                            }
                        }
                        if (v < lo || v > hi) {
                            throw error(at, "int32_data[" + i + "] = " + v + " is out of range for "
                                    + dataTypeName(f.dataType));
                        }
                        if (type.bitsPerElement() == 8) {
                            b.put((byte) v);
                        } else {
                            b.putShort((short) v);
                        }
                    }
                }
            }
            return b.flip();
        }

        // ---- wire-format helpers; each checks the wire type a field must have ----

        private void wire(int tag, long tagAt, String field, int expected) {
            this.field = field + " (field " + WireFormat.getTagFieldNumber(tag) + ")";
            if (WireFormat.getTagWireType(tag) != expected) {
                throw error(tagAt, field + " (field " + WireFormat.getTagFieldNumber(tag) + ") has wire type "
                        + WireFormat.getTagWireType(tag) + ", expected " + expected);
            }
        }

        private long int64(int tag, long tagAt, String field) throws IOException {
            wire(tag, tagAt, field, WIRE_VARINT);
            return in.readInt64();
        }

        private String string(int tag, long tagAt, String field) throws IOException {
            int len = length(tag, tagAt, field);
            return new String(in.readRawBytes(len), StandardCharsets.UTF_8);
        }

        /** The length of a length-delimited field just tagged, checked against the bytes its message has left. */
        private int length(int tag, long tagAt, String field) throws IOException {
            wire(tag, tagAt, field, WIRE_LEN);
            long lenAt = pos();
            int len = in.readRawVarint32();
            int left = in.getBytesUntilLimit();
            long available = left < 0 ? data.limit() - pos() : left;
            if (len < 0 || len > available) {
                throw error(lenAt, this.field + " claims " + (len & 0xFFFFFFFFL) + " bytes, but only " + available
                        + " are left" + (left < 0 ? " in the file (truncated)" : " in its enclosing message (corrupt)"));
            }
            return len;
        }

        /** Enters a sub-message: returns the limit to restore with {@link #end}. */
        private int begin(int tag, long tagAt, String field) throws IOException {
            return in.pushLimit(length(tag, tagAt, field));
        }

        private void end(int oldLimit) throws IOException {
            if (!in.isAtEnd()) {
                throw error(pos(), "a sub-message ended before its length (corrupt)");
            }
            in.popLimit(oldLimit);
        }

        /** A length-delimited field's bytes as a view of the file (no copy). */
        private ByteBuffer bytes(int tag, long tagAt, String field) throws IOException {
            int len = length(tag, tagAt, field);
            long at = pos();
            in.skipRawBytes(len);
            return data.duplicate().position((int) at).limit((int) at + len).slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        /** A repeated varint field, packed (one length-delimited run) or not (one varint per tag). */
        private void varints(int tag, long tagAt, String field, LongList out, boolean int32) throws IOException {
            if (WireFormat.getTagWireType(tag) == WIRE_VARINT) {
                this.field = field + " (field " + WireFormat.getTagFieldNumber(tag) + ")";
                out.add(int32 ? in.readInt32() : in.readInt64());
                return;
            }
            int old = begin(tag, tagAt, field);
            while (!in.isAtEnd()) {
                out.add(int32 ? in.readInt32() : in.readInt64());
            }
            in.popLimit(old);
        }

        private void skip(int tag, long tagAt) throws IOException {
            int wire = WireFormat.getTagWireType(tag);
            field = "field " + WireFormat.getTagFieldNumber(tag);
            if (wire == WIRE_LEN) {
                in.skipRawBytes(length(tag, tagAt, "field " + WireFormat.getTagFieldNumber(tag)));
                return;
            }
            if (wire != WIRE_VARINT && wire != WIRE_FIXED32 && wire != WIRE_FIXED64
                    && wire != WireFormat.WIRETYPE_START_GROUP) {
                throw error(tagAt, "field " + WireFormat.getTagFieldNumber(tag) + " has invalid wire type " + wire
                        + " (corrupt, or not an ONNX file)");
            }
            in.skipField(tag);
        }
    }

    private static final class LongList {
        long[] values = new long[8];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class FloatList {
        float[] values = new float[8];
        int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(ByteBuffer b) {
            int n = b.remaining() / 4;
            if (size + n > values.length) {
                values = Arrays.copyOf(values, Math.max(size + n, size * 2));
            }
            b.asFloatBuffer().get(values, size, n);
            size += n;
        }
    }

    private static final class DoubleList {
        double[] values = new double[8];
        int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(ByteBuffer b) {
            int n = b.remaining() / 8;
            if (size + n > values.length) {
                values = Arrays.copyOf(values, Math.max(size + n, size * 2));
            }
            b.asDoubleBuffer().get(values, size, n);
            size += n;
        }
    }
}
