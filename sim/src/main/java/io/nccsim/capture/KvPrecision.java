package io.nccsim.capture;

import io.nccsim.common.BadInputException;

/**
 * How the engine keeps keys and values in its KV cache. The cache stores rounded values and attention reads them
 * back, so a lower precision changes the logits the way it would on hardware that stores the cache that way.
 */
public enum KvPrecision {
    /** Exact fp32, as llama2.c keeps it. */
    FP32(32),
    /** IEEE binary16, rounded to nearest, ties to even; overflow becomes infinity. */
    FP16(16),
    /**
     * Symmetric int8 with one fp32 scale per head vector (per layer, position, key/value head): scale = max |x| /
     * 127, code = round(x / scale), so each element is off by at most half a scale step.
     */
    INT8(8);

    private final int bitsPerElement;

    KvPrecision(int bitsPerElement) {
        this.bitsPerElement = bitsPerElement;
    }

    /** Bits of one stored element, not counting INT8's per-vector scale. */
    public int bitsPerElement() {
        return bitsPerElement;
    }

    /** The precision named {@code s} (any case), or a one-line error naming {@code option}. */
    public static KvPrecision parse(String s, String option) {
        for (KvPrecision p : values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new BadInputException(option + ": '" + s + "' is not a KV-cache type; expected fp32, fp16 or int8");
    }
}
