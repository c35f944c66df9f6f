package io.nccsim.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the result files that figures and HTML reports are made from, without simulating: a run's
 * {@code report.json}, a sweep's {@code results.jsonl} and {@code sweep.json}. A missing or malformed file is a
 * {@link BadInputException} naming the file, the line and what was expected.
 */
public final class ResultsFiles {
    public static final String REPORT = "report.json";
    public static final String RESULTS = "results.jsonl";
    public static final String SWEEP = "sweep.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultsFiles() {
    }

    /** True when {@code dir} is a run's out dir (it has report.json). */
    public static boolean isRunDir(Path dir) {
        return Files.isRegularFile(dir.resolve(REPORT));
    }

    /** True when {@code dir} is a sweep's out dir (it has results.jsonl). */
    public static boolean isSweepDir(Path dir) {
        return Files.isRegularFile(dir.resolve(RESULTS));
    }

    /** A run's report.json, checked to have the parts a report is made of. */
    public static JsonNode readReport(Path runDir) {
        Path file = runDir.resolve(REPORT);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file; expected a run's out dir (made by nccsim run)");
        }
        JsonNode root = parse(file, read(file), 0);
        for (String part : List.of("config", "trace", "baseline", "ncc", "summary")) {
            if (!root.path(part).isObject()) {
                throw new BadInputException(file + ": no '" + part + "' object; expected a report.json written by "
                        + "nccsim run");
            }
        }
        for (String run : List.of("baseline", "ncc")) {
            if (!root.path(run).path("energy_j").isObject()) {
                throw new BadInputException(file + ": " + run + " has no 'energy_j' object; expected a report.json "
                        + "written by nccsim run");
            }
        }
        return root;
    }

    /** A sweep's results.jsonl, one point per non-blank line. */
    public static List<SweepPoint> readResults(Path sweepDir) {
        Path file = sweepDir.resolve(RESULTS);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file; expected a sweep's out dir (made by nccsim sweep)");
        }
        List<SweepPoint> points = new ArrayList<>();
        String[] lines = read(file).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode n = parse(file, lines[i], i + 1);
            String at = file + ":" + (i + 1);
            if (!n.isObject() || !n.path("index").canConvertToInt() || !n.path("id").isTextual()
                    || !n.path("trace").isTextual() || !n.path("metrics").isObject()) {
                throw new BadInputException(at + ": expected an object with index, id, trace, settings and metrics "
                        + "(one sweep point per line, as nccsim sweep writes)");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> s = n.path("settings").fields();
            while (s.hasNext()) {
                Map.Entry<String, JsonNode> e = s.next();
                settings.put(e.getKey(), e.getValue().asText());
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> m = n.path("metrics").fields();
            while (m.hasNext()) {
                Map.Entry<String, JsonNode> e = m.next();
                if (!e.getValue().isNumber()) {
                    throw new BadInputException(at + ": metric '" + e.getKey() + "' is " + e.getValue()
                            + "; expected a number");
                }
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
            points.add(new SweepPoint(n.path("index").asInt(), n.path("id").asText(), n.path("trace").asText(),
                    settings, metrics, n.path("content").asText("modeled")));
        }
        if (points.isEmpty()) {
            throw new BadInputException(file + ": no sweep points; expected one JSON object per line");
        }
        return points;
    }

    /** A sweep's sweep.json, or null when the sweep dir has none (the axes are then read off the points). */
    public static JsonNode readSweep(Path sweepDir) {
        Path file = sweepDir.resolve(SWEEP);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode root = parse(file, read(file), 0);
        if (!root.isObject() || (root.has("axes") && !root.path("axes").isArray())) {
            throw new BadInputException(file + ": expected an object with 'axes' as a list (as nccsim sweep writes)");
        }
        return root;
    }

    /**
     * One run's report read as a sweep point: the same metric names as a sweep's results.jsonl, so that runs made
     * one by one make the same cross-run figures as a sweep.
     */
    public static SweepPoint pointOf(JsonNode report, int index, String id) {
        JsonNode b = report.path("baseline");
        JsonNode n = report.path("ncc");
        JsonNode s = report.path("summary");
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bandwidth_saved_pct", s.path("bandwidth_saved_pct").asDouble());
        m.put("speedup", s.path("speedup").asDouble());
        m.put("decode_speedup", s.path("decode_speedup").asDouble());
        m.put("energy_saved_pct", s.path("energy_saved_pct").asDouble());
        m.put("baseline_tokens_per_s", b.path("tokens_per_s").asDouble());
        m.put("ncc_tokens_per_s", n.path("tokens_per_s").asDouble());
        m.put("baseline_energy_j", b.path("energy_j").path("total").asDouble());
        m.put("ncc_energy_j", n.path("energy_j").path("total").asDouble());
        m.put("ncc_component_energy_j", n.path("energy_j").path("ncc").asDouble());
        m.put("ncc_area_mm2", n.path("ncc_area_mm2").path("total").asDouble());
        m.put("baseline_sim_time_s", b.path("sim_time_s").asDouble());
        m.put("ncc_sim_time_s", n.path("sim_time_s").asDouble());
        m.put("baseline_dram_bytes", b.path("dram_bytes_read").asDouble() + b.path("dram_bytes_written").asDouble());
        m.put("ncc_dram_bytes", n.path("dram_bytes_read").asDouble() + n.path("dram_bytes_written").asDouble());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("base", report.path("config").path("file").asText());
        for (JsonNode set : report.path("config").path("sets")) {
            String kv = set.asText();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                settings.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new SweepPoint(index, id, report.path("trace").path("file").asText(), settings, m, content(report));
    }

    /** "captured" or "modeled": the report's content kind (modeled when the report does not say). */
    public static String content(JsonNode report) {
        String kind = report.path("trace").path("provenance").path("kind").asText("");
        if (kind.isEmpty()) {
            kind = report.path("summary").path("content").asText("modeled");
        }
        return kind;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(file + ": not UTF-8 text; expected JSON");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, String text, int lineNumber) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new BadInputException(file + (lineNumber > 0 ? ":" + lineNumber : "") + ": empty; expected JSON");
            }
            return n;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = lineNumber > 0 ? ":" + lineNumber + (loc == null ? "" : ":" + loc.getColumnNr())
                    : (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr());
            String why = e.getOriginalMessage().split("\n", 2)[0];
            throw new BadInputException(file + where + ": malformed JSON (" + why + "); remake the file with the "
                    + "nccsim command that wrote it");
        }
    }
}
