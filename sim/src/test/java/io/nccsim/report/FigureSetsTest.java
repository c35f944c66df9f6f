package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.nccsim.testutil.HandMadeResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which figures a run, a sweep and a set of runs make, from hand-made result files. */
class FigureSetsTest {
    private static List<String> names(FigureSet s) {
        return s.figures().stream().map(Figure::name).toList();
    }

    @Test
    void runWithTimeSeriesLayersAndRolesMakesAllFiveFigures(@TempDir Path dir) {
        JsonNode r = ResultsFiles.readReport(HandMadeResults.runDir(dir, "jetson_nano", "modeled", true));
        FigureSet s = RunFigures.of(r);
        assertEquals(List.of("dram-bandwidth", "energy-breakdown", "energy-items", "layer-latency",
                "compression-ratio"), names(s));
        assertEquals(List.of(), s.skipped());
        // Windows of 1 ms moving 1, 3, 3 and 0 MB (read plus written): 1, 3, 3, 0 GB/s at t = 0, 1, 2, 3 ms.
        Figures.Series bw = RunFigures.bandwidthSeries("baseline", r.path("baseline").path("timeseries"));
        assertArrayEquals(new double[]{0, 0.001, 0.002, 0.003}, bw.x(), 1e-15);
        assertArrayEquals(new double[]{1.0, 3.0, 3.0, 0.0}, bw.y(), 1e-12);
        for (Figure f : s.figures()) {
            assertTrue(f.caption().contains("modeled, not measured"), f.name() + ": " + f.caption());
        }
        Figures.BarChart roles = (Figures.BarChart) s.figures().get(4).chart();
        assertEquals(List.of("mlp_up", "attn_q"), roles.categories(), "per tensor role when the report has it");
        Figures.XyChart layers = (Figures.XyChart) s.figures().get(3).chart();
        assertEquals(2, layers.series().size(), "baseline and NCC");
        assertArrayEquals(new double[]{2.0, 3.0}, layers.series().get(0).y(), 1e-12, "ms per layer, -1 left out");
    }

    @Test
    void olderRunSkipsWhatItLacksAndFallsBackToDataClasses(@TempDir Path dir) {
        JsonNode r = ResultsFiles.readReport(HandMadeResults.runDir(dir, "rpi5", "captured", false));
        FigureSet s = RunFigures.of(r);
        assertEquals(List.of("energy-breakdown", "energy-items", "compression-ratio"), names(s));
        assertEquals(2, s.skipped().size());
        assertTrue(s.skipped().get(0).startsWith("dram-bandwidth:"));
        assertEquals(List.of("weights", "activations", "kv_cache"),
                ((Figures.BarChart) s.figures().get(2).chart()).categories());
        assertTrue(s.figures().get(0).caption().contains("captured content"));
        assertEquals(1, RunFigures.mergeFactor(400));
        assertEquals(2, RunFigures.mergeFactor(401));
        assertEquals(250, RunFigures.mergeFactor(100_000));
    }

    @Test
    void sweepMakesMetricAgainstAxisFiguresAndParetoFronts(@TempDir Path dir) {
        Path sweep = HandMadeResults.sweepDir(dir, "captured");
        List<SweepPoint> points = ResultsFiles.readResults(sweep);
        JsonNode spec = ResultsFiles.readSweep(sweep);
        FigureSet s = SweepFigures.of(points, spec);
        // Varying metrics: bandwidth_saved_pct, ncc_tokens_per_s, ncc_energy_j, ncc_area_mm2 (speedup and sim time
        // are constant), each against lanes and against the board; then the two Pareto figures.
        List<String> expected = List.of("bandwidth_saved_pct-vs-ncc_decoder_lanes", "ncc_tokens_per_s-vs-ncc_decoder_lanes",
                "ncc_energy_j-vs-ncc_decoder_lanes", "ncc_area_mm2-vs-ncc_decoder_lanes",
                "bandwidth_saved_pct-vs-base", "ncc_tokens_per_s-vs-base", "ncc_energy_j-vs-base",
                "ncc_area_mm2-vs-base", "pareto-energy-throughput", "pareto-energy-area");
        assertEquals(expected, names(s));
        Figures.XyChart lanes = (Figures.XyChart) s.figures().get(0).chart();
        assertEquals(List.of(), lanes.xCategories(), "lanes are numbers: drawn to scale");
        assertEquals(List.of("board=rpi5", "board=jetson_nano"), lanes.series().stream().map(Figures.Series::name)
                .toList());
        assertArrayEquals(new double[]{1, 8, 32}, lanes.series().get(0).x());
        Figures.XyChart boards = (Figures.XyChart) s.figures().get(4).chart();
        assertEquals(List.of("rpi5", "jetson_nano"), boards.xCategories());
        Figures.ParetoChart front = (Figures.ParetoChart) s.figures().get(8).chart();
        assertArrayEquals(new double[]{10, 30, 40}, front.front().x(), "p0, p2, p5 by tokens/s");
        assertArrayEquals(new double[]{0.5, 0.6, 0.9}, front.front().y());
        assertTrue(s.figures().get(8).caption().contains("p0000-00000000, p0002-00000002, p0005-00000005"));
        assertEquals(HandMadeResults.PARETO_IDS, SweepFigures.paretoIds(points));
        // Area front (both lower-better): p0 (0.30, 0.50) beats every other point of area >= 0.30.
        Figures.ParetoChart area = (Figures.ParetoChart) s.figures().get(9).chart();
        assertArrayEquals(new double[]{0.30}, area.front().x());
        assertTrue(s.figures().get(0).caption().contains("captured content"));
    }

    @Test
    void runsMadeOneByOneGiveBarsPerBoardAndAFront(@TempDir Path dir) {
        List<JsonNode> reports = List.of(
                ResultsFiles.readReport(HandMadeResults.write(dir.resolve("a"), "report.json",
                        HandMadeResults.report("rpi5", "modeled", false, 0.9, 0.09, 2000))),
                ResultsFiles.readReport(HandMadeResults.write(dir.resolve("b"), "report.json",
                        HandMadeResults.report("jetson_nano", "modeled", false, 0.5, 0.08, 1500))),
                ResultsFiles.readReport(HandMadeResults.write(dir.resolve("c"), "report.json",
                        HandMadeResults.report("rpi4", "modeled", false, 0.7, 0.10, 1000))));
        assertEquals(List.of("rpi5", "jetson_nano", "rpi4"), CrossRunFigures.labels(reports));
        FigureSet s = CrossRunFigures.of(reports);
        assertEquals(List.of("bandwidth-saved", "speedup", "energy-saved", "energy-breakdown",
                "pareto-energy-throughput", "pareto-energy-area"), names(s));
        Figures.BarChart speed = (Figures.BarChart) s.figures().get(1).chart();
        assertEquals(2, speed.series().size(), "whole trace and decode: the trace decodes");
        Figures.BarChart energy = (Figures.BarChart) s.figures().get(3).chart();
        assertEquals(6, energy.categories().size(), "baseline and NCC per run");
        // rpi4 (1000 tok/s, 0.10 J) is beaten by jetson_nano (1500, 0.08): front = jetson_nano, rpi5.
        assertEquals(Set.of("rpi5", "jetson_nano"), SweepFigures.paretoIds(CrossRunFigures.points(reports)));
        // Same config, sets and trace twice: the labels take the trace's stem, then a number.
        JsonNode twin = reports.get(0);
        assertEquals(List.of("rpi5 (as configured) t #1", "rpi5 (as configured) t #2"),
                CrossRunFigures.labels(List.of(twin, twin)));
        // One board, two designs: the overrides name them.
        com.fasterxml.jackson.databind.node.ObjectNode eight = twin.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) eight.path("config")).putArray("sets")
                .add("ncc.decoder.lanes=8");
        assertEquals(List.of("rpi5 (as configured)", "ncc.decoder.lanes=8"),
                CrossRunFigures.labels(List.of(twin, eight)));
    }
}
