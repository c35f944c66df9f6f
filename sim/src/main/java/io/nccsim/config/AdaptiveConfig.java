package io.nccsim.config;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the NCC chooses its compression level at run time (YAML section {@code ncc.adaptive}; optional).
 *
 * <p>Levels are the ISA's {@code CONFIG} levels: 0 = bypass, 1 = lossless Huffman, 2..4 = lossy (the low 1, 2, 3
 * bits of each element dropped before Huffman coding), 5..7 = learned codec. In YAML a level is its number or its
 * name ({@link #LEVEL_NAMES}: bypass, lossless, drop1, drop2, drop3, learned1, learned2, learned3).
 *
 * <pre>{@code
 * adaptive:
 *   policy: bandwidth_pressure   # static | bandwidth_pressure | sram_occupancy | speed_adaptive
 *   window: 10 us                # the controller observes, and may switch, once per window
 *   high: 0.9                    # watermarks (fractions of the window)
 *   low: 0.6
 *   dwell_windows: 2             # at least 2 windows between two switches of one class
 *   allow_learned: false         # levels 5..7 are not available yet
 *   weights: {min: 1, max: 1}    # allowed levels per class; a class not listed stays at ncc.levels
 *   activations: {min: 0, max: 1}
 *   kv_cache: {min: lossless, max: drop2}
 *   overrides:                   # policy static: per-layer levels
 *     - {layers: 0-3, weights: bypass}
 *     - {layers: 28-31, kv_cache: drop1}
 * }</pre>
 *
 * <p>Every key is read whatever the policy, so that switching policy with {@code --set ncc.adaptive.policy=...}
 * needs no other edit; each policy uses only its own keys (static: {@code overrides}; the watermark policies:
 * {@code window}, {@code high}, {@code low}, {@code dwell_windows} and the ranges; speed_adaptive: the ranges).
 *
 * @param policy        how levels are chosen
 * @param windowPs      observation window: the NCC reports its counters, and the controller may switch, once per
 *                      window
 * @param high          upper watermark (fraction 0..1) of the policy's measured quantity
 * @param low           lower watermark, below {@code high}; the gap between them is half of the hysteresis
 * @param dwellWindows  the other half: at least this many windows between two switches of the same class
 * @param allowLearned  whether ranges and overrides may name the learned levels 5..7
 * @param ranges        allowed level range of each class that has one; a class without a range is pinned to its
 *                      configured level ({@code ncc.levels}): a dynamic policy never moves it
 * @param overrides     per-layer levels for policy static, in file order; no two cover one layer of one class
 */
public record AdaptiveConfig(Policy policy, long windowPs, double high, double low, int dwellWindows,
                             boolean allowLearned, Map<DataClass, LevelRange> ranges, List<LayerOverride> overrides) {

    public static final int LEVEL_BYPASS = 0;
    public static final int LEVEL_LOSSLESS = 1;
    /** The lossy levels drop {@code level - 1} low bits: 2..4 drop 1..3 bits. */
    public static final int LEVEL_LOSSY_MIN = 2;
    public static final int LEVEL_LOSSY_MAX = 4;
    /** Levels 5..7: learned codec, not implemented yet; only chosen when {@code allow_learned: true}. */
    public static final int LEVEL_LEARNED_MIN = 5;
    /** The ISA's level field is 3 bits wide. */
    public static final int LEVEL_MAX = 7;
    /** YAML names of levels 0..7, index = level. */
    public static final List<String> LEVEL_NAMES =
            List.of("bypass", "lossless", "drop1", "drop2", "drop3", "learned1", "learned2", "learned3");

    /** How levels are chosen; see {@code io.nccsim.ncc.adaptive} for each policy's rule. */
    public enum Policy { STATIC, BANDWIDTH_PRESSURE, SRAM_OCCUPANCY, SPEED_ADAPTIVE }

    // ASSUMPTION: 10 us moves 256 KB at the 25.6 GB/s of a 64-bit LPDDR4-3200 bus, about one NCC data buffer
    // (256 KiB in ncc/huffman_base.yaml): long enough to average over many tiles, short against one decode step
    // (tens of ms for a 1B-parameter int4 model), so the controller reacts within a step.
    private static final long DEFAULT_WINDOW_PS = 10_000_000L;
    // ASSUMPTION: a DRAM bus is saturated above about 0.9 of peak (refresh and read/write turnarounds take the
    // rest). low = 0.6 leaves a band wide enough that one step, which changes the bytes moved by up to about 30%,
    // cannot carry the utilization from above high to below low (0.9 x 0.7 = 0.63 > 0.6): no ping-pong.
    private static final double DEFAULT_HIGH = 0.9;
    private static final double DEFAULT_LOW = 0.6;
    // ASSUMPTION: two windows let the DRAM queues drain after a switch before its effect is judged.
    private static final int DEFAULT_DWELL_WINDOWS = 2;

    /** For configs without {@code ncc.adaptive}: every class at its configured level, never switching. */
    public static final AdaptiveConfig STATIC_DEFAULT = new AdaptiveConfig(Policy.STATIC, DEFAULT_WINDOW_PS,
            DEFAULT_HIGH, DEFAULT_LOW, DEFAULT_DWELL_WINDOWS, false, Map.of(), List.of());

    public AdaptiveConfig {
        if (windowPs <= 0) {
            throw new IllegalArgumentException("window must be positive, got " + windowPs + " ps");
        }
        if (!(low >= 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 1, got low " + low + ", high " + high);
        }
        if (dwellWindows < 0) {
            throw new IllegalArgumentException("dwell_windows must be >= 0, got " + dwellWindows);
        }
        ranges = Map.copyOf(ranges);
        overrides = List.copyOf(overrides);
    }

    /** The allowed levels of one class, {@code min <= max}, both within 0..7. */
    public record LevelRange(int min, int max) {
        public LevelRange {
            if (min < 0 || max > LEVEL_MAX || min > max) {
                throw new IllegalArgumentException("level range " + min + ".." + max + " not within 0.." + LEVEL_MAX);
            }
        }

        public boolean contains(int level) {
            return level >= min && level <= max;
        }

        /** A range of one level: the class cannot move. */
        public static LevelRange pinned(int level) {
            return new LevelRange(level, level);
        }
    }

    /**
     * Levels for the layers {@code firstLayer..lastLayer} (inclusive) of the classes in {@code levels}; the other
     * classes keep their configured level in those layers.
     */
    public record LayerOverride(int firstLayer, int lastLayer, Map<DataClass, Integer> levels) {
        public LayerOverride {
            if (firstLayer < 0 || lastLayer < firstLayer) {
                throw new IllegalArgumentException("layer range " + firstLayer + "-" + lastLayer);
            }
            levels = Map.copyOf(levels);
        }

        public boolean covers(int layer) {
            return layer >= firstLayer && layer <= lastLayer;
        }

        String layersText() {
            return firstLayer == lastLayer ? Integer.toString(firstLayer) : firstLayer + "-" + lastLayer;
        }
    }

    /** The range of {@code dc} if the config gives one, else the configured level alone. */
    public LevelRange rangeOr(DataClass dc, int configuredLevel) {
        LevelRange r = ranges.get(dc);
        return r != null ? r : LevelRange.pinned(configuredLevel);
    }

    /** {@code 2 (drop1)}: a level with its name, for messages and reports. */
    public static String describeLevel(int level) {
        return level >= 0 && level <= LEVEL_MAX ? level + " (" + LEVEL_NAMES.get(level) + ")" : Integer.toString(level);
    }

    /** The YAML key of a data class: weights, activations, kv_cache. */
    public static String key(DataClass dc) {
        return dc.name().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------------------------------------------ reading

    private static final Pattern LAYERS = Pattern.compile("\\s*(\\d{1,9})\\s*(?:-\\s*(\\d{1,9})\\s*)?");

    /** {@code ncc.adaptive} if present, else {@link #STATIC_DEFAULT}; {@code ncc} is the reader of section ncc. */
    public static AdaptiveConfig readOptional(ConfigReader ncc) {
        return ncc.optionalSection("adaptive").map(AdaptiveConfig::read).orElse(STATIC_DEFAULT);
    }

    /** Reads the section {@code ncc.adaptive} itself ({@code r} is that section's reader). */
    public static AdaptiveConfig read(ConfigReader r) {
        Policy policy = r.choice("policy", Policy.class);
        long windowPs = r.timePs("window", 1, Long.MAX_VALUE, DEFAULT_WINDOW_PS);
        double high = r.number("high", 0, 1, DEFAULT_HIGH);
        double low = r.number("low", 0, 1, DEFAULT_LOW);
        if (!(low < high)) {
            ConfigNode at = r.has("low") ? r.raw("low") : r.raw("high");
            throw new BadInputException(where(r, at) + ": " + path(r, "low") + " " + plain(low) + " must be below "
                    + path(r, "high") + " " + plain(high) + " (compress more above high, less below low)");
        }
        int dwell = r.integer("dwell_windows", 0, 1_000_000, DEFAULT_DWELL_WINDOWS);
        boolean allowLearned = r.bool("allow_learned", false);

        Map<DataClass, LevelRange> ranges = new EnumMap<>(DataClass.class);
        for (DataClass dc : DataClass.values()) {
            if (r.has(key(dc))) {
                ConfigReader s = r.section(key(dc));
                int min = level(s, "min", allowLearned);
                int max = level(s, "max", allowLearned);
                if (min > max) {
                    throw new BadInputException(where(s, s.raw("min")) + ": " + path(s, "min") + " "
                            + describeLevel(min) + " is above " + path(s, "max") + " " + describeLevel(max));
                }
                s.finish();
                ranges.put(dc, new LevelRange(min, max));
            }
        }
        if (policy != Policy.STATIC && ranges.values().stream().allMatch(x -> x.min() == x.max())) {
            throw new BadInputException(r.location() + ": " + path(r, "policy") + " "
                    + policy.name().toLowerCase(Locale.ROOT) + " has no class to move: give at least one class a"
                    + " range of two or more levels, e.g. " + path(r, "kv_cache") + ": {min: 1, max: 3}");
        }

        List<LayerOverride> overrides = new ArrayList<>();
        List<ConfigReader> items = r.optionalSectionList("overrides");
        for (ConfigReader item : items) {
            LayerOverride o = override(item, allowLearned);
            for (int j = 0; j < overrides.size(); j++) {
                LayerOverride prev = overrides.get(j);
                boolean overlap = o.firstLayer() <= prev.lastLayer() && prev.firstLayer() <= o.lastLayer();
                for (DataClass dc : o.levels().keySet()) {
                    if (overlap && prev.levels().containsKey(dc)) {
                        throw new BadInputException(where(item, item.raw("layers")) + ": " + path(item, "layers")
                                + " " + o.layersText() + " overlaps overrides[" + j + "] (" + prev.layersText()
                                + ") for " + key(dc) + "; give each layer of a class one override");
                    }
                }
            }
            overrides.add(o);
        }
        r.finish();
        return new AdaptiveConfig(policy, windowPs, high, low, dwell, allowLearned, ranges, overrides);
    }

    private static LayerOverride override(ConfigReader item, boolean allowLearned) {
        String text = item.example("layers", "0-3").string("layers");
        Matcher m = LAYERS.matcher(text);
        int first = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        int last = m.matches() ? (m.group(2) != null ? Integer.parseInt(m.group(2)) : first) : -1;
        if (first < 0 || last < first) {
            throw new BadInputException(where(item, item.raw("layers")) + ": " + path(item, "layers")
                    + ": expected a layer or an ascending range of layers such as 5 or 0-3, got '" + text + "'");
        }
        Map<DataClass, Integer> levels = new EnumMap<>(DataClass.class);
        for (DataClass dc : DataClass.values()) {
            if (item.has(key(dc))) {
                levels.put(dc, level(item, key(dc), allowLearned));
            }
        }
        item.finish(); // first, so that a misspelt class gets its "did you mean"
        if (levels.isEmpty()) {
            throw new BadInputException(item.location() + ": " + item.path()
                    + ": an override names no class; add e.g. weights: bypass");
        }
        return new LayerOverride(first, last, levels);
    }

    /** A level given by number (0..7) or name; a learned level only when allowed. */
    private static int level(ConfigReader r, String key, boolean allowLearned) {
        String text = r.example(key, "lossless").string(key).strip();
        int level = LEVEL_NAMES.indexOf(text.toLowerCase(Locale.ROOT));
        if (level < 0 && text.matches("\\d{1,2}")) {
            level = Integer.parseInt(text);
        }
        if (level < 0 || level > LEVEL_MAX) {
            throw new BadInputException(where(r, r.raw(key)) + ": " + path(r, key) + ": expected a level 0.."
                    + LEVEL_MAX + " or one of " + String.join(", ", LEVEL_NAMES) + ", got '" + text + "'");
        }
        if (level >= LEVEL_LEARNED_MIN && !allowLearned) {
            throw new BadInputException(where(r, r.raw(key)) + ": " + path(r, key) + ": level "
                    + describeLevel(level) + " is a learned-codec level, which this NCC does not have yet;"
                    + " use a level up to " + LEVEL_LOSSY_MAX + " or set allow_learned: true");
        }
        return level;
    }

    private static SourceLocation where(ConfigReader r, ConfigNode at) {
        return at != null ? at.location() : r.location();
    }

    private static String path(ConfigReader r, String key) {
        return r.path().isEmpty() ? key : r.path() + "." + key;
    }

    private static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }
}
