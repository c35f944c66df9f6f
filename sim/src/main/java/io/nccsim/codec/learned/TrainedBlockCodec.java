package io.nccsim.codec.learned;

import io.nccsim.codec.Float16Bits;

import java.util.Arrays;

/**
 * A trained learned block codec, as deployed: the encoder, the decoder with its parameters rounded to fp16 (what
 * the NCC stores and what every decode here computes with), the per-tensor input scale, the learned prior and the
 * Huffman tables built from it.
 *
 * <p>encode: divide by the scale, run the encoder, round each latent to its bin ({@code round(y / step)}).
 * decode: bins times step, run the decoder, multiply by the scale. The codec is immutable and thread-safe.
 */
public final class TrainedBlockCodec {
    private static final double LN2 = 0.6931471805599453;
    /** Decoder parameters are stored in fp16. */
    static final int BYTES_PER_PARAMETER = 2;
    /** The per-tensor input scale is stored in fp32. */
    static final int SCALE_BYTES = 4;

    private final BlockCodecConfig config;
    private final BlockNetwork network;
    private final double[] parameters;
    private final double inputScale;
    private final double[] positionWeights;
    private final LatentHuffmanTables tables;
    private final TrainingSummary training;

    private TrainedBlockCodec(BlockNetwork network, double[] parameters, double inputScale, double[] positionWeights,
                              LatentHuffmanTables tables, TrainingSummary training) {
        this.config = network.config;
        this.network = network;
        this.parameters = parameters;
        this.inputScale = inputScale;
        this.positionWeights = positionWeights;
        this.tables = tables;
        this.training = training;
    }

    /**
     * The deployed codec from trained parameters: rounds the decoder to fp16 and the scale to fp32, then builds
     * the Huffman tables over the bins that the training blocks' latents occupy.
     *
     * @param normalisedTraining the training blocks already divided by {@code inputScale}
     */
    static TrainedBlockCodec deploy(BlockNetwork network, double[] trained, double inputScale,
                                    double[] positionWeights, double[][] normalisedTraining,
                                    TrainingSummary training) {
        double[] p = trained.clone();
        for (int i = network.decoderStart; i < network.decoderEnd; i++) {
            p[i] = Float16Bits.roundToFp16((float) p[i]);
        }
        double scale = (float) inputScale;
        int k = network.k;
        long[] min = new long[k];
        long[] max = new long[k];
        Arrays.fill(min, Long.MAX_VALUE);
        Arrays.fill(max, Long.MIN_VALUE);
        BlockNetwork.Workspace w = network.workspace();
        double step = network.config.step();
        for (double[] block : normalisedTraining) {
            System.arraycopy(block, 0, w.x, 0, network.n);
            network.encode(p, w);
            for (int j = 0; j < k; j++) {
                long q = BlockNetwork.bin(w.y[j], step);
                min[j] = Math.min(min[j], q);
                max[j] = Math.max(max[j], q);
            }
        }
        for (int j = 0; j < k; j++) {
            if (min[j] > max[j]) {
                min[j] = 0;
                max[j] = 0;
            }
        }
        LatentHuffmanTables tables = LatentHuffmanTables.build(network.prior, p, step, min, max);
        return new TrainedBlockCodec(network, p, scale, positionWeights.clone(), tables, training);
    }

    /**
     * A deployed codec from its stored parts, as {@link TrainedCodecs} reads them back: the parameters exactly as
     * deployed (decoder already rounded to fp16), the fp32 input scale, the position weights, and each latent
     * dimension's table range (first bin and bin count). The Huffman tables are rebuilt from the prior over those
     * ranges: the same pmf over the same bins gives the same code lengths as at deployment.
     *
     * @throws IllegalArgumentException if a part does not fit the config's network
     */
    static TrainedBlockCodec restore(BlockCodecConfig config, double[] parameters, double inputScale,
                                     double[] positionWeights, int[] tableLow, int[] tableBins,
                                     TrainingSummary training) {
        BlockNetwork network = new BlockNetwork(config);
        if (parameters.length != network.parameterCount) {
            throw new IllegalArgumentException(parameters.length + " parameters, the network of "
                    + config.describe() + " has " + network.parameterCount);
        }
        if (positionWeights.length != network.n) {
            throw new IllegalArgumentException(positionWeights.length + " position weights for blocks of "
                    + network.n);
        }
        if (tableLow.length != network.k || tableBins.length != network.k) {
            throw new IllegalArgumentException("table ranges for " + tableLow.length + " and " + tableBins.length
                    + " dimensions, the latent has " + network.k);
        }
        if (!(inputScale > 0) || !Double.isFinite(inputScale)) {
            throw new IllegalArgumentException("input scale " + inputScale + "; expected a positive number");
        }
        long[] min = new long[network.k];
        long[] max = new long[network.k];
        for (int j = 0; j < network.k; j++) {
            if (tableBins[j] < 1 || tableBins[j] > LatentHuffmanTables.MAX_BINS
                    || tableLow[j] < LatentHuffmanTables.MIN_BIN
                    || (long) tableLow[j] + tableBins[j] - 1 > LatentHuffmanTables.MAX_BIN) {
                throw new IllegalArgumentException("table range of dimension " + j + ": first bin " + tableLow[j]
                        + ", " + tableBins[j] + " bins; expected 1.." + LatentHuffmanTables.MAX_BINS
                        + " bins within 16-bit bins");
            }
            min[j] = tableLow[j];
            max[j] = (long) tableLow[j] + tableBins[j] - 1;
        }
        double[] p = parameters.clone();
        LatentHuffmanTables tables = LatentHuffmanTables.build(network.prior, p, config.step(), min, max);
        return new TrainedBlockCodec(network, p, (float) inputScale, positionWeights.clone(), tables, training);
    }

    /** The first bin of latent dimension {@code j}'s Huffman table (bins outside the range are escaped). */
    int tableLow(int j) {
        return tables.low(j);
    }

    /** Bins latent dimension {@code j}'s Huffman table codes directly. */
    int tableBins(int j) {
        return tables.bins(j);
    }

    /** The position weights the codec was trained with (mean 1). */
    double[] positionWeights() {
        return positionWeights.clone();
    }

    /** True if bin {@code q} of latent dimension {@code j} is outside its table and costs an escape. */
    boolean isEscape(int j, int q) {
        return tables.isEscape(j, q);
    }

    public BlockCodecConfig config() {
        return config;
    }

    public TrainingSummary training() {
        return training;
    }

    /** The per-tensor normalisation: blocks are divided by it before encoding (the training data's RMS). */
    public double inputScale() {
        return inputScale;
    }

    /** The integer latent (k bins) of one block of n values. */
    public int[] encode(double[] block) {
        BlockNetwork.Workspace w = network.workspace();
        return encode(block, w);
    }

    private int[] encode(double[] block, BlockNetwork.Workspace w) {
        if (block.length != network.n) {
            throw new IllegalArgumentException("block has " + block.length + " values, the codec takes "
                    + network.n);
        }
        for (int i = 0; i < network.n; i++) {
            if (!Double.isFinite(block[i])) {
                throw new IllegalArgumentException("block value " + i + " is " + block[i]);
            }
            w.x[i] = block[i] / inputScale;
        }
        network.encode(parameters, w);
        int[] latent = new int[network.k];
        for (int j = 0; j < network.k; j++) {
            long q = BlockNetwork.bin(w.y[j], config.step());
            latent[j] = (int) Math.max(LatentHuffmanTables.MIN_BIN, Math.min(LatentHuffmanTables.MAX_BIN, q));
        }
        return latent;
    }

    /** The n reconstructed values of a latent. */
    public double[] decode(int[] latent) {
        return decode(latent, network.workspace());
    }

    private double[] decode(int[] latent, BlockNetwork.Workspace w) {
        if (latent.length != network.k) {
            throw new IllegalArgumentException("latent has " + latent.length + " values, the codec has "
                    + network.k);
        }
        for (int j = 0; j < network.k; j++) {
            w.yQuantized[j] = latent[j] * config.step();
        }
        network.decode(parameters, w);
        double[] out = new double[network.n];
        for (int i = 0; i < network.n; i++) {
            out[i] = w.xHat[i] * inputScale;
        }
        return out;
    }

    /** Ideal bits of a latent under the learned prior: sum over dimensions of -log2 P(bin). */
    public double bitsIdeal(int[] latent) {
        double bits = 0;
        for (int j = 0; j < latent.length; j++) {
            double prob = network.prior.binProbability(parameters, j, latent[j] * config.step(), config.step());
            // No training floor here: this is the true code length an ideal coder would spend.
            bits += -StrictMath.log(Math.max(prob, Double.MIN_NORMAL)) / LN2;
        }
        return bits;
    }

    /** Actual bits of the latent under the per-dimension Huffman codes, escapes included. */
    public long bitsHuffman(int[] latent) {
        return tables.bits(latent);
    }

    /** Bytes of the k Huffman tables (code lengths and ranges): the decoder's overhead beside its parameters. */
    public long tableBytes() {
        return tables.tableBytes();
    }

    public double decoderMacsPerValue() {
        return config.decoderMacsPerValue();
    }

    public double encoderMacsPerValue() {
        return config.encoderMacsPerValue();
    }

    /** Decoder weights and biases in fp16 plus the fp32 input scale. */
    public long decoderParameterBytes() {
        return (long) network.decoderParameterCount() * BYTES_PER_PARAMETER + SCALE_BYTES;
    }

    /** A copy of all parameters (encoder, fp16-rounded decoder, prior), for reproducibility checks. */
    public double[] parameters() {
        return parameters.clone();
    }

    LatentHuffmanTables tables() {
        return tables;
    }

    /** Encodes, codes and decodes every block and measures rate and distortion. */
    public CodecEvaluation evaluate(double[][] blocks) {
        return evaluate(blocks, null);
    }

    /**
     * As {@link #evaluate(double[][])}, the weighted distortion with a weight row per block (null rows, or a null
     * array, use the codec's own position weights): for blocks cut from many matrices, whose positions meet other
     * input channels block by block.
     */
    public CodecEvaluation evaluate(double[][] blocks, double[][] blockWeights) {
        if (blockWeights != null && blockWeights.length != blocks.length) {
            throw new IllegalArgumentException(blockWeights.length + " weight rows for " + blocks.length + " blocks");
        }
        BlockNetwork.Workspace w = network.workspace();
        int n = network.n;
        double ideal = 0;
        long huffman = 0;
        long escapes = 0;
        double sqErr = 0;
        double signal = 0;
        double weighted = 0;
        for (int b = 0; b < blocks.length; b++) {
            double[] block = blocks[b];
            double[] pw = blockWeights != null && blockWeights[b] != null ? blockWeights[b] : positionWeights;
            int[] latent = encode(block, w);
            double[] xHat = decode(latent, w);
            ideal += bitsIdeal(latent);
            huffman += tables.bits(latent);
            for (int j = 0; j < latent.length; j++) {
                if (tables.isEscape(j, latent[j])) {
                    escapes++;
                }
            }
            for (int i = 0; i < n; i++) {
                double e = xHat[i] - block[i];
                sqErr += e * e;
                signal += block[i] * block[i];
                weighted += pw[i] * e * e;
            }
        }
        long values = (long) blocks.length * n;
        if (values == 0) {
            throw new IllegalArgumentException("no blocks to evaluate");
        }
        double mse = sqErr / values;
        double power = signal / values;
        double sqnr = 10 * Math.log10(power / Math.max(mse, 1e-300));
        return new CodecEvaluation(blocks.length, values, ideal / values, (double) huffman / values,
                8.0 * tables.tableBytes() / values, mse, power, sqnr,
                weighted / values / (inputScale * inputScale), escapes);
    }

    /**
     * The full loss on measured data, as levels are compared: normalised weighted MSE + lambdaRate x (Huffman bits
     * per value with tables) + lambdaComplexity x decoder MACs per value.
     */
    public double totalLoss(CodecEvaluation e) {
        return e.weightedNormalisedMse() + config.lambdaRate() * e.bitsPerValueWithTables()
                + config.lambdaComplexity() * decoderMacsPerValue();
    }
}
