package io.nccsim.capture;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weights the engine runs when a capture deploys a model under a weight format. */
class DeployedWeightsTest {
    @TempDir
    Path dir;

    private ModelFile model() throws IOException {
        LlamaConfig c = new LlamaConfig(8, 12, 2, 4, 2, 16, 8, LlamaConfig.LLAMA2C_NORM_EPS,
                LlamaConfig.LLAMA2C_ROPE_THETA, false, false, false, false);
        return ModelLoaders.load(SyntheticLlama2c.write(dir.resolve("m.bin"), c, SyntheticLlama2c.random(5)));
    }

    private static List<Weight> weights(LlamaModel m) {
        return DeployedWeights.distinctWeights(m);
    }

    @Test
    void anIntegerFormatRunsTheDequantizedCodesAndFp16Gains() throws IOException {
        ModelFile file = model();
        DeployedWeights d = DeployedWeights.of(file, WeightQuant.parse("int4-g8-sym", "test"));
        LlamaModel original = LlamaModel.of(file);
        List<Weight> before = weights(original);
        List<Weight> after = weights(d.model());
        assertEquals(before.size(), after.size());
        assertEquals(before.size(), d.stored().size());
        for (int i = 0; i < before.size(); i++) {
            Weight w0 = before.get(i);
            Weight w = after.get(i);
            StoredWeight s = d.stored(w.name());
            assertEquals(w0.name(), w.name());
            if (w.role() == TensorRole.NORM) {
                assertEquals(ElementType.FP16, s.type());
                assertNull(s.codes());
                assertEquals(w.elements() * 2, s.bytes());
                for (int col = 0; col < w.cols(); col++) {
                    assertEquals(Float16Bits.roundToFp16(w0.get(0, col)), w.get(0, col), 0f);
                }
                continue;
            }
            // Each element is its code times its group's scale, code = symbol - 8 for symmetric int4.
            QuantizedTensor q = s.codes();
            int groupsPerRow = (w.cols() + 7) / 8;
            boolean changed = false;
            for (int r = 0; r < w.rows(); r++) {
                for (int col = 0; col < w.cols(); col++) {
                    float scale = q.scales()[r * groupsPerRow + col / 8];
                    assertEquals((q.symbol(r * w.cols() + col) - 8) * scale, w.get(r, col), 0f, w.name());
                    assertTrue(Math.abs(w.get(r, col) - w0.get(r, col)) <= scale / 2 * 1.0001f, w.name());
                    changed |= w.get(r, col) != w0.get(r, col);
                }
            }
            assertTrue(changed, w.name() + ": 4-bit codes cannot hold uniform random weights exactly");
            assertEquals((long) w.rows() * w.cols() / 2, s.payloadBytes());
            assertEquals((long) w.rows() * groupsPerRow * 2, s.metadataBytes(), "one fp16 scale per group");
            assertEquals(8, s.groupSize());
        }
    }

    @Test
    void fp32KeepsTheFileValuesAndBf16RoundsThem() throws IOException {
        ModelFile file = model();
        LlamaModel original = LlamaModel.of(file);
        DeployedWeights fp32 = DeployedWeights.of(file, WeightQuant.parse("fp32", "test"));
        DeployedWeights bf16 = DeployedWeights.of(file, WeightQuant.parse("bf16", "test"));
        for (int i = 0; i < weights(original).size(); i++) {
            Weight w0 = weights(original).get(i);
            assertSame(w0.data(), weights(fp32.model()).get(i).data(), "fp32 deploys the file's own values");
            assertEquals(ElementType.FP32, fp32.stored(w0.name()).type());
            Weight b = weights(bf16.model()).get(i);
            assertEquals(ElementType.BF16, bf16.stored(w0.name()).type());
            assertEquals(w0.elements() * 2, bf16.stored(w0.name()).bytes());
            for (int k = 0; k < w0.data().length; k++) {
                float x = b.data()[k];
                assertEquals(0, Float.floatToRawIntBits(x) & 0xFFFF, "a bf16 value has a zero low half");
                assertTrue(Math.abs(x - w0.data()[k]) <= Math.ulp(w0.data()[k]) * 65536 / 2);
            }
        }
    }

    @Test
    void autoDecidesEachTensorsSymmetryAndSizesItsMetadataAccordingly() throws IOException {
        // Shift the gate projection's weights to one sign: asymmetric then; everything else stays centred.
        LlamaConfig c = new LlamaConfig(8, 12, 1, 4, 2, 16, 8, LlamaConfig.LLAMA2C_NORM_EPS,
                LlamaConfig.LLAMA2C_ROPE_THETA, true, false, false, false);
        SyntheticLlama2c.Rule random = SyntheticLlama2c.random(9);
        ModelFile file = ModelLoaders.load(SyntheticLlama2c.write(dir.resolve("auto.bin"), c,
                (name, r, col) -> random.value(name, r, col) + (name.contains("w1") ? 2f : 0f)));
        DeployedWeights d = DeployedWeights.of(file, WeightQuant.parse("int8-g8-auto", "test"));
        StoredWeight gate = d.stored("layers.0.feed_forward.w1.weight");
        StoredWeight up = d.stored("layers.0.feed_forward.w3.weight");
        assertFalse(gate.quant().auto());
        assertFalse(gate.quant().symmetric(), "one-signed weights need a zero point");
        assertTrue(up.quant().symmetric(), "centred weights do not");
        assertEquals(12L * 1 * 4, gate.metadataBytes(), "12 rows x 1 group x (scale + zero point)");
        assertEquals(12L * 1 * 2, up.metadataBytes());
        assertNotEquals(gate.quant(), up.quant());
    }
}
