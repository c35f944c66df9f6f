package io.nccsim.fidelity;

import io.nccsim.codec.learned.SourceTensor;
import io.nccsim.codec.learned.TensorCoder;
import io.nccsim.codec.learned.TensorSources;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.model.TensorNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Passes every weight matrix of a model through a {@link TensorCoder} (a learned level, or a baseline it is judged
 * against) and back: the model as the processor would compute with it. As {@link WeightCodec} does for a
 * {@link CodecSpec}: matrices ({@link TensorData#isMatrix()}), the embeddings included, are coded; vectors (norm
 * gains, biases) stay fp32.
 *
 * <p>Coders cut blocks along rows of {@code [out][in]} matrices, so that a block runs over input channels as in
 * training ({@link TensorSources}). Matrices a file stores {@code [in][out]} (an ONNX MatMul's right operand) are
 * turned round before coding and back after.
 */
public final class TensorCodedWeights {
    /**
     * The model as the coder left it, with the bits over its matrices.
     *
     * @param model        the coded model (bits per weight over the whole file: matrices as coded, vectors at fp32)
     * @param matrixValues weight elements in the matrices
     * @param matrixBits   bits the matrices take: every matrix's own and the coder's shared bits, once
     */
    public record Coded(CodedModel model, long matrixValues, long matrixBits) {
        /** Bits per matrix element: the rate the rate-distortion tables report. */
        public double bitsPerValue() {
            return (double) matrixBits / matrixValues;
        }
    }

    private TensorCodedWeights() {
    }

    /**
     * Codes the matrices of {@code file}.
     *
     * @param inOut names of the matrices {@code file} stores {@code [in][out]}; empty for llama2.c, GGUF and
     *              safetensors files, which store {@code [out][in]}
     */
    public static Coded apply(ModelFile file, Set<String> inOut, TensorCoder coder) {
        String label = TensorSources.modelLabel(file.name());
        List<TensorData> out = new ArrayList<>();
        long parameters = 0;
        long storedBits = 0;
        long matrixValues = 0;
        long matrixBits = 0;
        int coded = 0;
        for (TensorData t : file.tensors()) {
            parameters += t.elements();
            if (!t.isMatrix()) {
                out.add(t);
                storedBits += 32 * t.elements();
                continue;
            }
            boolean turn = inOut.contains(t.name());
            int rows = turn ? t.cols() : t.rows();
            int cols = turn ? t.rows() : t.cols();
            float[] values = turn ? TensorSources.transpose(t.values(), t.rows(), t.cols()) : t.values();
            SourceTensor s = new SourceTensor(label, t.name(), TensorNames.roleOf(t.name()),
                    TensorNames.layerOf(t.name()), rows, cols, values);
            TensorCoder.Coded c = coder.code(s);
            float[] decoded = turn ? TensorSources.transpose(c.values(), rows, cols) : c.values();
            out.add(new TensorData(t.name(), StorageType.F32, t.shape(), decoded, null));
            matrixValues += t.elements();
            matrixBits += c.bits();
            coded++;
        }
        if (coded > 0) {
            matrixBits += coder.sharedBits();
        }
        storedBits += matrixBits;
        ModelFile result = new ModelFile(file.name(), file.format(), file.sha256(), file.metadata(), out);
        return new Coded(new CodedModel(result, coded, parameters, storedBits, 0), matrixValues, matrixBits);
    }
}
