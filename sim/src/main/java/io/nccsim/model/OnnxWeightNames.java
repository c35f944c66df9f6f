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
 * Names an ONNX export's matrix weights after the layer they belong to, by reading the graph rather than guessing
 * from file order.
 *
 * <p>PyTorch's exporter keeps the names of the tensors it stores as they are (biases, LayerNorm gains) but replaces
 * a linear layer's weight, which it stores transposed for a MatMul, by a name such as {@code onnx::MatMul_885}. The
 * graph still says where it goes: that tensor is the right operand of a MatMul node whose result an Add node adds
 * {@code encoder.layer.0.attention.self.query.bias} to. So the weight is
 * {@code encoder.layer.0.attention.self.query.weight}: the bias's name with {@code .bias} turned into
 * {@code .weight}.
 *
 * <p>A renamed tensor keeps its values and its ONNX layout, {@code [in, out]}, which is the transpose of the
 * {@code [out, in]} PyTorch stores under the same name. Weights whose MatMul adds no named bias keep their names.
 */
public final class OnnxWeightNames {
    private OnnxWeightNames() {
    }

    /**
     * The name the graph gives each MatMul weight that has one, keyed by the name the file stores it under, in file
     * order. Empty for a file with no graph.
     */
    public static Map<String, String> linearWeightNames(ModelFile file) {
        Set<String> initializers = new HashSet<>();
        for (TensorData t : file.tensors()) {
            initializers.add(t.name());
        }
        Map<String, List<GraphNode>> consumers = new HashMap<>();
        for (GraphNode n : file.graph()) {
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, String> found = new HashMap<>();
        for (GraphNode n : file.graph()) {
            if (!n.opType().equals("MatMul") || n.inputs().size() != 2 || n.outputs().isEmpty()) {
                continue;
            }
            String weight = n.inputs().get(1);
            if (!initializers.contains(weight) || initializers.contains(n.inputs().get(0))) {
                continue; // activation times activation (attention scores), or no activation at all
            }
            String product = n.outputs().get(0);
            for (GraphNode add : consumers.getOrDefault(product, List.of())) {
                if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                    continue;
                }
                String bias = add.inputs().get(0).equals(product) ? add.inputs().get(1) : add.inputs().get(0);
                if (!initializers.contains(bias) || !bias.endsWith(".bias")) {
                    continue;
                }
                String name = bias.substring(0, bias.length() - ".bias".length()) + ".weight";
                String before = found.putIfAbsent(weight, name);
                if (before != null && !before.equals(name)) {
                    throw new BadInputException(file.name() + ": graph node '" + add.name() + "': initializer '"
                            + weight + "' feeds MatMuls whose biases name it both '" + before + "' and '" + name
                            + "'; expected one layer per weight");
                }
            }
        }
        Map<String, String> inFileOrder = new LinkedHashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        for (TensorData t : file.tensors()) {
            String name = found.get(t.name());
            if (name == null || name.equals(t.name())) {
                continue;
            }
            if (initializers.contains(name)) {
                throw new BadInputException(file.name() + ": initializer '" + t.name() + "': the graph names it '"
                        + name + "', but the file already has a tensor of that name; expected the name to be free");
            }
            String other = claimedBy.putIfAbsent(name, t.name());
            if (other != null) {
                throw new BadInputException(file.name() + ": initializers '" + other + "' and '" + t.name()
                        + "' both feed the MatMul of '" + name + "'; expected one weight per layer");
            }
            inFileOrder.put(t.name(), name);
        }
        return inFileOrder;
    }

    /**
     * {@code file} with its MatMul weights renamed as {@link #linearWeightNames} says; the values are shared. The
     * graph is kept as the file has it, so its nodes still name the weights as stored.
     */
    public static ModelFile resolve(ModelFile file) {
        Map<String, String> names = linearWeightNames(file);
        if (names.isEmpty()) {
            return file;
        }
        List<TensorData> tensors = new ArrayList<>(file.tensors().size());
        for (TensorData t : file.tensors()) {
            String name = names.get(t.name());
            tensors.add(name == null ? t : new TensorData(name, t.stored(), t.shape(), t.values(), t.quantized()));
        }
        return new ModelFile(file.name(), file.format(), file.sha256(), file.metadata(), tensors, file.graph());
    }
}
