package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The figures of one run, made from its report.json alone: DRAM bandwidth over time, the energy breakdown (by
 * component and by item), latency per layer and the compression ratio per tensor role. A figure whose data the
 * report lacks (time series and layers came later) is skipped with a note.
 */
public final class RunFigures {
    /**
     * At most this many points per time series: a phi3 run has ~10^5 windows of 0.1 ms, which would make a
     * multi-megabyte SVG whose lines merge anyway at 720 px. Adjacent windows are averaged (bytes over time, so the
     * bandwidth stays exact per merged window).
     */
    static final int MAX_TIME_POINTS = 400;

    private static final List<String> COMPONENTS = List.of("processor", "dram", "ncc");

    private RunFigures() {
    }

    public static FigureSet of(JsonNode report) {
        List<Figure> figures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String content = contentNote(ResultsFiles.content(report));
        JsonNode b = report.path("baseline");
        JsonNode n = report.path("ncc");

        if (b.path("timeseries").isObject() && n.path("timeseries").isObject()) {
            figures.add(bandwidth(b.path("timeseries"), n.path("timeseries"), content));
        } else {
            skipped.add("dram-bandwidth: report.json has no baseline.timeseries and ncc.timeseries (a report from an "
                    + "nccsim that did not record them); rerun the simulation to get this figure");
        }
        figures.add(energyByComponent(b, n, content));
        Figure items = energyByItem(b, n, content);
        if (items != null) {
            figures.add(items);
        }
        Figure layers = layerLatency(b, n, content);
        if (layers != null) {
            figures.add(layers);
        } else {
            skipped.add("layer-latency: report.json has no per-layer times (ncc.layers); rerun the simulation with an "
                    + "nccsim that records them to get this figure");
        }
        Figure ratio = compressionRatio(n.path("ncc_activity"), content);
        if (ratio != null) {
            figures.add(ratio);
        }
        return new FigureSet(figures, skipped);
    }

    /** The sentence every caption ends with: where the numbers come from. */
    static String contentNote(String content) {
        return "captured".equals(content)
                ? "Simulated on captured content (a real model run's values)."
                : "Modeled: the trace's content is modeled, so these numbers are modeled, not measured.";
    }

    private static Figure bandwidth(JsonNode bt, JsonNode nt, String content) {
        double window = bt.path("window_s").asDouble();
        Figures.Series base = bandwidthSeries("baseline", bt);
        Figures.Series ncc = bandwidthSeries("NCC", nt);
        int merged = mergeFactor(Math.max(length(bt), length(nt)));
        String caption = String.format(Locale.ROOT, "DRAM bandwidth (bytes read plus written) over simulated time, "
                + "baseline and NCC, in windows of %s s%s. %s", num(window * merged),
                merged > 1 ? " (" + merged + " recorded windows of " + num(window) + " s each)" : "", content);
        Figures.XyChart chart = new Figures.XyChart("DRAM bandwidth over time", "simulated time (s)",
                "DRAM bandwidth (GB/s)", List.of(base, ncc), Figures.Style.LINES, false, false, 720, 480);
        return new Figure("dram-bandwidth", caption, chart);
    }

    private static int length(JsonNode ts) {
        return Math.max(ts.path("dram_read_bytes").size(), ts.path("dram_written_bytes").size());
    }

    static int mergeFactor(int windows) {
        return Math.max(1, (windows + MAX_TIME_POINTS - 1) / MAX_TIME_POINTS);
    }

    /** GB/s per (merged) window, plotted at the window's start time. */
    static Figures.Series bandwidthSeries(String name, JsonNode ts) {
        double window = ts.path("window_s").asDouble();
        if (!(window > 0)) {
            throw new io.nccsim.common.BadInputException("report.json: " + name + " timeseries.window_s is "
                    + ts.path("window_s") + "; expected a positive number of seconds");
        }
        JsonNode read = ts.path("dram_read_bytes");
        JsonNode written = ts.path("dram_written_bytes");
        int len = length(ts);
        int merge = mergeFactor(len);
        int points = (len + merge - 1) / merge;
        double[] x = new double[points];
        double[] y = new double[points];
        for (int p = 0; p < points; p++) {
            double bytes = 0;
            int count = 0;
            for (int i = p * merge; i < Math.min(len, (p + 1) * merge); i++) {
                bytes += read.path(i).asDouble() + written.path(i).asDouble();
                count++;
            }
            x[p] = p * merge * window;
            y[p] = bytes / (count * window) / 1e9;
        }
        return new Figures.Series(name, x, y);
    }

    private static Figure energyByComponent(JsonNode b, JsonNode n, String content) {
        List<Figures.BarSeries> series = new ArrayList<>();
        for (String c : COMPONENTS) {
            series.add(new Figures.BarSeries(c, new double[]{b.path("energy_j").path(c).asDouble(),
                n.path("energy_j").path(c).asDouble()}));
        }
        Figures.BarChart chart = Figures.BarChart.stacked("Energy by component", "", "energy (J)",
                List.of("baseline", "NCC"), series).withSize(520, 480);
        String caption = String.format(Locale.ROOT, "Energy of the whole trace, stacked by component: baseline "
                        + "%s J, NCC %s J. %s", num(b.path("energy_j").path("total").asDouble()),
                num(n.path("energy_j").path("total").asDouble()), content);
        return new Figure("energy-breakdown", caption, chart);
    }

    /** Every item of energy_j.breakdown that either run spent energy on, as "component: item". */
    private static Figure energyByItem(JsonNode b, JsonNode n, String content) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode run : List.of(b, n)) {
            Iterator<Map.Entry<String, JsonNode>> cs = run.path("energy_j").path("breakdown").fields();
            while (cs.hasNext()) {
                Map.Entry<String, JsonNode> c = cs.next();
                c.getValue().fieldNames().forEachRemaining(item -> keys.add(c.getKey() + ": " + item));
            }
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String k : keys) {
            int colon = k.indexOf(": ");
            String c = k.substring(0, colon);
            String item = k.substring(colon + 2);
            double bv = b.path("energy_j").path("breakdown").path(c).path(item).asDouble();
            double nv = n.path("energy_j").path("breakdown").path(c).path(item).asDouble();
            if (bv != 0 || nv != 0) {
                values.put(k, new double[]{bv, nv});
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        List<String> categories = new ArrayList<>(values.keySet());
        double[] bs = new double[categories.size()];
        double[] ns = new double[categories.size()];
        for (int i = 0; i < categories.size(); i++) {
            bs[i] = values.get(categories.get(i))[0];
            ns[i] = values.get(categories.get(i))[1];
        }
        int height = Math.max(300, Math.min(4000, 120 + 34 * categories.size()));
        Figures.BarChart chart = Figures.BarChart.grouped("Energy by item", "", "energy (J)", categories,
                        List.of(new Figures.BarSeries("baseline", bs), new Figures.BarSeries("NCC", ns)))
                .withHorizontal(true).withSize(720, height);
        return new Figure("energy-items", "Energy of the whole trace per item of each component (items with no "
                + "energy in either run left out). " + content, chart);
    }

    /** Time per layer from {@code layers}, both runs when both have them; ops outside layers (-1) are left out. */
    private static Figure layerLatency(JsonNode b, JsonNode n, String content) {
        List<Figures.Series> series = new ArrayList<>();
        double outside = 0;
        for (int r = 0; r < 2; r++) {
            JsonNode layers = (r == 0 ? b : n).path("layers");
            if (!layers.isArray() || layers.isEmpty()) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (JsonNode l : layers) {
                int layer = l.path("layer").asInt(-1);
                if (layer < 0) {
                    outside = Math.max(outside, l.path("time_s").asDouble());
                    continue;
                }
                pts.add(new double[]{layer, l.path("time_s").asDouble() * 1e3});
            }
            if (pts.isEmpty()) {
                continue;
            }
            pts.sort((p, q) -> Double.compare(p[0], q[0]));
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            series.add(new Figures.Series(r == 0 ? "baseline" : "NCC", x, y));
        }
        if (series.isEmpty()) {
            return null;
        }
        String caption = "Time of the operations of each layer over the whole trace (prefill and decode)"
                + (outside > 0 ? String.format(Locale.ROOT, "; operations outside the layers (embeddings, final "
                + "norm, head) took up to %s ms and are left out", num(outside * 1e3)) : "") + ". " + content;
        return new Figure("layer-latency", caption, Figures.XyChart.lines("Latency per layer", "layer",
                "time (ms)", series));
    }

    /** Per tensor role when the report has it, else per data class. */
    private static Figure compressionRatio(JsonNode activity, String content) {
        JsonNode byRole = activity.path("compression_ratio_by_role");
        boolean roles = byRole.isObject() && !byRole.isEmpty();
        JsonNode ratios = roles ? byRole : activity.path("compression_ratio");
        if (!ratios.isObject() || ratios.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        ratios.fields().forEachRemaining(e -> {
            names.add(e.getKey());
            values.add(e.getValue().asDouble());
        });
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Figures.BarChart chart = Figures.BarChart.grouped("Compression ratio per " + (roles ? "tensor role"
                        : "data class"), roles ? "tensor role" : "data class",
                "compression ratio (raw bytes / bytes on the bus)", names,
                List.of(new Figures.BarSeries("NCC", v)));
        String caption = "Bytes the processor asked for over bytes the NCC moved on the DRAM bus, per "
                + (roles ? "tensor role" : "data class (this report has no per-role ratios)")
                + "; 1.0 means stored raw. " + content;
        return new Figure("compression-ratio", caption, chart);
    }

    /** A number as people read it in a caption: up to 4 significant digits, root locale. */
    static String num(double v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
