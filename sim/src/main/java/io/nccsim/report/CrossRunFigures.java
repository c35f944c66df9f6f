package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Figures across several runs made one by one (e.g. one trace on each board): bandwidth saved, speedup and energy
 * saved as one bar per run, the energy breakdown of every run's baseline and NCC side by side, and the Pareto fronts
 * of the runs' NCC designs.
 */
public final class CrossRunFigures {
    private CrossRunFigures() {
    }

    /**
     * The label of each run: its config's name, with its {@code --set} overrides and then its trace added only
     * where two runs would otherwise share a label.
     */
    public static List<String> labels(List<JsonNode> reports) {
        List<String> labels = new ArrayList<>();
        for (JsonNode r : reports) {
            labels.add(r.path("config").path("name").asText("run"));
        }
        if (!unique(labels)) {
            // One board with several designs: the overrides name the design, the board's name would only repeat.
            boolean oneBoard = new HashSet<>(labels).size() == 1;
            for (int i = 0; i < reports.size(); i++) {
                List<String> sets = new ArrayList<>();
                reports.get(i).path("config").path("sets").forEach(s -> sets.add(s.asText()));
                if (!sets.isEmpty()) {
                    labels.set(i, (oneBoard ? "" : labels.get(i) + " ") + String.join(" ", sets));
                } else if (oneBoard) {
                    labels.set(i, labels.get(i) + " (as configured)");
                }
            }
        }
        if (!unique(labels)) {
            for (int i = 0; i < reports.size(); i++) {
                labels.set(i, labels.get(i) + " " + SweepFigures.display(reports.get(i).path("trace").path("file")
                        .asText()));
            }
        }
        if (!unique(labels)) {
            for (int i = 0; i < reports.size(); i++) {
                labels.set(i, labels.get(i) + " #" + (i + 1));
            }
        }
        return labels;
    }

    private static boolean unique(List<String> labels) {
        return new HashSet<>(labels).size() == labels.size();
    }

    /** The runs as sweep points, ids being their labels. */
    public static List<SweepPoint> points(List<JsonNode> reports) {
        List<String> labels = labels(reports);
        List<SweepPoint> points = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            points.add(ResultsFiles.pointOf(reports.get(i), i, labels.get(i)));
        }
        return points;
    }

    public static FigureSet of(List<JsonNode> reports) {
        List<String> labels = labels(reports);
        List<SweepPoint> points = points(reports);
        String content = SweepFigures.contentNote(points);
        List<Figure> figures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int height = labels.size() > 8 ? 560 : 480;

        figures.add(new Figure("bandwidth-saved", "DRAM bytes (read plus written) the NCC saves against the "
                + "baseline, per run. " + content, Figures.BarChart.grouped("DRAM bandwidth saved per run", "",
                "DRAM bytes saved (%)", labels, List.of(new Figures.BarSeries("bandwidth saved",
                        metric(points, "bandwidth_saved_pct")))).withSize(720, height)));

        List<Figures.BarSeries> speed = new ArrayList<>();
        speed.add(new Figures.BarSeries("whole trace", metric(points, "speedup")));
        boolean decodes = reports.stream().anyMatch(r -> r.path("trace").path("generated_tokens").asInt() > 0);
        if (decodes) {
            speed.add(new Figures.BarSeries("decode", metric(points, "decode_speedup")));
        }
        figures.add(new Figure("speedup", "Speedup of the NCC run over the baseline (baseline time over NCC time; "
                + "1.0 is no change)" + (decodes ? ", over the whole trace and over decode alone" : "") + ". "
                + content, Figures.BarChart.grouped("Speedup per run", "", "speedup (x)", labels, speed)
                .withSize(720, height)));

        figures.add(new Figure("energy-saved", "Energy the NCC run saves against the baseline, per run (negative: "
                + "the NCC costs more energy than it saves). " + content, Figures.BarChart.grouped(
                "Energy saved per run", "", "energy saved (%)", labels, List.of(new Figures.BarSeries("energy saved",
                        metric(points, "energy_saved_pct")))).withSize(720, height)));

        figures.add(energyBreakdown(reports, labels, content));

        List<SweepFigures.Axis> axes = SweepFigures.varyingAxes(points, null);
        if (points.size() >= 2) {
            figures.addAll(SweepFigures.paretoFigures(points, axes, skipped, true));
        }
        return new FigureSet(figures, skipped);
    }

    private static double[] metric(List<SweepPoint> points, String name) {
        return points.stream().mapToDouble(p -> {
            double v = p.metric(name);
            return Double.isFinite(v) ? v : 0;
        }).toArray();
    }

    private static Figure energyBreakdown(List<JsonNode> reports, List<String> labels, String content) {
        List<String> categories = new ArrayList<>();
        List<String> components = List.of("processor", "dram", "ncc");
        double[][] values = new double[components.size()][2 * reports.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            categories.add(labels.get(i) + " baseline");
            categories.add(labels.get(i) + " NCC");
            seen.add(labels.get(i));
            for (int c = 0; c < components.size(); c++) {
                values[c][2 * i] = reports.get(i).path("baseline").path("energy_j").path(components.get(c)).asDouble();
                values[c][2 * i + 1] = reports.get(i).path("ncc").path("energy_j").path(components.get(c)).asDouble();
            }
        }
        List<Figures.BarSeries> series = new ArrayList<>();
        for (int c = 0; c < components.size(); c++) {
            series.add(new Figures.BarSeries(components.get(c), values[c]));
        }
        int width = Math.max(720, Math.min(4000, 120 + 70 * categories.size()));
        return new Figure("energy-breakdown", "Energy of the whole trace per run, baseline and NCC side by side, "
                + "stacked by component. " + content, Figures.BarChart.stacked("Energy by component per run", "",
                "energy (J)", categories, series).withSize(width, 520));
    }
}
