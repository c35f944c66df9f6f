package io.nccsim.codec.learned;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;
import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The baseline a learned block codec has to beat: uniform quantization of each block with its own fp16 scale,
 * then Huffman coding of the symbols, measured on the same blocks at matched bits per value.
 *
 * <p>For each bit width and for symmetric and asymmetric quantization ({@link UniformBlockQuantizer}):
 * <ul>
 *   <li>Huffman: one length-limited code ({@link HuffmanCode}, the decoder's limit {@code maxCodeLength}) per
 *       source tensor, built from that tensor's symbols in the set; the code words are counted exactly
 *       ({@code sum count x length}) and each table's bytes ({@link HuffmanCode#tableBytes()}) are charged once.
 *       For weights this is what offline compression does. For activations and the KV cache it is generous to the
 *       baseline: hardware would have to use tables calibrated on other data (WritePathStudy measures that cost).</li>
 *   <li>fixed width: the same symbols stored at b bits, for reference.</li>
 *   <li>side information, in both: a 16-bit fp16 scale per block and, when asymmetric, a zero point of
 *       {@link #ZERO_POINT_BITS} bits per block.</li>
 * </ul>
 * Distortion is the MSE of the reconstruction against the original floats, and the SQNR; with weights on, each
 * squared error (and each squared value, for the SQNR) is multiplied by its position's weight and the MSE is the
 * weighted mean ({@code sum w e^2 / sum w}); blocks without weights weigh 1.
 */
public final class QuantHuffmanBaseline {
    /** The bit widths of the curve. */
    public static final List<Integer> DEFAULT_BITS = List.of(2, 3, 4, 5, 6, 8);
    /** The default code-length limit: the compress command's default ({@code --huffman-max-len 12}). */
    public static final int DEFAULT_MAX_CODE_LENGTH = 12;
    /** An fp16 scale per block. */
    public static final int SCALE_BITS = 16;
    /**
     * ASSUMPTION: an asymmetric block's zero point takes 16 bits, as {@link io.nccsim.codec.WeightQuant#metadataBytes}
     * counts it (and as GGML's Q4_1 stores an fp16 minimum). A zero point needs only b bits; storing it so would
     * save {@code (16 - b) / n} bits per value, 0.19 at b = 4 and n = 64.
     */
    public static final int ZERO_POINT_BITS = 16;

    public static final String SYM_HUFFMAN = "quant sym + Huffman";
    public static final String ASYM_HUFFMAN = "quant asym + Huffman";
    public static final String SYM_FIXED = "quant sym, fixed width";
    public static final String ASYM_FIXED = "quant asym, fixed width";

    /**
     * What to measure.
     *
     * @param bits          bit widths, each 2..8
     * @param maxCodeLength the Huffman code-length limit, at least the widest bit width, at most 30
     * @param weighted      weigh errors by the blocks' per-position weights
     */
    public record Settings(List<Integer> bits, int maxCodeLength, boolean weighted) {
        public Settings {
            bits = List.copyOf(bits);
            if (bits.isEmpty()) {
                throw new BadInputException("quantization baseline: bits: expected at least one width");
            }
            int widest = 0;
            for (int b : bits) {
                if (b < 2 || b > 8) {
                    throw new BadInputException("quantization baseline: bits: expected widths of 2..8, found " + b);
                }
                widest = Math.max(widest, b);
            }
            if (maxCodeLength < widest || maxCodeLength > 30) {
                throw new BadInputException("quantization baseline: max_code_length: expected " + widest
                        + "..30 (the widest symbols need " + widest + "-bit codes), found " + maxCodeLength);
            }
        }

        /** {2,3,4,5,6,8} bits, 12-bit codes, unweighted. */
        public static Settings defaults() {
            return new Settings(DEFAULT_BITS, DEFAULT_MAX_CODE_LENGTH, false);
        }

        public Settings withWeights(boolean w) {
            return new Settings(bits, maxCodeLength, w);
        }
    }

    /**
     * One bit width and symmetry on one block set. Bit counts are totals over the set.
     *
     * @param symmetric   symmetric or asymmetric
     * @param bits        bits per symbol
     * @param values      values coded
     * @param blocks      blocks (each with its own scale)
     * @param tables      Huffman tables (one per source tensor)
     * @param codeBits    Huffman code words
     * @param tableBits   the tables
     * @param sideBits    scales and zero points
     * @param entropyBits Shannon bound of each tensor's symbols, summed (what an ideal entropy coder would need)
     * @param mse         mean squared error (weighted when the settings say so)
     * @param sqnrDb      signal to noise in dB (weighted likewise)
     */
    public record Measurement(boolean symmetric, int bits, long values, long blocks, int tables, long codeBits,
                              long tableBits, long sideBits, double entropyBits, double mse, double sqnrDb) {
        /** Code words, tables and side information per value. */
        public double huffmanBitsPerValue() {
            return (double) (codeBits + tableBits + sideBits) / values;
        }

        /** Fixed-width symbols and side information per value. */
        public double fixedBitsPerValue() {
            return (double) ((long) bits * values + sideBits) / values;
        }

        /** The Shannon bound of the symbols plus side information (tables free), per value. */
        public double entropyBitsPerValue() {
            return (entropyBits + sideBits) / values;
        }

        /** The Huffman point and the fixed-width point. */
        public List<RdPoint> points() {
            return List.of(new RdPoint(symmetric ? SYM_HUFFMAN : ASYM_HUFFMAN, huffmanBitsPerValue(), mse, sqnrDb),
                    new RdPoint(symmetric ? SYM_FIXED : ASYM_FIXED, fixedBitsPerValue(), mse, sqnrDb));
        }
    }

    private QuantHuffmanBaseline() {
    }

    /** Every bit width, symmetric then asymmetric, on {@code set}. */
    public static List<Measurement> measure(BlockDataset.BlockSet set, Settings s) {
        if (set.size() == 0) {
            throw new BadInputException("quantization baseline: the block set is empty; expected held-out blocks");
        }
        List<Measurement> out = new ArrayList<>();
        for (boolean symmetric : new boolean[]{true, false}) {
            for (int b : s.bits()) {
                out.add(measure(set, new UniformBlockQuantizer(b, symmetric), s));
            }
        }
        return out;
    }

    /** The rate-distortion points of {@link #measure}: for each measurement its Huffman and fixed-width point. */
    public static List<RdPoint> points(BlockDataset.BlockSet set, Settings s) {
        List<RdPoint> out = new ArrayList<>();
        for (Measurement m : measure(set, s)) {
            out.addAll(m.points());
        }
        return out;
    }

    private static Measurement measure(BlockDataset.BlockSet set, UniformBlockQuantizer q, Settings s) {
        Map<String, long[]> histograms = new LinkedHashMap<>();
        double signal = 0;
        double noise = 0;
        double weightSum = 0;
        long values = 0;
        int widest = 0;
        for (double[] b : set.values()) {
            widest = Math.max(widest, b.length);
        }
        int[] symbols = new int[widest];
        double[] recon = new double[widest];
        for (int i = 0; i < set.size(); i++) {
            double[] block = set.values()[i];
            double[] w = s.weighted() ? set.weights()[i] : null;
            q.quantize(block, symbols, recon);
            long[] h = histograms.computeIfAbsent(set.sources().get(i).tensorKey(), k -> new long[q.alphabetSize()]);
            for (int j = 0; j < block.length; j++) {
                h[symbols[j]]++;
                double e = block[j] - recon[j];
                double wj = w == null ? 1.0 : w[j];
                signal += wj * block[j] * block[j];
                noise += wj * e * e;
                weightSum += wj;
            }
            values += block.length;
        }
        long codeBits = 0;
        long tableBits = 0;
        double entropyBits = 0;
        for (long[] h : histograms.values()) {
            HuffmanCode code = HuffmanCode.build(h, s.maxCodeLength());
            for (int sym = 0; sym < h.length; sym++) {
                codeBits += h[sym] * code.length(sym);
            }
            tableBits += 8 * code.tableBytes();
            long n = 0;
            for (long c : h) {
                n += c;
            }
            entropyBits += Entropy.bitsPerSymbol(h) * n;
        }
        long sideBits = (long) set.size() * (SCALE_BITS + (q.symmetric() ? 0 : ZERO_POINT_BITS));
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        return new Measurement(q.symmetric(), q.bits(), values, set.size(), histograms.size(), codeBits, tableBits,
                sideBits, entropyBits, noise / weightSum, sqnr);
    }

    /**
     * The MSE of {@code method}'s curve at {@code bitsPerValue}, for comparing at matched bits: interpolated
     * between the two nearest points linearly in log(MSE) against bits (uniform quantization's MSE falls by a
     * constant factor per bit, 6.02 dB, so that is the curve's natural shape). NaN outside the curve's bit range or
     * for an unknown method; a point's own bits give its own MSE.
     */
    public static double mseAt(List<RdPoint> points, String method, double bitsPerValue) {
        List<RdPoint> curve = new ArrayList<>();
        for (RdPoint p : points) {
            if (p.method().equals(method)) {
                curve.add(p);
            }
        }
        curve.sort(Comparator.comparingDouble(RdPoint::bitsPerValue));
        if (curve.isEmpty() || bitsPerValue < curve.get(0).bitsPerValue()
                || bitsPerValue > curve.get(curve.size() - 1).bitsPerValue()) {
            return Double.NaN;
        }
        for (int i = 0; i < curve.size(); i++) {
            RdPoint hi = curve.get(i);
            if (bitsPerValue == hi.bitsPerValue()) {
                return hi.mse();
            }
            if (bitsPerValue < hi.bitsPerValue()) {
                RdPoint lo = curve.get(i - 1);
                double t = (bitsPerValue - lo.bitsPerValue()) / (hi.bitsPerValue() - lo.bitsPerValue());
                if (lo.mse() <= 0 || hi.mse() <= 0) {
                    return lo.mse() + t * (hi.mse() - lo.mse()); // an exact point: no logarithm to take
                }
                return Math.exp(Math.log(lo.mse()) + t * (Math.log(hi.mse()) - Math.log(lo.mse())));
            }
        }
        return Double.NaN; // not reached: bitsPerValue is within the curve's range
    }

    /** The lowest {@link #mseAt} over every method in {@code points}: the baseline's best at those bits; NaN if none. */
    public static double bestMseAt(List<RdPoint> points, double bitsPerValue) {
        double best = Double.NaN;
        for (String method : points.stream().map(RdPoint::method).distinct().toList()) {
            double m = mseAt(points, method, bitsPerValue);
            if (!Double.isNaN(m) && (Double.isNaN(best) || m < best)) {
                best = m;
            }
        }
        return best;
    }

    /** A Markdown table of the measurements, one row per bit width and symmetry. */
    public static String markdown(List<Measurement> ms) {
        StringBuilder sb = new StringBuilder();
        sb.append("| quant | bits | fixed b/v | Huffman b/v | entropy b/v | tables b/v | side b/v | MSE | SQNR dB |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measurement m : ms) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.4f | %.3f | %.3e | %.2f |%n",
                    m.symmetric() ? "sym" : "asym", m.bits(), m.fixedBitsPerValue(), m.huffmanBitsPerValue(),
                    m.entropyBitsPerValue(), (double) m.tableBits() / m.values(), (double) m.sideBits() / m.values(),
                    m.mse(), m.sqnrDb()));
        }
        return sb.toString();
    }
}
