package io.nccsim.model;

import java.util.List;

/**
 * One operator of a model file's computation graph, as far as wiring goes: which tensors it reads and writes.
 *
 * <p>Kept because some files name their weights only through the graph: an ONNX export may call a projection's
 * weight {@code onnx::MatMul_885}, and only the graph says that this tensor feeds the MatMul whose result the query
 * bias is added to. Attributes are not kept: nothing in nccsim needs them yet.
 *
 * @param name    the node's name in the file ("" when it has none)
 * @param opType  the operator, e.g. {@code MatMul}, {@code Add}
 * @param inputs  names of the tensors it reads, in operand order ("" for an omitted optional input)
 * @param outputs names of the tensors it writes, in order
 */
public record GraphNode(String name, String opType, List<String> inputs, List<String> outputs) {
    public GraphNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
