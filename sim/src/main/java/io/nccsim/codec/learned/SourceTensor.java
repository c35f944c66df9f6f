package io.nccsim.codec.learned;

import io.nccsim.trace.TensorRole;

/**
 * One real tensor that blocks are cut from: a weight matrix of a model file, or a matrix of captured activation or
 * KV-cache vectors (one row per vector written).
 *
 * <p>Weight matrices are held as {@code [out][in]} (PyTorch's and llama2.c's layout), so that a row is one output
 * channel and the values along it meet consecutive input channels: the column index is the input channel, which is
 * what per-position weights from activation statistics key on ({@link ChannelWeights}).
 *
 * @param model  the model the tensor comes from (e.g. "stories260K"); the layer split is made per model
 * @param name   the tensor's name in the model file, or for captured data {@code activation.NAME} /
 *               {@code kv_cache.k} / {@code kv_cache.v}
 * @param role   what the tensor is for; null when its name says nothing ({@code pooler.dense.weight})
 * @param layer  the transformer layer, or -1 outside the layers (embeddings, classifier, final norm output)
 * @param rows   rows: output channels of a weight, vectors of captured data
 * @param cols   values per row: input channels of a weight, the width of captured vectors
 * @param values rows x cols values, row-major; shared, never written
 */
public record SourceTensor(String model, String name, TensorRole role, int layer, int rows, int cols,
                           float[] values) {
    public SourceTensor {
        if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
            throw new IllegalArgumentException(model + " " + name + ": " + rows + " x " + cols + " does not hold "
                    + values.length + " values");
        }
        if (layer < -1) {
            throw new IllegalArgumentException(model + " " + name + ": layer " + layer + "; expected -1 or more");
        }
    }

    /** The role as reports name it: {@link TensorRole#id()}, or "other" when the name gives none. */
    public String roleId() {
        return role == null ? "other" : role.id();
    }

    /** The key that identifies the tensor across models: {@code model/name}. */
    public String key() {
        return model + "/" + name;
    }

    @Override
    public String toString() {
        return key() + " [" + rows + ", " + cols + "] " + roleId() + " layer " + layer;
    }
}
