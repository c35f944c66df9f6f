package io.nccsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.codec.learned.BlockQuantTensorCoder;
import io.nccsim.codec.learned.CodecProfile;
import io.nccsim.codec.learned.CodecSetup;
import io.nccsim.codec.learned.HeldOutEvaluation;
import io.nccsim.codec.learned.RdMeasurement;
import io.nccsim.codec.learned.SourceTensor;
import io.nccsim.codec.learned.UniformStepTensorCoder;
import io.nccsim.fidelity.CoderFidelity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code nccsim codec eval}: the learned levels against quantization + Huffman on a model's held-out
 * layers ({@code table.md}, {@code table.csv}, {@code rd.svg}, {@code rd.png}), model-output fidelity at each level
 * next to the baselines ({@code fidelity.csv}, {@code fidelity.svg}, {@code fidelity.png}; in {@code table.md} too),
 * and {@code report.json} with all of it. Nothing depends on the time or the machine's locale.
 *
 * @param version      nccsim's version
 * @param profilePath  the profile as given
 * @param profile      the profile
 * @param setup        what the levels were trained on (from {@code codecs.json})
 * @param modelPath    the evaluated model as given
 * @param modelSha256  its sha256
 * @param modelLayers  its layers
 * @param splitText    which of its layers were held out, in words
 * @param rd           the held-out measurements
 * @param fidelity     model-output fidelity, or null when not measured
 * @param fidelityNote why fidelity was not measured (when {@code fidelity} is null), or what it was measured on
 */
public record CodecEvalReport(String version, String profilePath, CodecProfile profile, CodecSetup setup,
                              String modelPath, String modelSha256, int modelLayers, String splitText,
                              HeldOutEvaluation.Result rd, FidelityPart fidelity, String fidelityNote) {

    /**
     * Model-output fidelity of every setting.
     *
     * @param kind      "decoder" or "encoder"
     * @param metrics   metric names, in order ({@link CoderFidelity#metricNames()})
     * @param primary   the metrics the matched table shows
     * @param reference the model as stored against itself
     * @param points    every setting: learned levels first, then the baselines
     * @param learnedMethod the learned levels' curve name
     */
    public record FidelityPart(String kind, List<String> metrics, List<String> primary, CoderFidelity.Point reference,
                               List<CoderFidelity.Point> points, String learnedMethod) {
        public FidelityPart {
            metrics = List.copyOf(metrics);
            primary = List.copyOf(primary);
            points = List.copyOf(points);
        }

        /** The baseline curves, in the order first measured. */
        public List<String> baselineMethods() {
            return points.stream().map(CoderFidelity.Point::method)
                    .filter(m -> !m.equals(learnedMethod)).distinct().toList();
        }

        public List<CoderFidelity.Point> learned() {
            return points.stream().filter(p -> p.method().equals(learnedMethod)).toList();
        }
    }

    /** Every file, by name. */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("table.md", utf8(markdown()));
        files.put("table.csv", utf8(csv()));
        Figures.XyChart rdChart = rdChart();
        files.put("rd.svg", utf8(Figures.svg(rdChart)));
        files.put("rd.png", Figures.png(rdChart));
        if (fidelity != null) {
            files.put("fidelity.csv", utf8(fidelityCsv()));
            Figures.XyChart f = fidelityChart();
            files.put("fidelity.svg", utf8(Figures.svg(f)));
            files.put("fidelity.png", Figures.png(f));
        }
        files.put("report.json", utf8(json()));
        return files;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String quantAtBlocks() {
        return BlockQuantTensorCoder.method(true, setup.blockSize());
    }

    /** The lowest baseline MSE among the quantization curves only (any group size, sym or asym). */
    private static HeldOutEvaluation.Matched bestQuant(HeldOutEvaluation.Row row) {
        HeldOutEvaluation.Matched best = null;
        for (HeldOutEvaluation.Matched m : row.matched()) {
            if (m.method().startsWith("quant") && !Double.isNaN(m.mse()) && (best == null || m.mse() < best.mse())) {
                best = m;
            }
        }
        return best;
    }

    private static HeldOutEvaluation.Matched find(HeldOutEvaluation.Row row, String method) {
        for (HeldOutEvaluation.Matched m : row.matched()) {
            if (m.method().equals(method)) {
                return m;
            }
        }
        return null;
    }

    /** The summary table, the full table of points, fidelity, and what every number means. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Learned codec on held-out ").append(setup.dataClassId()).append(" of ").append(modelPath)
                .append("\n\n");
        b.append("Model sha256 `").append(modelSha256).append("`, ").append(modelLayers).append(" layers; ")
                .append(splitText).append(". Every number below is measured on the **held-out** layers (")
                .append(rd.tensors().size()).append(" tensors, ").append(rd.values())
                .append(" values), which no level was trained or selected on.\n\n");
        b.append("Profile `").append(profilePath).append("`: ").append(profile.provenance()).append(".\n\n");
        b.append("## At matched bits per value\n\n");
        b.append("SQNR in dB on the same values; gain = learned minus baseline (positive: the learned level wins). "
                + "Baselines are interpolated at the level's bits (linear in log MSE between their two nearest "
                + "points); `-` where a baseline's points do not reach those bits.\n\n");
        String qn = quantAtBlocks();
        List<String> h = List.of("level", "architecture", "bits/value", "tables b/v", "MSE", "SQNR",
                qn, "gain", "best quant+Huffman", "gain", UniformStepTensorCoder.METHOD, "gain", "gain, tables free",
                "decoder MACs/value", "decoder bytes");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < rd.rows().size(); i++) {
            HeldOutEvaluation.Row r = rd.rows().get(i);
            RdMeasurement l = r.learned();
            CodecProfile.Level p = profile.levels().get(i);
            HeldOutEvaluation.Matched atN = find(r, qn);
            HeldOutEvaluation.Matched bq = bestQuant(r);
            HeldOutEvaluation.Matched us = find(r, UniformStepTensorCoder.METHOD);
            rows.add(List.of(l.setting(), architecture(p), f3(l.bitsPerValue()),
                    f3((double) l.sharedBits() / l.values()), sci(l.mse()), f2(l.sqnrDb()),
                    db(atN), gain(atN), bq == null ? "-" : db(bq) + " (" + shortMethod(bq.method()) + ")", gain(bq),
                    db(us), gain(us), gain(r.bestTablesFree()),
                    f1(p.decoderMacsPerValue()), Long.toString(p.decoderParameterBytes())));
        }
        table(b, h, rows);
        b.append("\n").append(verdict()).append("\n\n");
        b.append("## Every point\n\n");
        List<List<String>> all = new ArrayList<>();
        for (RdMeasurement m : allMeasurements()) {
            all.add(List.of(m.method(), m.setting(), f3(m.bitsPerValue()),
                    Double.isNaN(m.idealBits()) ? "-" : f3(m.idealBitsPerValue()), sci(m.mse()), f2(m.sqnrDb())));
        }
        table(b, List.of("method", "setting", "bits/value", "entropy b/v", "MSE", "SQNR"), all);
        b.append("\n");
        if (fidelity != null) {
            fidelityMarkdown(b);
        } else {
            b.append("## Model-output fidelity\n\n").append(fidelityNote).append("\n\n");
        }
        b.append(notes());
        return b.toString();
    }

    /** One plain sentence on who wins, from the numbers. */
    public String verdict() {
        StringBuilder b = new StringBuilder("Verdict: ");
        List<String> wins = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        for (HeldOutEvaluation.Row r : rd.rows()) {
            HeldOutEvaluation.Matched best = r.best();
            if (Double.isNaN(best.gainDb())) {
                alone.add(String.format(Locale.ROOT, "%s (%.3f bits/value, %.2f dB)", r.learned().setting(),
                        r.learned().bitsPerValue(), r.learned().sqnrDb()));
                continue;
            }
            String s = String.format(Locale.ROOT, "%s (%s dB against %s)", r.learned().setting(),
                    signed(best.gainDb()), best.method());
            (best.gainDb() > 0 ? wins : losses).add(s);
        }
        if (wins.isEmpty() && losses.isEmpty()) {
            b.append("no level has a baseline to compare with.");
        } else if (wins.isEmpty()) {
            b.append("the learned codec beats no baseline's best at any level it can be compared at: ").append(String.join(", ", losses))
                    .append('.');
        } else if (losses.isEmpty()) {
            b.append("the learned codec beats every baseline at every level: ").append(String.join(", ", wins))
                    .append('.');
        } else {
            b.append("the learned codec beats the best baseline at ").append(String.join(", ", wins))
                    .append("; it loses at ").append(String.join(", ", losses)).append('.');
        }
        if (!alone.isEmpty()) {
            b.append(" No baseline reaches the bits of ").append(String.join(", ", alone))
                    .append(": nothing to compare with there.");
        }
        return b.toString();
    }

    private void fidelityMarkdown(StringBuilder b) {
        b.append("## Model-output fidelity\n\n").append(fidelityNote).append("\n\n");
        List<String> h = new ArrayList<>(List.of("level", "bits/value"));
        for (String m : fidelity.primary()) {
            h.add(m + " learned");
            for (String base : fidelity.baselineMethods()) {
                h.add(m + " " + shortMethod(base));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (CoderFidelity.Point p : fidelity.learned()) {
            List<String> row = new ArrayList<>(List.of(p.setting(), f3(p.bitsPerValue())));
            for (String m : fidelity.primary()) {
                row.add(metric(p.metric(m)));
                for (String base : fidelity.baselineMethods()) {
                    double v = CoderFidelity.metricAt(fidelity.points(), base, m, p.bitsPerValue());
                    row.add(Double.isNaN(v) ? "-" : metric(v));
                }
            }
            rows.add(row);
        }
        b.append("At matched bits (baselines interpolated between their two nearest settings: linearly in bits, "
                + "perplexity in its logarithm):\n\n");
        table(b, h, rows);
        b.append("\nEvery setting (reference: the model as stored, fp32):\n\n");
        List<String> h2 = new ArrayList<>(List.of("method", "setting", "bits/value", "bits/weight (file)"));
        h2.addAll(fidelity.metrics());
        List<List<String>> all = new ArrayList<>();
        List<CoderFidelity.Point> ps = new ArrayList<>();
        ps.add(fidelity.reference());
        ps.addAll(fidelity.points());
        for (CoderFidelity.Point p : ps) {
            List<String> row = new ArrayList<>(List.of(p.method(), p.setting(), f3(p.bitsPerValue()),
                    f3(p.bitsPerWeight())));
            for (String m : fidelity.metrics()) {
                row.add(metric(p.metric(m)));
            }
            all.add(row);
        }
        table(b, h2, all);
        b.append("\n");
    }

    private String notes() {
        return "## What the columns mean\n\n"
                + "- **bits/value**: everything stored, over every value of the held-out tensors. Learned: the "
                + "latents' Huffman codes (escapes included; a row's last short block is zero-padded and coded in "
                + "full), one fp32 scale per tensor, and the level's Huffman tables once (`tables b/v`; the decoder "
                + "holds them for every tensor it decodes, so over a whole model they cost less: `gain, tables "
                + "free` compares without them). Quantization: symbols' Huffman codes (one code per tensor, at most "
                + "12 bits), the tables, an fp16 scale per group (and a 16-bit zero point when asymmetric). Uniform "
                + "step: the same per-tensor fp32 scale as the learned codec, Huffman codes (at most 15 bits, at "
                + "most 1023 bins plus escape, one code per tensor) and their tables.\n"
                + "- **MSE, SQNR** against the original fp32 values; SQNR = 10 log10(sum x^2 / sum (x - x')^2).\n"
                + "- **quant sym/asym + Huffman, gN**: uniform quantization at 2..8 bits in groups of N values "
                + "along rows (a group never spans two rows; a row shorter than N is one group: per-channel), "
                + "each group with its own scale. gN at the codec's block size is the issue's baseline: the same "
                + "blocks as the learned codec. `best quant+Huffman` is the best of every group size and symmetry.\n"
                + "- **uniform step + Huffman**: entropy-coded uniform scalar quantization, one step per tensor "
                + "(in units of its RMS): the learned codec without its transform.\n"
                + "- **entropy b/v**: what an ideal entropy coder would need for the same symbols, side information "
                + "included (learned: -log2 P under the learned prior).\n"
                + "- **decoder MACs/value, decoder bytes**: from the profile (decoder weights in fp16 plus the fp32 "
                + "input scale).\n"
                + "- For activations and the KV cache the baselines' Huffman codes are built from the very data they "
                + "code, which a write path cannot do (its tables are made ahead of time): that favours the "
                + "baselines. The learned codec's tables are fixed at training, as hardware would hold them.\n";
    }

    /** Every measurement: the levels, then the baselines. */
    private List<RdMeasurement> allMeasurements() {
        List<RdMeasurement> all = new ArrayList<>(rd.learned());
        all.addAll(rd.baselines());
        return all;
    }

    public String csv() {
        StringBuilder b = new StringBuilder("method,setting,values,bits_per_value,ideal_bits_per_value,"
                + "shared_bits_per_value,mse,sqnr_db\n");
        for (RdMeasurement m : allMeasurements()) {
            b.append(csvCell(m.method())).append(',').append(csvCell(m.setting())).append(',').append(m.values())
                    .append(',').append(m.bitsPerValue()).append(',').append(m.idealBitsPerValue()).append(',')
                    .append((double) m.sharedBits() / m.values()).append(',').append(m.mse()).append(',')
                    .append(m.sqnrDb()).append('\n');
        }
        return b.toString();
    }

    public String fidelityCsv() {
        StringBuilder b = new StringBuilder("method,setting,bits_per_value,bits_per_weight");
        for (String m : fidelity.metrics()) {
            b.append(',').append(m);
        }
        b.append('\n');
        List<CoderFidelity.Point> ps = new ArrayList<>();
        ps.add(fidelity.reference());
        ps.addAll(fidelity.points());
        for (CoderFidelity.Point p : ps) {
            b.append(csvCell(p.method())).append(',').append(csvCell(p.setting())).append(',')
                    .append(p.bitsPerValue()).append(',').append(p.bitsPerWeight());
            for (String m : fidelity.metrics()) {
                b.append(',').append(p.metric(m));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** SQNR against bits per value, one series per method. */
    public Figures.XyChart rdChart() {
        List<Figures.Series> series = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        methods.add(rd.learned().get(0).method());
        methods.addAll(rd.baselineMethods());
        for (String method : methods) {
            List<RdMeasurement> pts = allMeasurements().stream().filter(m -> m.method().equals(method))
                    .filter(m -> Double.isFinite(m.sqnrDb()))
                    .sorted(java.util.Comparator.comparingDouble(RdMeasurement::bitsPerValue)).toList();
            if (pts.isEmpty()) {
                continue;
            }
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i).bitsPerValue();
                y[i] = pts.get(i).sqnrDb();
            }
            series.add(new Figures.Series(method, x, y));
        }
        return Figures.XyChart.lines("Held-out " + setup.dataClassId() + " of " + label(modelPath)
                        + " (layers held out), blocks of " + setup.blockSize(), "bits per value (everything stored)",
                "SQNR (dB)", series).withSize(820, 560);
    }

    /** The first primary metric against bits per value, one series per method. */
    public Figures.XyChart fidelityChart() {
        String metric = fidelity.primary().get(0);
        List<String> methods = new ArrayList<>();
        methods.add(fidelity.learnedMethod());
        methods.addAll(fidelity.baselineMethods());
        List<Figures.Series> series = new ArrayList<>();
        for (String method : methods) {
            List<CoderFidelity.Point> pts = fidelity.points().stream().filter(p -> p.method().equals(method))
                    .sorted(java.util.Comparator.comparingDouble(CoderFidelity.Point::bitsPerValue)).toList();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i).bitsPerValue();
                y[i] = pts.get(i).metric(metric);
            }
            if (x.length > 0) {
                series.add(new Figures.Series(method, x, y));
            }
        }
        return Figures.XyChart.lines("Model-output fidelity of " + label(modelPath) + ", every weight matrix coded",
                "bits per weight-matrix value", metric.replace('_', ' '), series).withSize(820, 560);
    }

    public String json() {
        ObjectNode root = Json.object();
        root.put("tool", "nccsim");
        root.put("version", version);
        root.put("command", "codec eval");
        ObjectNode p = root.putObject("profile");
        p.put("path", profilePath);
        p.put("provenance", profile.provenance());
        ObjectNode m = root.putObject("model");
        m.put("path", modelPath);
        m.put("sha256", modelSha256);
        m.put("layers", modelLayers);
        m.put("held_out", splitText);
        ObjectNode e = root.putObject("held_out");
        e.put("data_class", setup.dataClassId());
        e.put("values", rd.values());
        ArrayNode ts = e.putArray("tensors");
        for (SourceTensor t : rd.tensors()) {
            ts.add(t.name());
        }
        ArrayNode points = root.putArray("points");
        for (RdMeasurement x : allMeasurements()) {
            ObjectNode o = points.addObject();
            o.put("method", x.method());
            o.put("setting", x.setting());
            o.put("bits_per_value", x.bitsPerValue());
            o.put("ideal_bits_per_value", x.idealBitsPerValue());
            o.put("shared_bits_per_value", (double) x.sharedBits() / x.values());
            o.put("mse", x.mse());
            o.put("sqnr_db", x.sqnrDb());
        }
        ArrayNode matched = root.putArray("matched");
        for (HeldOutEvaluation.Row r : rd.rows()) {
            ObjectNode o = matched.addObject();
            o.put("level", r.learned().setting());
            o.put("bits_per_value", r.learned().bitsPerValue());
            o.put("bits_per_value_tables_free", r.bitsPerValueTablesFree());
            o.put("sqnr_db", r.learned().sqnrDb());
            ArrayNode bs = o.putArray("baselines");
            for (HeldOutEvaluation.Matched x : r.matched()) {
                ObjectNode j = bs.addObject();
                j.put("method", x.method());
                j.put("sqnr_db", x.sqnrDb());
                j.put("gain_db", x.gainDb());
            }
            o.put("best_baseline", r.best().method());
            o.put("best_gain_db", r.best().gainDb());
            o.put("best_baseline_tables_free", r.bestTablesFree().method());
            o.put("best_gain_db_tables_free", r.bestTablesFree().gainDb());
        }
        root.put("verdict", verdict());
        if (fidelity != null) {
            ObjectNode f = root.putObject("fidelity");
            f.put("kind", fidelity.kind());
            f.put("measured_on", fidelityNote);
            ArrayNode rows = f.putArray("points");
            List<CoderFidelity.Point> ps = new ArrayList<>();
            ps.add(fidelity.reference());
            ps.addAll(fidelity.points());
            for (CoderFidelity.Point x : ps) {
                ObjectNode o = rows.addObject();
                o.put("method", x.method());
                o.put("setting", x.setting());
                o.put("bits_per_value", x.bitsPerValue());
                o.put("bits_per_weight", x.bitsPerWeight());
                x.metrics().forEach(o::put);
            }
        } else {
            root.put("fidelity", fidelityNote);
        }
        return Json.write(root);
    }

    private static String architecture(CodecProfile.Level p) {
        return p.variant().name().toLowerCase(Locale.ROOT) + " k" + p.latentSize()
                + (p.hiddenWidth() > 0 ? " h" + p.hiddenWidth() : "") + " step " + p.step();
    }

    private static String shortMethod(String method) {
        return method.replace(" + Huffman", "").replace("quant ", "");
    }

    private static String label(String path) {
        String s = path.replace('\\', '/');
        int bang = s.lastIndexOf("!/");
        s = bang >= 0 ? s.substring(bang + 2) : s;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static void table(StringBuilder b, List<String> headers, List<List<String>> rows) {
        b.append("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int i = 0; i < headers.size(); i++) {
            b.append(i < 2 ? " --- |" : " ---: |");
        }
        b.append('\n');
        for (List<String> r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
    }

    private static String db(HeldOutEvaluation.Matched m) {
        return m == null || Double.isNaN(m.sqnrDb()) ? "-" : f2(m.sqnrDb());
    }

    private static String gain(HeldOutEvaluation.Matched m) {
        return m == null || Double.isNaN(m.gainDb()) ? "-" : signed(m.gainDb());
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    private static String metric(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
