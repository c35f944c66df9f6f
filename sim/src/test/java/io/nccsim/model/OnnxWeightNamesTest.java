package io.nccsim.model;

import io.nccsim.common.BadInputException;
import io.nccsim.testutil.MiniLm;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxWeightNamesTest {
    private static TensorData tensor(String name, long... shape) {
        return new TensorData(name, StorageType.F32, shape, new float[(int) TensorData.elementsOf(shape)], null);
    }

    private static GraphNode node(String op, List<String> in, String out) {
        return new GraphNode("/" + op + "_" + out, op, in, List.of(out));
    }

    @Test
    void aMatMulWeightTakesItsNameFromTheBiasAddedToItsProduct() {
        ModelFile f = new ModelFile("tiny.onnx", "onnx", "", Map.of(), List.of(
                tensor("lin.bias", 3), tensor("onnx::MatMul_7", 2, 3), tensor("onnx::MatMul_8", 3, 3),
                tensor("other", 3)),
                List.of(node("MatMul", List.of("x", "onnx::MatMul_7"), "y"),
                        node("Add", List.of("lin.bias", "y"), "z"),
                        // no bias: stays as it is
                        node("MatMul", List.of("z", "onnx::MatMul_8"), "w"),
                        node("Add", List.of("w", "z"), "out")));
        assertEquals(Map.of("onnx::MatMul_7", "lin.weight"), OnnxWeightNames.linearWeightNames(f));
        ModelFile resolved = OnnxWeightNames.resolve(f);
        assertEquals(List.of("lin.bias", "lin.weight", "onnx::MatMul_8", "other"),
                resolved.tensors().stream().map(TensorData::name).toList(), "renamed in place, file order kept");
        assertSame(f.tensor("onnx::MatMul_7").values(), resolved.tensor("lin.weight").values(), "values shared");
        assertArrayEquals(new long[]{2, 3}, resolved.tensor("lin.weight").shape(), "ONNX layout kept");
        assertEquals(f.graph(), resolved.graph());
    }

    @Test
    void aWeightTwoBiasesDisagreeAboutOrANameAlreadyTakenIsRefused() {
        ModelFile shared = new ModelFile("shared.onnx", "onnx", "", Map.of(), List.of(
                tensor("a.bias", 3), tensor("b.bias", 3), tensor("W", 2, 3)),
                List.of(node("MatMul", List.of("x", "W"), "y1"), node("Add", List.of("a.bias", "y1"), "z1"),
                        node("MatMul", List.of("x", "W"), "y2"), node("Add", List.of("y2", "b.bias"), "z2")));
        String m = assertThrows(BadInputException.class, () -> OnnxWeightNames.linearWeightNames(shared))
                .getMessage();
        assertTrue(m.startsWith("shared.onnx: ") && m.contains("'W'") && m.contains("'a.weight'")
                && m.contains("'b.weight'"), m);

        ModelFile taken = new ModelFile("taken.onnx", "onnx", "", Map.of(), List.of(
                tensor("a.bias", 3), tensor("a.weight", 3, 3), tensor("W", 2, 3)),
                List.of(node("MatMul", List.of("x", "W"), "y"), node("Add", List.of("a.bias", "y"), "z")));
        m = assertThrows(BadInputException.class, () -> OnnxWeightNames.resolve(taken)).getMessage();
        assertTrue(m.startsWith("taken.onnx: ") && m.contains("'W'") && m.contains("already has a tensor"), m);
    }

    @Test
    void everyMiniLmProjectionGetsItsLayerAndRoleFromTheGraph() {
        ModelFile f = MiniLm.model();
        Map<String, String> names = OnnxWeightNames.linearWeightNames(f);
        long unnamed = f.tensors().stream().filter(t -> t.name().startsWith("onnx::MatMul_")).count();
        assertEquals(36, unnamed, "the export's anonymous MatMul weights");
        assertEquals(36, names.size(), "each one named");
        assertEquals(36, new TreeSet<>(names.values()).size(), "no name twice");

        ModelFile resolved = OnnxWeightNames.resolve(f);
        Map<TensorRole, Integer> perRole = new HashMap<>();
        Set<String> projections = Set.of("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "intermediate.dense", "output.dense");
        for (String name : names.values()) {
            TensorData w = resolved.tensor(name);
            TensorData bias = resolved.tensor(name.replace(".weight", ".bias"));
            assertEquals(bias.elements(), w.shape()[1], name + ": [in, out], out matching its bias");
            int layer = TensorNames.layerOf(name);
            assertTrue(layer >= 0 && layer < 6, name);
            String role = name.substring(("encoder.layer." + layer + ".").length(), name.length() - ".weight".length());
            assertTrue(projections.contains(role), name);
            perRole.merge(TensorNames.roleOf(name), 1, Integer::sum);
        }
        assertEquals(Map.of(TensorRole.ATTN_Q, 6, TensorRole.ATTN_K, 6, TensorRole.ATTN_V, 6, TensorRole.ATTN_O, 6,
                TensorRole.MLP_UP, 6, TensorRole.MLP_DOWN, 6), perRole);
        // the feed-forward shapes tell the two MLP matrices apart independently of the names
        for (int l = 0; l < 6; l++) {
            assertEquals("[384, 1536]", Arrays.toString(
                    resolved.tensor("encoder.layer." + l + ".intermediate.dense.weight").shape()));
            assertEquals("[1536, 384]", Arrays.toString(
                    resolved.tensor("encoder.layer." + l + ".output.dense.weight").shape()));
        }
    }
}
