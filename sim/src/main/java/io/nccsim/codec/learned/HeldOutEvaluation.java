package io.nccsim.codec.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The learned levels against quantization + Huffman on the held-out layers of a model, at matched bits per value.
 *
 * <p>Every method codes exactly the same values (every value of the held-out tensors) and is charged everything it
 * stores, so bits per value and MSE are directly comparable:
 * <ul>
 *   <li>learned: each level as a {@link LearnedTensorCoder} (latent Huffman codes, tables once, fp32 scale per
 *       tensor);</li>
 *   <li>quant + Huffman ({@link BlockQuantTensorCoder}), symmetric and asymmetric, 2..8 bits, in groups of the
 *       codec's block size (the baseline of the issue: the same blocks, each with its own fp16 scale) and of 32, 64
 *       and 128 values along rows (a group as long as a row is per-channel quantization): the best of these is
 *       the strongest quantizer this project has;</li>
 *   <li>uniform step + Huffman ({@link UniformStepTensorCoder}): entropy-coded scalar quantization with the learned
 *       codec's own side information, i.e. the learned codec without its transform.</li>
 * </ul>
 * A baseline's MSE at a learned level's bits is interpolated between its two nearest points
 * ({@link QuantHuffmanBaseline#mseAt}: linear in log MSE against bits); outside a baseline's range of bits there is
 * no comparison (NaN), never an extrapolation.
 */
public final class HeldOutEvaluation {
    /** The widths of the quantization baseline. */
    public static final List<Integer> QUANT_BITS = QuantHuffmanBaseline.DEFAULT_BITS;
    /** Group sizes besides the codec's block size. */
    public static final List<Integer> QUANT_GROUPS = List.of(32, 64, 128);
    /**
     * Steps of the uniform-step baseline, in units of each tensor's RMS: from about 9 bits per value on
     * Gaussian-like data down to the 1 bit per value that per-symbol Huffman codes cannot go below.
     */
    public static final List<Double> UNIFORM_STEPS = List.of(0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
            0.45, 0.6, 0.9, 1.2, 1.8);

    /**
     * One baseline at a learned level's bits.
     *
     * @param method the baseline's curve
     * @param mse    its MSE at those bits (interpolated), NaN outside its range
     * @param sqnrDb the matching SQNR on the same values
     * @param gainDb the learned level's SQNR minus this one: positive where the learned codec wins
     */
    public record Matched(String method, double mse, double sqnrDb, double gainDb) {
    }

    /**
     * A learned level and the baselines at its bits.
     *
     * @param learned the level as measured
     * @param matched one per baseline curve, in {@link #baselineMethods} order
     * @param best    the lowest MSE any baseline curve reaches at those bits ("best baseline")
     * @param bestTablesFree the same at the level's bits without its tables (as if the tables, which the decoder
     *                holds once for every tensor it ever decodes, were spread over far more data than the
     *                held-out layers), the gain against the level's own SQNR
     */
    public record Row(RdMeasurement learned, List<Matched> matched, Matched best, Matched bestTablesFree) {
        /** The level's bits per value without its shared tables. */
        public double bitsPerValueTablesFree() {
            return (double) (learned.bits() - learned.sharedBits()) / learned.values();
        }
    }

    /**
     * What was measured.
     *
     * @param tensors   the held-out tensors coded
     * @param learned   one measurement per level
     * @param baselines every baseline point
     * @param rows      one per level
     */
    public record Result(List<SourceTensor> tensors, List<RdMeasurement> learned, List<RdMeasurement> baselines,
                         List<Row> rows) {
        /** Values coded by every method. */
        public long values() {
            return learned.get(0).values();
        }

        /** The distinct baseline curves, in the order first measured. */
        public List<String> baselineMethods() {
            return baselines.stream().map(RdMeasurement::method).distinct().toList();
        }
    }

    private HeldOutEvaluation() {
    }

    /** Group sizes of the quantization baseline for blocks of n: n, then 32, 64, 128 where larger than n. */
    public static List<Integer> groups(int blockSize) {
        TreeSet<Integer> g = new TreeSet<>();
        g.add(blockSize);
        for (int s : QUANT_GROUPS) {
            if (s > blockSize) {
                g.add(s);
            }
        }
        return List.copyOf(g);
    }

    /** Every baseline coder for blocks of n, quantization first (group by group, symmetric then asymmetric). */
    public static List<TensorCoder> baselineCoders(int blockSize) {
        List<TensorCoder> out = new ArrayList<>();
        for (int g : groups(blockSize)) {
            for (boolean sym : new boolean[] {true, false}) {
                for (int b : QUANT_BITS) {
                    out.add(new BlockQuantTensorCoder(b, sym, g, QuantHuffmanBaseline.DEFAULT_MAX_CODE_LENGTH));
                }
            }
        }
        for (double s : UNIFORM_STEPS) {
            out.add(new UniformStepTensorCoder(s));
        }
        return out;
    }

    /** Measures the levels of {@code codecs} and every baseline on {@code heldOut}, on at most {@code threads}. */
    public static Result run(TrainedCodecs codecs, List<SourceTensor> heldOut, int threads) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out tensors");
        }
        List<RdMeasurement> learned = RdMeasurement.measureAll(learnedCoders(codecs), heldOut, threads);
        List<RdMeasurement> baselines = RdMeasurement.measureAll(baselineCoders(codecs.setup().blockSize()), heldOut,
                threads);
        return new Result(List.copyOf(heldOut), learned, baselines, compare(learned, baselines));
    }

    /**
     * A coder per level: {@link LearnedTensorCoder}, or for levels trained on residuals a
     * {@link ResidualTensorCoder} over their base quantizer.
     */
    public static List<TensorCoder> learnedCoders(TrainedCodecs codecs) {
        String residualOf = codecs.setup().residualOf();
        List<TensorCoder> out = new ArrayList<>();
        for (TrainedCodecs.Level l : codecs.levels()) {
            LearnedTensorCoder coder = new LearnedTensorCoder(l.name(), l.codec());
            out.add(residualOf.isEmpty() ? coder
                    : new ResidualTensorCoder(ResidualTensorCoder.parseBase(residualOf, "residual_of"), coder));
        }
        return out;
    }

    /** Each learned measurement against every baseline curve at its bits. */
    public static List<Row> compare(List<RdMeasurement> learned, List<RdMeasurement> baselines) {
        List<RdPoint> points = baselines.stream().map(RdMeasurement::point).toList();
        List<String> methods = baselines.stream().map(RdMeasurement::method).distinct().toList();
        List<Row> rows = new ArrayList<>();
        for (RdMeasurement l : learned) {
            List<Matched> matched = new ArrayList<>();
            for (String m : methods) {
                matched.add(matched(m, QuantHuffmanBaseline.mseAt(points, m, l.bitsPerValue()), l));
            }
            double free = (double) (l.bits() - l.sharedBits()) / l.values();
            List<Matched> matchedFree = new ArrayList<>();
            for (String m : methods) {
                matchedFree.add(matched(m, QuantHuffmanBaseline.mseAt(points, m, free), l));
            }
            rows.add(new Row(l, List.copyOf(matched), best(matched, l), best(matchedFree, l)));
        }
        return List.copyOf(rows);
    }

    /** The lowest-MSE entry with a value, or a "none" entry (NaN) when no baseline reaches those bits. */
    private static Matched best(List<Matched> matched, RdMeasurement learned) {
        Matched best = null;
        for (Matched x : matched) {
            if (!Double.isNaN(x.mse()) && (best == null || x.mse() < best.mse())) {
                best = x;
            }
        }
        return best != null ? best : matched("none", Double.NaN, learned);
    }

    private static Matched matched(String method, double mse, RdMeasurement learned) {
        double sqnr = Double.isNaN(mse) ? Double.NaN : 10 * Math.log10(learned.signalPower() / mse);
        return new Matched(method, mse, sqnr, Double.isNaN(mse) ? Double.NaN : learned.sqnrDb() - sqnr);
    }
}
