package io.nccsim.fidelity;

import io.nccsim.capture.KvPrecision;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One codec setting a fidelity run tries: how the model's weight matrices are stored (and so the values the decoder
 * computes with), whether the stored symbols go through the NCC's Huffman coder, how the KV cache is kept, and how
 * much of each weight matrix is pruned.
 *
 * <p>Grammar (case does not matter, no spaces):
 * <pre>
 *   spec    := "lossless" | weights [ "+huffman" ] { "," option }
 *   weights := "fp32" | "fp16" | "bf16"
 *            | "int" ("8"|"4"|"3"|"2") "-" ( "g" SIZE | "channel" | "tensor" ) [ "-sym" | "-asym" | "-auto" ]
 *   option  := "kv=" ( "fp32" | "fp16" | "int8" )     KV-cache precision (default fp32)
 *            | "prune=" FRACTION                     0 &lt;= FRACTION &lt; 1 of each matrix's smallest weights zeroed
 * </pre>
 * {@code lossless} is fp32 weights and an fp32 KV cache, exactly as stored: the identity. The integer formats are
 * {@link WeightQuant}'s ({@code -sym} when the symmetry is left out). {@code +huffman} and {@code prune=} apply to
 * integer formats only: Huffman coding works on quantized symbols, and pruning is done by the quantizer.
 * Examples: {@code int8-channel-sym}, {@code int4-g32-auto+huffman}, {@code int4-g32-sym,kv=int8,prune=0.2}.
 *
 * @param weights       how the weight matrices are stored (fp32 for lossless)
 * @param huffman       whether the quantized symbols are Huffman-coded and decoded back before use
 * @param kv            how the KV cache stores keys and values
 * @param pruneFraction fraction of each weight matrix's smallest-magnitude weights set to zero before quantizing
 * @param lossless      true for the {@code lossless} spelling (fp32, fp32 KV, nothing else)
 */
public record CodecSpec(WeightQuant weights, boolean huffman, KvPrecision kv, double pruneFraction,
                        boolean lossless) {
    private static final String EXAMPLES = "e.g. lossless, bf16, int8-channel-sym, int4-g32-auto+huffman or "
            + "int4-g32-sym,kv=int8,prune=0.2";

    public CodecSpec {
        if (weights == null || kv == null) {
            throw new IllegalArgumentException("weights and kv are required");
        }
        if (!(pruneFraction >= 0 && pruneFraction < 1)) {
            throw new IllegalArgumentException("prune fraction " + pruneFraction + " is outside [0, 1)");
        }
        if ((huffman || pruneFraction > 0) && !weights.quantized()) {
            throw new IllegalArgumentException("huffman and pruning need an integer format, not " + weights.id());
        }
        if (lossless && (weights.type() != ElementType.FP32 || kv != KvPrecision.FP32 || huffman
                || pruneFraction > 0)) {
            throw new IllegalArgumentException("lossless means fp32 weights and KV cache, nothing else");
        }
    }

    /** The identity setting: the model exactly as stored. */
    public static CodecSpec losslessSpec() {
        return new CodecSpec(WeightQuant.parse("fp32", "lossless"), false, KvPrecision.FP32, 0, true);
    }

    /**
     * Parses {@code text}; {@code where} names the option or file it came from, for the one-line error.
     *
     * @throws BadInputException naming {@code where}, the spec, the offending part and what was expected
     */
    public static CodecSpec parse(String text, String where) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        String at = where + " '" + text + "'";
        if (s.isEmpty()) {
            throw new BadInputException(at + ": empty codec setting; expected " + EXAMPLES);
        }
        String[] parts = s.split(",", -1);
        String head = parts[0];
        if (head.equals("lossless")) {
            if (parts.length > 1) {
                throw new BadInputException(at + ": 'lossless' takes no options (it is fp32 weights and an fp32 KV "
                        + "cache); for other options start from fp32, e.g. fp32,kv=int8");
            }
            return losslessSpec();
        }
        boolean huffman = head.endsWith("+huffman");
        String format = huffman ? head.substring(0, head.length() - "+huffman".length()) : head;
        if (format.contains("+")) {
            throw new BadInputException(at + ": '" + head + "': expected a weight format optionally followed by "
                    + "+huffman, " + EXAMPLES);
        }
        WeightQuant weights = WeightQuant.parse(format, at);
        KvPrecision kv = KvPrecision.FP32;
        double prune = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i];
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (!seen.add(key)) {
                throw new BadInputException(at + ": option '" + key + "' is given twice; expected each option once");
            }
            switch (key) {
                case "kv" -> kv = parseKv(value, at);
                case "prune" -> prune = parsePrune(value, at);
                default -> throw new BadInputException(at + ": option " + i + " '" + option
                        + "': expected kv=fp32|fp16|int8 or prune=FRACTION");
            }
        }
        if (huffman && !weights.quantized()) {
            throw new BadInputException(at + ": '+huffman' codes quantized symbols; expected an integer format "
                    + "before it, e.g. int4-g32-sym+huffman, found " + weights.id());
        }
        if (prune > 0 && !weights.quantized()) {
            throw new BadInputException(at + ": 'prune=' is done by the quantizer; expected an integer format, "
                    + "e.g. int4-g32-sym,prune=0.2, found " + weights.id());
        }
        return new CodecSpec(weights, huffman, kv, prune, false);
    }

    private static KvPrecision parseKv(String value, String at) {
        for (KvPrecision p : KvPrecision.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(value)) {
                return p;
            }
        }
        throw new BadInputException(at + ": kv='" + value + "': expected fp32, fp16 or int8");
    }

    private static double parsePrune(String value, String at) {
        double p;
        try {
            p = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        // parseDouble also takes "NaN", "Infinity" and hex floats; only a plain decimal fraction is meant here.
        if (!value.matches("[0-9]*\\.?[0-9]+") || !(p >= 0 && p < 1)) {
            throw new BadInputException(at + ": prune='" + value + "': expected a fraction 0 <= f < 1, e.g. 0.3");
        }
        return p;
    }

    /** The setting in its canonical spelling: symmetry always written, options in a fixed order. */
    public String id() {
        if (lossless) {
            return "lossless";
        }
        StringBuilder b = new StringBuilder(weights.id());
        if (huffman) {
            b.append("+huffman");
        }
        if (kv != KvPrecision.FP32) {
            b.append(",kv=").append(kv.name().toLowerCase(Locale.ROOT));
        }
        if (pruneFraction > 0) {
            b.append(",prune=").append(pruneFraction);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return id();
    }
}
