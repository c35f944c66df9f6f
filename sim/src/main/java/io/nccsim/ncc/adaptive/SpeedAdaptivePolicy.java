package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Policy {@code speed_adaptive}: compress a layer only where compression makes it faster; decided per layer, once,
 * before the run.
 *
 * <p>The idea comes from the speed-adaptive method of W. Wang et al., "When Compression Meets Model Compression:
 * Memory-Efficient Double Compression for Large Language Models" (Findings of EMNLP 2024, arXiv:2502.15443). They
 * compress quantized LLM weights losslessly once more and observe that decompression, not the memory, can then set
 * the speed of inference; their answer is to compress only part of the model, giving up some of the memory saving
 * so that decompression stays off the critical path. Here the same trade is made per layer, with the NCC's numbers:
 * <ul>
 *   <li>read raw, a layer takes {@code rawBytes / dramBytesPerS};</li>
 *   <li>read compressed, it takes the longer of moving its stored bytes ({@code storedBytes / dramBytesPerS}) and
 *       decoding its symbols ({@code symbols / decoderSymbolsPerS}), since the decoder works on the bytes as they
 *       stream in;</li>
 *   <li>the layer keeps the class's configured level only if that is strictly shorter than reading it raw, and
 *       is bypassed otherwise: either the decoder is the bottleneck, or compression saves no bytes.</li>
 * </ul>
 * The test uses peak rates and the layer's sizes alone, so it is a static plan; contention at run time is what the
 * window-driven policies answer. A class takes part only if its configured level compresses (1 or more) and its
 * range allows bypass ({@code min: 0}); layer costs are summed per (class, layer). Every layer of a taking-part class
 * gets one decision at time 0, from the configured level to the chosen one (the same level when compression stays),
 * so the report shows the whole plan. The class-wide level ({@code layer} unknown) is the configured level.
 */
public final class SpeedAdaptivePolicy implements LevelPolicy {
    private final Map<DataClass, Integer> configured = new EnumMap<>(DataClass.class);
    private final Map<DataClass, Map<Integer, Integer>> byLayer = new EnumMap<>(DataClass.class);
    private final List<LevelDecision> decisions = new ArrayList<>();

    /** @throws IllegalArgumentException if a class that takes part has no layer costs, or a rate is not positive */
    public SpeedAdaptivePolicy(Map<DataClass, LevelBounds> bounds, List<LayerCost> layers, double decoderSymbolsPerS,
                               double dramBytesPerS) {
        if (!(decoderSymbolsPerS > 0) || !(dramBytesPerS > 0)) {
            throw new IllegalArgumentException("rates must be positive: decoder " + decoderSymbolsPerS
                    + " symbols/s, DRAM " + dramBytesPerS + " B/s");
        }
        bounds.forEach((dc, b) -> configured.put(dc, b.configured()));
        Map<DataClass, TreeMap<Integer, long[]>> sums = new EnumMap<>(DataClass.class);
        for (LayerCost c : layers) {
            long[] s = sums.computeIfAbsent(c.dataClass(), k -> new TreeMap<>())
                    .computeIfAbsent(c.layer(), k -> new long[3]);
            s[0] = Math.addExact(s[0], c.rawBytes());
            s[1] = Math.addExact(s[1], c.storedBytes());
            s[2] = Math.addExact(s[2], c.symbols());
        }
        for (DataClass dc : DataClass.values()) {
            LevelBounds b = bounds.get(dc);
            if (!takesPart(b)) {
                continue;
            }
            TreeMap<Integer, long[]> perLayer = sums.get(dc);
            if (perLayer == null) {
                throw new IllegalArgumentException("speed_adaptive: " + AdaptiveConfig.key(dc)
                        + " may switch between bypass and level " + b.configured() + " but no layer costs were given");
            }
            Map<Integer, Integer> chosen = new TreeMap<>();
            perLayer.forEach((layer, s) -> {
                double rawS = s[0] / dramBytesPerS;
                double storedS = s[1] / dramBytesPerS;
                double decodeS = s[2] / decoderSymbolsPerS;
                int to;
                String reason;
                if (Math.max(storedS, decodeS) < rawS) {
                    to = b.configured();
                    reason = "compressed: max(stored " + time(storedS) + ", decode " + time(decodeS) + ") < raw "
                            + time(rawS);
                } else if (storedS >= rawS) {
                    to = AdaptiveConfig.LEVEL_BYPASS;
                    reason = "bypass, no gain: stored " + time(storedS) + " >= raw " + time(rawS);
                } else {
                    to = AdaptiveConfig.LEVEL_BYPASS;
                    reason = "bypass, decoder-bound: decode " + time(decodeS) + " >= raw " + time(rawS);
                }
                chosen.put(layer, to);
                decisions.add(new LevelDecision(0, dc, layer, b.configured(), to, reason));
            });
            byLayer.put(dc, chosen);
        }
    }

    /** Whether a class has a choice: it compresses and may be bypassed. */
    public static boolean takesPart(LevelBounds b) {
        return b.configured() >= AdaptiveConfig.LEVEL_LOSSLESS && b.range().min() == AdaptiveConfig.LEVEL_BYPASS;
    }

    @Override
    public int level(DataClass dc, int layer) {
        Map<Integer, Integer> chosen = byLayer.get(dc);
        Integer level = chosen == null ? null : chosen.get(layer);
        return level != null ? level : configured.get(dc);
    }

    @Override
    public List<LevelDecision> initialDecisions() {
        return Collections.unmodifiableList(decisions);
    }

    @Override
    public List<LevelDecision> afterWindow(WindowStats w, long index) {
        return List.of();
    }

    private static String time(double s) {
        return s < 1e-6 ? String.format(Locale.ROOT, "%.3f ns", s * 1e9)
                : s < 1e-3 ? String.format(Locale.ROOT, "%.3f us", s * 1e6)
                : String.format(Locale.ROOT, "%.3f ms", s * 1e3);
    }
}
