package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;

/**
 * Everything that defines one learned block codec and how it is trained: the architecture (variant, block size n,
 * latent size k, hidden width h), the quantizer step, the loss weights, and the training settings.
 *
 * <p>The step is in latent units per integer bin: at inference the latent value y is coded as the integer
 * {@code round(y / step)} and decoded as that integer times {@code step}. Inputs are normalised per tensor (by the
 * RMS of the training data, stored with the decoder), so a step, a distortion and {@code lambdaRate} mean the same
 * thing whatever the scale of the weights: a normalised MSE of 0.01 is an SQNR of 20 dB.
 *
 * <p>Out-of-range values are refused with a one-line {@link BadInputException} naming the field and the range.
 *
 * @param variant                 LINEAR (one matrix each way) or MLP (one hidden layer each way)
 * @param blockSize               n, values per block (a piece of a weight row or tile, or an activation vector)
 * @param latentSize              k, latent values per block, 1..n
 * @param hiddenWidth             h, hidden units of the MLP encoder and decoder; ignored (and stored as 0) for LINEAR
 * @param step                    quantizer step in latent units per integer bin
 * @param lambdaRate              weight of the rate term, per bit per value, against the normalised weighted MSE
 * @param lambdaComplexity        weight of the decoder's MACs per value (constant for one architecture; it ranks
 *                                architectures in {@link LevelFamily#selectLevel})
 * @param relaxation              how quantization is made differentiable in training
 * @param priorComponents         logistic components per latent dimension in the learned factorized prior
 * @param maxEpochs               epochs at most (early stopping may end training sooner)
 * @param batchSize               blocks per minibatch
 * @param learningRate            Adam's initial learning rate
 * @param schedule                how the learning rate falls over the epochs
 * @param patienceEpochs          epochs without a better validation loss before training stops
 * @param validationFraction      share of the blocks held out for early stopping (0: the training blocks are used)
 * @param seed                    seeds initialisation, the split, the minibatch order and the training noise
 */
public record BlockCodecConfig(Variant variant, int blockSize, int latentSize, int hiddenWidth, double step,
                               double lambdaRate, double lambdaComplexity, Relaxation relaxation,
                               int priorComponents, int maxEpochs, int batchSize, double learningRate,
                               Schedule schedule, int patienceEpochs, double validationFraction, long seed) {

    /** Encoder and decoder architecture. */
    public enum Variant { LINEAR, MLP }

    /**
     * Training's stand-in for rounding. NOISE adds U(-step/2, step/2) to the latent (Balle, Laparra and Simoncelli,
     * "End-to-end optimized image compression", ICLR 2017), so that the rate is the prior's mass over a bin-wide
     * window and both terms have gradients. STRAIGHT_THROUGH rounds in the forward pass and passes the gradient
     * through unchanged (Bengio, Leonard and Courville 2013), so the decoder trains on the values it will see.
     */
    public enum Relaxation { NOISE, STRAIGHT_THROUGH }

    /** Learning-rate schedules over the whole run of {@code maxEpochs}. */
    public enum Schedule {
        /** The initial rate throughout. */
        CONSTANT,
        /** Half a cosine from the initial rate down to 1% of it at the last epoch (Loshchilov and Hutter 2017). */
        COSINE,
        /** The initial rate, a tenth of it from half way, a hundredth from three quarters of the way. */
        STEP;

        /** The learning rate at {@code epoch} (0-based) of {@code epochs}. */
        public double rate(double initial, int epoch, int epochs) {
            double t = epochs <= 1 ? 0 : (double) epoch / (epochs - 1);
            return switch (this) {
                case CONSTANT -> initial;
                case COSINE -> initial * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * t)));
                case STEP -> initial * (t < 0.5 ? 1.0 : t < 0.75 ? 0.1 : 0.01);
            };
        }
    }

    public BlockCodecConfig {
        if (variant == null) {
            throw bad("variant", "is missing", "choose LINEAR or MLP");
        }
        if (relaxation == null) {
            throw bad("relaxation", "is missing", "choose NOISE or STRAIGHT_THROUGH");
        }
        if (schedule == null) {
            throw bad("schedule", "is missing", "choose CONSTANT, COSINE or STEP");
        }
        range("blockSize", blockSize, 2, 4096);
        range("latentSize", latentSize, 1, blockSize);
        if (variant == Variant.MLP) {
            range("hiddenWidth", hiddenWidth, 1, 4096);
        } else {
            hiddenWidth = 0;
        }
        if (!(step > 0) || !Double.isFinite(step)) {
            throw bad("step", "is " + step, "give a positive latent step, e.g. 0.1");
        }
        if (!(lambdaRate >= 0) || !Double.isFinite(lambdaRate)) {
            throw bad("lambdaRate", "is " + lambdaRate, "give a finite value >= 0");
        }
        if (!(lambdaComplexity >= 0) || !Double.isFinite(lambdaComplexity)) {
            throw bad("lambdaComplexity", "is " + lambdaComplexity, "give a finite value >= 0");
        }
        range("priorComponents", priorComponents, 1, 8);
        range("maxEpochs", maxEpochs, 1, 100_000);
        range("batchSize", batchSize, 1, 1 << 20);
        if (!(learningRate > 0) || !(learningRate <= 1)) {
            throw bad("learningRate", "is " + learningRate, "give a rate in (0, 1], e.g. 0.005");
        }
        range("patienceEpochs", patienceEpochs, 1, 100_000);
        if (!(validationFraction >= 0) || !(validationFraction <= 0.5)) {
            throw bad("validationFraction", "is " + validationFraction, "give a share from 0 to 0.5, e.g. 0.1");
        }
    }

    /**
     * A config with the usual training settings: noise relaxation, 3 prior components, at most 60 epochs of batches
     * of 64 at Adam rate 0.005 with cosine decay, patience 8 epochs, 10% held out, seed 1.
     */
    public static BlockCodecConfig of(Variant variant, int blockSize, int latentSize, int hiddenWidth, double step,
                                      double lambdaRate) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, 0.0,
                Relaxation.NOISE, 3, 60, 64, 0.005, Schedule.COSINE, 8, 0.1, 1L);
    }

    public static BlockCodecConfig linear(int blockSize, int latentSize, double step, double lambdaRate) {
        return of(Variant.LINEAR, blockSize, latentSize, 0, step, lambdaRate);
    }

    public static BlockCodecConfig mlp(int blockSize, int latentSize, int hiddenWidth, double step,
                                       double lambdaRate) {
        return of(Variant.MLP, blockSize, latentSize, hiddenWidth, step, lambdaRate);
    }

    public BlockCodecConfig withLambdaRate(double value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, value, lambdaComplexity,
                relaxation, priorComponents, maxEpochs, batchSize, learningRate, schedule, patienceEpochs,
                validationFraction, seed);
    }

    public BlockCodecConfig withLambdaComplexity(double value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, value,
                relaxation, priorComponents, maxEpochs, batchSize, learningRate, schedule, patienceEpochs,
                validationFraction, seed);
    }

    public BlockCodecConfig withRelaxation(Relaxation value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, lambdaComplexity,
                value, priorComponents, maxEpochs, batchSize, learningRate, schedule, patienceEpochs,
                validationFraction, seed);
    }

    public BlockCodecConfig withTraining(int epochs, int batch, double rate, Schedule sched, int patience) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, lambdaComplexity,
                relaxation, priorComponents, epochs, batch, rate, sched, patience, validationFraction, seed);
    }

    public BlockCodecConfig withValidationFraction(double value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, lambdaComplexity,
                relaxation, priorComponents, maxEpochs, batchSize, learningRate, schedule, patienceEpochs, value,
                seed);
    }

    public BlockCodecConfig withPriorComponents(int value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, lambdaComplexity,
                relaxation, value, maxEpochs, batchSize, learningRate, schedule, patienceEpochs, validationFraction,
                seed);
    }

    public BlockCodecConfig withSeed(long value) {
        return new BlockCodecConfig(variant, blockSize, latentSize, hiddenWidth, step, lambdaRate, lambdaComplexity,
                relaxation, priorComponents, maxEpochs, batchSize, learningRate, schedule, patienceEpochs,
                validationFraction, value);
    }

    /** Decoder multiply-accumulates per decoded value: LINEAR k; MLP (k h + h n) / n. */
    public double decoderMacsPerValue() {
        return variant == Variant.LINEAR ? latentSize
                : (double) (latentSize * hiddenWidth + hiddenWidth * blockSize) / blockSize;
    }

    /** Encoder multiply-accumulates per encoded value: LINEAR k; MLP (n h + h k) / n. */
    public double encoderMacsPerValue() {
        return variant == Variant.LINEAR ? latentSize
                : (double) (blockSize * hiddenWidth + hiddenWidth * latentSize) / blockSize;
    }

    /** Short human-readable name of the architecture, e.g. {@code linear n16 k8 step0.05}. */
    public String describe() {
        return variant.name().toLowerCase(java.util.Locale.ROOT) + " n" + blockSize + " k" + latentSize
                + (variant == Variant.MLP ? " h" + hiddenWidth : "") + " step" + step + " lambda" + lambdaRate;
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw bad(field, "is " + value, "give an integer from " + min + " to " + max);
        }
    }

    private static BadInputException bad(String field, String what, String fix) {
        return new BadInputException("learned codec config: " + field + " " + what + "; " + fix);
    }
}
