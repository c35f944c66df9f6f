package io.nccsim.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.nccsim.common.BadInputException;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Progress;
import io.nccsim.driver.Simulation;
import io.nccsim.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a sweep's points (or one shard of them) into an output folder, on worker threads.
 *
 * <p>Every point is validated before any runs. Each worker runs one point at a time, with the baseline and the NCC
 * run one after the other on that worker ({@code Simulation.compare(..., parallel=false)}), so the workers are the
 * unit of parallelism. Each point's result depends only on its config and trace, so the results do not depend on
 * the number of workers or on the order they finish in. A finished point goes to results.jsonl and results.csv at
 * once ({@link ResultsLog}); when the last point of the folder's share is done, both files are rewritten in point
 * order, so a finished sweep's files are the same bytes whatever the number of workers.
 *
 * <p>Resume: the folder's results.jsonl says which points are finished; a torn last line is dropped (its point runs
 * again); the rest run. The folder must hold the same spec (by SHA-256) and the same shard.
 */
public final class SweepRunner {
    private SweepRunner() {
    }

    /**
     * @param jobs      worker threads (at least 1)
     * @param resume    continue the sweep in a folder that has one (a missing or empty folder starts afresh)
     * @param force     start over in a non-empty folder (deletes the folder's sweep files, nothing else)
     * @param shard     the slice of points to run
     * @param maxPoints stop after this many points have run in this invocation (0: no limit); for tests of resume
     */
    public record Options(int jobs, boolean resume, boolean force, Shard shard, int maxPoints) {
    }

    /** What the caller shows while points finish; called from worker threads, one call at a time. */
    public interface Listener {
        Listener NONE = new Listener() { };

        /**
         * Before the first point: how many points this folder holds in all, how many were already done, how many
         * this invocation runs, on how many workers.
         */
        default void started(int total, int alreadyDone, int toRun, int jobs) {
        }

        /** A point finished and is on disk; {@code done} counts every finished point of the folder. */
        default void finished(PointResult result, int done, int total) {
        }
    }

    /**
     * @param ran         points run by this invocation
     * @param alreadyDone points found finished in the folder (resume)
     * @param total       points of the folder's share of the sweep
     */
    public record Outcome(int ran, int alreadyDone, int total) {
        public boolean complete() {
            return ran + alreadyDone == total;
        }
    }

    public static Outcome run(SweepPlan plan, Path out, Options o, Listener listener, String toolVersion) {
        if (o.jobs() < 1) {
            throw new BadInputException("--jobs " + o.jobs() + ": expected at least 1");
        }
        if (o.resume() && o.force()) {
            throw new BadInputException("--resume and --force contradict each other: --resume continues the sweep in "
                    + "--out, --force starts it over; give one");
        }
        List<SweepPlan.Prepared> all = plan.prepare();
        List<SweepPlan.Prepared> mine = new ArrayList<>();
        for (SweepPlan.Prepared p : all) {
            if (o.shard().contains(p.point().index())) {
                mine.add(p);
            }
        }
        List<String> axisKeys = plan.axisKeys();
        Map<String, ResultsFiles.Line> done = prepareFolder(plan, out, o, axisKeys, mine, toolVersion);

        List<SweepPlan.Prepared> pending = new ArrayList<>();
        for (SweepPlan.Prepared p : mine) {
            if (!done.containsKey(p.point().id())) {
                pending.add(p);
            }
        }
        if (o.maxPoints() > 0 && pending.size() > o.maxPoints()) {
            pending = pending.subList(0, o.maxPoints());
        }
        int alreadyDone = done.size();
        int jobs = Math.max(1, Math.min(o.jobs(), pending.size()));
        listener.started(mine.size(), alreadyDone, pending.size(), jobs);

        Map<String, ResultsFiles.Line> finished = new LinkedHashMap<>(done);
        Object lock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "nccsim-sweep");
            t.setDaemon(true);
            return t;
        });
        ResultsLog log = new ResultsLog(out, axisKeys);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SweepPlan.Prepared p : pending) {
                futures.add(pool.submit(() -> {
                    SweepPoint pt = p.point();
                    Comparison c = Simulation.compare(p.config(), pt.trace(), Progress.NONE, false);
                    PointResult r = new PointResult(pt.index(), pt.id(), pt.trace().toString(), pt.seed(),
                            pt.settings(), SweepMetrics.of(c), p.content());
                    synchronized (lock) {
                        if (log.append(r)) {
                            finished.put(r.id(), new ResultsFiles.Line(r.jsonLine(), r, 0));
                            listener.finished(r, finished.size(), mine.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                join(f);
            }
        } finally {
            log.close(); // a worker still running after a failure writes nothing more
            pool.shutdownNow();
        }
        Outcome outcome = new Outcome(pending.size(), alreadyDone, mine.size());
        if (outcome.complete()) {
            List<ResultsFiles.Line> sorted = new ArrayList<>(finished.values());
            sorted.sort(Comparator.comparingInt(l -> l.result().index()));
            rewrite(out, axisKeys, sorted);
        }
        return outcome;
    }

    /**
     * Checks the output folder and sets it up: afresh (sweep.json, empty results) or, on resume, with the finished
     * points read back and the results files repaired. Returns the finished points by id. Nothing is written when a
     * check fails.
     */
    private static Map<String, ResultsFiles.Line> prepareFolder(SweepPlan plan, Path out, SweepRunner.Options o,
                                                                List<String> axisKeys,
                                                                List<SweepPlan.Prepared> mine, String toolVersion) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + ": is a file, not a directory; choose a directory path");
        }
        boolean hasManifest = Files.isRegularFile(out.resolve(ResultsFiles.MANIFEST));
        Map<String, ResultsFiles.Line> done = new LinkedHashMap<>();
        if (o.resume() && hasManifest) {
            JsonNode m = SweepResults.manifest(out);
            if (!m.path("spec_sha256").asText().equals(plan.spec().sha256())) {
                throw new BadInputException("--out " + out + ": holds sweep '" + m.path("name").asText() + "' of a "
                        + "different spec (spec_sha256 " + abbreviate(m.path("spec_sha256").asText()) + ", this spec "
                        + abbreviate(plan.spec().sha256()) + "); resume with the spec it was started with, or "
                        + "choose another --out");
            }
            String shard = m.path("shard").isTextual() ? m.path("shard").asText() : Shard.ALL.toString();
            if (!shard.equals(o.shard().toString())) {
                throw new BadInputException("--out " + out + ": holds shard " + shard + " of the sweep, not "
                        + o.shard() + "; resume it with --shard " + shard);
            }
            Set<String> ids = new HashSet<>();
            mine.forEach(p -> ids.add(p.point().id()));
            Path jsonl = out.resolve(ResultsFiles.JSONL);
            for (ResultsFiles.Line l : ResultsFiles.readJsonl(jsonl).lines()) {
                if (!ids.contains(l.result().id())) {
                    throw new BadInputException(jsonl + ":" + l.lineNumber() + ": point " + l.result().id()
                            + " is not one of this folder's points; the file was edited or damaged");
                }
                done.putIfAbsent(l.result().id(), l); // a point never runs twice, so a repeat is a copy: keep one
            }
            rewrite(out, axisKeys, new ArrayList<>(done.values()));
            return done;
        }
        if (!o.force() && io.nccsim.report.OutputDir.isNonEmptyDirectory(out)) {
            throw new BadInputException("--out " + out + ": directory is not empty" + (o.resume()
                    ? " and holds no sweep.json, so there is nothing to resume; choose another --out"
                    : "; pass --resume to continue the sweep in it, --force to start it over, or choose another "
                    + "--out"));
        }
        try {
            Files.createDirectories(out);
            for (String f : List.of(ResultsFiles.MANIFEST, ResultsFiles.JSONL, ResultsFiles.CSV)) {
                Files.deleteIfExists(out.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + out + ": " + e.getMessage(), e);
        }
        ResultsFiles.writeAtomically(out.resolve(ResultsFiles.MANIFEST),
                Json.write(plan.manifest(o.shard(), toolVersion)));
        rewrite(out, axisKeys, List.of());
        return done;
    }

    /** Replaces results.jsonl and results.csv with these records, in the order given. */
    private static void rewrite(Path out, List<String> axisKeys, List<ResultsFiles.Line> lines) {
        ResultsFiles.writeAtomically(out.resolve(ResultsFiles.JSONL),
                ResultsFiles.jsonl(lines.stream().map(ResultsFiles.Line::text).toList()));
        ResultsFiles.writeAtomically(out.resolve(ResultsFiles.CSV),
                ResultsFiles.csv(axisKeys, lines.stream().map(ResultsFiles.Line::result).toList()));
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // a BadInputException stays one, for its one-line message
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
    }
}
