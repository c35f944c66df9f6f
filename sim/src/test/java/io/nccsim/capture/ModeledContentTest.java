package io.nccsim.capture;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.TensorRole;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Modeled weight symbols are those of whole tensors drawn from the fit and quantized as deployed. */
class ModeledContentTest {
    private static final String FIT = "configs/models/fits/stories260K.yaml";

    /** One layer of dim 256 and hidden 1024: mlp_down's rows hold 1024 values, the others' 256. */
    private static final LlamaConfig SMALL = new LlamaConfig(256, 1024, 1, 4, 4, 4096, 16,
            LlamaConfig.LLAMA2C_NORM_EPS, LlamaConfig.LLAMA2C_ROPE_THETA, false, false, false, false);

    private static ModeledContent content(WeightQuant q, DeployedWeights d) {
        return new ModeledContent(ModeledContent.FitFile.read(ProjectFiles.resolve(FIT), FIT),
                new CaptureLayout(d, KvPrecision.INT8, 1, 1), q, 1);
    }

    @Test
    void symbolFrequenciesMatchThoseOfAWholeTensorQuantizedAsDeployed() {
        for (String spec : new String[] {"int4-g32-asym", "int8-channel-sym", "int3-g64-sym"}) {
            WeightQuant q = WeightQuant.parse(spec, "test");
            DeployedWeights d = DeployedWeights.shapeOnly(LlamaModel.shapeOnly(SMALL, "small"), q);
            ModeledContent content = content(q, d);
            StoredWeight down = d.stored("layers.0.feed_forward.w2.weight");
            double[] modeled = content.weightSymbols(down).probabilities();
            // The truth: a whole 256 x 1024 tensor of the role's values (fit scale moved to fan-in 1024), quantized.
            RealDistribution values = content.weightValues(TensorRole.MLP_DOWN, 1024).distribution(new Well19937c(9));
            float[] tensor = new float[4 * 256 * 1024];
            for (int i = 0; i < tensor.length; i++) {
                tensor[i] = (float) values.sample();
            }
            long[] counts = Quantizer.quantize(tensor, 4 * 256, 1024, q).histogram();
            for (int s = 0; s < counts.length; s++) {
                assertEquals(counts[s] / (double) tensor.length, modeled[s], 0.003, spec + " symbol " + s);
            }
        }
    }

    @Test
    void theScaleOfTheValuesDoesNotChangeTheirSymbols() {
        // Why only the fitted shape matters: every group is divided by its own range. Scaling by a power of two
        // keeps even the fp16 scales exact, so the codes are identical.
        RealDistribution values = ValueDistribution.studentT(0, 0.1, 4).distribution(new Well19937c(3));
        float[] x = new float[64 * 256];
        float[] scaled = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) values.sample();
            scaled[i] = x[i] / 8;
        }
        for (String spec : new String[] {"int4-g128-sym", "int8-channel-asym"}) {
            WeightQuant q = WeightQuant.parse(spec, "test");
            QuantizedTensor a = Quantizer.quantize(x, 64, 256, q);
            QuantizedTensor b = Quantizer.quantize(scaled, 64, 256, q);
            assertArrayEquals(a.symbols(), b.symbols(), spec);
            assertEquals(a.scales()[0] / 8, b.scales()[0], spec);
        }
        // The modeled scale follows 1 / sqrt(fan-in): four times the inputs, half the scale.
        DeployedWeights d = DeployedWeights.shapeOnly(LlamaModel.shapeOnly(SMALL, "small"),
                WeightQuant.parse("int4-g32-sym", "t"));
        ModeledContent c = content(WeightQuant.parse("int4-g32-sym", "t"), d);
        assertEquals(c.weightValues(TensorRole.MLP_GATE, 256).scale() / 2, c.weightValues(TensorRole.MLP_GATE, 1024)
                .scale(), 1e-12);
    }
}
