package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Blocks of n consecutive values cut from real tensors, split by layer into training, validation and held-out
 * evaluation sets: the data a learned block codec is trained and judged on, and the same held-out blocks the
 * quantization + Huffman baseline ({@link QuantHuffmanBaseline}) is measured on.
 *
 * <p>Cutting ({@link Cut}): {@link Cut#ALONG_ROWS} takes {@code floor(cols / n)} blocks from each row and drops the
 * {@code cols mod n} values left at the end of the row, so that a block never spans two output channels (nor two
 * activation vectors); a tensor whose rows are shorter than n gives no blocks. {@link Cut#FLAT} reads the tensor
 * row-major and drops only the last {@code elements mod n} values. Every block remembers where it came from.
 *
 * <p>Training blocks may be capped: when there are more than {@code maxTrainBlocks}, that many are drawn without
 * replacement with {@link Random} seeded by {@code seed} (its algorithm is fixed by the Java specification, so the
 * draw is the same on every JVM) and kept in source order. Validation and evaluation sets are never sampled.
 *
 * <p>Per-position weights: when {@link ChannelWeights} has statistics for a tensor, each block carries the weight
 * of each of its positions (the weight of the input channel it meets, see ChannelWeights); otherwise the block's
 * weights are null, meaning "all 1".
 */
public final class BlockDataset {
    /** How blocks are cut from a tensor. */
    public enum Cut { ALONG_ROWS, FLAT }

    /**
     * What to cut.
     *
     * @param blockValues    n, values per block, 2..65536
     * @param cut            along rows or flat
     * @param roles          tensors of these roles only; empty for every tensor (those without a role included)
     * @param split          which layers are held out
     * @param maxTrainBlocks at most this many training blocks, drawn with {@code seed}; 0 for no cap
     * @param seed           the seed of that draw
     */
    public record Options(int blockValues, Cut cut, Set<TensorRole> roles, LayerSplit split, int maxTrainBlocks,
                          long seed) {
        public Options {
            if (blockValues < 2 || blockValues > 1 << 16) {
                throw new BadInputException("block dataset: block_values: expected 2..65536, found " + blockValues);
            }
            if (maxTrainBlocks < 0) {
                throw new BadInputException("block dataset: max_train_blocks: expected 0 (no cap) or more, found "
                        + maxTrainBlocks);
            }
            roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
            if (cut == null || split == null) {
                throw new IllegalArgumentException("cut and split are required");
            }
        }

        /** Blocks of n along rows, every role, the last layer held out and the one before it for validation. */
        public static Options of(int blockValues) {
            return new Options(blockValues, Cut.ALONG_ROWS, Set.of(), LayerSplit.LAST_LAYER_HELD_OUT, 0, 1);
        }

        public Options withRoles(Set<TensorRole> r) {
            return new Options(blockValues, cut, r, split, maxTrainBlocks, seed);
        }

        public Options withCap(int max, long s) {
            return new Options(blockValues, cut, roles, split, max, s);
        }

        public Options withCut(Cut c) {
            return new Options(blockValues, c, roles, split, maxTrainBlocks, seed);
        }

        public Options withSplit(LayerSplit s) {
            return new Options(blockValues, cut, roles, s, maxTrainBlocks, seed);
        }

        boolean takes(SourceTensor t) {
            return roles.isEmpty() || (t.role() != null && roles.contains(t.role()));
        }
    }

    /**
     * Where a block came from.
     *
     * @param model  the model
     * @param tensor the tensor's name
     * @param role   its role id ("other" when unknown)
     * @param layer  its layer, -1 outside the layers
     * @param row    the row of the block's first value
     * @param col    the column of the block's first value (for a weight: the first input channel)
     */
    public record BlockSource(String model, String tensor, String role, int layer, int row, int col) {
        /** The source tensor's {@link SourceTensor#key()}: blocks with one key share a Huffman table. */
        public String tensorKey() {
            return model + "/" + tensor;
        }
    }

    /**
     * One part of the data.
     *
     * @param values  the blocks, each of n values (fp32 values held as double)
     * @param weights per block, the weight of each position (mean 1 over a tensor's channels), or null for a block
     *                without statistics; the array itself is never null
     * @param sources per block, where it came from
     */
    public record BlockSet(double[][] values, double[][] weights, List<BlockSource> sources) {
        public BlockSet {
            sources = List.copyOf(sources);
            if (values.length != weights.length || values.length != sources.size()) {
                throw new IllegalArgumentException(values.length + " blocks, " + weights.length + " weight rows, "
                        + sources.size() + " sources");
            }
        }

        public int size() {
            return values.length;
        }

        /** Values in all blocks. */
        public long valueCount() {
            long n = 0;
            for (double[] b : values) {
                n += b.length;
            }
            return n;
        }

        /** True if at least one block has per-position weights. */
        public boolean weighted() {
            for (double[] w : weights) {
                if (w != null) {
                    return true;
                }
            }
            return false;
        }

        /** The blocks whose source passes {@code keep}, e.g. one role's. */
        public BlockSet filter(java.util.function.Predicate<BlockSource> keep) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (keep.test(sources.get(i))) {
                    idx.add(i);
                }
            }
            double[][] v = new double[idx.size()][];
            double[][] w = new double[idx.size()][];
            List<BlockSource> s = new ArrayList<>();
            for (int k = 0; k < idx.size(); k++) {
                v[k] = values[idx.get(k)];
                w[k] = weights[idx.get(k)];
                s.add(sources.get(idx.get(k)));
            }
            return new BlockSet(v, w, s);
        }
    }

    private final Options options;
    private final Map<LayerSplit.Part, BlockSet> parts;
    private final Map<String, Integer> layersPerModel;
    private final long trainBlocksBeforeCap;
    private final long droppedValues;

    private BlockDataset(Options options, Map<LayerSplit.Part, BlockSet> parts, Map<String, Integer> layersPerModel,
                         long trainBlocksBeforeCap, long droppedValues) {
        this.options = options;
        this.parts = parts;
        this.layersPerModel = layersPerModel;
        this.trainBlocksBeforeCap = trainBlocksBeforeCap;
        this.droppedValues = droppedValues;
    }

    /** A block's place before it is cut: which tensor, where it starts (row-major index), which part. */
    private record Ref(int tensor, int start) {
    }

    /**
     * Cuts the blocks of {@code tensors} (of one or several models) as {@code options} say, with per-position weights
     * from {@code channelWeights} where it has them.
     *
     * @throws BadInputException if a model has too few layers for the split, or nothing is left to train on
     */
    public static BlockDataset build(List<SourceTensor> tensors, Options options, ChannelWeights channelWeights) {
        Map<String, Integer> layers = new LinkedHashMap<>();
        for (SourceTensor t : tensors) {
            layers.merge(t.model(), t.layer() + 1, Math::max);
        }
        int n = options.blockValues();
        Map<LayerSplit.Part, List<Ref>> refs = new EnumMap<>(LayerSplit.Part.class);
        for (LayerSplit.Part p : LayerSplit.Part.values()) {
            refs.put(p, new ArrayList<>());
        }
        long dropped = 0;
        for (int ti = 0; ti < tensors.size(); ti++) {
            SourceTensor t = tensors.get(ti);
            if (!options.takes(t)) {
                continue;
            }
            List<Ref> into = refs.get(options.split().partOf(t.layer(), layers.get(t.model()), t.model()));
            if (options.cut() == Cut.ALONG_ROWS) {
                int perRow = t.cols() / n;
                for (int r = 0; r < t.rows(); r++) {
                    for (int k = 0; k < perRow; k++) {
                        into.add(new Ref(ti, r * t.cols() + k * n));
                    }
                }
                dropped += (long) t.rows() * (t.cols() - perRow * n);
            } else {
                int blocks = t.values().length / n;
                for (int k = 0; k < blocks; k++) {
                    into.add(new Ref(ti, k * n));
                }
                dropped += t.values().length - (long) blocks * n;
            }
        }
        List<Ref> train = refs.get(LayerSplit.Part.TRAIN);
        long beforeCap = train.size();
        if (beforeCap == 0) {
            throw new BadInputException("block dataset: no training blocks (roles "
                    + (options.roles().isEmpty() ? "all" : options.roles().toString()) + ", blocks of " + n
                    + " values, layers per model " + layers + "); expected tensors of those roles in the training "
                    + "layers with rows of at least " + n + " values");
        }
        if (options.maxTrainBlocks() > 0 && train.size() > options.maxTrainBlocks()) {
            refs.put(LayerSplit.Part.TRAIN, sample(train, options.maxTrainBlocks(), options.seed()));
        }
        Map<String, double[]> weightCache = new LinkedHashMap<>();
        Map<LayerSplit.Part, BlockSet> parts = new EnumMap<>(LayerSplit.Part.class);
        for (LayerSplit.Part p : LayerSplit.Part.values()) {
            parts.put(p, cut(tensors, refs.get(p), n, channelWeights, weightCache));
        }
        return new BlockDataset(options, parts, layers, beforeCap, dropped);
    }

    /** {@code k} of {@code all} drawn without replacement (partial Fisher-Yates), in their original order. */
    private static List<Ref> sample(List<Ref> all, int k, long seed) {
        int[] idx = new int[all.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(idx.length - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(idx, k);
        Arrays.sort(chosen);
        List<Ref> out = new ArrayList<>(k);
        for (int i : chosen) {
            out.add(all.get(i));
        }
        return out;
    }

    private static BlockSet cut(List<SourceTensor> tensors, List<Ref> refs, int n, ChannelWeights channelWeights,
                                Map<String, double[]> weightCache) {
        double[][] values = new double[refs.size()][];
        double[][] weights = new double[refs.size()][];
        List<BlockSource> sources = new ArrayList<>(refs.size());
        for (int b = 0; b < refs.size(); b++) {
            Ref ref = refs.get(b);
            SourceTensor t = tensors.get(ref.tensor());
            float[] v = t.values();
            double[] block = new double[n];
            for (int j = 0; j < n; j++) {
                block[j] = v[ref.start() + j];
            }
            values[b] = block;
            double[] channel = weightCache.computeIfAbsent(t.key(), k -> {
                double[] w = channelWeights.forTensor(t);
                return w == null ? new double[0] : w;
            });
            if (channel.length > 0) {
                double[] w = new double[n];
                for (int j = 0; j < n; j++) {
                    w[j] = channel[(ref.start() + j) % t.cols()];
                }
                weights[b] = w;
            }
            sources.add(new BlockSource(t.model(), t.name(), t.roleId(), t.layer(), ref.start() / t.cols(),
                    ref.start() % t.cols()));
        }
        return new BlockSet(values, weights, sources);
    }

    public Options options() {
        return options;
    }

    public BlockSet part(LayerSplit.Part p) {
        return parts.get(p);
    }

    public BlockSet train() {
        return parts.get(LayerSplit.Part.TRAIN);
    }

    public BlockSet validation() {
        return parts.get(LayerSplit.Part.VALIDATION);
    }

    /** The held-out evaluation blocks. */
    public BlockSet evaluation() {
        return parts.get(LayerSplit.Part.EVALUATION);
    }

    /** Layers of each model (highest layer index + 1; 0 for a model whose tensors are all outside the layers). */
    public Map<String, Integer> layersPerModel() {
        return Collections.unmodifiableMap(layersPerModel);
    }

    /** Training blocks there were before the cap. */
    public long trainBlocksBeforeCap() {
        return trainBlocksBeforeCap;
    }

    /** Values of the chosen tensors left out because they did not fill a block. */
    public long droppedValues() {
        return droppedValues;
    }

    /** One line per model saying which layers went where, and the block counts. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        layersPerModel.forEach((model, l) -> sb.append(model).append(": ")
                .append(l == 0 ? "no layers (all training)" : options.split().describe(l, model)).append('\n'));
        sb.append(String.format(java.util.Locale.ROOT,
                "blocks of %d (%s): train %d (of %d before the cap), validation %d, evaluation %d; %d values dropped%n",
                options.blockValues(), options.cut().name().toLowerCase(java.util.Locale.ROOT), train().size(),
                trainBlocksBeforeCap, validation().size(), evaluation().size(), droppedValues));
        return sb.toString();
    }
}
