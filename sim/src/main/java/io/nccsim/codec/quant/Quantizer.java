package io.nccsim.codec.quant;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;

/**
 * Post-training weight quantization of a row-major [rows][cols] tensor to int8, int4, int3 or int2 codes: per
 * tensor, per output channel (row) or in groups along each row (a row's last group is shorter when the group size
 * does not divide the row), symmetric or asymmetric as {@link GroupQuantizer} describes, with fp16 scales.
 *
 * <p>The {@link QuantOptions} make it compression-aware: magnitude pruning before quantization, and per-group
 * clipping factors chosen for error and entropy ({@link ClipSearch}). An "auto" scheme hands the
 * symmetric/asymmetric choice to the {@link SymmetryChooser}.
 */
public final class Quantizer {
    private final QuantOptions options;

    public Quantizer(QuantOptions options) {
        this.options = options;
    }

    public QuantOptions options() {
        return options;
    }

    /** Plain quantization ({@link QuantOptions#NONE}) of an unnamed tensor. */
    public static QuantizedTensor quantize(float[] values, int rows, int cols, WeightQuant q) {
        return new Quantizer(QuantOptions.NONE).quantize("tensor", values, rows, cols, q);
    }

    /**
     * Quantizes {@code values} with this quantizer's options; {@code tensor} names it in error messages.
     *
     * @throws BadInputException if the shape does not match, the format is not an integer one, a weight is not
     *                           finite, or a group's scale does not fit in fp16
     */
    public QuantizedTensor quantize(String tensor, float[] values, int rows, int cols, WeightQuant q) {
        if (q.auto()) {
            return new SymmetryChooser(options, SymmetryChooser.DEFAULT_MAX_CODE_LENGTH)
                    .decide(tensor, values, rows, cols, q).tensor();
        }
        check(tensor, values, rows, cols, q);
        float[] v = options.sparsity() > 0 ? Pruning.pruneSmallest(values, options.sparsity()) : values;
        GroupLayout layout = GroupLayout.of(rows, cols, q);
        GroupQuantizer gq = new GroupQuantizer(q.type().bits(), q.symmetric(), tensor);
        int groups = layout.count();
        GroupQuantizer.Range[] ranges = new GroupQuantizer.Range[groups];
        for (int g = 0; g < groups; g++) {
            ranges[g] = GroupQuantizer.Range.of(v, layout.start(g), layout.length(g));
        }
        double[] clip = options.rescale() ? ClipSearch.choose(v, layout, gq, ranges, options.lambda()) : null;
        byte[] symbols = new byte[v.length];
        float[] scales = new float[groups];
        int[] zeroPoints = q.symmetric() ? null : new int[groups];
        for (int g = 0; g < groups; g++) {
            GroupQuantizer.Params p = gq.params(ranges[g], clip == null ? 1.0 : clip[g], g);
            gq.encode(v, layout.start(g), layout.length(g), p, symbols);
            scales[g] = p.scale();
            if (zeroPoints != null) {
                zeroPoints[g] = p.zeroPoint();
            }
        }
        return new QuantizedTensor(rows, cols, q, symbols, scales, zeroPoints);
    }

    /** Validates what {@link #quantize} is given; package-visible so the chooser checks before its two runs. */
    static void check(String tensor, float[] values, int rows, int cols, WeightQuant q) {
        if (!q.quantized()) {
            throw new BadInputException(tensor + ": weight format " + q.id() + " is not an integer format; "
                    + "expected int8, int4, int3 or int2");
        }
        if (rows < 1 || cols < 1 || (long) rows * cols != values.length) {
            throw new BadInputException(tensor + ": shape [" + rows + "][" + cols + "] does not hold "
                    + values.length + " values; expected rows, cols >= 1 with rows * cols = " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new BadInputException(tensor + ": element " + i + " is " + values[i]
                        + "; expected finite weights");
            }
        }
    }

    /** The weights the codes stand for: {@code (symbol - zeroPoint(g)) * scale(g)}, in float arithmetic. */
    public static float[] dequantize(QuantizedTensor t) {
        GroupLayout layout = GroupLayout.of(t.rows(), t.cols(), t.quant());
        if (t.scales().length != layout.count()) {
            throw new IllegalArgumentException(t.quant().id() + " tensor of " + t.rows() + " x " + t.cols()
                    + " needs " + layout.count() + " scales, has " + t.scales().length
                    + (t.scales().length == 0 ? " (its scales are kept in another tensor)" : ""));
        }
        float[] scales = t.scales();
        int[] zeroPoints = t.zeroPoints();
        int symmetricZero = 1 << (t.bits() - 1);
        float[] out = new float[t.rows() * t.cols()];
        for (int g = 0; g < layout.count(); g++) {
            GroupQuantizer.Params p = new GroupQuantizer.Params(scales[g],
                    zeroPoints == null ? symmetricZero : zeroPoints[g]);
            int start = layout.start(g);
            for (int i = start; i < start + layout.length(g); i++) {
                out[i] = GroupQuantizer.reconstruct(t.symbol(i), p);
            }
        }
        return out;
    }
}
