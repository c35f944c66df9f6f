package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Trains a family of learned levels on real tensors, as {@code nccsim codec train} does: every tensor normalised by
 * its own RMS ({@link TensorScaling}), blocks of n cut along rows and split by layer ({@link BlockDataset}: the
 * training layers train, at most {@code maxTrainBlocks} of their blocks drawn with the seed; the validation layers
 * choose each level's architecture and measure the profile; the evaluation layers are not touched), then
 * {@link LevelFamily}.
 */
public final class CodecTraining {
    /**
     * How to train.
     *
     * @param blockSize         n
     * @param dataClass         weights, activations or KV cache
     * @param roles             roles taken (empty: all of the class)
     * @param split             the layer split
     * @param maxTrainBlocks    cap on training blocks, 0 for none
     * @param seed              seeds the draw under the cap and every level's training
     * @param activationWeights weigh each position by its input channel's mean squared activation (weights only)
     * @param maxEpochs         epochs at most per candidate; 0 keeps the levels' own limit
     * @param residualOf        null, or the base quantizer whose residuals the levels are trained to code
     * @param levels            the level family: {@link #DEFAULT} or {@link #EXTENDED}
     */
    public record Options(int blockSize, DataClass dataClass, List<TensorRole> roles, LayerSplit split,
                          int maxTrainBlocks, long seed, boolean activationWeights, int maxEpochs,
                          BlockQuantTensorCoder residualOf, String levels) {
        public Options {
            roles = List.copyOf(roles);
            if (!levels.equals(DEFAULT) && !levels.equals(EXTENDED)) {
                throw new BadInputException("--levels " + levels + ": expected " + DEFAULT + " or " + EXTENDED);
            }
            if (maxEpochs < 0) {
                throw new IllegalArgumentException("maxEpochs " + maxEpochs);
            }
        }
    }

    /** {@link LevelFamily#defaultLevels}: near-lossless, high, medium, aggressive. */
    public static final String DEFAULT = "default";
    /**
     * The default levels and a fifth, "extreme" (step 1.2, latents of n/2, n/4 or n/8): below 2 bits per value,
     * where a per-symbol Huffman code cannot follow a scalar quantizer (at least 1 bit per coded symbol) but a
     * learned codec with fewer latents than values can.
     */
    public static final String EXTENDED = "extended";

    /** What training made. */
    public record Result(CodecProfile profile, TrainedCodecs codecs, BlockDataset dataset) {
    }

    private CodecTraining() {
    }

    /**
     * Trains on {@code models} (each loaded by {@link CodecSources#load} with this class and roles).
     *
     * @param paths    each model's path as the user gave it, for the provenance
     * @param progress receives progress lines
     * @throws BadInputException if two models have the same name, or the split leaves no training or validation
     *                           blocks
     */
    public static Result train(List<String> paths, List<CodecSources.Loaded> models, Options o,
                               Consumer<String> progress) {
        List<SourceTensor> tensors = new ArrayList<>();
        Map<String, double[]> meanSquares = new LinkedHashMap<>();
        List<CodecSetup.ModelRef> refs = new ArrayList<>();
        Set<String> labels = new java.util.HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            CodecSources.Loaded m = models.get(i);
            if (!labels.add(m.label())) {
                throw new BadInputException("--model " + paths.get(i) + ": a second model named " + m.label()
                        + "; give each model once (models are told apart by file name)");
            }
            for (SourceTensor t : m.tensors()) {
                SourceTensor data = o.residualOf() == null ? t : ResidualTensorCoder.residualOf(o.residualOf(), t);
                tensors.add(TensorScaling.normalised(data));
            }
            ChannelWeights cw = m.channelWeights();
            for (String key : cw.tensors()) {
                meanSquares.put(key, cw.meanSquares(key));
            }
            refs.add(new CodecSetup.ModelRef(paths.get(i), m.file().sha256(), m.label(), m.layers()));
        }
        BlockDataset.Options options = new BlockDataset.Options(o.blockSize(), BlockDataset.Cut.ALONG_ROWS, Set.of(),
                o.split(), o.maxTrainBlocks(), o.seed());
        BlockDataset data = BlockDataset.build(tensors, options, new ChannelWeights(meanSquares));
        progress.accept(data.describe().strip());
        BlockDataset.BlockSet train = data.train();
        BlockDataset.BlockSet validation = data.validation();
        if (validation.size() == 0) {
            throw new BadInputException("the validation layers (" + o.split().validationLayers() + " before the "
                    + o.split().evaluationLayers() + " held out) hold no block of " + o.blockSize()
                    + " values of the chosen roles; expected rows of at least " + o.blockSize() + " values there");
        }
        List<LevelFamily.LevelSpec> levels = levels(o);
        CodecSetup setup = new CodecSetup(refs, o.dataClass(), o.roles(), o.blockSize(), o.split(),
                o.maxTrainBlocks(), data.trainBlocksBeforeCap(), train.size(), validation.size(), o.seed(),
                o.activationWeights(), o.levels(), CodecSetup.PER_TENSOR_RMS,
                o.residualOf() == null ? "" : ResidualTensorCoder.spec(o.residualOf()));
        LevelFamily.Result result = o.activationWeights()
                ? LevelFamily.trainWeighted(levels, train.values(), train.weights(), validation.values(),
                        validation.weights(), setup.describe(), progress)
                : LevelFamily.train(levels, train.values(), validation.values(), null, setup.describe(), progress);
        return new Result(result.profile(), TrainedCodecs.of(setup, result), data);
    }

    /** The default levels, with the epoch limit lowered when asked. */
    static List<LevelFamily.LevelSpec> levels(Options o) {
        List<LevelFamily.LevelSpec> family = new ArrayList<>(LevelFamily.defaultLevels(o.blockSize(), o.seed()));
        if (o.levels().equals(EXTENDED)) {
            int n = o.blockSize();
            double step = 1.2;
            List<BlockCodecConfig> c = new ArrayList<>();
            for (int k : new int[] {Math.max(1, n / 2), Math.max(1, n / 4), Math.max(1, n / 8)}) {
                // lambda = 2 ln 2 step^2 / 12, the high-rate rule the default levels follow.
                BlockCodecConfig k1 = BlockCodecConfig.linear(n, k, step, 2 * Math.log(2) * step * step / 12)
                        .withLambdaComplexity(LevelFamily.DEFAULT_LAMBDA_COMPLEXITY).withSeed(o.seed());
                if (!c.contains(k1)) {
                    c.add(k1);
                }
            }
            family.add(new LevelFamily.LevelSpec("extreme", c));
        }
        List<LevelFamily.LevelSpec> out = new ArrayList<>();
        for (LevelFamily.LevelSpec l : family) {
            if (o.maxEpochs() == 0) {
                out.add(l);
                continue;
            }
            List<BlockCodecConfig> c = new ArrayList<>();
            for (BlockCodecConfig k : l.candidates()) {
                int epochs = Math.min(k.maxEpochs(), o.maxEpochs());
                c.add(k.withTraining(epochs, k.batchSize(), k.learningRate(), k.schedule(),
                        Math.min(k.patienceEpochs(), epochs)));
            }
            out.add(new LevelFamily.LevelSpec(l.name(), c));
        }
        return out;
    }
}
