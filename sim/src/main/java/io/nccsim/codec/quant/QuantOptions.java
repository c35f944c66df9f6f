package io.nccsim.codec.quant;

import io.nccsim.common.BadInputException;

import java.util.Locale;

/**
 * Compression-aware quantization options, in the spirit of "When Compression Meets Model Compression": make the
 * quantized symbols cheaper to entropy-code at a controlled cost in accuracy.
 *
 * @param sparsity fraction of each tensor's weights, smallest magnitude first, set to exactly zero before
 *                 quantizing (0 = no pruning); the zero symbol then dominates and the symbol entropy falls
 * @param rescale  choose each group's clipping factor from {@link ClipSearch#CLIP_FACTORS} instead of always
 *                 scaling to the group's extreme values
 * @param lambda   weight of the entropy term when rescaling: each group minimises
 *                 {@code MSE / stepSquared + lambda * entropy}, where {@code stepSquared} is the tensor's mean
 *                 squared quantization step at max scaling and entropy is in bits per weight; so lambda is in
 *                 "squared steps per bit" (uniform rounding noise is 1/12 of a squared step). 0 gives plain
 *                 MSE-optimal clipping
 */
public record QuantOptions(double sparsity, boolean rescale, double lambda) {
    /** Plain quantization: no pruning, scale to each group's extremes. */
    public static final QuantOptions NONE = new QuantOptions(0, false, 0);

    public QuantOptions {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new BadInputException("quantization option sparsity: expected 0 <= sparsity < 1, got "
                    + format(sparsity));
        }
        if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
            throw new BadInputException("quantization option lambda: expected a finite value >= 0, got "
                    + format(lambda));
        }
        if (lambda > 0 && !rescale) {
            throw new BadInputException("quantization option lambda: " + format(lambda)
                    + " weighs the entropy of rescaled groups, but rescaling is off; expected rescale on or lambda 0");
        }
    }

    /** Magnitude pruning only. */
    public static QuantOptions pruned(double sparsity) {
        return new QuantOptions(sparsity, false, 0);
    }

    /** Compression-aware rescaling with entropy weight {@code lambda} (0: MSE-optimal clipping). */
    public static QuantOptions rescaled(double lambda) {
        return new QuantOptions(0, true, lambda);
    }

    private static String format(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }
}
