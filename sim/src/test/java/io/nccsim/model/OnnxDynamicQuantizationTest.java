package io.nccsim.model;

import io.nccsim.testutil.MiniLm;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MiniLM's int8 file read through its graph: every weight gets the fp32 export's name, and its dequantized values
 * are within half a quantization step of the fp32 weight of that name, which they could not be if a scale, a zero
 * point or a name had been taken from the wrong tensor.
 */
class OnnxDynamicQuantizationTest {
    @Test
    void theInt8FileReadsAsTheFp32ExportNamesItWithinHalfAStepOfItsWeights() {
        ModelFile q = ModelLoaders.load(MiniLm.int8ModelPath());
        assertTrue(OnnxDynamicQuantization.isQuantized(q));
        assertFalse(OnnxDynamicQuantization.isQuantized(MiniLm.model()));
        OnnxDynamicQuantization.Result r = OnnxDynamicQuantization.read(q);
        ModelFile fp32 = OnnxWeightNames.resolve(MiniLm.model());

        Set<String> names = new HashSet<>();
        for (TensorData t : r.file().tensors()) {
            names.add(t.name());
            assertFalse(t.stored().isQuantizedCodes(), t.name() + " holds values, not codes");
            assertFalse(t.name().endsWith("_scale") || t.name().endsWith("_zero_point"), t.name());
        }
        Set<String> expected = new HashSet<>();
        for (TensorData t : fp32.tensors()) {
            if (!t.name().startsWith("pooler.")) { // the int8 export has no pooler
                expected.add(t.name());
            }
        }
        assertEquals(expected, names);

        Map<String, OnnxDynamicQuantization.Projection> projections = r.projections();
        assertEquals(36, projections.size(), "six projections in each of six layers");
        int dequantized = 0;
        for (TensorData t : r.file().tensors()) {
            TensorData original = q.tensor(t.name());
            if (original != null) { // biases, LayerNorm vectors, the position ids: not quantized
                assertArrayEquals(original.values(), t.values(), t.name() + ": kept as stored");
                continue;
            }
            TensorData f = fp32.tensor(t.name());
            assertNotNull(f, t.name());
            assertArrayEquals(f.shape(), t.shape(), t.name());
            OnnxDynamicQuantization.Projection p = projections.get(t.name());
            double worst = 0;
            for (int i = 0; i < f.values().length; i++) {
                double step = p != null ? p.scales()[i % p.cols()] : scaleOfTable(q, t.name());
                worst = Math.max(worst, Math.abs(f.values()[i] - t.values()[i]) / step);
            }
            assertTrue(worst <= 0.5 + 1e-3, t.name() + ": " + worst + " steps from the fp32 weight");
            dequantized++;
        }
        assertEquals(36 + 3, dequantized, "the projections and the three embedding tables");
    }

    private static double scaleOfTable(ModelFile q, String name) {
        return q.tensor(name + "_scale").values()[0];
    }
}
