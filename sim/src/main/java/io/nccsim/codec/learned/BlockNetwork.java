package io.nccsim.codec.learned;

import io.nccsim.codec.learned.BlockCodecConfig.Variant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The learned block codec's network, as a layout over one flat parameter vector: encoder, decoder and prior, with
 * hand-written forward and backward passes for one block at a time.
 *
 * <ul>
 *   <li>LINEAR: {@code y = We x + be}, {@code x_hat = Wd y_hat + bd}.</li>
 *   <li>MLP: {@code y = W2 tanh(W1 x + b1) + b2}, {@code x_hat = W4 tanh(W3 y_hat + b3) + b4}. tanh is smooth
 *       and bounded, so the hidden units neither die (as ReLU units can) nor blow up in a small network.</li>
 * </ul>
 * The per-block loss is {@code D + lambdaRate R}: D the weighted MSE {@code (1/n) sum_i w_i (x_hat_i - x_i)^2} on
 * normalised values, R the rate {@code (1/n) sum_j -log2 P_j(y~_j)} in bits per value. The complexity term of the
 * full loss is a constant of the architecture and is added by whoever compares architectures.
 *
 * <p>Parameter order: encoder layers, decoder layers (contiguous, so that the decoder can be rounded to fp16 as
 * one range), then the prior. A network holds no parameters and no mutable state; a {@link Workspace} holds the
 * activations of one block, one per thread.
 */
final class BlockNetwork {
    final BlockCodecConfig config;
    final int n;
    final int k;
    final int h;
    /** LINEAR: null. MLP: the encoder's hidden layer. */
    private final Dense encoderHidden;
    private final Dense encoderOut;
    /** LINEAR: null. MLP: the decoder's hidden layer. */
    private final Dense decoderHidden;
    private final Dense decoderOut;
    final LogisticMixturePrior prior;
    final int parameterCount;
    final int decoderStart;
    final int decoderEnd;
    private final List<ParameterGroup> groups;

    BlockNetwork(BlockCodecConfig config) {
        this.config = config;
        this.n = config.blockSize();
        this.k = config.latentSize();
        this.h = config.hiddenWidth();
        int at = 0;
        List<Dense> layers = new ArrayList<>();
        if (config.variant() == Variant.LINEAR) {
            encoderHidden = null;
            encoderOut = new Dense("encoder", n, k, at);
            at += encoderOut.parameterCount();
            decoderStart = at;
            decoderHidden = null;
            decoderOut = new Dense("decoder", k, n, at);
            at += decoderOut.parameterCount();
            layers.add(encoderOut);
            layers.add(decoderOut);
        } else {
            encoderHidden = new Dense("encoder.hidden", n, h, at);
            at += encoderHidden.parameterCount();
            encoderOut = new Dense("encoder.out", h, k, at);
            at += encoderOut.parameterCount();
            decoderStart = at;
            decoderHidden = new Dense("decoder.hidden", k, h, at);
            at += decoderHidden.parameterCount();
            decoderOut = new Dense("decoder.out", h, n, at);
            at += decoderOut.parameterCount();
            layers.add(encoderHidden);
            layers.add(encoderOut);
            layers.add(decoderHidden);
            layers.add(decoderOut);
        }
        decoderEnd = at;
        prior = new LogisticMixturePrior(k, config.priorComponents(), at);
        at += prior.parameterCount();
        parameterCount = at;
        List<ParameterGroup> g = new ArrayList<>();
        for (Dense d : layers) {
            g.add(d.weights());
            g.add(d.biases());
        }
        g.addAll(prior.groups());
        groups = Collections.unmodifiableList(g);
    }

    /** Every parameter group, in vector order. */
    List<ParameterGroup> groups() {
        return groups;
    }

    /** Parameters the decoder needs (weights and biases; the prior is only needed to build the code tables). */
    int decoderParameterCount() {
        return decoderEnd - decoderStart;
    }

    /**
     * Seeded starting parameters. LINEAR: the encoder's rows are a random orthonormal basis of a k-dimensional
     * subspace and the decoder is its transpose, so training starts from a projection that already reconstructs
     * part of every block. MLP: LeCun-normal weights (variance 1/fan-in), zero biases.
     */
    double[] initialParameters(long seed) {
        Random rng = new Random(seed);
        double[] p = new double[parameterCount];
        if (config.variant() == Variant.LINEAR) {
            double[][] rows = orthonormalRows(k, n, rng);
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < n; i++) {
                    p[encoderOut.offset + j * n + i] = rows[j][i];
                    p[decoderOut.offset + i * k + j] = rows[j][i];
                }
            }
        } else {
            for (Dense d : new Dense[] {encoderHidden, encoderOut, decoderHidden, decoderOut}) {
                double sd = 1.0 / Math.sqrt(d.in);
                for (int i = 0; i < d.in * d.out; i++) {
                    p[d.offset + i] = sd * rng.nextGaussian();
                }
            }
        }
        prior.initialise(p);
        return p;
    }

    private static double[][] orthonormalRows(int rows, int cols, Random rng) {
        double[][] r = new double[rows][cols];
        for (int j = 0; j < rows; j++) {
            // Gram-Schmidt, redrawing in the (measure-zero) case of a dependent draw.
            while (true) {
                for (int i = 0; i < cols; i++) {
                    r[j][i] = rng.nextGaussian();
                }
                for (int q = 0; q < j; q++) {
                    double dot = 0;
                    for (int i = 0; i < cols; i++) {
                        dot += r[j][i] * r[q][i];
                    }
                    for (int i = 0; i < cols; i++) {
                        r[j][i] -= dot * r[q][i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < cols; i++) {
                    norm += r[j][i] * r[j][i];
                }
                norm = Math.sqrt(norm);
                if (norm > 1e-6) {
                    for (int i = 0; i < cols; i++) {
                        r[j][i] /= norm;
                    }
                    break;
                }
            }
        }
        return r;
    }

    /** Activations and gradients of one block. */
    final class Workspace {
        final double[] x = new double[n];
        final double[] encHidden = new double[Math.max(h, 1)];
        final double[] y = new double[k];
        final double[] yQuantized = new double[k];
        final double[] decHidden = new double[Math.max(h, 1)];
        final double[] xHat = new double[n];
        final double[] dxHat = new double[n];
        final double[] dHidden = new double[Math.max(h, 1)];
        final double[] dy = new double[k];
        final double[] dBitsDy = new double[k];
        /** Weighted MSE of the last block (normalised units). */
        double distortion;
        /** Rate of the last block in bits (all k latents, under the prior). */
        double bits;
    }

    Workspace workspace() {
        return new Workspace();
    }

    /** Encoder: w.x (normalised) to w.y. */
    void encode(double[] p, Workspace w) {
        if (encoderHidden == null) {
            encoderOut.forward(p, w.x, w.y);
        } else {
            encoderHidden.forward(p, w.x, w.encHidden);
            tanhInPlace(w.encHidden, h);
            encoderOut.forward(p, w.encHidden, w.y);
        }
    }

    /** Decoder: w.yQuantized to w.xHat (normalised). */
    void decode(double[] p, Workspace w) {
        if (decoderHidden == null) {
            decoderOut.forward(p, w.yQuantized, w.xHat);
        } else {
            decoderHidden.forward(p, w.yQuantized, w.decHidden);
            tanhInPlace(w.decHidden, h);
            decoderOut.forward(p, w.decHidden, w.xHat);
        }
    }

    /** The integer bin of a latent value: round half up of y / step, the same rounding in training and coding. */
    static long bin(double y, double step) {
        return (long) Math.floor(y / step + 0.5);
    }

    /**
     * Forward pass of w.x and the loss {@code D + lambdaRate R}. {@code noise} (k values in [-step/2, step/2]) gives
     * the training relaxation y + noise; null rounds to the bin centre, as inference does.
     */
    double loss(double[] p, Workspace w, double[] weights, double[] noise) {
        double step = config.step();
        encode(p, w);
        for (int j = 0; j < k; j++) {
            w.yQuantized[j] = noise != null ? w.y[j] + noise[j] : bin(w.y[j], step) * step;
        }
        decode(p, w);
        double d = 0;
        for (int i = 0; i < n; i++) {
            double e = w.xHat[i] - w.x[i];
            d += weights[i] * e * e;
        }
        w.distortion = d / n;
        double bits = 0;
        for (int j = 0; j < k; j++) {
            bits += prior.bits(p, j, w.yQuantized[j], step);
        }
        w.bits = bits;
        return w.distortion + config.lambdaRate() * bits / n;
    }

    /**
     * Forward and backward pass of one training block: returns its loss and adds {@code scale} times the gradient
     * of the loss to {@code g}. With NOISE relaxation {@code noise} is added to the latent; with STRAIGHT_THROUGH
     * ({@code noise} null) the latent is rounded forward and the gradient passes the rounding unchanged.
     */
    double lossWithGradient(double[] p, double[] g, Workspace w, double[] weights, double[] noise, double scale) {
        double step = config.step();
        double lambda = config.lambdaRate();
        encode(p, w);
        for (int j = 0; j < k; j++) {
            w.yQuantized[j] = noise != null ? w.y[j] + noise[j] : bin(w.y[j], step) * step;
        }
        decode(p, w);
        double d = 0;
        for (int i = 0; i < n; i++) {
            double e = w.xHat[i] - w.x[i];
            d += weights[i] * e * e;
            w.dxHat[i] = scale * 2.0 * weights[i] * e / n;
        }
        w.distortion = d / n;
        // Decoder backward: dL/dy_hat into w.dy.
        if (decoderHidden == null) {
            decoderOut.backward(p, w.yQuantized, w.dxHat, g, w.dy);
        } else {
            decoderOut.backward(p, w.decHidden, w.dxHat, g, w.dHidden);
            tanhBackward(w.decHidden, w.dHidden, h);
            decoderHidden.backward(p, w.yQuantized, w.dHidden, g, w.dy);
        }
        // Rate: its gradient reaches the prior's parameters and, through y~ = y + noise (or the straight-through
        // rounding), the encoder.
        double bits = 0;
        double rateScale = scale * lambda / n;
        for (int j = 0; j < k; j++) {
            bits += prior.bitsWithGradient(p, g, j, w.yQuantized[j], step, rateScale, w.dBitsDy);
            w.dy[j] += rateScale * w.dBitsDy[j];
        }
        w.bits = bits;
        // Encoder backward.
        if (encoderHidden == null) {
            encoderOut.backward(p, w.x, w.dy, g, null);
        } else {
            encoderOut.backward(p, w.encHidden, w.dy, g, w.dHidden);
            tanhBackward(w.encHidden, w.dHidden, h);
            encoderHidden.backward(p, w.x, w.dHidden, g, null);
        }
        return w.distortion + lambda * bits / n;
    }

    private static void tanhInPlace(double[] a, int len) {
        for (int i = 0; i < len; i++) {
            a[i] = StrictMath.tanh(a[i]);
        }
    }

    /** Turns dL/d(tanh output) into dL/d(pre-activation), given the tanh outputs. */
    private static void tanhBackward(double[] out, double[] d, int len) {
        for (int i = 0; i < len; i++) {
            d[i] *= 1 - out[i] * out[i];
        }
    }
}
