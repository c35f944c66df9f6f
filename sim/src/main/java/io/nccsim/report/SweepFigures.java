package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The figures of a sweep (or of several runs read as sweep points): every metric that varies against every axis
 * that varies, one series per combination of the other axes, and Pareto fronts of the NCC designs (energy against
 * throughput, and energy against area) with the Pareto-optimal designs marked and joined.
 */
public final class SweepFigures {
    /** One swept setting: its key (a dotted config path, "base", or "trace") and its values in sweep order. */
    public record Axis(String key, List<String> values) {
        public Axis {
            values = List.copyOf(values);
        }

        /** True when every value is a plain number, so that the axis is drawn to scale. */
        boolean numeric() {
            for (String v : values) {
                try {
                    Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return true;
        }
    }

    static final String TRACE_AXIS = "trace";

    private SweepFigures() {
    }

    /** The figures of a sweep; {@code sweep} (sweep.json) may be null, then the axes come from the points. */
    public static FigureSet of(List<SweepPoint> points, JsonNode sweep) {
        List<Axis> axes = varyingAxes(points, sweep);
        List<Figure> figures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String content = contentNote(points);
        List<String> metrics = metricNames(points);
        if (axes.isEmpty()) {
            skipped.add("metric-vs-axis figures: no axis takes more than one value in these points");
        }
        for (Axis axis : axes) {
            for (String metric : metrics) {
                if (varies(points, metric)) {
                    figures.add(metricVsAxis(points, axes, axis, metric, content));
                }
            }
        }
        figures.addAll(paretoFigures(points, axes, skipped));
        return new FigureSet(figures, skipped);
    }

    /** The axes that take more than one value among the points, with "trace" added when several traces ran. */
    public static List<Axis> varyingAxes(List<SweepPoint> points, JsonNode sweep) {
        Map<String, List<String>> declared = new LinkedHashMap<>();
        if (sweep != null) {
            for (JsonNode a : sweep.path("axes")) {
                List<String> values = new ArrayList<>();
                a.path("values").forEach(v -> values.add(v.asText()));
                declared.put(a.path("key").asText(), values);
            }
        }
        for (SweepPoint p : points) {
            p.settings().keySet().forEach(k -> declared.putIfAbsent(k, new ArrayList<>()));
        }
        if (!declared.containsKey(TRACE_AXIS)) {
            declared.put(TRACE_AXIS, new ArrayList<>());
        }
        List<Axis> axes = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : declared.entrySet()) {
            Set<String> seen = new LinkedHashSet<>();
            for (SweepPoint p : points) {
                String v = value(p, e.getKey());
                if (v != null) {
                    seen.add(v);
                }
            }
            // Declared order first (as the spec lists them), then any value a point has that the spec did not list.
            List<String> ordered = new ArrayList<>();
            for (String v : e.getValue()) {
                if (seen.contains(v) && !ordered.contains(v)) {
                    ordered.add(v);
                }
            }
            for (String v : seen) {
                if (!ordered.contains(v)) {
                    ordered.add(v);
                }
            }
            if (ordered.size() > 1) {
                axes.add(new Axis(e.getKey(), ordered));
            }
        }
        return axes;
    }

    static String value(SweepPoint p, String key) {
        String v = p.settings().get(key);
        if (v == null && key.equals(TRACE_AXIS)) {
            return p.trace();
        }
        return v;
    }

    /** How a setting's value is shown: a config or trace file by its stem ("configs/rpi5.yaml" is "rpi5"). */
    public static String display(String value) {
        String v = value.trim();
        if (v.endsWith(".yaml") || v.endsWith(".yml") || v.endsWith(".trace") || v.endsWith(".json")) {
            int slash = Math.max(v.lastIndexOf('/'), v.lastIndexOf('\\'));
            v = v.substring(slash + 1, v.lastIndexOf('.'));
        }
        return v;
    }

    /** A setting's key as a legend shows it: the last two parts of a dotted path ("decoder.lanes"). */
    static String shortKey(String key) {
        if (key.equals("base")) {
            return "board";
        }
        String[] parts = key.split("\\.");
        return parts.length <= 2 ? key : parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    static List<String> metricNames(List<SweepPoint> points) {
        Set<String> names = new LinkedHashSet<>();
        points.forEach(p -> names.addAll(p.metrics().keySet()));
        return new ArrayList<>(names);
    }

    private static boolean varies(List<SweepPoint> points, String metric) {
        Set<Double> values = new TreeSet<>();
        for (SweepPoint p : points) {
            double v = p.metric(metric);
            if (Double.isFinite(v)) {
                values.add(v);
            }
        }
        return values.size() > 1;
    }

    /** The caption sentence on where the numbers come from: modeled when any point's content is modeled. */
    static String contentNote(List<SweepPoint> points) {
        boolean modeled = points.stream().anyMatch(SweepPoint::modeled);
        return RunFigures.contentNote(modeled ? "modeled" : "captured");
    }

    /** The axis label of a metric, with its unit. */
    public static String metricLabel(String metric) {
        return switch (metric) {
            case "bandwidth_saved_pct" -> "DRAM bytes saved (%)";
            case "energy_saved_pct" -> "energy saved (%)";
            case "speedup" -> "speedup, whole trace (x)";
            case "decode_speedup" -> "decode speedup (x)";
            case "baseline_tokens_per_s" -> "baseline decode throughput (tokens/s)";
            case "ncc_tokens_per_s" -> "NCC decode throughput (tokens/s)";
            case "baseline_energy_j" -> "baseline energy (J)";
            case "ncc_energy_j" -> "NCC-run energy (J)";
            case "ncc_component_energy_j" -> "energy of the NCC itself (J)";
            case "ncc_area_mm2" -> "NCC area (mm2)";
            case "baseline_sim_time_s" -> "baseline simulated time (s)";
            case "ncc_sim_time_s" -> "NCC-run simulated time (s)";
            case "baseline_dram_bytes" -> "baseline DRAM traffic (bytes)";
            case "ncc_dram_bytes" -> "NCC-run DRAM traffic (bytes)";
            default -> metric.replace('_', ' ') + unitBySuffix(metric);
        };
    }

    private static String unitBySuffix(String metric) {
        if (metric.endsWith("_pct")) {
            return " (%)";
        } else if (metric.endsWith("_per_s")) {
            return " (per s)";
        } else if (metric.endsWith("_j")) {
            return " (J)";
        } else if (metric.endsWith("_s")) {
            return " (s)";
        } else if (metric.endsWith("_mm2")) {
            return " (mm2)";
        } else if (metric.endsWith("_bytes")) {
            return " (bytes)";
        }
        return "";
    }

    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]+", "_");
    }

    private static Figure metricVsAxis(List<SweepPoint> points, List<Axis> axes, Axis axis, String metric,
                                       String content) {
        List<Axis> others = axes.stream().filter(a -> !a.key().equals(axis.key())).toList();
        boolean numeric = axis.numeric();
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            String v = value(p, axis.key());
            double y = p.metric(metric);
            if (v == null || !Double.isFinite(y)) {
                continue;
            }
            double x = numeric ? Double.parseDouble(v.trim()) : axis.values().indexOf(v);
            bySeries.computeIfAbsent(seriesName(p, others, metric), k -> new ArrayList<>()).add(new double[]{x, y});
        }
        List<Figures.Series> series = new ArrayList<>();
        for (Map.Entry<String, List<double[]>> e : bySeries.entrySet()) {
            if (series.size() == Figures.MAX_SERIES) {
                break;
            }
            List<double[]> pts = e.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            series.add(new Figures.Series(e.getKey(), pts.stream().mapToDouble(a -> a[0]).toArray(),
                    pts.stream().mapToDouble(a -> a[1]).toArray()));
        }
        String xLabel = axis.key().equals(TRACE_AXIS) ? "trace" : axis.key() + (axis.key().equals("base")
                ? " (board config)" : "");
        Figures.XyChart chart = Figures.XyChart.lines(metricLabel(metric) + " against " + shortKey(axis.key()),
                xLabel, metricLabel(metric), series);
        if (!numeric) {
            chart = chart.withStyle(Figures.Style.SCATTER)
                    .withXCategories(axis.values().stream().map(SweepFigures::display).toList());
        }
        String per = others.isEmpty() ? "" : ", one series per "
                + String.join(" and ", others.stream().map(a -> shortKey(a.key())).toList());
        String cut = bySeries.size() > series.size() ? String.format(Locale.ROOT, " (the first %d of %d series)",
                series.size(), bySeries.size()) : "";
        return new Figure(fileName(metric + "-vs-" + axis.key()), metricLabel(metric) + " against " + axis.key()
                + per + cut + ". " + content, chart);
    }

    private static String seriesName(SweepPoint p, List<Axis> others, String metric) {
        if (others.isEmpty()) {
            return metricLabel(metric);
        }
        List<String> parts = new ArrayList<>();
        for (Axis o : others) {
            String v = value(p, o.key());
            parts.add(shortKey(o.key()) + "=" + (v == null ? "-" : display(v)));
        }
        return String.join(", ", parts);
    }

    /** Which way better lies for the throughput objective of a group of points. */
    record Throughput(String metric, ParetoFront.Goal goal, String label) {
    }

    /**
     * Decode tokens/s (higher is better) when any point decodes; an encoder's trace has no decode, so its NCC-run
     * simulated time (lower is better) stands in.
     */
    static Throughput throughput(List<SweepPoint> group) {
        boolean decodes = group.stream().anyMatch(p -> p.metric("ncc_tokens_per_s") > 0);
        return decodes
                ? new Throughput("ncc_tokens_per_s", ParetoFront.Goal.MAXIMIZE,
                "NCC decode throughput (tokens/s, higher is better)")
                : new Throughput("ncc_sim_time_s", ParetoFront.Goal.MINIMIZE,
                "NCC-run simulated time (s, lower is better)");
    }

    /** The points on the energy-throughput front of their trace's group, by id. */
    public static Set<String> paretoIds(List<SweepPoint> points) {
        Set<String> ids = new LinkedHashSet<>();
        for (List<SweepPoint> group : byTrace(points).values()) {
            Throughput t = throughput(group);
            List<SweepPoint> usable = usable(group, t.metric());
            double[][] xy = objectives(usable, t.metric(), "ncc_energy_j");
            for (int i : ParetoFront.indices(xy, List.of(t.goal(), ParetoFront.Goal.MINIMIZE))) {
                ids.add(usable.get(i).id());
            }
        }
        return ids;
    }

    private static Map<String, List<SweepPoint>> byTrace(List<SweepPoint> points) {
        Map<String, List<SweepPoint>> groups = new LinkedHashMap<>();
        points.forEach(p -> groups.computeIfAbsent(p.trace(), k -> new ArrayList<>()).add(p));
        return groups;
    }

    private static List<SweepPoint> usable(List<SweepPoint> group, String xMetric) {
        return group.stream().filter(p -> Double.isFinite(p.metric(xMetric))
                && Double.isFinite(p.metric("ncc_energy_j"))).toList();
    }

    private static double[][] objectives(List<SweepPoint> pts, String xMetric, String yMetric) {
        double[][] xy = new double[pts.size()][];
        for (int i = 0; i < pts.size(); i++) {
            xy[i] = new double[]{pts.get(i).metric(xMetric), pts.get(i).metric(yMetric)};
        }
        return xy;
    }

    static List<Figure> paretoFigures(List<SweepPoint> points, List<Axis> axes, List<String> skipped) {
        return paretoFigures(points, axes, skipped, false);
    }

    /**
     * The Pareto figures of each trace's points; with {@code seriesPerPoint} every point is its own legend entry
     * (its id) when there are few enough, as for a handful of named runs.
     */
    static List<Figure> paretoFigures(List<SweepPoint> points, List<Axis> axes, List<String> skipped,
                                      boolean seriesPerPoint) {
        List<Figure> figures = new ArrayList<>();
        Map<String, List<SweepPoint>> groups = byTrace(points);
        for (Map.Entry<String, List<SweepPoint>> g : groups.entrySet()) {
            String suffix = groups.size() > 1 ? "-" + fileName(display(g.getKey())) : "";
            String of = groups.size() > 1 ? " (" + display(g.getKey()) + ")" : "";
            Throughput t = throughput(g.getValue());
            for (String[] pair : List.of(new String[]{t.metric(), "throughput", t.label()},
                    new String[]{"ncc_area_mm2", "area", "NCC area (mm2, lower is better)"})) {
                List<SweepPoint> usable = usable(g.getValue(), pair[0]);
                if (usable.size() < 2) {
                    skipped.add("pareto-energy-" + pair[1] + suffix + ": fewer than two points with "
                            + pair[0] + " and ncc_energy_j");
                    continue;
                }
                ParetoFront.Goal goal = pair[0].equals(t.metric()) ? t.goal() : ParetoFront.Goal.MINIMIZE;
                boolean perPoint = seriesPerPoint && usable.size() <= Figures.MAX_SERIES - 1;
                figures.add(pareto(usable, axes, perPoint, pair[0], goal, pair[2],
                        "pareto-energy-" + pair[1] + suffix, "NCC designs: energy against " + pair[1] + of));
            }
        }
        return figures;
    }

    private static Figure pareto(List<SweepPoint> pts, List<Axis> axes, boolean perPoint, String xMetric,
                                 ParetoFront.Goal xGoal, String xLabel, String name, String title) {
        double[][] xy = objectives(pts, xMetric, "ncc_energy_j");
        List<Integer> front = ParetoFront.indices(xy, List.of(xGoal, ParetoFront.Goal.MINIMIZE));
        // Designs grouped by the first axis other than the trace, when it has few enough values for a legend.
        Axis groupBy = perPoint ? null : axes.stream().filter(a -> !a.key().equals(TRACE_AXIS)
                && a.values().size() <= Figures.MAX_SERIES - 1).findFirst().orElse(null);
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        if (groupBy != null) {
            groupBy.values().forEach(v -> groups.put(shortKey(groupBy.key()) + "=" + display(v), new ArrayList<>()));
        }
        for (int i = 0; i < pts.size(); i++) {
            String v = groupBy == null ? null : value(pts.get(i), groupBy.key());
            String key = perPoint ? pts.get(i).id()
                    : v == null ? "designs" : shortKey(groupBy.key()) + "=" + display(v);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(xy[i]);
        }
        List<Figures.Series> series = new ArrayList<>();
        groups.forEach((k, list) -> {
            if (!list.isEmpty() && series.size() < Figures.MAX_SERIES - 1) {
                series.add(new Figures.Series(k, list.stream().mapToDouble(a -> a[0]).toArray(),
                        list.stream().mapToDouble(a -> a[1]).toArray()));
            }
        });
        Figures.Series frontSeries = new Figures.Series("Pareto-optimal (joined)",
                front.stream().mapToDouble(i -> xy[i][0]).toArray(),
                front.stream().mapToDouble(i -> xy[i][1]).toArray());
        List<String> frontIds = front.stream().map(i -> pts.get(i).id()).toList();
        String caption = String.format(Locale.ROOT, "NCC-run energy (lower is better) against %s over %d designs; "
                        + "the %d Pareto-optimal designs (filled black, joined) are %s. %s", xLabel, pts.size(),
                front.size(), String.join(", ", frontIds), contentNote(pts));
        return new Figure(name, caption, Figures.ParetoChart.of(title, xLabel,
                "NCC-run energy (J, lower is better)", series, frontSeries));
    }
}
