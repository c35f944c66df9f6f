package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A family of learned-codec levels from near-lossless to aggressive, trained and measured into a
 * {@link CodecProfile}.
 *
 * <p>A level is a list of candidate architectures sharing one lambdaRate and lambdaComplexity; each candidate is
 * trained, measured on the evaluation blocks, and the one with the lowest total loss (distortion + lambdaRate x
 * real Huffman bits with tables + lambdaComplexity x decoder MACs per value) becomes the level. That is where the
 * complexity term matters: for one architecture it is a constant, between architectures it is the price of a
 * bigger decoder.
 */
public final class LevelFamily {
    /**
     * ASSUMPTION: 1e-4 of normalised MSE per decoder MAC per value. At the medium level (MSE about 0.01) halving k
     * from 16 to 8 is then worth 8% more distortion, which keeps small decoders in play without overriding the
     * rate-distortion trade.
     */
    public static final double DEFAULT_LAMBDA_COMPLEXITY = 1e-4;

    private LevelFamily() {
    }

    /**
     * One level to train.
     *
     * @param name       e.g. {@code medium}
     * @param candidates architectures to choose from; all with the same lambdaRate and lambdaComplexity
     */
    public record LevelSpec(String name, List<BlockCodecConfig> candidates) {
        public LevelSpec {
            Objects.requireNonNull(name, "name");
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty()) {
                throw new BadInputException("learned codec level " + name + ": no candidate architecture");
            }
            sameLambdas(name, candidates);
        }
    }

    /** A level as trained: the chosen codec, its measurement and total loss. */
    public record TrainedLevel(String name, TrainedBlockCodec codec, CodecEvaluation evaluation, double totalLoss) {
    }

    /** The outcome of {@link #train}: the profile and the codecs behind it. */
    public record Result(CodecProfile profile, List<TrainedLevel> levels) {
    }

    /** The candidate with the lowest total loss, with every candidate's measurement and loss. */
    public record Selection(int index, List<CodecEvaluation> evaluations, List<Double> totalLosses) {
        public double totalLoss() {
            return totalLosses.get(index);
        }

        public CodecEvaluation evaluation() {
            return evaluations.get(index);
        }
    }

    /**
     * Four levels for blocks of n values. The steps follow the high-rate rule for entropy-coded uniform
     * quantization (D = step^2 / 12, and at the optimum lambda = -dD/dR = 2 ln 2 D, so lambda = 0.1155 step^2):
     * a step matched to its lambda keeps the encoder's gain near 1, where it starts. Normalised MSEs of about
     * 7.5e-5, 8e-4, 7.5e-3 and 0.04, i.e. about 41, 31, 21 and 14 dB on data the encoder cannot compress further.
     * Medium and aggressive let a smaller latent or an MLP compete with the full latent: on data without
     * redundancy between positions (weights are close to that) dropping latents costs more than it saves, but
     * Huffman spends at least one bit per latent, which makes small latents attractive at low rates.
     */
    public static List<LevelSpec> defaultLevels(int blockSize, long seed) {
        int n = blockSize;
        int half = Math.max(1, n / 2);
        int quarter = Math.max(1, n / 4);
        List<LevelSpec> levels = new ArrayList<>();
        levels.add(new LevelSpec("near-lossless", List.of(linear(n, n, 0.03, seed))));
        levels.add(new LevelSpec("high", List.of(linear(n, n, 0.1, seed))));
        levels.add(new LevelSpec("medium", List.of(linear(n, n, 0.3, seed), linear(n, half, 0.3, seed),
                mlp(n, half, n, 0.3, seed))));
        levels.add(new LevelSpec("aggressive", List.of(linear(n, n, 0.6, seed), linear(n, half, 0.6, seed),
                linear(n, quarter, 0.6, seed), mlp(n, quarter, half, 0.6, seed))));
        return levels;
    }

    private static double matchedLambda(double step) {
        return 2 * Math.log(2) * step * step / 12;
    }

    private static BlockCodecConfig linear(int n, int k, double step, long seed) {
        return BlockCodecConfig.linear(n, k, step, matchedLambda(step))
                .withLambdaComplexity(DEFAULT_LAMBDA_COMPLEXITY).withSeed(seed);
    }

    private static BlockCodecConfig mlp(int n, int k, int h, double step, long seed) {
        return BlockCodecConfig.mlp(n, k, h, step, matchedLambda(step))
                .withLambdaComplexity(DEFAULT_LAMBDA_COMPLEXITY).withSeed(seed);
    }

    /**
     * Trains every level on {@code trainingBlocks}, measures it on {@code evaluationBlocks}, and returns the profile.
     *
     * @param positionWeights a weight per block position (e.g. mean squared input activations), or null for all 1
     * @param provenance      what the blocks are (model, tensors, how blocks were cut), stored in the profile
     * @param progress        receives progress lines, or null
     */
    public static Result train(List<LevelSpec> levels, double[][] trainingBlocks, double[][] evaluationBlocks,
                               double[] positionWeights, String provenance, Consumer<String> progress) {
        return train(levels, (config, prefix, out) -> BlockCodecTrainer.train(config, trainingBlocks,
                positionWeights, line -> out.accept(prefix + line)),
                codecs -> selectLevel(codecs, evaluationBlocks), provenance, progress);
    }

    /**
     * As {@link #train(List, double[][], double[][], double[], String, Consumer)}, with a weight row per block
     * (or null rows for weight 1) for training ({@link BlockCodecTrainer#trainWeighted}) and for the selection's
     * weighted distortion: blocks cut from many matrices, weighted by their input channels' activations.
     */
    public static Result trainWeighted(List<LevelSpec> levels, double[][] trainingBlocks, double[][] trainingWeights,
                                       double[][] evaluationBlocks, double[][] evaluationWeights, String provenance,
                                       Consumer<String> progress) {
        return train(levels, (config, prefix, out) -> BlockCodecTrainer.trainWeighted(config, trainingBlocks,
                trainingWeights, line -> out.accept(prefix + line)),
                codecs -> selectLevel(codecs, evaluationBlocks, evaluationWeights), provenance, progress);
    }

    /** How one candidate is trained: its config, the prefix of its progress lines, where they go. */
    private interface CandidateTrainer {
        TrainedBlockCodec train(BlockCodecConfig config, String prefix, Consumer<String> out);
    }

    private static Result train(List<LevelSpec> levels, CandidateTrainer trainer,
                                java.util.function.Function<List<TrainedBlockCodec>, Selection> select,
                                String provenance, Consumer<String> progress) {
        Consumer<String> out = progress != null ? progress : line -> { };
        List<TrainedLevel> trained = new ArrayList<>();
        List<CodecProfile.Level> profileLevels = new ArrayList<>();
        for (LevelSpec spec : levels) {
            List<TrainedBlockCodec> codecs = new ArrayList<>();
            for (int c = 0; c < spec.candidates().size(); c++) {
                BlockCodecConfig config = spec.candidates().get(c);
                String prefix = "level " + spec.name() + " candidate " + (c + 1) + "/" + spec.candidates().size()
                        + " ";
                codecs.add(trainer.train(config, prefix, out));
            }
            Selection s = select.apply(codecs);
            TrainedBlockCodec chosen = codecs.get(s.index());
            CodecEvaluation e = s.evaluation();
            out.accept(String.format(Locale.ROOT,
                    "level %s: %s, %.4f bits/value (ideal %.4f, tables %.4f), mse %.4g, SQNR %.2f dB,"
                            + " %.1f decoder MACs/value, total loss %.6g",
                    spec.name(), chosen.config().describe(), e.bitsPerValueWithTables(), e.bitsPerValueIdeal(),
                    e.tableBitsPerValue(), e.mse(), e.sqnrDb(), chosen.decoderMacsPerValue(), s.totalLoss()));
            trained.add(new TrainedLevel(spec.name(), chosen, e, s.totalLoss()));
            profileLevels.add(CodecProfile.Level.of(spec.name(), chosen, e));
        }
        return new Result(new CodecProfile(provenance, profileLevels), List.copyOf(trained));
    }

    /**
     * Measures each trained candidate on {@code evaluationBlocks} and picks the lowest total loss
     * ({@link TrainedBlockCodec#totalLoss}); on a tie the earlier candidate wins. The candidates must share
     * lambdaRate and lambdaComplexity, or their losses would not be comparable.
     */
    public static Selection selectLevel(List<TrainedBlockCodec> candidates, double[][] evaluationBlocks) {
        return selectLevel(candidates, evaluationBlocks, null);
    }

    /** As above, the distortion weighted with a weight row per evaluation block (null: the codecs' own). */
    public static Selection selectLevel(List<TrainedBlockCodec> candidates, double[][] evaluationBlocks,
                                        double[][] evaluationWeights) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates to select from");
        }
        List<BlockCodecConfig> configs = new ArrayList<>();
        for (TrainedBlockCodec c : candidates) {
            configs.add(c.config());
        }
        sameLambdas("selection", configs);
        List<CodecEvaluation> evaluations = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        int best = 0;
        for (int i = 0; i < candidates.size(); i++) {
            CodecEvaluation e = candidates.get(i).evaluate(evaluationBlocks, evaluationWeights);
            double loss = candidates.get(i).totalLoss(e);
            evaluations.add(e);
            losses.add(loss);
            if (loss < losses.get(best)) {
                best = i;
            }
        }
        return new Selection(best, List.copyOf(evaluations), List.copyOf(losses));
    }

    private static void sameLambdas(String what, List<BlockCodecConfig> configs) {
        BlockCodecConfig first = configs.get(0);
        for (BlockCodecConfig c : configs) {
            if (c.lambdaRate() != first.lambdaRate() || c.lambdaComplexity() != first.lambdaComplexity()) {
                throw new BadInputException("learned codec level " + what + ": candidates have different lambdas ("
                        + c.describe() + " vs " + first.describe() + "); give every candidate of a level the same"
                        + " lambdaRate and lambdaComplexity");
            }
        }
    }
}
