package io.nccsim.sweep;

import io.nccsim.driver.Comparison;
import io.nccsim.driver.RunResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers a sweep keeps per point, in the column order of results.csv. Names follow report.json: the summary
 * ratios, then the baseline's and the NCC's own figures.
 */
public final class SweepMetrics {
    /**
     * Metric names, in order: {@code bandwidth_saved_pct} (DRAM bytes read plus written), {@code speedup} (whole
     * trace), {@code decode_speedup}, {@code energy_saved_pct}, {@code baseline_tokens_per_s},
     * {@code ncc_tokens_per_s} (decode throughput), {@code baseline_energy_j}, {@code ncc_energy_j} (totals),
     * {@code ncc_component_energy_j} (the NCC's own share of the NCC run), {@code ncc_area_mm2} (all blocks),
     * {@code baseline_sim_time_s}, {@code ncc_sim_time_s}, {@code baseline_dram_bytes}, {@code ncc_dram_bytes}
     * (read plus written; integers).
     */
    public static final List<String> NAMES = List.of("bandwidth_saved_pct", "speedup", "decode_speedup",
            "energy_saved_pct", "baseline_tokens_per_s", "ncc_tokens_per_s", "baseline_energy_j", "ncc_energy_j",
            "ncc_component_energy_j", "ncc_area_mm2", "baseline_sim_time_s", "ncc_sim_time_s", "baseline_dram_bytes",
            "ncc_dram_bytes");

    private SweepMetrics() {
    }

    /** Whether the metric counts bytes, and so is written as an integer. */
    static boolean isInteger(String name) {
        return name.endsWith("_bytes");
    }

    /** The metrics of one point, by name in {@link #NAMES} order. */
    public static Map<String, Double> of(Comparison c) {
        RunResult b = c.baseline();
        RunResult n = c.ncc();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bandwidth_saved_pct", c.bandwidthSavedPct());
        m.put("speedup", c.speedup());
        m.put("decode_speedup", c.decodeSpeedup());
        m.put("energy_saved_pct", c.energySavedPct());
        m.put("baseline_tokens_per_s", b.tokensPerS());
        m.put("ncc_tokens_per_s", n.tokensPerS());
        m.put("baseline_energy_j", b.energy().total());
        m.put("ncc_energy_j", n.energy().total());
        m.put("ncc_component_energy_j", n.energy().component("ncc"));
        m.put("ncc_area_mm2", n.nccAreaMm2().values().stream().mapToDouble(Double::doubleValue).sum());
        m.put("baseline_sim_time_s", b.simTimeS());
        m.put("ncc_sim_time_s", n.simTimeS());
        m.put("baseline_dram_bytes", (double) (b.memory().bytesRead() + b.memory().bytesWritten()));
        m.put("ncc_dram_bytes", (double) (n.memory().bytesRead() + n.memory().bytesWritten()));
        return m;
    }
}
