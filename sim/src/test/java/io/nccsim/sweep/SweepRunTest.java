package io.nccsim.sweep;

import static io.nccsim.testutil.Cli.run;

import io.nccsim.config.SimConfig;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Progress;
import io.nccsim.driver.Simulation;
import io.nccsim.report.Report;
import io.nccsim.testutil.Cli.Result;
import io.nccsim.trace.TraceReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code nccsim sweep} end to end on the 8-point tiny sweep: the files, independence from --jobs, resume after a
 * torn line, shards merged, and the bad-input promises (one line, exit 2, nothing written).
 */
class SweepRunTest {
    @TempDir
    Path dir;
    Path spec;

    @BeforeEach
    void write() throws Exception {
        spec = TinySweep.write(dir, TinySweep.SPEC);
    }

    private Result sweep(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "sweep";
        all[1] = "--spec";
        all[2] = spec.toString();
        all[3] = "--quiet";
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void assertSameResults(Path expected, Path actual) throws Exception {
        for (String f : List.of("results.jsonl", "results.csv", "sweep.json")) {
            assertEquals(read(expected.resolve(f)), read(actual.resolve(f)), f);
        }
    }

    @Test
    void aSweepWritesEveryPointOnceWithTheSchemaAndHandCheckedMetrics() throws Exception {
        Path out = dir.resolve("out");
        Result r = sweep("--out", out.toString(), "--jobs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("8 points run, 0 already done, 8 of 8 finished"), r.out());
        SweepResults s = SweepResults.read(out);
        assertEquals("tiny", s.name());
        assertNull(s.shard());
        assertEquals(List.of("ncc.decoder.lanes", "ncc.tables.slots"), s.axisKeys());
        assertEquals(8, s.points().size());
        assertEquals(8, s.results().size());
        for (int i = 0; i < 8; i++) {
            PointResult p = s.results().get(i);
            assertEquals(i, p.index());
            assertEquals(s.points().get(i).id(), p.id());
            assertEquals(s.points().get(i).seed(), p.seed());
            assertEquals(s.points().get(i).settings(), p.settings());
            assertEquals(SweepMetrics.NAMES, List.copyOf(p.metrics().keySet()));
            assertEquals("modeled", p.content());
            // HandComputedRunTest's trace: the baseline reads W (8192 B) and writes A (1024 B).
            assertEquals(9216, p.metric("baseline_dram_bytes"));
            double saved = 100.0 * (9216 - p.metric("ncc_dram_bytes")) / 9216;
            assertEquals(saved, p.metric("bandwidth_saved_pct"), 1e-9);
            assertTrue(p.metric("ncc_dram_bytes") < 9216, "W's two one-symbol blocks compress");
        }
        assertEquals("1", s.results().get(0).settings().get("ncc.decoder.lanes"));
        assertEquals("4", s.results().get(3).settings().get("ncc.tables.slots"));
        assertTrue(s.results().get(4).trace().endsWith("b.trace"), "the traces are the outermost factor");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(9, csv.size(), "header once, then one row per point");
        assertTrue(csv.get(0).startsWith("index,id,trace,seed,ncc.decoder.lanes,ncc.tables.slots,bandwidth_saved_pct,"
                + "speedup,decode_speedup,energy_saved_pct,"), csv.get(0));
        assertTrue(csv.get(0).endsWith(",baseline_dram_bytes,ncc_dram_bytes,content"), csv.get(0));
        assertTrue(csv.get(1).startsWith("0," + s.results().get(0).id() + ","), csv.get(1));
        assertTrue(csv.get(1).endsWith(",9216," + Math.round(s.results().get(0).metric("ncc_dram_bytes"))
                + ",modeled"), csv.get(1));
        // A finished sweep also gets its figures and its self-contained HTML report.
        String html = read(out.resolve("figures").resolve("report.html"));
        assertTrue(html.contains("<svg") && html.toLowerCase(java.util.Locale.ROOT).contains("modeled"));
        assertTrue(r.out().contains("report: " + out.resolve("figures").resolve("report.html")), r.out());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfJobs() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertEquals(0, sweep("--out", one.toString(), "--jobs", "1").code());
        assertEquals(0, sweep("--out", two.toString(), "--jobs", "3").code());
        assertSameResults(one, two); // a finished sweep's files are rewritten in point order
    }

    @Test
    void aKilledSweepResumesWithNoPointLostOrDuplicated() throws Exception {
        Path clean = dir.resolve("clean");
        assertEquals(0, sweep("--out", clean.toString(), "--jobs", "1").code());

        Path out = dir.resolve("killed");
        Result first = sweep("--out", out.toString(), "--jobs", "2", "--max-points", "3");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("3 points run, 0 already done, 3 of 8 finished (rerun with --resume"),
                first.out());
        // The kill: the last line is cut half-way, as a write interrupted mid-line leaves it.
        Path jsonl = out.resolve("results.jsonl");
        String text = read(jsonl);
        int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        String torn = text.substring(0, lastStart + (text.length() - lastStart) / 2);
        Files.writeString(jsonl, torn);
        assertEquals(2, SweepResults.read(out).results().size(), "readers drop the torn line");

        Result again = sweep("--out", out.toString(), "--jobs", "2", "--resume");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("6 points run, 2 already done, 8 of 8 finished"), again.out());
        SweepResults s = SweepResults.read(out);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), s.results().stream().map(PointResult::index).toList());
        assertSameResults(clean, out);

        Result nothingLeft = sweep("--out", out.toString(), "--resume");
        assertTrue(nothingLeft.out().contains("0 points run, 8 already done, 8 of 8 finished"), nothingLeft.out());
        assertSameResults(clean, out);
    }

    @Test
    void shardsMergeIntoTheFullSweep() throws Exception {
        Path full = dir.resolve("full");
        assertEquals(0, sweep("--out", full.toString()).code());
        Path s1 = dir.resolve("s1");
        Path s2 = dir.resolve("s2");
        Path s3 = dir.resolve("s3");
        for (int i = 1; i <= 3; i++) {
            Result r = sweep("--out", dir.resolve("s" + i).toString(), "--shard", i + "/3");
            assertEquals(0, r.code(), r.err());
        }
        // index mod 3 == I-1: shard 1 has points 0, 3, 6.
        assertEquals(List.of(0, 3, 6), SweepResults.read(s1).results().stream().map(PointResult::index).toList());
        assertEquals("1/3", SweepResults.read(s1).shard());

        Result missing = run("sweep", "merge", "--out", dir.resolve("m0").toString(), s1.toString(), s2.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("2 of 8 points are missing (first: p0002-"), missing.err());
        Result twice = run("sweep", "merge", "--out", dir.resolve("m1").toString(), s1.toString(), s2.toString(),
                s3.toString(), s1.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("point p0000-") && twice.err().contains("each point must come from one shard"),
                twice.err());
        assertFalse(Files.exists(dir.resolve("m0")) || Files.exists(dir.resolve("m1")), "nothing written");

        Path merged = dir.resolve("merged");
        Result ok = run("sweep", "merge", "--out", merged.toString(), s3.toString(), s1.toString(), s2.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("merged 8 points from 3 shards"), ok.out());
        assertSameResults(full, merged);

        Path otherSpec = TinySweep.write(dir.resolve("other"), TinySweep.SPEC.replace("seed: 7", "seed: 9"));
        Path foreign = dir.resolve("foreign");
        assertEquals(0, run("sweep", "--spec", otherSpec.toString(), "--quiet", "--out", foreign.toString(),
                "--shard", "2/3").code());
        Result mixed = run("sweep", "merge", "--out", dir.resolve("m2").toString(), s1.toString(), foreign.toString(),
                s3.toString());
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("is from a different spec"), mixed.err());
    }

    @Test
    void badInputIsOneLineExitTwoAndWritesNothing() throws Exception {
        Path out = dir.resolve("never");
        Result shard = sweep("--out", out.toString(), "--shard", "4/3");
        assertEquals(2, shard.code());
        assertEquals("nccsim: error: --shard 4/3: out of range; expected I/N with 1 <= I <= N, e.g. --shard 1/3\n",
                shard.err());
        Path badSpec = TinySweep.write(dir.resolve("bad"), TinySweep.SPEC.replace("ncc.tables.slots",
                "ncc.tables.slotz"));
        Result badKey = run("sweep", "--spec", badSpec.toString(), "--out", out.toString());
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().startsWith("nccsim: error: --set ncc.tables.slotz=1:1:1: unknown key "
                + "'ncc.tables.slotz'"), badKey.err());
        assertEquals(1, badKey.err().lines().count());
        assertFalse(Files.exists(out), "nothing written");

        Path used = dir.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("notes.txt"), "mine");
        Result nonEmpty = sweep("--out", used.toString());
        assertEquals(2, nonEmpty.code());
        assertTrue(nonEmpty.err().contains("directory is not empty; pass --resume to continue the sweep in it, "
                + "--force to start it over"), nonEmpty.err());
        Result nothingToResume = sweep("--out", used.toString(), "--resume");
        assertEquals(2, nothingToResume.code());
        assertTrue(nothingToResume.err().contains("holds no sweep.json, so there is nothing to resume"),
                nothingToResume.err());
        assertEquals(List.of("notes.txt"), Files.list(used).map(p -> p.getFileName().toString()).toList());

        Path done = dir.resolve("done");
        assertEquals(0, sweep("--out", done.toString(), "--shard", "1/2").code());
        Result wrongShard = sweep("--out", done.toString(), "--shard", "2/2", "--resume");
        assertEquals(2, wrongShard.code());
        assertTrue(wrongShard.err().contains("holds shard 1/2 of the sweep, not 2/2"), wrongShard.err());
        Path otherSpec = TinySweep.write(dir.resolve("other"), TinySweep.SPEC.replace("values: [1, 2]",
                "values: [1, 3]"));
        Result wrongSpec = run("sweep", "--spec", otherSpec.toString(), "--out", done.toString(), "--shard", "1/2",
                "--resume");
        assertEquals(2, wrongSpec.code());
        assertTrue(wrongSpec.err().contains("of a different spec"), wrongSpec.err());
        Result forced = sweep("--out", done.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertNull(SweepResults.read(done).shard(), "--force started the sweep over");
    }

    @Test
    void progressIsOnePlainLinePerPointOffATerminal() throws Exception {
        Result r = run("sweep", "--spec", spec.toString(), "--out", dir.resolve("p").toString(), "--jobs", "1");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals("sweep: 8 points, 0 already done, 8 to run on 1 worker", lines.get(0));
        assertEquals(9, lines.size(), r.err());
        assertTrue(lines.get(8).startsWith("point 8/8 p0007-"), lines.get(8));
        assertTrue(lines.get(8).contains("ETA 0s"), lines.get(8));
    }

    @Test
    void compareGivesTheSameResultsOnOneThreadAsOnTwo() {
        SimConfig c = SimConfig.load(dir.resolve("tiny.yaml"), List.of());
        Path trace = dir.resolve("a.trace");
        Comparison serial = Simulation.compare(c, trace, Progress.NONE, false);
        Comparison parallel = Simulation.compare(c, trace, Progress.NONE, true);
        try (TraceReader r = TraceReader.open(trace)) {
            String a = new Report("v", "tiny.yaml", List.of(), 1, c.name(), c.resolved(), trace.toString(),
                    r.header(), serial).json();
            String b = new Report("v", "tiny.yaml", List.of(), 1, c.name(), c.resolved(), trace.toString(),
                    r.header(), parallel).json();
            assertEquals(a, b);
        }
    }
}
