package io.nccsim.model;

import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the weights of an ONNX export quantized by onnxruntime's dynamic quantizer (as all-MiniLM-L6-v2's int8
 * "-q" file is) the way its graph uses them, so that an engine written for the fp32 export can run it.
 *
 * <p>Such a file stores each lookup table as {@code X_quantized} (uint8) with a {@code DequantizeLinear} after the
 * {@code Gather}, and each projection's weight as {@code onnx::MatMul_N_quantized} (int8, {@code [in][out]}) fed to
 * a {@code MatMulInteger} whose integer result is cast to float and multiplied by the product of the activation's
 * dynamic scale and the weight's scale (one per output column), before the bias is added. Everything is found
 * through the graph, not from names: the scale and zero point are the inputs of those very nodes, and a projection's
 * name is that of the bias its result is added to ({@code ...query.bias} names {@code ...query.weight}), as
 * {@link OnnxWeightNames} names the fp32 export's weights. A table keeps its name less {@code _quantized}.
 *
 * <p>The result is the file as the fp32 export names it: each table dequantized as {@code DequantizeLinear} does,
 * {@code (code - zero point) * scale} in fp32; each projection's weight as the fp32 product {@code (code - zero
 * point) * scale} of its column, with its {@link Projection} (codes, column scales and zero points) beside it for an
 * engine that multiplies in integers as {@code MatMulInteger} does; every other tensor as it is. The quantized
 * initializers and their scales and zero points are left out.
 */
public final class OnnxDynamicQuantization {
    private OnnxDynamicQuantization() {
    }

    /**
     * A projection's weight as {@code MatMulInteger} uses it.
     *
     * @param rows       input width (the weight is {@code [rows][cols]}, input-major)
     * @param cols       output width
     * @param codes      the stored codes, row-major, as integers (-128..127 for int8)
     * @param scales     one per output column
     * @param zeroPoints one per output column
     */
    public record Projection(int rows, int cols, int[] codes, float[] scales, int[] zeroPoints) {
        public Projection {
            if (codes.length != (long) rows * cols || scales.length != cols || zeroPoints.length != cols) {
                throw new IllegalArgumentException(rows + " x " + cols + " codes with " + scales.length + " scales "
                        + "and " + zeroPoints.length + " zero points: expected one of each per column");
            }
        }
    }

    /**
     * The file dequantized, and the integer form of each projection by its (fp32 export's) weight name.
     *
     * @param file        every tensor fp32, named as the fp32 export names it
     * @param projections by weight name, in graph order
     */
    public record Result(ModelFile file, Map<String, Projection> projections) {
        public Result {
            projections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(projections));
        }
    }

    /** True when {@code file}'s graph quantizes weights dynamically: it has a MatMulInteger or DequantizeLinear. */
    public static boolean isQuantized(ModelFile file) {
        for (GraphNode n : file.graph()) {
            if (n.opType().equals("MatMulInteger") || n.opType().equals("DequantizeLinear")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads {@code file}'s quantized weights through its graph.
     *
     * @throws BadInputException naming the file and node when the graph does not have the dynamic quantizer's shape
     */
    public static Result read(ModelFile file) {
        Map<String, TensorData> init = new LinkedHashMap<>();
        for (TensorData t : file.tensors()) {
            init.put(t.name(), t);
        }
        Map<String, GraphNode> producer = new HashMap<>();
        Map<String, List<GraphNode>> consumers = new HashMap<>();
        for (GraphNode n : file.graph()) {
            n.outputs().forEach(o -> producer.put(o, n));
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Graph g = new Graph(file, init, producer, consumers);
        Map<String, float[]> replaced = new HashMap<>(); // stored name -> fp32 values
        Map<String, String> renamed = new HashMap<>();    // stored name -> fp32 export's name
        Set<String> consumed = new HashSet<>();           // scales and zero points
        Map<String, Projection> projections = new LinkedHashMap<>();
        for (GraphNode n : file.graph()) {
            switch (n.opType()) {
                case "DequantizeLinear" -> g.table(n, replaced, renamed, consumed);
                case "MatMulInteger" -> g.projection(n, replaced, renamed, consumed, projections);
                default -> {
                }
            }
        }
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : file.tensors()) {
            if (consumed.contains(t.name()) && !replaced.containsKey(t.name())) {
                continue;
            }
            float[] v = replaced.get(t.name());
            out.add(v == null ? t : new TensorData(renamed.get(t.name()), StorageType.F32, t.shape(), v, null));
        }
        return new Result(new ModelFile(file.name(), file.format(), file.sha256(), file.metadata(), out,
                file.graph()), projections);
    }

    /** The graph's wiring, and the rules that read one quantized weight each. */
    private record Graph(ModelFile file, Map<String, TensorData> init, Map<String, GraphNode> producer,
                         Map<String, List<GraphNode>> consumers) {

        /** DequantizeLinear(Gather(table, ids), scale, zero point): the whole table, dequantized. */
        void table(GraphNode dq, Map<String, float[]> replaced, Map<String, String> renamed, Set<String> consumed) {
            GraphNode gather = producer.get(dq.inputs().get(0));
            if (gather == null || !gather.opType().equals("Gather") || !init.containsKey(gather.inputs().get(0))) {
                return; // not a lookup table: nothing stored to read
            }
            TensorData codes = init.get(gather.inputs().get(0));
            float scale = scalar(dq, 1);
            int zeroPoint = (int) scalar(dq, 2);
            String name = codes.name();
            if (!name.endsWith("_quantized")) {
                throw bad(dq, "table '" + name + "' is not named X_quantized, so the fp32 name is unknown");
            }
            float[] v = new float[codes.values().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((int) codes.values()[i] - zeroPoint) * scale; // DequantizeLinear, in fp32
            }
            replaced.put(name, v);
            renamed.put(name, name.substring(0, name.length() - "_quantized".length()));
            consumed.addAll(dq.inputs().subList(1, dq.inputs().size()));
        }

        /**
         * MatMulInteger(a, W, a_zp, W_zp) -> Cast -> Mul(., Mul(a_scale, W_scale)) -> Add(bias): W dequantized per
         * column, and its integer form.
         */
        void projection(GraphNode mm, Map<String, float[]> replaced, Map<String, String> renamed,
                        Set<String> consumed, Map<String, Projection> projections) {
            if (mm.inputs().size() != 4 || !init.containsKey(mm.inputs().get(1))) {
                throw bad(mm, "expected MatMulInteger(activation, weight initializer, activation zero point, weight "
                        + "zero point)");
            }
            TensorData w = init.get(mm.inputs().get(1));
            TensorData zp = initializer(mm, 3);
            GraphNode cast = only(mm, "Cast");
            GraphNode scaled = only(cast, "Mul");
            String scalesName = scaled.inputs().get(0).equals(cast.outputs().get(0)) ? scaled.inputs().get(1)
                    : scaled.inputs().get(0);
            GraphNode scalesMul = producer.get(scalesName);
            if (scalesMul == null || !scalesMul.opType().equals("Mul")) {
                throw bad(scaled, "expected the product of the activation's and the weight's scales");
            }
            TensorData scale = init.get(scalesMul.inputs().get(1)) != null ? init.get(scalesMul.inputs().get(1))
                    : init.get(scalesMul.inputs().get(0));
            GraphNode add = only(scaled, "Add");
            String bias = add.inputs().get(0).equals(scaled.outputs().get(0)) ? add.inputs().get(1)
                    : add.inputs().get(0);
            if (scale == null || !init.containsKey(bias) || !bias.endsWith(".bias") || w.shape().length != 2) {
                throw bad(mm, "expected a [in, out] weight, a scale initializer and an Add of a '.bias' initializer");
            }
            int rows = w.rows();
            int cols = w.cols();
            float[] scales = perColumn(scalesMul, scale, cols);
            float[] zeroFloats = perColumn(mm, zp, cols);
            int[] zeroPoints = new int[cols];
            for (int c = 0; c < cols; c++) {
                zeroPoints[c] = (int) zeroFloats[c];
            }
            int[] codes = new int[rows * cols];
            float[] v = new float[codes.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (int) w.values()[i];
                int c = i % cols;
                v[i] = (codes[i] - zeroPoints[c]) * scales[c];
            }
            String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
            replaced.put(w.name(), v);
            renamed.put(w.name(), name);
            consumed.add(zp.name());
            consumed.add(scale.name());
            projections.put(name, new Projection(rows, cols, codes, scales, zeroPoints));
        }

        private TensorData initializer(GraphNode n, int input) {
            TensorData t = n.inputs().size() > input ? init.get(n.inputs().get(input)) : null;
            if (t == null) {
                throw bad(n, "input " + input + " is not an initializer");
            }
            return t;
        }

        private float scalar(GraphNode n, int input) {
            TensorData t = initializer(n, input);
            if (t.elements() != 1) {
                throw bad(n, "input " + input + " '" + t.name() + "' has " + t.elements() + " elements; expected a "
                        + "per-tensor scalar");
            }
            return t.values()[0];
        }

        private float[] perColumn(GraphNode n, TensorData t, int cols) {
            if (t.elements() == 1) {
                float[] v = new float[cols];
                java.util.Arrays.fill(v, t.values()[0]);
                return v;
            }
            if (t.elements() != cols) {
                throw bad(n, "'" + t.name() + "' has " + t.elements() + " elements; expected 1 or one per output "
                        + "column (" + cols + ")");
            }
            return t.values();
        }

        /** The one node of type {@code type} that reads {@code n}'s output. */
        private GraphNode only(GraphNode n, String type) {
            List<GraphNode> next = consumers.getOrDefault(n.outputs().get(0), List.of());
            if (next.size() != 1 || !next.get(0).opType().equals(type)) {
                throw bad(n, "expected its result to go to one " + type + " node, found " + next.stream()
                        .map(GraphNode::opType).toList());
            }
            return next.get(0);
        }

        private BadInputException bad(GraphNode n, String what) {
            return new BadInputException(file.name() + ": graph node '" + n.name() + "' (" + n.opType() + "): " + what
                    + "; expected the graph of onnxruntime's dynamic quantization");
        }
    }
}
