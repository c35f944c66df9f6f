package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model of Phi-3's size, known by its configuration alone, runs shape-only without holding any weights. */
class ShapeOnlyEngineTest {
    @Test
    void aPhi3SizedModelRunsTwoStepsWithoutWeightArrays() {
        ModelArch phi3 = ModelArch.load(ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml"));
        LlamaModel m = LlamaModel.shapeOnly(phi3.llamaConfig(), "phi3-mini-4k.yaml");
        assertEquals(phi3.shape().parameters(), m.parameters());
        List<Weight> all = DeployedWeights.distinctWeights(m);
        assertEquals(1 + 32 * 6 + 2, all.size(), "embedding, 6 per layer (2 norms, qkv, o, gate_up, down), final norm, "
                + "classifier");
        for (Weight w : all) {
            assertFalse(w.hasValues(), w.name());
            assertNull(w.data(), w.name() + " holds no array");
        }
        DeployedWeights deployed = DeployedWeights.shapeOnly(m, WeightQuant.parse("int4-g128-sym", "t"));
        deployed.stored().values().forEach(s -> assertNull(s.codes(), s.name() + " holds no codes"));
        assertEquals(1_970_540_544L, deployed.stored().values().stream().mapToLong(StoredWeight::bytes).sum(),
                "int4 codes with an fp16 scale per 128, fp16 norm gains: the bytes the unfused layout stores too");

        assertThrows(IllegalArgumentException.class, () -> new LlamaEngine(m, KvPrecision.INT8, AccessListener.NONE),
                "a model without weights cannot be computed with");
        long[] elementsRead = new long[2];
        int[] pos = {-1};
        LlamaEngine engine = LlamaEngine.shapeOnly(m, KvPrecision.INT8, new AccessListener() {
            @Override
            public void onForwardStart(int token, int p) {
                pos[0] = p;
            }

            @Override
            public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
                elementsRead[pos[0]] += elements;
            }
        });
        engine.forward(31_000, 0);
        engine.forward(7, 1);
        long perStep = m.parameters() - m.tokenEmbedding().elements() + m.config().dim();
        assertEquals(perStep, elementsRead[0], "every weight once, one embedding row");
        assertEquals(perStep, elementsRead[1]);
        assertTrue(perStep > 3.7e9);
    }
}
