package io.nccsim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's output folder read back: the plan from {@code sweep.json} and the finished points from
 * {@code results.jsonl}. This is the reader for other tools (figures, scripts in Java); the formats are:
 *
 * <p><b>sweep.json</b> (written when the sweep starts; indented JSON):
 * {@code {"name", "spec_sha256", "seed", "axes": [{"key", "values": [...]}], "points": [{"index", "id", "trace",
 * "seed", "settings": {key: value}}], "tool_version", "spec_file", "base", "traces": [...], "shard"}}. {@code axes}
 * are the setting axes in spec order (config keys, and {@code base} when the board is an axis; the trace is not a
 * setting); {@code points} lists every point of the sweep, also in a shard's folder; {@code base} is null when it is
 * an axis; {@code shard} is {@code "I/N"} or null.
 *
 * <p><b>results.jsonl</b>: one JSON object per finished point, one line each:
 * {@code {"index": 3, "id": "p0003-1a2b3c4d", "trace": "traces/minilm.trace", "seed": 8812734, "settings":
 * {"ncc.decoder.lanes": "8", "base": "configs/rpi5.yaml"}, "metrics": {...}, "content": "captured"}}. Settings values
 * are strings (the {@code --set} text); metrics are numbers, named in {@link SweepMetrics#NAMES}. While a sweep runs
 * the lines are in completion order; a finished sweep (and a merge) rewrites them in point order. A last line
 * without a newline is a point being written when the sweep was killed: readers drop it.
 *
 * <p><b>results.csv</b>: the same records, columns {@code index,id,trace,seed}, one per axis key (sweep.json's axis
 * order), the metrics in {@link SweepMetrics#NAMES} order, then {@code content}; header once.
 *
 * @param dir         the folder read
 * @param name        the sweep's name
 * @param specSha256  SHA-256 of the spec file
 * @param seed        the sweep seed
 * @param toolVersion the nccsim version that started the sweep
 * @param shard       "I/N", or null for a whole sweep (or a merge)
 * @param axes        the setting axes, in spec order
 * @param points      every planned point, in point order
 * @param results     the finished points, in point order
 */
public record SweepResults(Path dir, String name, String specSha256, long seed, String toolVersion, String shard,
                           List<Axis> axes, List<Point> points, List<PointResult> results) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A setting axis: its key and its values as run. */
    public record Axis(String key, List<String> values) {
    }

    /** A planned point. */
    public record Point(int index, String id, String trace, long seed, Map<String, String> settings) {
    }

    public SweepResults {
        axes = List.copyOf(axes);
        points = List.copyOf(points);
        results = List.copyOf(results);
    }

    /** Reads {@code dir}/sweep.json and {@code dir}/results.jsonl; errors are one line naming the file. */
    public static SweepResults read(Path dir) {
        JsonNode m = manifest(dir);
        List<Axis> axes = new ArrayList<>();
        for (JsonNode a : m.path("axes")) {
            List<String> values = new ArrayList<>();
            a.path("values").forEach(v -> values.add(v.asText()));
            axes.add(new Axis(a.path("key").asText(), values));
        }
        List<Point> points = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode p : m.path("points")) {
            Map<String, String> settings = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.path("settings").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                settings.put(e.getKey(), e.getValue().asText());
            }
            points.add(new Point(p.path("index").asInt(), p.path("id").asText(), p.path("trace").asText(),
                    p.path("seed").asLong(), settings));
            ids.put(p.path("id").asText(), p.path("index").asInt());
        }
        Path jsonl = dir.resolve(ResultsFiles.JSONL);
        List<PointResult> results = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (ResultsFiles.Line l : ResultsFiles.readJsonl(jsonl).lines()) {
            String id = l.result().id();
            if (!ids.containsKey(id)) {
                throw new BadInputException(jsonl + ":" + l.lineNumber() + ": point " + id + " is not in this "
                        + "sweep's sweep.json");
            }
            Integer first = seen.putIfAbsent(id, l.lineNumber());
            if (first != null) {
                throw new BadInputException(jsonl + ":" + l.lineNumber() + ": point " + id + " appears twice (first "
                        + "at line " + first + ")");
            }
            results.add(l.result());
        }
        results.sort(Comparator.comparingInt(PointResult::index));
        String shard = m.path("shard").isTextual() ? m.path("shard").asText() : null;
        return new SweepResults(dir, m.path("name").asText(), m.path("spec_sha256").asText(), m.path("seed").asLong(),
                m.path("tool_version").asText(), shard, axes, points, results);
    }

    /** The setting axis keys, in order: the axis columns of results.csv. */
    public List<String> axisKeys() {
        return axes.stream().map(Axis::key).toList();
    }

    /** The metric names of every record, in column order. */
    public static List<String> metricNames() {
        return SweepMetrics.NAMES;
    }

    /** The parsed sweep.json of {@code dir}. */
    static JsonNode manifest(Path dir) {
        Path file = dir.resolve(ResultsFiles.MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(dir + ": no " + ResultsFiles.MANIFEST + "; not a sweep output folder");
        }
        JsonNode m;
        try {
            m = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file + ": not readable JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        if (m == null || !m.isObject() || !m.path("spec_sha256").isTextual() || !m.path("points").isArray()) {
            throw new BadInputException(file + ": not a sweep manifest (needs spec_sha256 and points)");
        }
        return m;
    }
}
