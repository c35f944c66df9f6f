package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a weight tensor is deployed: "int4-g128-sym", "int8-g64-asym", "int8-channel-sym", "int4-tensor-asym",
 * "int4-g128-auto" or "fp16". Scales (and zero points, when asymmetric) are fp16 and stored after the packed payload.
 *
 * <p>"auto" leaves the symmetric/asymmetric choice to each tensor's weights (EntroLLM's layer-wise choice; see
 * {@code io.nccsim.codec.quant.SymmetryChooser}). Until a tensor's choice resolves it ({@link #resolved(boolean)}),
 * an auto scheme is sized as asymmetric, the larger of the two, so that a budget made from the spec alone is never
 * short; quantized tensors always carry a resolved scheme.
 *
 * @param type      element type of the payload
 * @param groupSize elements per scale; 0 means one scale per output channel (a row), -1 one per tensor
 * @param symmetry  symmetric (scale only), asymmetric (scale and zero point) or chosen per tensor
 */
public record WeightQuant(ElementType type, int groupSize, Symmetry symmetry) {
    public static final int PER_CHANNEL = 0;
    public static final int PER_TENSOR = -1;
    private static final Pattern SPEC = Pattern.compile("int([2348])-(g(\\d+)|channel|tensor)(-(sym|asym|auto))?");

    /** Whether codes are centred on zero, offset by a zero point, or either as each tensor's weights suggest. */
    public enum Symmetry {
        SYMMETRIC("sym"), ASYMMETRIC("asym"), AUTO("auto");

        private final String id;

        Symmetry(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public WeightQuant {
        if (type == null || symmetry == null) {
            throw new IllegalArgumentException("type and symmetry are required");
        }
    }

    /** A resolved scheme: symmetric ({@code true}) or asymmetric. */
    public WeightQuant(ElementType type, int groupSize, boolean symmetric) {
        this(type, groupSize, symmetric ? Symmetry.SYMMETRIC : Symmetry.ASYMMETRIC);
    }

    public static WeightQuant parse(String spec, String where) {
        String s = spec.toLowerCase(Locale.ROOT);
        if (s.equals("fp16") || s.equals("bf16") || s.equals("fp32")) {
            return new WeightQuant(ElementType.fromId(s), PER_TENSOR, true);
        }
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new BadInputException(where + ": '" + spec + "' is not a weight format; expected e.g. "
                    + "int4-g128-sym, int8-channel-asym, int4-g128-auto, int4-tensor-sym or fp16");
        }
        ElementType type = ElementType.fromId("int" + m.group(1));
        int group = m.group(3) != null ? Integer.parseInt(m.group(3))
                : m.group(2).equals("channel") ? PER_CHANNEL : PER_TENSOR;
        if (m.group(3) != null && (group < 8 || group > 1 << 20 || group * type.bits() % 8 != 0)) {
            throw new BadInputException(where + ": group size " + group + " must be 8..1048576 and fill whole bytes");
        }
        Symmetry symmetry = switch (m.group(5) == null ? "sym" : m.group(5)) {
            case "asym" -> Symmetry.ASYMMETRIC;
            case "auto" -> Symmetry.AUTO;
            default -> Symmetry.SYMMETRIC;
        };
        return new WeightQuant(type, group, symmetry);
    }

    public boolean quantized() {
        return type.quantized();
    }

    /** True for a scheme decided to be symmetric; false for asymmetric and for a still undecided "auto". */
    public boolean symmetric() {
        return symmetry == Symmetry.SYMMETRIC;
    }

    /** True while the symmetric/asymmetric choice is left to the tensor's weights. */
    public boolean auto() {
        return symmetry == Symmetry.AUTO;
    }

    /** This scheme with the symmetry decided. */
    public WeightQuant resolved(boolean symmetric) {
        return new WeightQuant(type, groupSize, symmetric);
    }

    /** Bytes of the packed elements of a [rows][cols] tensor. */
    public long payloadBytes(long rows, long cols) {
        return (rows * cols * type.bits() + 7) / 8;
    }

    /** Bytes of the scales and zero points of a [rows][cols] tensor (fp16 each; "auto" counts zero points). */
    public long metadataBytes(long rows, long cols) {
        if (!quantized()) {
            return 0;
        }
        return groups(rows, cols) * 2 * (symmetric() ? 1 : 2);
    }

    /**
     * Scale groups of a [rows][cols] tensor: one; one per row; or {@code ceil(cols / groupSize)} per row, the last
     * group of a row holding what is left when {@code groupSize} does not divide {@code cols}.
     */
    public long groups(long rows, long cols) {
        return switch (groupSize) {
            case PER_TENSOR -> 1;
            case PER_CHANNEL -> rows;
            default -> rows * ((cols + groupSize - 1) / groupSize);
        };
    }

    /** Elements that share one scale in a row of {@code cols} elements. */
    public int groupElements(long rows, long cols) {
        return switch (groupSize) {
            case PER_TENSOR -> (int) Math.min(Integer.MAX_VALUE, rows * cols);
            case PER_CHANNEL -> (int) cols;
            default -> groupSize;
        };
    }

    public String id() {
        if (!quantized()) {
            return type.id();
        }
        String g = switch (groupSize) {
            case PER_TENSOR -> "tensor";
            case PER_CHANNEL -> "channel";
            default -> "g" + groupSize;
        };
        return type.id() + "-" + g + "-" + symmetry.id();
    }
}
