package io.nccsim.config;

import io.nccsim.common.BadInputException;
import io.nccsim.config.Units.Dimension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A strict, typed view of one config section (a MAP node), for building immutable config records.
 *
 * <p>Strictness is the point: a misspelt key in a simulator config does not fail, it silently leaves a default in
 * place and produces plausible but wrong numbers. So the reader remembers every key the code asks for, and
 * {@link #finish()} rejects any key in the file that no code asked for, suggesting the nearest known key. Every
 * getter either returns a valid value or throws a one-line {@link BadInputException} that names the file, line and
 * column, the dotted key path, what was expected, and what was found.
 *
 * <p>Usage: read every key of a section, then call {@code finish()}. {@code finish()} also finishes every child
 * reader obtained from this one (through {@link #section}, {@link #optionalSection}, {@link #sectionList} and
 * {@link #optionalSectionList}), so it is enough to call it once on the root after the whole config is read;
 * calling it earlier on a child as well is harmless. The key checks happen only in {@code finish()} so that code
 * may read keys in any order.
 *
 * <p>A key with an empty value ({@code decoder:} followed by nothing) is a YAML null. For a section or a list it
 * means an empty one (so that a section can hold only comments); for a single value it is an error, because
 * silently falling back to a default would hide the omission.
 *
 * <p>Readers are not thread-safe: one reader is used by one thread while it builds a config.
 */
public final class ConfigReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final String SECTION = "a section (key: value lines)";
    private static final String LIST = "a list (- item lines)";

    private final ConfigNode node;
    private final String path;
    private final SourceLocation anchor;
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, String> examples = new HashMap<>();
    private final Map<String, ConfigReader> sections = new HashMap<>();
    private final Map<String, List<ConfigReader>> sectionLists = new HashMap<>();
    private final List<ConfigReader> children = new ArrayList<>();

    private ConfigReader(ConfigNode map, String path, SourceLocation anchor) {
        this.node = map;
        this.path = path;
        this.anchor = anchor;
    }

    /**
     * A reader over the root of a config tree. An empty document counts as an empty section, so that the "missing
     * required key" errors that follow tell the user what to write.
     */
    public static ConfigReader root(ConfigNode map) {
        if (map.isNull()) {
            return new ConfigReader(emptyMap(map.location()), "", map.location());
        }
        if (!map.isMap()) {
            throw new BadInputException(map.location() + ": expected " + SECTION + " at the top level, got "
                    + map.describe());
        }
        return new ConfigReader(map, "", map.location());
    }

    /** The dotted path of this section, e.g. {@code ncc.decoder} or {@code cores[1]}; empty for the root. */
    public String path() {
        return path;
    }

    /** Where this section's map starts. */
    public SourceLocation location() {
        return node.location();
    }

    /** The underlying node, e.g. to show the section in a report. */
    public ConfigNode node() {
        return node;
    }

    /**
     * The keys present in this section, for sections whose keys are names chosen by the user. Listing keys does not
     * count as reading them; read each with a getter.
     */
    public Set<String> keys() {
        return node.keys();
    }

    /** Whether the key is present. Asking counts as knowing the key, so it is never reported as unknown. */
    public boolean has(String key) {
        known.add(key);
        return node.get(key) != null;
    }

    /**
     * The raw node under {@code key} (or {@code null}), for values interpreted elsewhere; marks the key as read.
     */
    public ConfigNode raw(String key) {
        known.add(key);
        return node.get(key);
    }

    /**
     * Sets the example shown when the required key is missing ({@code missing required key 'clock' (e.g. clock: 1
     * GHz)}). Without one, quantities and choices show a generic example and other keys show none.
     *
     * @return this reader, so that the call can be chained before the getter
     */
    public ConfigReader example(String key, String exampleValue) {
        examples.put(key, exampleValue);
        return this;
    }

    // ---------------------------------------------------------------------------------------------- text and choices

    public String string(String key) {
        return valueNode(key, "a value", true).scalar();
    }

    public String string(String key, String dflt) {
        ConfigNode v = valueNode(key, "a value", false);
        return v == null ? dflt : v.scalar();
    }

    /**
     * One of the constants of {@code type}, matched ignoring case and with {@code -} taken as {@code _}, so that the
     * YAML can say {@code huffman-4lanes} for {@code HUFFMAN_4LANES}.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return choice(key, type, null, true);
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E dflt) {
        return choice(key, type, dflt, false);
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, E dflt, boolean required) {
        E[] constants = type.getEnumConstants();
        List<String> names = new ArrayList<>();
        for (E c : constants) {
            names.add(c.name().toLowerCase(Locale.ROOT));
        }
        String expected = "one of " + String.join(", ", names);
        if (!names.isEmpty()) {
            examples.putIfAbsent(key, names.get(0));
        }
        ConfigNode v = valueNode(key, expected, required);
        if (v == null) {
            return dflt;
        }
        String typed = v.scalar().strip().replace('-', '_');
        for (E c : constants) {
            if (c.name().equalsIgnoreCase(typed)) {
                return c;
            }
        }
        throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'"
                + Suggest.hint(typed.toLowerCase(Locale.ROOT), names));
    }

    /** {@code true} or {@code false} (any case); YAML 1.1's yes/no/on/off are refused as too easy to misread. */
    public boolean bool(String key) {
        return bool(key, false, true);
    }

    public boolean bool(String key, boolean dflt) {
        return bool(key, dflt, false);
    }

    private boolean bool(String key, boolean dflt, boolean required) {
        ConfigNode v = valueNode(key, "true or false", required);
        if (v == null) {
            return dflt;
        }
        String t = v.scalar().strip();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw error(v.location(), key, "expected true or false, got '" + v.scalar() + "'");
    }

    // ------------------------------------------------------------------------------------------------------- numbers

    public int integer(String key, int min, int max) {
        return (int) integral(key, min, max, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, true);
    }

    public int integer(String key, int min, int max, int dflt) {
        return (int) integral(key, min, max, Integer.MIN_VALUE, Integer.MAX_VALUE, dflt, false);
    }

    public long longValue(String key, long min, long max) {
        return integral(key, min, max, Long.MIN_VALUE, Long.MAX_VALUE, 0, true);
    }

    public long longValue(String key, long min, long max, long dflt) {
        return integral(key, min, max, Long.MIN_VALUE, Long.MAX_VALUE, dflt, false);
    }

    private long integral(String key, long min, long max, long typeMin, long typeMax, long dflt, boolean required) {
        String expected = "an integer" + range(min == typeMin ? null : Long.toString(min),
                max == typeMax ? null : Long.toString(max));
        ConfigNode v = valueNode(key, expected, required);
        if (v == null) {
            return dflt;
        }
        String t = v.scalar().strip();
        long value;
        try {
            if (!INTEGER.matcher(t).matches()) {
                throw new NumberFormatException();
            }
            value = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        if (value < min || value > max) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        return value;
    }

    /** A plain number (no unit): ratios, factors, probabilities. Physical quantities use {@link #quantity}. */
    public double number(String key, double min, double max) {
        return number(key, min, max, 0, true);
    }

    public double number(String key, double min, double max, double dflt) {
        return number(key, min, max, dflt, false);
    }

    private double number(String key, double min, double max, double dflt, boolean required) {
        String expected = "a number" + range(bound(min, ConfigReader::plain), bound(max, ConfigReader::plain));
        ConfigNode v = valueNode(key, expected, required);
        if (v == null) {
            return dflt;
        }
        String t = v.scalar().strip();
        if (!NUMBER.matcher(t).matches()) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        double value = Double.parseDouble(t);
        if (!(value >= min && value <= max)) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        return value;
    }

    // ---------------------------------------------------------------------------------------------------- quantities

    /**
     * A quantity with a unit, in the base unit of {@code d} (see {@link Units}). Infinite bounds mean unbounded.
     */
    public double quantity(String key, Dimension d, double min, double max) {
        return quantity(key, d, min, max, 0, true);
    }

    public double quantity(String key, Dimension d, double min, double max, double dflt) {
        return quantity(key, d, min, max, dflt, false);
    }

    private double quantity(String key, Dimension d, double min, double max, double dflt, boolean required) {
        Function<Double, String> fmt = x -> Units.format(x, d);
        String expected = d.description() + range(bound(min, fmt), bound(max, fmt));
        examples.putIfAbsent(key, d.example());
        ConfigNode v = valueNode(key, d.description() + ", e.g. '" + d.example() + "'", required);
        if (v == null) {
            return dflt;
        }
        double value;
        try {
            value = Units.parse(v.scalar(), d);
        } catch (IllegalArgumentException e) {
            throw error(v.location(), key, e.getMessage());
        }
        if (!(value >= min && value <= max)) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        return value;
    }

    /** A quantity that must be a whole number of base units (picoseconds, bytes), as a {@code long}. */
    private long wholeQuantity(String key, Dimension d, long min, long max, long dflt, boolean required) {
        Function<Double, String> fmt = x -> Units.format(x, d);
        String expected = d.description() + range(min == Long.MIN_VALUE ? null : fmt.apply((double) min),
                max == Long.MAX_VALUE ? null : fmt.apply((double) max));
        examples.putIfAbsent(key, d.example());
        ConfigNode v = valueNode(key, d.description() + ", e.g. '" + d.example() + "'", required);
        if (v == null) {
            return dflt;
        }
        long value;
        try {
            value = d == Dimension.TIME ? Units.parseTimePs(v.scalar()) : Units.parseBytes(v.scalar());
        } catch (IllegalArgumentException e) {
            throw error(v.location(), key, e.getMessage());
        }
        if (value < min || value > max) {
            throw error(v.location(), key, "expected " + expected + ", got '" + v.scalar() + "'");
        }
        return value;
    }

    /** A positive quantity: zero or negative frequencies and bandwidths would be divided by. */
    private double positive(String key, Dimension d, double dflt, boolean required) {
        examples.putIfAbsent(key, d.example());
        ConfigNode v = valueNode(key, d.description() + ", e.g. '" + d.example() + "'", required);
        if (v == null) {
            return dflt;
        }
        double value;
        try {
            value = Units.parse(v.scalar(), d);
        } catch (IllegalArgumentException e) {
            throw error(v.location(), key, e.getMessage());
        }
        if (!(value > 0)) {
            throw error(v.location(), key, "expected " + d.description().replaceFirst("^an? ", "a positive ")
                    + ", got '" + v.scalar() + "'");
        }
        return value;
    }

    /** A clock frequency in Hz; must be positive. */
    public double frequencyHz(String key) {
        return positive(key, Dimension.FREQUENCY, 0, true);
    }

    public double frequencyHz(String key, double dfltHz) {
        return positive(key, Dimension.FREQUENCY, dfltHz, false);
    }

    /** A time in whole picoseconds, at least 0. */
    public long timePs(String key) {
        return wholeQuantity(key, Dimension.TIME, 0, Long.MAX_VALUE, 0, true);
    }

    public long timePs(String key, long dfltPs) {
        return wholeQuantity(key, Dimension.TIME, 0, Long.MAX_VALUE, dfltPs, false);
    }

    /** A time in whole picoseconds within [minPs, maxPs]. */
    public long timePs(String key, long minPs, long maxPs) {
        return wholeQuantity(key, Dimension.TIME, minPs, maxPs, 0, true);
    }

    public long timePs(String key, long minPs, long maxPs, long dfltPs) {
        return wholeQuantity(key, Dimension.TIME, minPs, maxPs, dfltPs, false);
    }

    /** A size in whole bytes, at least 0. */
    public long sizeBytes(String key) {
        return wholeQuantity(key, Dimension.SIZE, 0, Long.MAX_VALUE, 0, true);
    }

    public long sizeBytes(String key, long dfltBytes) {
        return wholeQuantity(key, Dimension.SIZE, 0, Long.MAX_VALUE, dfltBytes, false);
    }

    /** A size in whole bytes within [minBytes, maxBytes]. */
    public long sizeBytes(String key, long minBytes, long maxBytes) {
        return wholeQuantity(key, Dimension.SIZE, minBytes, maxBytes, 0, true);
    }

    public long sizeBytes(String key, long minBytes, long maxBytes, long dfltBytes) {
        return wholeQuantity(key, Dimension.SIZE, minBytes, maxBytes, dfltBytes, false);
    }

    /** A bandwidth in bytes per second; must be positive. */
    public double bandwidthBytesPerS(String key) {
        return positive(key, Dimension.BANDWIDTH, 0, true);
    }

    public double bandwidthBytesPerS(String key, double dfltBytesPerS) {
        return positive(key, Dimension.BANDWIDTH, dfltBytesPerS, false);
    }

    /** An energy in pJ, at least 0. */
    public double energyPj(String key) {
        return quantity(key, Dimension.ENERGY, 0, Double.POSITIVE_INFINITY);
    }

    public double energyPj(String key, double dfltPj) {
        return quantity(key, Dimension.ENERGY, 0, Double.POSITIVE_INFINITY, dfltPj);
    }

    /** An energy per bit in pJ/bit, at least 0 ({@code pJ/B} is divided by 8). */
    public double energyPjPerBit(String key) {
        return quantity(key, Dimension.ENERGY_PER_BIT, 0, Double.POSITIVE_INFINITY);
    }

    public double energyPjPerBit(String key, double dfltPjPerBit) {
        return quantity(key, Dimension.ENERGY_PER_BIT, 0, Double.POSITIVE_INFINITY, dfltPjPerBit);
    }

    /** A power in W, at least 0. */
    public double powerW(String key) {
        return quantity(key, Dimension.POWER, 0, Double.POSITIVE_INFINITY);
    }

    public double powerW(String key, double dfltW) {
        return quantity(key, Dimension.POWER, 0, Double.POSITIVE_INFINITY, dfltW);
    }

    /** A voltage in V, at least 0. */
    public double voltageV(String key) {
        return quantity(key, Dimension.VOLTAGE, 0, Double.POSITIVE_INFINITY);
    }

    public double voltageV(String key, double dfltV) {
        return quantity(key, Dimension.VOLTAGE, 0, Double.POSITIVE_INFINITY, dfltV);
    }

    /** A current in A, at least 0. */
    public double currentA(String key) {
        return quantity(key, Dimension.CURRENT, 0, Double.POSITIVE_INFINITY);
    }

    public double currentA(String key, double dfltA) {
        return quantity(key, Dimension.CURRENT, 0, Double.POSITIVE_INFINITY, dfltA);
    }

    // ------------------------------------------------------------------------------------------- sections and lists

    /** A required child section. Asking twice returns the same reader, so keys read through either count. */
    public ConfigReader section(String key) {
        known.add(key);
        ConfigReader cached = sections.get(key);
        if (cached != null) {
            return cached;
        }
        ConfigNode v = node.get(key);
        if (v == null) {
            throw missing(key, examples.get(key), "a section of key: value lines");
        }
        if (!v.isNull() && !v.isMap()) {
            throw error(v.location(), key, "expected " + SECTION + ", got " + v.describe());
        }
        ConfigReader r = child(v.isNull() ? emptyMap(v.location()) : v, keyPath(key), node.keyLocation(key));
        sections.put(key, r);
        return r;
    }

    /** A child section that may be absent. */
    public Optional<ConfigReader> optionalSection(String key) {
        known.add(key);
        return node.get(key) == null ? Optional.empty() : Optional.of(section(key));
    }

    /** A required list of sections; items are read as {@code key[0]}, {@code key[1]}... */
    public List<ConfigReader> sectionList(String key) {
        known.add(key);
        if (node.get(key) == null) {
            throw missing(key, examples.get(key), "a list of sections");
        }
        return optionalSectionList(key);
    }

    /** A list of sections that may be absent (then empty). */
    public List<ConfigReader> optionalSectionList(String key) {
        known.add(key);
        List<ConfigReader> cached = sectionLists.get(key);
        if (cached != null) {
            return cached;
        }
        ConfigNode v = node.get(key);
        List<ConfigReader> result = new ArrayList<>();
        if (v != null && !v.isNull()) {
            if (!v.isList()) {
                throw error(v.location(), key, "expected " + LIST + ", got " + v.describe());
            }
            List<ConfigNode> items = v.items();
            for (int i = 0; i < items.size(); i++) {
                ConfigNode item = items.get(i);
                String itemKey = key + "[" + i + "]";
                if (!item.isNull() && !item.isMap()) {
                    throw error(item.location(), itemKey, "expected " + SECTION + ", got " + item.describe());
                }
                result.add(child(item.isNull() ? emptyMap(item.location()) : item, keyPath(itemKey),
                        item.location()));
            }
        }
        List<ConfigReader> list = Collections.unmodifiableList(result);
        sectionLists.put(key, list);
        return list;
    }

    /** A required list of values. */
    public List<String> stringList(String key) {
        return stringList(key, null, true);
    }

    /** A list of values, or {@code dflt} if the key is absent. */
    public List<String> stringList(String key, List<String> dflt) {
        return stringList(key, dflt, false);
    }

    private List<String> stringList(String key, List<String> dflt, boolean required) {
        known.add(key);
        ConfigNode v = node.get(key);
        if (v == null) {
            if (required) {
                throw missing(key, examples.get(key), "a list");
            }
            return dflt;
        }
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isList()) {
            throw error(v.location(), key, "expected " + LIST + ", got " + v.describe());
        }
        List<String> result = new ArrayList<>();
        List<ConfigNode> items = v.items();
        for (int i = 0; i < items.size(); i++) {
            ConfigNode item = items.get(i);
            if (!item.isScalar() || item.isNull()) {
                throw error(item.location(), key + "[" + i + "]", "expected a value, got " + item.describe());
            }
            result.add(item.scalar());
        }
        return List.copyOf(result);
    }

    // --------------------------------------------------------------------------------------------------------- finish

    /**
     * Rejects the first key of this section that no code asked for, then finishes the child readers in the order
     * they were obtained. Call it after reading everything; until then, unread keys are not errors.
     */
    public void finish() {
        for (String key : node.keys()) {
            if (!known.contains(key)) {
                String knownList = known.isEmpty() ? "this section takes no keys"
                        : "known keys: " + String.join(", ", known);
                throw new BadInputException(node.keyLocation(key) + ": unknown key '" + keyPath(key) + "'"
                        + Suggest.hint(key, known) + " (" + knownList + ")");
            }
        }
        for (ConfigReader c : children) {
            c.finish();
        }
    }

    // -------------------------------------------------------------------------------------------------------- helpers

    private ConfigReader child(ConfigNode map, String childPath, SourceLocation childAnchor) {
        ConfigReader r = new ConfigReader(map, childPath, childAnchor);
        children.add(r);
        return r;
    }

    /** The scalar under {@code key}, or null when absent and not required; refuses sections, lists and nulls. */
    private ConfigNode valueNode(String key, String expected, boolean required) {
        known.add(key);
        ConfigNode v = node.get(key);
        if (v == null) {
            if (required) {
                throw missing(key, examples.get(key), null);
            }
            return null;
        }
        if (!v.isScalar() || v.isNull()) {
            throw error(v.location(), key, "expected " + expected + ", got " + v.describe());
        }
        return v;
    }

    private BadInputException missing(String key, String exampleValue, String what) {
        String hint = exampleValue != null ? " (e.g. " + key + ": " + exampleValue + ")"
                : what != null ? " (" + what + ")" : "";
        return new BadInputException(anchor + ": " + (path.isEmpty() ? "" : path + ": ")
                + "missing required key '" + key + "'" + hint);
    }

    private BadInputException error(SourceLocation at, String key, String message) {
        return new BadInputException(at + ": " + keyPath(key) + ": " + message);
    }

    private String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static ConfigNode emptyMap(SourceLocation at) {
        return ConfigNode.map(new LinkedHashMap<>(), Map.of(), at);
    }

    private static String bound(double x, Function<Double, String> fmt) {
        return Double.isInfinite(x) ? null : fmt.apply(x);
    }

    private static String range(String min, String max) {
        if (min != null && max != null) {
            return " from " + min + " to " + max;
        }
        if (min != null) {
            return " of at least " + min;
        }
        if (max != null) {
            return " of at most " + max;
        }
        return "";
    }

    private static String plain(double x) {
        double a = Math.abs(x);
        if (a != 0 && (a < 1e-4 || a >= 1e15)) {
            return Double.toString(x);
        }
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "ConfigReader[" + (path.isEmpty() ? "(root)" : path) + " at " + node.location() + "]";
    }
}
