package io.nccsim.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one finished sweep point: one line of results.jsonl and one row of results.csv.
 *
 * @param index    the point's index in the sweep's order
 * @param id       the point's id
 * @param trace    the trace file, as run
 * @param seed     the point's seed
 * @param settings axis key to value (see {@link SweepPoint#settings()})
 * @param metrics  metric name to value, in {@link SweepMetrics#NAMES} order
 * @param content  the trace's content provenance: "captured" or "modeled"
 */
public record PointResult(int index, String id, String trace, long seed, Map<String, String> settings,
                          Map<String, Double> metrics, String content) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public PointResult {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The metric, or NaN when the line does not have it. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /** The results.jsonl line, without its newline. */
    public String jsonLine() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("index", index);
        o.put("id", id);
        o.put("trace", trace);
        o.put("seed", seed);
        ObjectNode s = o.putObject("settings");
        settings.forEach(s::put);
        ObjectNode m = o.putObject("metrics");
        metrics.forEach((k, v) -> {
            if (SweepMetrics.isInteger(k)) {
                m.put(k, Math.round(v));
            } else {
                m.put(k, v);
            }
        });
        o.put("content", content);
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result that cannot be written: " + e.getMessage(), e);
        }
    }

    /** The results.csv row (no newline): index,id,trace,seed, the settings of {@code axisKeys}, metrics, content. */
    public String csvRow(List<String> axisKeys) {
        StringBuilder sb = new StringBuilder();
        sb.append(index).append(',').append(csv(id)).append(',').append(csv(trace)).append(',').append(seed);
        for (String k : axisKeys) {
            sb.append(',').append(csv(settings.getOrDefault(k, "")));
        }
        for (String name : SweepMetrics.NAMES) {
            double v = metric(name);
            sb.append(',').append(SweepMetrics.isInteger(name) ? Long.toString(Math.round(v)) : Double.toString(v));
        }
        sb.append(',').append(csv(content));
        return sb.toString();
    }

    /** The results.csv header line (no newline). */
    public static String csvHeader(List<String> axisKeys) {
        StringBuilder sb = new StringBuilder("index,id,trace,seed");
        for (String k : axisKeys) {
            sb.append(',').append(csv(k));
        }
        for (String name : SweepMetrics.NAMES) {
            sb.append(',').append(name);
        }
        return sb.append(",content").toString();
    }

    /** Parses a results.jsonl line; {@code null} when it is not a whole record. */
    static PointResult parse(String line) {
        JsonNode o;
        try {
            o = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (o == null || !o.isObject() || !o.path("index").isInt() || !o.path("id").isTextual()
                || !o.path("metrics").isObject() || !o.path("settings").isObject()) {
            return null;
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("settings").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            settings.put(e.getKey(), e.getValue().asText());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            metrics.put(e.getKey(), e.getValue().asDouble());
        }
        return new PointResult(o.path("index").asInt(), o.path("id").asText(), o.path("trace").asText(),
                o.path("seed").asLong(), settings, metrics, o.path("content").asText());
    }

    /** RFC 4180 quoting, only where needed: paths and unit values may hold commas. */
    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
