package io.nccsim.report;

import java.util.Map;

/**
 * One point of a sweep as {@code results.jsonl} holds it (or one run's report read the same way): what was set, what
 * came out, and whether the trace's content was captured or modeled.
 *
 * @param index    the point's place in the sweep
 * @param id       its stable id, e.g. "p0003-1a2b3c4d"
 * @param trace    the trace file
 * @param settings the settings of its axes, by key (insertion order kept), e.g. "ncc.decoder.lanes" -> "8"
 * @param metrics  the results, by name (insertion order kept), e.g. "ncc_energy_j" -> 0.12
 * @param content  "captured" or "modeled"
 */
public record SweepPoint(int index, String id, String trace, Map<String, String> settings,
                         Map<String, Double> metrics, String content) {
    public SweepPoint {
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** The metric's value, or NaN when the point has none. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    public boolean modeled() {
        return !"captured".equals(content);
    }
}
