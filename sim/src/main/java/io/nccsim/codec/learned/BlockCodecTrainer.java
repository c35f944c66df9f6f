package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a learned block codec: minibatch Adam on {@code D + lambdaRate R} with the configured relaxation of
 * rounding, a learning-rate schedule, and early stopping on a held-out validation split that keeps the parameters
 * of the best validation epoch.
 *
 * <p>Reproducible: one thread, every random draw (initialisation, split, minibatch order, training noise) from
 * {@link Random}s seeded from the config's seed, and StrictMath for exp, log and tanh, so the same config and data
 * give bit-identical parameters on any JVM.
 *
 * <p>Normalisation is per tensor: the blocks are divided by the RMS of the training blocks, which the decoder
 * stores (4 bytes, counted in its parameter bytes, not in the rate). So a step and a lambda have the same meaning
 * for a tensor of any scale; per-block scales would cost their bits in every block instead.
 */
public final class BlockCodecTrainer {
    private BlockCodecTrainer() {
    }

    /** Trains on {@code blocks} with every position weighted equally and no progress lines. */
    public static TrainedBlockCodec train(BlockCodecConfig config, double[][] blocks) {
        return train(config, blocks, null, null);
    }

    /**
     * Trains on {@code blocks}.
     *
     * @param positionWeights a weight per position of the block (e.g. the mean squared input activation of each
     *                        input channel, so that the error of the layer's outputs is what is minimised), or
     *                        null for all 1; they are rescaled to mean 1 so that lambdaRate keeps its meaning
     * @param progress        receives one line per epoch, or null
     * @throws BadInputException if the blocks do not match the config or hold non-finite values, or the weights
     *                           are not positive
     */
    public static TrainedBlockCodec train(BlockCodecConfig config, double[][] blocks, double[] positionWeights,
                                          Consumer<String> progress) {
        return train(config, blocks, normalisedWeights(positionWeights, config.blockSize()), null, progress);
    }

    /**
     * Trains on {@code blocks} with a weight per position of each block: for blocks cut from many weight matrices,
     * where position j of one block meets another input channel than position j of the next
     * ({@link BlockDataset.BlockSet#weights()}, from {@link ChannelWeights}). The weights are used as given (not
     * rescaled per block: a block of busy channels should count for more than a block of quiet ones); the caller
     * keeps their mean near 1 so that lambdaRate keeps its meaning. The deployed codec's own position weights
     * ({@link TrainedBlockCodec#evaluate(double[][])}) are all 1.
     *
     * @param blockWeights per block, n non-negative weights, or null for a block weighted 1 everywhere; the array
     *                     as long as {@code blocks}
     * @throws BadInputException if a block's weights are not n finite non-negative values
     */
    public static TrainedBlockCodec trainWeighted(BlockCodecConfig config, double[][] blocks,
                                                  double[][] blockWeights, Consumer<String> progress) {
        if (blockWeights == null || blockWeights.length != blocks.length) {
            throw new BadInputException("learned codec training: " + (blockWeights == null ? 0 : blockWeights.length)
                    + " weight rows for " + blocks.length + " blocks; give one row (or null) per block");
        }
        checkBlockWeights(blockWeights, config.blockSize());
        double[] ones = new double[config.blockSize()];
        Arrays.fill(ones, 1.0);
        return train(config, blocks, ones, blockWeights, progress);
    }

    private static void checkBlockWeights(double[][] blockWeights, int n) {
        for (int b = 0; b < blockWeights.length; b++) {
            double[] w = blockWeights[b];
            if (w == null) {
                continue;
            }
            if (w.length != n) {
                throw new BadInputException("learned codec training: block " + b + " has " + w.length
                        + " position weights, the codec's block size is " + n);
            }
            for (int i = 0; i < n; i++) {
                if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                    throw new BadInputException("learned codec training: block " + b + " position weight " + i
                            + " is " + w[i] + "; weights must be finite and non-negative");
                }
            }
        }
    }

    /** {@code blockWeights}: null for {@code weights} everywhere, else one row (or null) per block. */
    private static TrainedBlockCodec train(BlockCodecConfig config, double[][] blocks, double[] weights,
                                           double[][] blockWeights, Consumer<String> progress) {
        int n = config.blockSize();
        int k = config.latentSize();
        checkBlocks(blocks, n);

        // Split: a seeded permutation, the last validationFraction of it held out.
        int[] order = permutation(blocks.length, new Random(stream(config.seed(), 1)));
        int validationCount = (int) Math.round(config.validationFraction() * blocks.length);
        if (config.validationFraction() > 0 && validationCount == 0 && blocks.length >= 2) {
            validationCount = 1;
        }
        int trainingCount = blocks.length - validationCount;
        double scale = rms(blocks, order, trainingCount);
        double[][] training = new double[trainingCount][];
        double[][] trainingWeights = new double[trainingCount][];
        for (int b = 0; b < trainingCount; b++) {
            training[b] = scaled(blocks[order[b]], scale);
            trainingWeights[b] = weightsOf(blockWeights, order[b], weights);
        }
        double[][] validation;
        double[][] validationWeights;
        if (validationCount > 0) {
            validation = new double[validationCount][];
            validationWeights = new double[validationCount][];
            for (int b = 0; b < validationCount; b++) {
                validation[b] = scaled(blocks[order[trainingCount + b]], scale);
                validationWeights[b] = weightsOf(blockWeights, order[trainingCount + b], weights);
            }
        } else {
            validation = training;
            validationWeights = trainingWeights;
        }

        BlockNetwork net = new BlockNetwork(config);
        double[] p = net.initialParameters(stream(config.seed(), 2));
        double[] g = new double[net.parameterCount];
        double[] best = p.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        int sinceBest = 0;
        int epochsRun = 0;
        Adam adam = new Adam(net.parameterCount);
        Random shuffle = new Random(stream(config.seed(), 3));
        Random noiseSource = new Random(stream(config.seed(), 4));
        BlockNetwork.Workspace w = net.workspace();
        double[] noise = config.relaxation() == BlockCodecConfig.Relaxation.NOISE ? new double[k] : null;
        int batch = Math.min(config.batchSize(), trainingCount);

        for (int epoch = 0; epoch < config.maxEpochs(); epoch++) {
            double rate = config.schedule().rate(config.learningRate(), epoch, config.maxEpochs());
            int[] batchOrder = permutation(trainingCount, shuffle);
            double trainLoss = 0;
            for (int start = 0; start < trainingCount; start += batch) {
                int end = Math.min(trainingCount, start + batch);
                Arrays.fill(g, 0.0);
                double inv = 1.0 / (end - start);
                for (int b = start; b < end; b++) {
                    System.arraycopy(training[batchOrder[b]], 0, w.x, 0, n);
                    if (noise != null) {
                        for (int j = 0; j < k; j++) {
                            noise[j] = (noiseSource.nextDouble() - 0.5) * config.step();
                        }
                    }
                    trainLoss += net.lossWithGradient(p, g, w, trainingWeights[batchOrder[b]], noise, inv);
                }
                adam.step(p, g, rate);
            }
            trainLoss /= trainingCount;
            double[] val = validationLoss(net, p, validation, validationWeights);
            epochsRun = epoch + 1;
            boolean improved = val[0] < bestLoss;
            if (improved) {
                bestLoss = val[0];
                bestEpoch = epoch;
                System.arraycopy(p, 0, best, 0, p.length);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            if (progress != null) {
                progress.accept(String.format(Locale.ROOT,
                        "%s: epoch %d/%d lr %.2e train loss %.6g, validation loss %.6g (mse %.6g, %.4f bits/value)%s",
                        config.describe(), epoch + 1, config.maxEpochs(), rate, trainLoss, val[0], val[1], val[2],
                        improved ? " *" : ""));
            }
            if (!Double.isFinite(trainLoss)) {
                throw new IllegalStateException(config.describe() + ": training diverged at epoch " + (epoch + 1)
                        + "; lower the learning rate");
            }
            if (sinceBest >= config.patienceEpochs()) {
                break;
            }
        }
        TrainingSummary summary = new TrainingSummary(epochsRun, bestEpoch, bestLoss, trainingCount,
                validation == training ? 0 : validation.length);
        return TrainedBlockCodec.deploy(net, best, scale, weights, training, summary);
    }

    /** A block's weights: its own row when there are per-block weights and it has one, else the common ones. */
    private static double[] weightsOf(double[][] blockWeights, int block, double[] common) {
        return blockWeights != null && blockWeights[block] != null ? blockWeights[block] : common;
    }

    /** Mean loss, distortion and bits per value over the blocks, latents rounded as at inference. */
    static double[] validationLoss(BlockNetwork net, double[] p, double[][] blocks, double[] weights) {
        double[][] each = new double[blocks.length][];
        Arrays.fill(each, weights);
        return validationLoss(net, p, blocks, each);
    }

    /** As above, with a weight row per block. */
    static double[] validationLoss(BlockNetwork net, double[] p, double[][] blocks, double[][] weights) {
        BlockNetwork.Workspace w = net.workspace();
        double loss = 0;
        double distortion = 0;
        double bits = 0;
        for (int b = 0; b < blocks.length; b++) {
            double[] block = blocks[b];
            System.arraycopy(block, 0, w.x, 0, net.n);
            loss += net.loss(p, w, weights[b], null);
            distortion += w.distortion;
            bits += w.bits;
        }
        int count = blocks.length;
        return new double[] {loss / count, distortion / count, bits / count / net.n};
    }

    private static double[] normalisedWeights(double[] positionWeights, int n) {
        double[] w = new double[n];
        if (positionWeights == null) {
            Arrays.fill(w, 1.0);
            return w;
        }
        if (positionWeights.length != n) {
            throw new BadInputException("learned codec training: " + positionWeights.length
                    + " position weights for blocks of " + n + " values; give one weight per position");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = positionWeights[i];
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new BadInputException("learned codec training: position weight " + i + " is " + v
                        + "; weights must be positive and finite");
            }
            sum += v;
        }
        double mean = sum / n;
        for (int i = 0; i < n; i++) {
            w[i] = positionWeights[i] / mean;
        }
        return w;
    }

    private static void checkBlocks(double[][] blocks, int n) {
        if (blocks == null || blocks.length == 0) {
            throw new BadInputException("learned codec training: no blocks to train on");
        }
        for (int b = 0; b < blocks.length; b++) {
            if (blocks[b] == null || blocks[b].length != n) {
                throw new BadInputException("learned codec training: block " + b + " has "
                        + (blocks[b] == null ? 0 : blocks[b].length) + " values, the codec's block size is " + n);
            }
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(blocks[b][i])) {
                    throw new BadInputException("learned codec training: block " + b + " value " + i + " is "
                            + blocks[b][i] + "; every value must be finite");
                }
            }
        }
    }

    private static double rms(double[][] blocks, int[] order, int count) {
        double sum = 0;
        long values = 0;
        for (int b = 0; b < count; b++) {
            for (double v : blocks[order[b]]) {
                sum += v * v;
                values++;
            }
        }
        double rms = Math.sqrt(sum / values);
        // All-zero data: any scale reconstructs it; 1 keeps the arithmetic finite.
        return rms > 0 && Double.isFinite(rms) ? rms : 1.0;
    }

    private static double[] scaled(double[] block, double scale) {
        // The scale the decoder stores is fp32, so normalise by exactly that value.
        double s = (float) scale;
        double[] out = new double[block.length];
        for (int i = 0; i < block.length; i++) {
            out[i] = block[i] / s;
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..count-1. */
    private static int[] permutation(int count, Random rng) {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Independent seeds for the separate random streams, so that changing one use does not shift the others. */
    static long stream(long seed, int which) {
        long z = seed + which * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
