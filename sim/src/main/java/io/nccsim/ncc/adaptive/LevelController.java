package io.nccsim.ncc.adaptive;

import io.nccsim.common.BadInputException;
import io.nccsim.config.AdaptiveConfig;
import io.nccsim.config.AdaptiveConfig.LevelRange;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The NCC's level controller, one per run: answers which compression level each class (and layer) uses now, takes
 * the NCC's measurements at the end of every window ({@code ncc.adaptive.window}) and lets the configured
 * {@link LevelPolicy} switch levels, and keeps the record of every switch and of the time spent at each level.
 *
 * <p>The controller, not the policy, guarantees the limits: every level a policy returns is checked against the
 * class's allowed range, which excludes the learned levels 5..7 unless the config allows them.
 *
 * <p>Use from the NCC timing model:
 * <pre>{@code
 * LevelController levels = new LevelController(cfg, configuredLevels, layerCosts, decoderSymbolsPerS, dramBytesPerS);
 * int level = levels.level(DataClass.KV_CACHE, layer);      // for every tile, -1 when the layer is unknown
 * levels.observe(new WindowStats(start, end, dram, buffer, dec, enc));   // at every window end
 * levels.decisions(); levels.timeAtLevelPs(); levels.layersAtLevel();   // for the report
 * }</pre>
 * Not thread-safe: one NCC model drives it from its simulation thread.
 */
public final class LevelController {
    private final AdaptiveConfig config;
    private final Map<DataClass, LevelBounds> bounds;
    private final LevelPolicy policy;
    private final Map<DataClass, TreeSet<Integer>> knownLayers = new EnumMap<>(DataClass.class);
    private final List<LevelDecision> decisions = new ArrayList<>();
    private final long[][] timeAtLevelPs = new long[DataClass.values().length][AdaptiveConfig.LEVEL_MAX + 1];
    private long windows;
    private long lastEndPs = -1;

    /**
     * @param cfg                the {@code ncc.adaptive} section ({@link AdaptiveConfig#STATIC_DEFAULT} without one)
     * @param configuredLevels   each class's level from {@code ncc.levels}: the start level of every policy
     * @param layers             per-layer costs (the speed-adaptive policy's input; may be empty for the others)
     * @param decoderSymbolsPerS the decoder's peak rate, all lanes
     * @param dramBytesPerS      the DRAM's peak bandwidth
     * @throws BadInputException if a configured level contradicts {@code ncc.adaptive}
     */
    public LevelController(AdaptiveConfig cfg, Map<DataClass, Integer> configuredLevels, List<LayerCost> layers,
                           double decoderSymbolsPerS, double dramBytesPerS) {
        this.config = Objects.requireNonNull(cfg, "cfg");
        Map<DataClass, LevelBounds> b = new EnumMap<>(DataClass.class);
        for (DataClass dc : DataClass.values()) {
            Integer level = configuredLevels.get(dc);
            if (level == null || level < 0 || level > AdaptiveConfig.LEVEL_MAX) {
                throw new IllegalArgumentException("configured level of " + AdaptiveConfig.key(dc) + ": " + level);
            }
            String key = AdaptiveConfig.key(dc);
            if (level >= AdaptiveConfig.LEVEL_LEARNED_MIN && !cfg.allowLearned()) {
                throw new BadInputException("ncc.levels." + key + " is " + AdaptiveConfig.describeLevel(level)
                        + ", a learned-codec level this NCC does not have yet; set ncc.adaptive.allow_learned: true"
                        + " to allow it");
            }
            LevelRange range = cfg.rangeOr(dc, level);
            if (!range.contains(level)) {
                throw new BadInputException("ncc.levels." + key + " is " + AdaptiveConfig.describeLevel(level)
                        + " but ncc.adaptive." + key + " allows only levels " + range.min() + ".." + range.max()
                        + "; widen the range or change the level");
            }
            b.put(dc, new LevelBounds(level, range));
        }
        this.bounds = Collections.unmodifiableMap(b);
        for (LayerCost c : layers) {
            knownLayers.computeIfAbsent(c.dataClass(), k -> new TreeSet<>()).add(c.layer());
        }
        this.policy = switch (cfg.policy()) {
            case STATIC -> new StaticPolicy(bounds, cfg.overrides());
            case BANDWIDTH_PRESSURE -> new BandwidthPressurePolicy(bounds, cfg.high(), cfg.low(), cfg.dwellWindows());
            case SRAM_OCCUPANCY -> new SramOccupancyPolicy(bounds, cfg.high(), cfg.low(), cfg.dwellWindows());
            case SPEED_ADAPTIVE -> {
                if (bounds.values().stream().noneMatch(SpeedAdaptivePolicy::takesPart)) {
                    throw new BadInputException("ncc.adaptive.policy speed_adaptive has no class to decide: it needs a"
                            + " class whose ncc.levels compresses and whose range allows bypass, e.g."
                            + " ncc.adaptive.weights: {min: 0, max: 1}");
                }
                yield new SpeedAdaptivePolicy(bounds, layers, decoderSymbolsPerS, dramBytesPerS);
            }
        };
        for (LevelDecision d : policy.initialDecisions()) {
            record(d);
        }
    }

    /** The level {@code dc} uses now in {@code layer}; {@code -1} ({@link LevelDecision#ALL_LAYERS}) if unknown. */
    public int level(DataClass dc, int layer) {
        return policy.level(dc, layer);
    }

    /**
     * Takes the measurements of the window that just ended: counts the window's time at the levels in effect, then
     * lets the policy switch; a switch takes effect at {@code w.endPs()}. Windows come in time order and do not
     * overlap; their length is the NCC's business (normally {@link #windowPs()}, the last one may be shorter).
     */
    public void observe(WindowStats w) {
        if (w.startPs() < lastEndPs) {
            throw new IllegalArgumentException("window [" + w.startPs() + ", " + w.endPs()
                    + ") ps starts before the previous one ended at " + lastEndPs + " ps");
        }
        for (DataClass dc : DataClass.values()) {
            timeAtLevelPs[dc.ordinal()][policy.level(dc, LevelDecision.ALL_LAYERS)] += w.durationPs();
        }
        for (LevelDecision d : policy.afterWindow(w, windows)) {
            record(d);
        }
        windows++;
        lastEndPs = w.endPs();
    }

    private void record(LevelDecision d) {
        LevelRange range = bounds.get(d.dataClass()).range();
        if (!range.contains(d.toLevel())) {
            throw new IllegalStateException("policy " + config.policy() + " chose level " + d.toLevel() + " for "
                    + AdaptiveConfig.key(d.dataClass()) + ", outside its range " + range.min() + ".." + range.max());
        }
        decisions.add(d);
    }

    /** Every choice so far, in time order: speed_adaptive's plan at time 0, then each switch at its window's end. */
    public List<LevelDecision> decisions() {
        return List.copyOf(decisions);
    }

    /**
     * Observed time each class spent at each level (class-wide level), keyed {@code kv_cache.lossless}; levels a
     * class never used are left out. Per-layer levels (static overrides, speed_adaptive) are in
     * {@link #layersAtLevel()}.
     */
    public Map<String, Long> timeAtLevelPs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DataClass dc : DataClass.values()) {
            for (int level = 0; level <= AdaptiveConfig.LEVEL_MAX; level++) {
                long t = timeAtLevelPs[dc.ordinal()][level];
                if (t > 0) {
                    out.put(AdaptiveConfig.key(dc) + "." + AdaptiveConfig.LEVEL_NAMES.get(level), t);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    public long timeAtLevelPs(DataClass dc, int level) {
        return timeAtLevelPs[dc.ordinal()][level];
    }

    /** How many of the layers given in the layer costs use each level now, per class, keyed {@code weights.bypass}. */
    public Map<String, Integer> layersAtLevel() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (DataClass dc : DataClass.values()) {
            int[] n = new int[AdaptiveConfig.LEVEL_MAX + 1];
            for (int layer : knownLayers.getOrDefault(dc, new TreeSet<>())) {
                n[policy.level(dc, layer)]++;
            }
            for (int level = 0; level <= AdaptiveConfig.LEVEL_MAX; level++) {
                if (n[level] > 0) {
                    out.put(AdaptiveConfig.key(dc) + "." + AdaptiveConfig.LEVEL_NAMES.get(level), n[level]);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** How often the NCC should call {@link #observe}. */
    public long windowPs() {
        return config.windowPs();
    }

    public AdaptiveConfig config() {
        return config;
    }

    /** Windows observed so far. */
    public long windowsObserved() {
        return windows;
    }
}
