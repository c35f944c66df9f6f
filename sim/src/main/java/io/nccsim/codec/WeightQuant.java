package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a weight tensor is deployed: "int4-g128-sym", "int8-g64-asym", "int8-channel-sym", "int4-tensor-asym" or
 * "fp16". Scales (and zero points, when asymmetric) are fp16 and stored after the packed payload.
 *
 * @param type      element type of the payload
 * @param groupSize elements per scale; 0 means one scale per output channel (a row), -1 one per tensor
 * @param symmetric symmetric (scale only) or asymmetric (scale and zero point)
 */
public record WeightQuant(ElementType type, int groupSize, boolean symmetric) {
    public static final int PER_CHANNEL = 0;
    public static final int PER_TENSOR = -1;
    private static final Pattern SPEC = Pattern.compile("int([2348])-(g(\\d+)|channel|tensor)(-(sym|asym))?");

    public static WeightQuant parse(String spec, String where) {
        String s = spec.toLowerCase(Locale.ROOT);
        if (s.equals("fp16") || s.equals("bf16") || s.equals("fp32")) {
            return new WeightQuant(ElementType.fromId(s), PER_TENSOR, true);
        }
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new BadInputException(where + ": '" + spec + "' is not a weight format; expected e.g. "
                    + "int4-g128-sym, int8-channel-asym, int4-tensor-sym or fp16");
        }
        ElementType type = ElementType.fromId("int" + m.group(1));
        int group = m.group(3) != null ? Integer.parseInt(m.group(3))
                : m.group(2).equals("channel") ? PER_CHANNEL : PER_TENSOR;
        if (m.group(3) != null && (group < 8 || group > 1 << 20 || group * type.bits() % 8 != 0)) {
            throw new BadInputException(where + ": group size " + group + " must be 8..1048576 and fill whole bytes");
        }
        return new WeightQuant(type, group, !"asym".equals(m.group(5)));
    }

    public boolean quantized() {
        return type.quantized();
    }

    /** Bytes of the packed elements of a [rows][cols] tensor. */
    public long payloadBytes(long rows, long cols) {
        return (rows * cols * type.bits() + 7) / 8;
    }

    /** Bytes of the scales and zero points of a [rows][cols] tensor (fp16 each). */
    public long metadataBytes(long rows, long cols) {
        if (!quantized()) {
            return 0;
        }
        long groups = switch (groupSize) {
            case PER_TENSOR -> 1;
            case PER_CHANNEL -> rows;
            default -> rows * ((cols + groupSize - 1) / groupSize);
        };
        return groups * 2 * (symmetric ? 1 : 2);
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
        return type.id() + "-" + g + "-" + (symmetric ? "sym" : "asym");
    }
}
