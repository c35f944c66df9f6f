package io.nccsim.codec.learned;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much an error in each input channel of a weight matrix matters, from the activations the matrix was
 * actually multiplied with.
 *
 * <p>Why: a linear layer computes {@code y_o = sum_i W[o][i] x_i}. An error {@code d} in {@code W[o][i]} changes
 * {@code y_o} by {@code d x_i}, so its expected squared effect on the output is {@code d^2 E[x_i^2]}. Weighting each
 * value's squared error by the mean squared activation of its input channel turns weight MSE into (an estimate of)
 * output MSE, the quantity that matters for the model (the same reasoning as GPTQ's and AWQ's activation-aware
 * weighting, reduced to the diagonal).
 *
 * <p>How a block's positions map to channels: weights are held {@code [out][in]} ({@link SourceTensor}), so the
 * value at row-major index {@code k} of a matrix with {@code cols} columns meets input channel {@code k % cols}.
 * A block of n consecutive values starting at index s has, at position j, the weight of channel
 * {@code (s + j) % cols}; for blocks along rows with n dividing the row, position j of the k-th block of a row is
 * channel {@code k n + j}.
 *
 * <p>Weights are normalised to a mean of 1 over a tensor's channels, so a weighted MSE is on the same scale as the
 * plain one and equals it when every channel has the same energy.
 */
public final class ChannelWeights {
    /** No statistics: every tensor unweighted. */
    public static final ChannelWeights NONE = new ChannelWeights(Map.of());

    private final Map<String, double[]> meanSquares;

    /**
     * @param meanSquares per {@link SourceTensor#key()}, the mean squared activation of each input channel
     *                    (length = the tensor's cols)
     */
    public ChannelWeights(Map<String, double[]> meanSquares) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        meanSquares.forEach((k, v) -> copy.put(k, v.clone()));
        this.meanSquares = Collections.unmodifiableMap(copy);
    }

    /** The tensors with statistics, by {@link SourceTensor#key()}. */
    public java.util.Set<String> tensors() {
        return meanSquares.keySet();
    }

    /** The raw mean squared activation per input channel of tensor {@code key}, or null. */
    public double[] meanSquares(String key) {
        double[] m = meanSquares.get(key);
        return m == null ? null : m.clone();
    }

    /**
     * The normalised weight of each input channel of {@code t} (mean 1), or null when there are no statistics for
     * it (embedding lookups, tensors never multiplied in the captured run, another model).
     *
     * @throws IllegalArgumentException if the statistics are of another width than the tensor's rows are long (its cols)
     */
    public double[] forTensor(SourceTensor t) {
        double[] m = meanSquares.get(t.key());
        if (m == null) {
            return null;
        }
        if (m.length != t.cols()) {
            throw new IllegalArgumentException(t + ": activation statistics have " + m.length
                    + " channels, the matrix has " + t.cols() + " input channels");
        }
        double sum = 0;
        for (double v : m) {
            sum += v;
        }
        double[] w = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            // A matrix only ever multiplied by zeros has no preferred channel: weigh all alike.
            w[i] = sum > 0 ? m[i] * m.length / sum : 1.0;
        }
        return w;
    }
}
