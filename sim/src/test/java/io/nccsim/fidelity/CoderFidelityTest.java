package io.nccsim.fidelity;

import io.nccsim.codec.learned.BlockQuantTensorCoder;
import io.nccsim.codec.learned.SourceTensor;
import io.nccsim.codec.learned.TensorCoder;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of {@code codec eval}'s fidelity: coding a model file's matrices, and metrics at matched bits. */
class CoderFidelityTest {
    private static CoderFidelity.Point point(String method, double bits, double agreement, double perplexity) {
        return new CoderFidelity.Point(method, "s", bits, bits, Map.of("top1_agreement", agreement,
                "perplexity", perplexity));
    }

    @Test
    void metricsAtMatchedBitsInterpolateAndPerplexityInItsLogarithm() {
        List<CoderFidelity.Point> pts = List.of(point("b", 4, 0.9, 4.0), point("b", 2, 0.5, 400.0),
                point("other", 3, 0.0, 1.0));
        assertEquals(0.7, CoderFidelity.metricAt(pts, "b", "top1_agreement", 3), 1e-12);
        // Half way in log: sqrt(4 * 400) = 40, not the arithmetic 202.
        assertEquals(40.0, CoderFidelity.metricAt(pts, "b", "perplexity", 3), 1e-9);
        assertEquals(0.9, CoderFidelity.metricAt(pts, "b", "top1_agreement", 4), 0.0);
        assertTrue(Double.isNaN(CoderFidelity.metricAt(pts, "b", "top1_agreement", 4.5)));
        assertTrue(Double.isNaN(CoderFidelity.metricAt(pts, "b", "top1_agreement", 1.9)));
        assertTrue(Double.isNaN(CoderFidelity.metricAt(pts, "none", "top1_agreement", 3)));
    }

    @Test
    void matricesStoredInOutAreCodedAlongTheirInputChannels() {
        // A 3 x 5 matrix [out][in] and the same matrix stored [in][out] (5 x 3), as an ONNX MatMul keeps it.
        float[] outIn = new float[15];
        for (int i = 0; i < 15; i++) {
            outIn[i] = (float) Math.sin(1.7 * i + 0.3) * (1 + i % 5);
        }
        float[] inOut = new float[15];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                inOut[c * 3 + r] = outIn[r * 5 + c];
            }
        }
        TensorData a = new TensorData("a.weight", StorageType.F32, new long[] {3, 5}, outIn, null);
        TensorData b = new TensorData("b.weight", StorageType.F32, new long[] {5, 3}, inOut, null);
        TensorData norm = new TensorData("norm.weight", StorageType.F32, new long[] {5}, new float[5], null);
        ModelFile file = new ModelFile("m.bin", "llama2c", "00", Map.of(), List.of(a, b, norm));
        TensorCoder coder = new BlockQuantTensorCoder(3, true, 4, 12);
        TensorCodedWeights.Coded coded = TensorCodedWeights.apply(file, Set.of("b.weight"), coder);
        float[] fromA = coded.model().file().tensors().get(0).values();
        float[] fromB = coded.model().file().tensors().get(1).values();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(fromA[r * 5 + c], fromB[c * 3 + r], "turned round, coded the same way, turned back");
            }
        }
        TensorCoder.Coded direct = coder.code(new SourceTensor("m", "a.weight", TensorRole.ATTN_Q, -1, 3, 5, outIn));
        assertArrayEquals(direct.values(), fromA);
        assertEquals(30, coded.matrixValues());
        assertEquals(2 * direct.bits(), coded.matrixBits());
        assertEquals(2 * direct.bits() + 32 * 5, coded.model().storedBits(), "the norm vector stays fp32");
        assertSame(norm, coded.model().file().tensors().get(2));
        assertEquals(2, coded.model().codedTensors());
    }
}
