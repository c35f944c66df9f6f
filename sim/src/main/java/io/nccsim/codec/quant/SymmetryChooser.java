package io.nccsim.codec.quant;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;

import java.util.Locale;

/**
 * EntroLLM's layer-wise choice (arXiv 2505.02380): symmetric quantization for a tensor whose weights sit about
 * zero, asymmetric for one whose weights do not.
 *
 * <p>The test: a symmetric grid spans {@code [-A, A]} with {@code A} the group's largest magnitude, while the
 * group's values (zero included) span only {@code [lo, hi]}; the symmetric step is therefore
 * {@code 2A / (hi - lo)} times the asymmetric one, a loss of {@code log2(2A / (hi - lo))} bits of resolution,
 * 0 for a range centred on zero and 1 for a group of one sign. The tensor's waste is the mean over its weights;
 * asymmetric is chosen when it exceeds {@link #WASTE_THRESHOLD_BITS}, half a bit, the midpoint between the two
 * pure cases, i.e. when the tensor is nearer one-signed than centred. (The one level a symmetric grid always
 * gives up, {@code -2^(b-1)}, is the price of symmetry itself, not a property of the weights, so it is left out.)
 *
 * <p>Why not the smaller entropy-coded size: an entropy coder charges nothing for codes that never occur, so a
 * symmetric grid on one-signed weights costs about one bit per weight less than asymmetric and is one bit
 * coarser; with fixed fp16 metadata per group, smallest-size would pick symmetric for one-signed tensors and
 * quietly deliver int(b-1) accuracy under an int(b) label. The bit width states the accuracy wanted; this test
 * decides only whether the weights' layout needs a zero point to get it. Both candidates are still quantized and
 * measured (error, entropy, coded size) so that a report shows what the choice gained and cost.
 */
public final class SymmetryChooser {
    /** Asymmetric when the symmetric grid would waste more than this many bits of resolution. */
    public static final double WASTE_THRESHOLD_BITS = 0.5;
    /**
     * Code-length limit for the reported Huffman sizes when none is given: the base NCC's decoder table limit
     * (configs/ncc/huffman_base.yaml). The decision itself does not depend on it.
     */
    public static final int DEFAULT_MAX_CODE_LENGTH = 12;

    private final QuantOptions options;
    private final int maxCodeLength;

    public SymmetryChooser(QuantOptions options, int maxCodeLength) {
        this.options = options;
        this.maxCodeLength = maxCodeLength;
    }

    /** The decision for one tensor and the tensor quantized the chosen way. */
    public record Decision(SymmetryChoice choice, QuantizedTensor tensor) {
    }

    /**
     * Decides between {@code q.resolved(true)} and {@code q.resolved(false)} for {@code values} (an "auto" scheme
     * or a decided one: the decision ignores which symmetry {@code q} names).
     */
    public Decision decide(String tensor, float[] values, int rows, int cols, WeightQuant q) {
        Quantizer.check(tensor, values, rows, cols, q);
        Quantizer quantizer = new Quantizer(options);
        QuantizedTensor sym = quantizer.quantize(tensor, values, rows, cols, q.resolved(true));
        QuantizedTensor asym = quantizer.quantize(tensor, values, rows, cols, q.resolved(false));
        SymmetryChoice.Candidate s = measure(values, sym);
        SymmetryChoice.Candidate a = measure(values, asym);
        float[] v = options.sparsity() > 0 ? Pruning.pruneSmallest(values, options.sparsity()) : values;
        double waste = wastedResolutionBits(v, GroupLayout.of(rows, cols, q));
        boolean symmetric = waste <= WASTE_THRESHOLD_BITS;
        String reason = String.format(Locale.ROOT, "%s: the symmetric grid would waste %.3f bits of resolution "
                        + "(%s %.1f); sym %.2f dB at %.3f coded bits/weight, asym %.2f dB at %.3f",
                symmetric ? "symmetric" : "asymmetric", waste, symmetric ? "<=" : ">", WASTE_THRESHOLD_BITS,
                s.sqnrDb(), s.codedBitsPerWeight(), a.sqnrDb(), a.codedBitsPerWeight());
        SymmetryChoice choice = new SymmetryChoice(tensor, q.resolved(symmetric), waste, reason, s, a);
        return new Decision(choice, symmetric ? sym : asym);
    }

    /** Mean over the weights of {@code log2(2A / (hi - lo))} of each one's group (0 for an all-zero group). */
    static double wastedResolutionBits(float[] v, GroupLayout layout) {
        double sum = 0;
        for (int g = 0; g < layout.count(); g++) {
            GroupQuantizer.Range r = GroupQuantizer.Range.of(v, layout.start(g), layout.length(g));
            double span = r.hi() - r.lo();
            if (span > 0) {
                sum += layout.length(g) * (Math.log(2 * r.absMax() / span) / Math.log(2));
            }
        }
        return sum / v.length;
    }

    private SymmetryChoice.Candidate measure(float[] original, QuantizedTensor t) {
        QuantError e = QuantError.of(original, Quantizer.dequantize(t));
        long[] hist = t.histogram();
        HuffmanCode code = HuffmanCode.build(hist, maxCodeLength);
        long payload = 0;
        for (int s = 0; s < hist.length; s++) {
            payload += hist[s] * code.length(s);
        }
        long coded = payload + code.tableBytes() * 8 + t.metadataBytes() * 8;
        return new SymmetryChoice.Candidate(t.quant().id(), e.mse(), e.maxAbsError(), e.sqnrDb(),
                Entropy.bitsPerSymbol(hist), coded, (double) coded / original.length);
    }
}
