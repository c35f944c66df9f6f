package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Self-contained HTML reports that open from disk with no server: CSS inline, every figure an inline {@code <svg>},
 * no script, no external URL (a URL may appear only as text, e.g. in a trace's provenance). One page per run
 * (summary, energy, NCC activity, figures, resolved config, provenance), per sweep (points, figures, spec,
 * provenance) and per set of runs. Modeled content carries a banner saying so. The bytes depend only on the inputs:
 * no time stamps, numbers in the root locale.
 */
public final class HtmlReport {
    private static final String CSS = String.join("\n",
            "body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;"
                    + "color:#111;line-height:1.4}",
            "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.6em}",
            "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}",
            "th,td{border:1px solid #aaa;padding:.25em .6em;text-align:right}",
            "th:first-child,td:first-child{text-align:left}th{background:#eee}",
            ".banner{border:2px solid #000;background:#f3f3f3;padding:.6em 1em;font-weight:bold}",
            ".captured{border:1px solid #555;padding:.4em 1em}",
            "figure{margin:1.2em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}",
            "figcaption{font-size:.9em;max-width:720px}",
            "pre{background:#f6f6f6;border:1px solid #ccc;padding:.6em;overflow-x:auto;font-size:.85em}",
            ".note{font-size:.9em;color:#333}");

    private HtmlReport() {
    }

    /** The page of one run, from its report.json and its figures. */
    public static String run(JsonNode report, FigureSet figures) {
        JsonNode b = report.path("baseline");
        JsonNode n = report.path("ncc");
        String title = "nccsim: " + report.path("trace").path("model").asText("?") + " on "
                + report.path("config").path("name").asText("?");
        boolean modeled = !"captured".equals(ResultsFiles.content(report));
        StringBuilder h = new StringBuilder();
        h.append("<h2>Summary</h2>\n");
        JsonNode s = report.path("summary");
        h.append("<p>Bandwidth saved ").append(pct(s.path("bandwidth_saved_pct").asDouble()))
                .append(", speedup ").append(num(s.path("speedup").asDouble())).append("x");
        if (report.path("trace").path("generated_tokens").asInt() > 0) {
            h.append(" (decode ").append(num(s.path("decode_speedup").asDouble())).append("x)");
        }
        h.append(", energy saved ").append(pct(s.path("energy_saved_pct").asDouble())).append(".</p>\n");
        h.append("<table>\n<tr><th>metric</th><th>baseline</th><th>NCC</th><th>change</th><th>unit</th></tr>\n");
        row(h, "DRAM read", b.path("dram_bytes_read").asDouble() / 1e9, n.path("dram_bytes_read").asDouble() / 1e9,
                "GB");
        row(h, "DRAM written", b.path("dram_bytes_written").asDouble() / 1e9,
                n.path("dram_bytes_written").asDouble() / 1e9, "GB");
        row(h, "simulated time", b.path("sim_time_s").asDouble(), n.path("sim_time_s").asDouble(), "s");
        row(h, "prefill", b.path("prefill_s").asDouble(), n.path("prefill_s").asDouble(), "s");
        if (report.path("trace").path("generated_tokens").asInt() > 0) {
            row(h, "decode per token", b.path("decode_ms_per_token").asDouble(),
                    n.path("decode_ms_per_token").asDouble(), "ms");
            row(h, "decode throughput", b.path("tokens_per_s").asDouble(), n.path("tokens_per_s").asDouble(),
                    "tokens/s");
        }
        row(h, "energy", b.path("energy_j").path("total").asDouble(), n.path("energy_j").path("total").asDouble(),
                "J");
        row(h, "NCC stall", b.path("ncc_stall_cycles").asDouble(), n.path("ncc_stall_cycles").asDouble(),
                "processor cycles");
        h.append("</table>\n");

        h.append("<h2>Energy</h2>\n<table>\n<tr><th>component / item</th><th>baseline (J)</th><th>NCC (J)</th>"
                + "<th>change</th></tr>\n");
        for (String c : List.of("processor", "dram", "ncc")) {
            double bv = b.path("energy_j").path(c).asDouble();
            double nv = n.path("energy_j").path(c).asDouble();
            h.append("<tr><td><b>").append(esc(c)).append("</b></td><td>").append(num(bv)).append("</td><td>")
                    .append(num(nv)).append("</td><td>").append(change(bv, nv)).append("</td></tr>\n");
            Set<String> items = new LinkedHashSet<>();
            b.path("energy_j").path("breakdown").path(c).fieldNames().forEachRemaining(items::add);
            n.path("energy_j").path("breakdown").path(c).fieldNames().forEachRemaining(items::add);
            for (String item : items) {
                double bi = b.path("energy_j").path("breakdown").path(c).path(item).asDouble();
                double ni = n.path("energy_j").path("breakdown").path(c).path(item).asDouble();
                h.append("<tr><td>&nbsp;&nbsp;").append(esc(item)).append("</td><td>").append(num(bi))
                        .append("</td><td>").append(num(ni)).append("</td><td>").append(change(bi, ni))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");

        h.append("<h2>NCC activity</h2>\n<table>\n<tr><th>counter</th><th>NCC run</th></tr>\n");
        flatRows(h, "", n.path("ncc_activity"));
        JsonNode area = n.path("ncc_area_mm2");
        if (area.isObject()) {
            flatRows(h, "area (mm2) ", area);
        }
        h.append("</table>\n");
        int decisions = n.path("level_decisions").size();
        if (decisions > 0) {
            h.append("<p>").append(decisions).append(" level switches (see report.json, ncc.level_decisions).</p>\n");
        }

        h.append(figureSection(figures, "run"));

        h.append("<h2>Resolved config</h2>\n<p class=\"note\">").append(esc(report.path("config").path("file")
                .asText())).append(setsNote(report)).append("</p>\n<pre>")
                .append(esc(Json.write(report.path("config").path("resolved")))).append("</pre>\n");
        h.append("<h2>Provenance</h2>\n").append(runProvenance(report));
        return page(title, modeled, modeledText(report), h.toString());
    }

    /** The page of a sweep: its points, figures, spec (when given) and provenance. */
    public static String sweep(List<SweepPoint> points, JsonNode sweep, String specName, String specText,
                               FigureSet figures) {
        String name = sweep == null ? "sweep" : sweep.path("name").asText("sweep");
        boolean modeled = points.stream().anyMatch(SweepPoint::modeled);
        StringBuilder h = new StringBuilder();
        h.append("<h2>Points</h2>\n");
        h.append(pointsTable(points, SweepFigures.varyingAxes(points, sweep)));
        h.append(figureSection(figures, "sweep"));
        h.append("<h2>Spec</h2>\n");
        if (specText != null) {
            h.append("<p class=\"note\">").append(esc(specName)).append("</p>\n<pre>").append(esc(specText))
                    .append("</pre>\n");
        } else {
            h.append("<p class=\"note\">The spec file was not given (nccsim figures --spec FILE adds it); the axes "
                    + "from sweep.json:</p>\n");
        }
        if (sweep != null) {
            h.append("<table>\n<tr><th>axis</th><th>values</th></tr>\n");
            for (JsonNode a : sweep.path("axes")) {
                List<String> values = new ArrayList<>();
                a.path("values").forEach(v -> values.add(v.asText()));
                h.append("<tr><td>").append(esc(a.path("key").asText())).append("</td><td>")
                        .append(esc(String.join(", ", values))).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<h2>Provenance</h2>\n<table>\n");
        if (sweep != null) {
            kv(h, "sweep", name);
            kv(h, "spec sha256", sweep.path("spec_sha256").asText());
            kv(h, "seed", sweep.path("seed").asText());
            kv(h, "nccsim", sweep.path("tool_version").asText());
        }
        kv(h, "points", Integer.toString(points.size()));
        Map<String, Long> content = new java.util.TreeMap<>();
        points.forEach(p -> content.merge(p.content(), 1L, Long::sum));
        kv(h, "content", content.toString());
        h.append("</table>\n");
        return page("nccsim sweep: " + name, modeled, "Some or all points of this sweep ran on modeled content: "
                + "their numbers are modeled, not measured.", h.toString());
    }

    /** The page of several runs made one by one, figures across them. */
    public static String runs(List<JsonNode> reports, List<String> dirs, FigureSet figures) {
        List<SweepPoint> points = CrossRunFigures.points(reports);
        boolean modeled = points.stream().anyMatch(SweepPoint::modeled);
        StringBuilder h = new StringBuilder();
        h.append("<h2>Runs</h2>\n");
        h.append(pointsTable(points, SweepFigures.varyingAxes(points, null)));
        h.append(figureSection(figures, "runs"));
        h.append("<h2>Provenance</h2>\n<table>\n<tr><th>run</th><th>directory</th><th>config</th><th>trace</th>"
                + "<th>content</th><th>nccsim</th></tr>\n");
        for (int i = 0; i < reports.size(); i++) {
            JsonNode r = reports.get(i);
            h.append("<tr><td>").append(esc(points.get(i).id())).append("</td><td>").append(esc(dirs.get(i)))
                    .append("</td><td>").append(esc(r.path("config").path("file").asText())).append(setsNote(r))
                    .append("</td><td>").append(esc(r.path("trace").path("file").asText())).append("</td><td>")
                    .append(esc(ResultsFiles.content(r) + ": " + r.path("trace").path("provenance").path("method")
                            .asText())).append("</td><td>").append(esc(r.path("nccsim").path("version").asText()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        return page("nccsim: " + reports.size() + " runs", modeled, "Some or all of these runs replayed modeled "
                + "content: their numbers are modeled, not measured.", h.toString());
    }

    private static String pointsTable(List<SweepPoint> points, List<SweepFigures.Axis> axes) {
        Set<String> pareto = SweepFigures.paretoIds(points);
        List<String> metrics = SweepFigures.metricNames(points);
        StringBuilder h = new StringBuilder("<table>\n<tr><th>point</th>");
        for (SweepFigures.Axis a : axes) {
            h.append("<th>").append(esc(a.key())).append("</th>");
        }
        for (String m : metrics) {
            h.append("<th>").append(esc(m)).append("</th>");
        }
        h.append("<th>content</th><th>Pareto (energy, throughput)</th></tr>\n");
        for (SweepPoint p : points) {
            h.append("<tr><td>").append(esc(p.id())).append("</td>");
            for (SweepFigures.Axis a : axes) {
                String v = SweepFigures.value(p, a.key());
                h.append("<td>").append(esc(v == null ? "-" : SweepFigures.display(v))).append("</td>");
            }
            for (String m : metrics) {
                h.append("<td>").append(num(p.metric(m))).append("</td>");
            }
            h.append("<td>").append(esc(p.content())).append("</td><td>").append(pareto.contains(p.id()) ? "yes" : "")
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static String figureSection(FigureSet figures, String idPrefix) {
        StringBuilder h = new StringBuilder("<h2>Figures</h2>\n");
        int i = 0;
        for (Figure f : figures.figures()) {
            h.append("<figure id=\"fig-").append(esc(f.name())).append("\">\n")
                    .append(Figures.inlineSvg(f.chart(), idPrefix + "-" + (i++)))
                    .append("\n<figcaption><b>").append(esc(f.name())).append(".</b> ").append(esc(f.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        if (!figures.skipped().isEmpty()) {
            h.append("<p class=\"note\">Not drawn:</p>\n<ul class=\"note\">\n");
            figures.skipped().forEach(s -> h.append("<li>").append(esc(s)).append("</li>\n"));
            h.append("</ul>\n");
        }
        return h.toString();
    }

    private static String runProvenance(JsonNode report) {
        JsonNode t = report.path("trace");
        StringBuilder h = new StringBuilder("<table>\n");
        kv(h, "nccsim", report.path("nccsim").path("version").asText() + " (report format "
                + report.path("nccsim").path("report_format").asText() + ")");
        kv(h, "config", report.path("config").path("file").asText() + " (" + report.path("config").path("name")
                .asText() + ")");
        List<String> sets = new ArrayList<>();
        report.path("config").path("sets").forEach(s -> sets.add(s.asText()));
        kv(h, "--set", String.join(" ", sets));
        kv(h, "seed", report.path("config").path("seed").asText());
        kv(h, "trace", t.path("file").asText());
        kv(h, "model", t.path("model").asText());
        kv(h, "weights / activations / KV cache", t.path("weight_quant").asText() + " / "
                + t.path("activation_type").asText() + " / " + t.path("kv_cache_type").asText());
        kv(h, "tokens", t.path("prompt_tokens").asText() + " prompt + " + t.path("generated_tokens").asText()
                + " generated");
        kv(h, "trace producer", t.path("producer").asText());
        kv(h, "content", t.path("provenance").path("kind").asText());
        kv(h, "how the content was made", t.path("provenance").path("method").asText());
        if (t.path("provenance").has("source_sha256")) {
            kv(h, "model sha256", t.path("provenance").path("source_sha256").asText());
        }
        return h.append("</table>\n").toString();
    }

    private static String modeledText(JsonNode report) {
        return "Modeled, not measured: the trace's content is modeled ("
                + report.path("trace").path("provenance").path("method").asText("no method given")
                + "), so every number in this report is modeled.";
    }

    private static String setsNote(JsonNode report) {
        List<String> sets = new ArrayList<>();
        report.path("config").path("sets").forEach(s -> sets.add("--set " + s.asText()));
        return sets.isEmpty() ? "" : esc(" " + String.join(" ", sets));
    }

    private static String page(String title, boolean modeled, String modeledText, String body) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n<h1>")
                .append(esc(title)).append("</h1>\n");
        if (modeled) {
            h.append("<p class=\"banner\">").append(esc(modeledText)).append("</p>\n");
        } else {
            h.append("<p class=\"captured\">Content captured from a real model run: the simulated numbers replay "
                    + "real values.</p>\n");
        }
        h.append(body).append("</body>\n</html>\n");
        return h.toString();
    }

    /** Rows "name | value" of every number or text under {@code node}, nested names joined by '.'. */
    private static void flatRows(StringBuilder h, String prefix, JsonNode node) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) {
                flatRows(h, prefix + e.getKey() + ".", e.getValue());
            } else if (e.getValue().isValueNode()) {
                kv(h, prefix + e.getKey(), e.getValue().isNumber() ? num(e.getValue().asDouble())
                        : e.getValue().asText());
            }
        }
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static void row(StringBuilder h, String name, double b, double n, String unit) {
        h.append("<tr><td>").append(esc(name)).append("</td><td>").append(num(b)).append("</td><td>").append(num(n))
                .append("</td><td>").append(change(b, n)).append("</td><td>").append(esc(unit)).append("</td></tr>\n");
    }

    private static String change(double base, double value) {
        return base == 0 ? "" : String.format(Locale.ROOT, "%+.2f%%", 100.0 * (value - base) / base);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return RunFigures.num(v);
    }

    /** HTML text escaping: the five characters that could end an element or an attribute. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
