package io.nccsim.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated axes of a sweep spec: evenly spaced ({@code linear}), geometrically spaced ({@code log}) and seeded
 * random samples. Values are rendered as the text a {@code --set} would carry, so a generated axis is
 * indistinguishable from the same values written out as a list.
 */
final class AxisValues {
    /**
     * Significant digits of generated non-integer values: enough for any design parameter, few enough that a log
     * axis from 1 to 1024 reads 1, 2, 4 ... and not 3.9999999999999996.
     */
    private static final MathContext DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private AxisValues() {
    }

    /** {@code steps} values from {@code from} to {@code to}, both included, evenly spaced; one step gives from. */
    static List<String> linear(double from, double to, int steps, boolean integer, String unit) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double v = i == steps - 1 && steps > 1 ? to : from + (to - from) * i / Math.max(1, steps - 1);
            values.add(format(v, integer, unit));
        }
        return values;
    }

    /** {@code steps} values from {@code from} to {@code to} (both positive), with a constant ratio between them. */
    static List<String> log(double from, double to, int steps, boolean integer, String unit) {
        List<String> values = new ArrayList<>();
        double lf = Math.log(from);
        double lt = Math.log(to);
        for (int i = 0; i < steps; i++) {
            double v = i == 0 ? from : i == steps - 1 ? to : Math.exp(lf + (lt - lf) * i / (steps - 1));
            values.add(format(v, integer, unit));
        }
        return values;
    }

    /**
     * {@code count} samples, uniform in [from, to] (or uniform in log space with {@code log}). Sample i draws u from
     * the first 53 bits of SHA-256 of {@code "<sweep seed>/<axis key>/<i>"}, so the samples depend only on the sweep
     * seed and the axis key (not on the other axes, the Java version or the order axes are read), and any language
     * can reproduce them. With {@code integer}, samples are rounded to the nearest integer.
     */
    static List<String> random(long seed, String key, double from, double to, int count, boolean log,
                               boolean integer, String unit) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double u = uniform(seed, key, i);
            double v = log ? Math.exp(Math.log(from) + u * (Math.log(to) - Math.log(from))) : from + u * (to - from);
            values.add(format(Math.min(Math.max(v, Math.min(from, to)), Math.max(from, to)), integer, unit));
        }
        return values;
    }

    /** A number in [0, 1) from the hash of seed, key and sample index. */
    static double uniform(long seed, String key, int i) {
        long bits = Hashes.firstLong(Hashes.sha256(seed + "/" + key + "/" + i)) >>> 11;
        return bits / (double) (1L << 53);
    }

    /** Plain decimal text (no exponent: the config's number syntax), rounded to 6 significant digits or an integer. */
    static String format(double v, boolean integer, String unit) {
        String text;
        if (integer) {
            text = Long.toString(Math.round(v));
        } else if (v == 0) {
            text = "0";
        } else {
            text = new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
        }
        return unit.isEmpty() ? text : text + " " + unit;
    }
}
