package io.nccsim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.common.BadInputException;
import io.nccsim.report.Json;
import io.nccsim.report.OutputDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the output folders of a sharded sweep into one folder, as if the sweep had run whole: results.jsonl and
 * results.csv in point order, and the sweep.json of the whole sweep (shard null). The shards must come from the same
 * spec (same spec_sha256), and together hold every point exactly once; otherwise nothing is written.
 */
public final class SweepMerge {
    private SweepMerge() {
    }

    /** @return the number of points merged */
    public static int merge(List<Path> shardDirs, Path out, boolean force) {
        if (shardDirs.isEmpty()) {
            throw new BadInputException("sweep merge: name the shard folders to merge, e.g. sweep merge --out "
                    + "reports/all reports/shard-1 reports/shard-2");
        }
        OutputDir.checkWritable(out, force);
        JsonNode first = SweepResults.manifest(shardDirs.get(0));
        String sha = first.path("spec_sha256").asText();
        Map<String, Integer> indexOf = new HashMap<>();
        for (JsonNode p : first.path("points")) {
            indexOf.put(p.path("id").asText(), p.path("index").asInt());
        }
        List<String> axisKeys = new ArrayList<>();
        first.path("axes").forEach(a -> axisKeys.add(a.path("key").asText()));

        Map<String, Path> from = new HashMap<>();
        ResultsFiles.Line[] byIndex = new ResultsFiles.Line[indexOf.size()];
        for (Path dir : shardDirs) {
            JsonNode m = SweepResults.manifest(dir);
            if (!m.path("spec_sha256").asText().equals(sha)) {
                throw new BadInputException("sweep merge: " + dir + " is from a different spec than "
                        + shardDirs.get(0) + " (spec_sha256 " + m.path("spec_sha256").asText().substring(0, 12)
                        + "... vs " + sha.substring(0, 12) + "...); merge only the shards of one spec");
            }
            Path jsonl = dir.resolve(ResultsFiles.JSONL);
            for (ResultsFiles.Line l : ResultsFiles.readJsonl(jsonl).lines()) {
                String id = l.result().id();
                Integer index = indexOf.get(id);
                if (index == null) {
                    throw new BadInputException(jsonl + ":" + l.lineNumber() + ": point " + id + " is not in the "
                            + "sweep's point list");
                }
                Path other = from.putIfAbsent(id, dir);
                if (other != null) {
                    throw new BadInputException("sweep merge: point " + id + " is in " + other + " and in " + dir
                            + (other.equals(dir) ? " twice" : "") + "; each point must come from one shard");
                }
                byIndex[index] = l;
            }
        }
        List<String> missing = new ArrayList<>();
        for (JsonNode p : first.path("points")) {
            if (!from.containsKey(p.path("id").asText())) {
                missing.add(p.path("id").asText());
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("sweep merge: " + missing.size() + " of " + indexOf.size() + " points are "
                    + "missing (first: " + String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + "); finish the shards that hold them (rerun with --resume), or name every shard folder");
        }
        List<ResultsFiles.Line> lines = List.of(byIndex);
        ObjectNode manifest = first.deepCopy();
        manifest.putNull("shard");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ResultsFiles.MANIFEST, Json.write(manifest));
        files.put(ResultsFiles.JSONL, ResultsFiles.jsonl(lines.stream().map(ResultsFiles.Line::text).toList()));
        files.put(ResultsFiles.CSV, ResultsFiles.csv(axisKeys, lines.stream().map(ResultsFiles.Line::result).toList()));
        OutputDir.write(out, force, files);
        return lines.size();
    }
}
