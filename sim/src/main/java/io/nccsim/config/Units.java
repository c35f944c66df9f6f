package io.nccsim.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quantities with units, as users write them in configs ({@code 1600 MHz}, {@code 4 KiB}, {@code 25.6 GB/s}).
 *
 * <p>Configs require a unit on every physical quantity because a bare number is the classic way to be off by 10^3
 * (is {@code latency: 15} ns or cycles?). Values are returned in one fixed base unit per dimension so that model
 * code never converts. Arithmetic is done in decimal ({@link BigDecimal}) so that {@code 0.1 ns} is exactly
 * {@code 100} ps and whole-number checks (picoseconds, bytes) are not fooled by binary rounding.
 *
 * <p>Unit symbols are case-sensitive because the case carries meaning ({@code mW} vs {@code MW}, {@code MB} vs
 * {@code Mb}); for sizes only {@code B} (bytes) and {@code bit} are accepted, never the ambiguous {@code b}. The one
 * exception is energy per bit, where {@code pJ/b} is common and cannot be confused with a byte ({@code pJ/B}).
 */
public final class Units {

    /** The kinds of quantity, each with its base unit. */
    public enum Dimension {
        /** Base unit Hz. */
        FREQUENCY("a frequency", "1600 MHz", "Hz"),
        /** Base unit ps: the simulator's time step, fine enough for multi-GHz clocks. */
        TIME("a time", "15 ns", "ps"),
        /** Base unit bytes. */
        SIZE("a size", "4 KiB", "B"),
        /** Base unit bytes per second. */
        BANDWIDTH("a bandwidth", "25.6 GB/s", "B/s"),
        /** Base unit V. */
        VOLTAGE("a voltage", "1.1 V", "V"),
        /** Base unit A. */
        CURRENT("a current", "30 mA", "A"),
        /** Base unit pJ: the scale of one DRAM or SRAM access. */
        ENERGY("an energy", "13 pJ", "pJ"),
        /** Base unit pJ per bit. */
        ENERGY_PER_BIT("an energy per bit", "4 pJ/bit", "pJ/bit"),
        /** Base unit W. */
        POWER("a power", "51.8 mW", "W"),
        /** Base unit transfers per second. */
        DATA_RATE("a data rate", "3200 MT/s", "T/s"),
        /** Base unit mm^2. */
        AREA("an area", "0.5 mm2", "mm2");

        private final String description;
        private final String example;
        private final String baseUnit;

        Dimension(String description, String example, String baseUnit) {
            this.description = description;
            this.example = example;
            this.baseUnit = baseUnit;
        }

        /** With its article, for messages: "a frequency", "an energy". */
        public String description() {
            return description;
        }

        /** A typical value, for "e.g." hints in messages. */
        public String example() {
            return example;
        }

        /** The symbol of the unit that {@link Units#parse} returns values in. */
        public String baseUnit() {
            return baseUnit;
        }
    }

    private record Unit(String symbol, Dimension dimension, BigDecimal factor, boolean display) { }

    private static final Pattern QUANTITY =
            Pattern.compile("\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*(.*?)\\s*");
    private static final MathContext DISPLAY_PRECISION = new MathContext(12, RoundingMode.HALF_EVEN);

    private static final Map<String, Unit> UNITS = new HashMap<>();
    private static final Map<Dimension, List<Unit>> BY_DIMENSION = new EnumMap<>(Dimension.class);

    static {
        Dimension d = Dimension.FREQUENCY;
        add(d, "Hz", "1", true);
        add(d, "kHz", "1e3", true);
        add(d, "MHz", "1e6", true);
        add(d, "GHz", "1e9", true);
        add(d, "THz", "1e12", true);

        d = Dimension.TIME;
        add(d, "fs", "0.001", true);
        add(d, "ps", "1", true);
        add(d, "ns", "1e3", true);
        add(d, "us", "1e6", true);
        add(d, "\u00b5s", "1e6", false);
        add(d, "ms", "1e9", true);
        add(d, "s", "1e12", true);

        d = Dimension.SIZE;
        add(d, "bit", "0.125", false);
        add(d, "bits", "0.125", false);
        add(d, "B", "1", true);
        String[] binary = {"Ki", "Mi", "Gi", "Ti"};
        String[] decimal = {"K", "M", "G", "T"};
        for (int i = 0; i < 4; i++) {
            add(d, binary[i] + "B", BigDecimal.valueOf(1024).pow(i + 1).toPlainString(), true);
            add(d, decimal[i] + "B", "1e" + (3 * (i + 1)), true);
        }
        add(d, "kB", "1e3", false);

        d = Dimension.BANDWIDTH;
        for (Unit u : List.copyOf(BY_DIMENSION.get(Dimension.SIZE))) {
            if (!u.symbol().startsWith("bit")) {
                // Bandwidths are shown in decimal units, the way memory datasheets quote them.
                boolean show = u.display() && !u.symbol().contains("i");
                add(d, u.symbol() + "/s", u.factor().toPlainString(), show);
            }
        }
        add(d, "bit/s", "0.125", false);
        add(d, "kbit/s", "125", false);
        add(d, "Mbit/s", "125e3", false);
        add(d, "Gbit/s", "125e6", false);

        d = Dimension.VOLTAGE;
        add(d, "uV", "1e-6", true);
        add(d, "\u00b5V", "1e-6", false);
        add(d, "mV", "1e-3", true);
        add(d, "V", "1", true);

        d = Dimension.CURRENT;
        add(d, "nA", "1e-9", true);
        add(d, "uA", "1e-6", true);
        add(d, "\u00b5A", "1e-6", false);
        add(d, "mA", "1e-3", true);
        add(d, "A", "1", true);

        d = Dimension.ENERGY;
        add(d, "fJ", "1e-3", true);
        add(d, "pJ", "1", true);
        add(d, "nJ", "1e3", true);
        add(d, "uJ", "1e6", true);
        add(d, "\u00b5J", "1e6", false);
        add(d, "mJ", "1e9", true);
        add(d, "J", "1e12", true);

        d = Dimension.ENERGY_PER_BIT;
        for (Unit u : List.copyOf(BY_DIMENSION.get(Dimension.ENERGY))) {
            add(d, u.symbol() + "/bit", u.factor().toPlainString(), u.display() && u.factor().doubleValue() < 1e9);
            add(d, u.symbol() + "/b", u.factor().toPlainString(), false);
            add(d, u.symbol() + "/B", u.factor().divide(BigDecimal.valueOf(8)).toPlainString(), false);
        }

        d = Dimension.POWER;
        add(d, "nW", "1e-9", true);
        add(d, "uW", "1e-6", true);
        add(d, "\u00b5W", "1e-6", false);
        add(d, "mW", "1e-3", true);
        add(d, "W", "1", true);

        d = Dimension.DATA_RATE;
        add(d, "T/s", "1", true);
        add(d, "kT/s", "1e3", true);
        add(d, "MT/s", "1e6", true);
        add(d, "GT/s", "1e9", true);

        d = Dimension.AREA;
        add(d, "um2", "1e-6", true);
        add(d, "um^2", "1e-6", false);
        add(d, "\u00b5m2", "1e-6", false);
        add(d, "\u00b5m^2", "1e-6", false);
        add(d, "mm2", "1", true);
        add(d, "mm^2", "1", false);
        add(d, "cm2", "100", false);
        add(d, "cm^2", "100", false);

        BY_DIMENSION.replaceAll((k, v) -> Collections.unmodifiableList(v));
    }

    private Units() {
    }

    private static void add(Dimension d, String symbol, String factor, boolean display) {
        Unit u = new Unit(symbol, d, new BigDecimal(factor), display);
        if (UNITS.putIfAbsent(symbol, u) != null) {
            throw new IllegalStateException("unit symbol defined twice: " + symbol);
        }
        BY_DIMENSION.computeIfAbsent(d, k -> new ArrayList<>()).add(u);
    }

    /**
     * The value of {@code text} in the base unit of {@code d}.
     *
     * @throws IllegalArgumentException with a short reason (no location: the caller knows where the text came from)
     */
    public static double parse(String text, Dimension d) {
        return parseExact(text, d).doubleValue();
    }

    /** Like {@link #parse} but for times that must be a whole number of picoseconds, the simulator's time step. */
    public static long parseTimePs(String text) {
        BigDecimal ps = parseExact(text, Dimension.TIME);
        return wholeOrThrow(text, ps, "picoseconds");
    }

    /** Like {@link #parse} for sizes, as a {@code long} number of bytes. */
    public static long parseBytes(String text) {
        return wholeOrThrow(text, parseExact(text, Dimension.SIZE), "bytes");
    }

    /**
     * Exact decimal value in the base unit. Package-private so that {@link ConfigReader} can check whole numbers
     * without going through {@code double}.
     */
    static BigDecimal parseExact(String text, Dimension d) {
        String expected = "expected " + d.description() + ", e.g. '" + d.example() + "'";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(expected + ", got nothing");
        }
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(expected + ", got '" + text + "'");
        }
        String symbol = m.group(2);
        if (!symbol.isEmpty() && !Character.isLetter(symbol.charAt(0))) {
            throw new IllegalArgumentException(expected + ", got '" + text + "'");
        }
        if (symbol.isEmpty()) {
            throw new IllegalArgumentException("'" + text.strip() + "' has no unit; expected " + d.description()
                    + " with a unit, e.g. '" + d.example() + "'");
        }
        Unit unit = UNITS.get(symbol);
        if (unit == null) {
            throw new IllegalArgumentException(unknownUnit(text.strip(), symbol, d));
        }
        if (unit.dimension() != d) {
            throw new IllegalArgumentException("'" + text.strip() + "' is " + unit.dimension().description()
                    + "; expected " + d.description() + ", e.g. '" + d.example() + "'");
        }
        BigDecimal value = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1))
                .multiply(unit.factor());
        if (d == Dimension.SIZE && !isWhole(value)) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a whole number of bytes ("
                    + value.stripTrailingZeros().toPlainString() + " B)");
        }
        return value;
    }

    private static String unknownUnit(String text, String symbol, Dimension d) {
        String hint = "";
        for (Unit u : BY_DIMENSION.get(d)) {
            if (u.symbol().equalsIgnoreCase(symbol)) {
                hint = "; did you mean '" + u.symbol() + "'? (units are case-sensitive)";
                break;
            }
        }
        String known = BY_DIMENSION.get(d).stream().map(Unit::symbol).collect(Collectors.joining(", "));
        return "'" + text + "': unknown unit '" + symbol + "'" + hint + "; expected " + d.description()
                + ", e.g. '" + d.example() + "' (units: " + known + ")";
    }

    private static boolean isWhole(BigDecimal v) {
        return v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    }

    private static long wholeOrThrow(String text, BigDecimal value, String unitName) {
        if (!isWhole(value)) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a whole number of " + unitName
                    + " (" + value.stripTrailingZeros().toPlainString() + ")");
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is too large", e);
        }
    }

    /**
     * A readable text for a base-unit value, in the largest unit that keeps the number at least 1, with up to 12
     * significant digits (enough to round-trip through {@link #parse} for any value a config would hold, while
     * hiding binary rounding noise). Sizes prefer the largest unit that divides them exactly, binary or decimal, so
     * that 65536 B reads "64 KiB" and 2000000 B reads "2 MB".
     */
    public static String format(double value, Dimension d) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value + " " + d.baseUnit();
        }
        BigDecimal v = new BigDecimal(value).round(DISPLAY_PRECISION);
        List<Unit> units = BY_DIMENSION.get(d).stream().filter(Unit::display).toList();
        Unit chosen = null;
        if (v.signum() == 0) {
            chosen = units.stream().filter(u -> u.factor().compareTo(BigDecimal.ONE) == 0).findFirst().orElseThrow();
        } else if (d == Dimension.SIZE && isWhole(v)) {
            for (Unit u : units) {
                BigDecimal q = v.abs().divide(u.factor(), DISPLAY_PRECISION);
                if (q.compareTo(BigDecimal.ONE) >= 0 && isWhole(q)
                        && (chosen == null || u.factor().compareTo(chosen.factor()) > 0)) {
                    chosen = u;
                }
            }
        }
        if (chosen == null) {
            for (Unit u : units) {
                if (v.abs().compareTo(u.factor()) >= 0 && (chosen == null || u.factor().compareTo(chosen.factor()) > 0)) {
                    chosen = u;
                }
            }
        }
        if (chosen == null) {
            chosen = units.get(0);
            for (Unit u : units) {
                if (u.factor().compareTo(chosen.factor()) < 0) {
                    chosen = u;
                }
            }
        }
        BigDecimal n = v.divide(chosen.factor(), DISPLAY_PRECISION).stripTrailingZeros();
        return n.toPlainString() + " " + chosen.symbol();
    }
}
