package io.nccsim.cli;

import io.nccsim.testutil.Cli.Result;
import io.nccsim.testutil.HandMadeResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.nccsim.testutil.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nccsim figures} on hand-made run and sweep dirs: what it writes, and what it refuses. */
class FiguresCommandTest {
    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void remakesARunsFiguresAndHtmlIntoItsFiguresFolder(@TempDir Path dir) throws Exception {
        Path runDir = HandMadeResults.runDir(dir.resolve("run"), "jetson_nano", "modeled", true);
        Result r = run("figures", "--results", runDir.toString());
        assertEquals(0, r.code(), r.err());
        Path out = runDir.resolve("figures");
        assertEquals(List.of("compression-ratio.png", "compression-ratio.svg", "dram-bandwidth.png",
                "dram-bandwidth.svg", "energy-breakdown.png", "energy-breakdown.svg", "energy-items.png",
                "energy-items.svg", "layer-latency.png", "layer-latency.svg", "report.html"), listing(out));
        assertNotNull(ImageIO.read(out.resolve("energy-breakdown.png").toFile()));
        assertTrue(Files.readString(out.resolve("report.html")).contains("Modeled, not measured"));
        byte[] svg = Files.readAllBytes(out.resolve("dram-bandwidth.svg"));
        // A second time: refused without --force (one line, nothing changed), identical bytes with it.
        Result again = run("figures", "--results", runDir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertEquals(0, run("figures", "--results", runDir.toString(), "--force").code());
        assertArrayEquals(svg, Files.readAllBytes(out.resolve("dram-bandwidth.svg")));
    }

    @Test
    void remakesASweepsFiguresWithItsSpec(@TempDir Path dir) throws Exception {
        Path sweep = HandMadeResults.sweepDir(dir.resolve("sweep"), "captured");
        Path spec = HandMadeResults.write(dir, "spec.yaml", "name: lanes-by-board\n").resolve("spec.yaml");
        Path out = dir.resolve("figs");
        Result r = run("figures", "--results", sweep.toString(), "--spec", spec.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> files = listing(out);
        assertTrue(files.contains("pareto-energy-throughput.svg") && files.contains("pareto-energy-area.png"), files
                .toString());
        assertTrue(files.contains("ncc_energy_j-vs-ncc_decoder_lanes.svg"), files.toString());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("name: lanes-by-board"), "the spec's text");
        assertFalse(html.contains("class=\"banner\""), "captured points: no modeled banner");
    }

    @Test
    void makesFiguresAcrossRuns(@TempDir Path dir) throws Exception {
        Path a = HandMadeResults.runDir(dir.resolve("a"), "rpi5", "modeled", false);
        Path b = HandMadeResults.runDir(dir.resolve("b"), "rpi4", "modeled", false);
        Path out = dir.resolve("boards");
        Result r = run("figures", "--runs", a.toString(), b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(listing(out).containsAll(List.of("bandwidth-saved.svg", "speedup.png", "energy-breakdown.svg",
                "report.html")), listing(out).toString());
        assertTrue(Files.readString(out.resolve("report.html")).contains("rpi4"));
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path badRun = HandMadeResults.write(dir.resolve("badrun"), "report.json", "{\"config\": {\"name\": ");
        Path badSweep = HandMadeResults.write(dir.resolve("badsweep"), "results.jsonl",
                "{\"index\": 0, \"id\": \"p0\", \"trace\": \"t\", \"settings\": {}, \"metrics\": {}}\n{oops\n");
        Path notAReport = HandMadeResults.write(dir.resolve("notreport"), "report.json", "{\"a\": 1}");
        Path good = HandMadeResults.runDir(dir.resolve("good"), "rpi5", "modeled", false);
        List<String[]> cases = List.of(
                new String[]{"figures", "--results", empty.toString()},
                new String[]{"figures", "--results", dir.resolve("missing").toString()},
                new String[]{"figures", "--results", badRun.toString()},
                new String[]{"figures", "--results", badSweep.toString()},
                new String[]{"figures", "--results", notAReport.toString()},
                new String[]{"figures", "--runs", good.toString(), empty.toString(), "--out",
                    dir.resolve("o").toString()},
                new String[]{"figures", "--runs", good.toString()},
                new String[]{"figures", "--results", good.toString(), "--spec", "x.yaml"},
                new String[]{"figures"});
        List<String> expected = List.of("report.json", "no such directory", "badrun/report.json:1:",
                "badsweep/results.jsonl:2", "no 'config' object", "empty/report.json", "needs --out", "--spec",
                "--results");
        for (int i = 0; i < cases.size(); i++) {
            Result r = run(cases.get(i));
            assertEquals(2, r.code(), String.join(" ", cases.get(i)) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(expected.get(i)), expected.get(i) + " in " + r.err());
        }
        for (Path d : List.of(empty, badRun, badSweep, notAReport, good)) {
            assertFalse(Files.exists(d.resolve("figures")), d + ": nothing written");
        }
        assertFalse(Files.exists(dir.resolve("o")));
    }
}
