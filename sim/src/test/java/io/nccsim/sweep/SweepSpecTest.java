package io.nccsim.sweep;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Spec parsing and point expansion: values worked out by hand, order, ids, seeds, and one error per bad input. */
class SweepSpecTest {
    @TempDir
    Path dir;

    private SweepPlan plan(String spec) throws Exception {
        return SweepPlan.of(SweepSpec.load(TinySweep.write(dir, spec)));
    }

    private String error(String spec) throws Exception {
        Path file = TinySweep.write(dir, spec);
        BadInputException e = assertThrows(BadInputException.class, () -> SweepPlan.of(SweepSpec.load(file)).prepare());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void linearAndLogAxesGiveTheHandComputedValues() throws Exception {
        SweepSpec s = plan("""
                name: t
                base: tiny.yaml
                traces: [a.trace]
                axes:
                  - {key: ncc.tables.slots, linear: {from: 1, to: 7, steps: 4}}
                  - {key: ncc.decoder.lanes, log: {from: 1, to: 16, steps: 5}}
                  - {key: memory.data_rate, linear: {from: 800, to: 1000, steps: 3, unit: MT/s}}
                  - {key: ncc.buffers.input, log: {from: 10, to: 1000, steps: 3, integer: true, unit: KiB}}
                  - {key: energy.processor.mac, linear: {from: 0.1, to: 0.2, steps: 3}}
                """).spec();
        List<SweepSpec.Axis> axes = s.settingAxes();
        assertEquals(List.of("1", "3", "5", "7"), axes.get(0).values()); // 1 + 2i
        assertEquals(List.of("1", "2", "4", "8", "16"), axes.get(1).values()); // ratio 2
        assertEquals(List.of("800 MT/s", "900 MT/s", "1000 MT/s"), axes.get(2).values());
        assertEquals(List.of("10 KiB", "100 KiB", "1000 KiB"), axes.get(3).values()); // ratio 10
        assertEquals(List.of("0.1", "0.15", "0.2"), axes.get(4).values()); // 0.1 + 0.05i, 6 digits: no 0.15000000000000002
    }

    @Test
    void pointsAreTheProductWithTheFirstFactorOutermostAndZipAdvancingTogether() throws Exception {
        SweepPlan p = plan("""
                name: t
                base: tiny.yaml
                traces: [a.trace, b.trace]
                axes:
                  - key: ncc.decoder.lanes
                    values: [1, 2]
                  - zip:
                      - {key: ncc.tables.slots, values: [1, 4, 8]}
                      - {key: ncc.encoder.lanes, values: [3, 5, 7]}
                """);
        assertEquals(2 * 2 * 3, p.points().size());
        List<String> rows = new ArrayList<>();
        for (SweepPoint pt : p.points()) {
            rows.add(pt.trace().getFileName() + " " + String.join(" ", pt.sets()));
        }
        assertEquals("a.trace ncc.decoder.lanes=1 ncc.tables.slots=1 ncc.encoder.lanes=3", rows.get(0));
        assertEquals("a.trace ncc.decoder.lanes=1 ncc.tables.slots=4 ncc.encoder.lanes=5", rows.get(1));
        assertEquals("a.trace ncc.decoder.lanes=2 ncc.tables.slots=1 ncc.encoder.lanes=3", rows.get(3));
        assertEquals("b.trace ncc.decoder.lanes=1 ncc.tables.slots=1 ncc.encoder.lanes=3", rows.get(6));
        assertEquals("b.trace ncc.decoder.lanes=2 ncc.tables.slots=8 ncc.encoder.lanes=7", rows.get(11));
        assertEquals(List.of("ncc.decoder.lanes", "ncc.tables.slots", "ncc.encoder.lanes"), p.axisKeys());
        for (int i = 0; i < p.points().size(); i++) {
            SweepPoint pt = p.points().get(i);
            assertEquals(i, pt.index());
            assertTrue(pt.id().matches(String.format("p%04d-[0-9a-f]{8}", i)), pt.id());
            assertTrue(pt.seed() >= 0 && pt.seed() < (1L << 31), "31-bit seed " + pt.seed());
        }
        assertEquals(p.points().size(), p.points().stream().map(SweepPoint::id).distinct().count());
        assertEquals(p.points().size(), p.points().stream().map(SweepPoint::seed).distinct().count(),
                "each point has its own seed");
        assertEquals(12, p.prepare().size(), "every point's config loads");
    }

    @Test
    void idsDependOnTheSpecsContentNotItsFolderAndSeedsOnTheSweepSeed() throws Exception {
        SweepPlan here = plan(TinySweep.SPEC);
        SweepPlan elsewhere = SweepPlan.of(SweepSpec.load(TinySweep.write(dir.resolve("x/y"), TinySweep.SPEC)));
        assertEquals(here.points().stream().map(SweepPoint::id).toList(),
                elsewhere.points().stream().map(SweepPoint::id).toList());
        assertEquals(here.points().stream().map(SweepPoint::seed).toList(),
                elsewhere.points().stream().map(SweepPoint::seed).toList());
        SweepPlan reseeded = SweepPlan.of(SweepSpec.load(TinySweep.write(dir.resolve("z"),
                TinySweep.SPEC.replace("seed: 7", "seed: 8"))));
        assertEquals(here.points().get(0).id(), reseeded.points().get(0).id(), "the id is of the settings");
        assertNotEquals(here.points().get(0).seed(), reseeded.points().get(0).seed());
    }

    @Test
    void randomAxesAreReproducibleFromTheSeedAndStayInRange() throws Exception {
        String spec = """
                name: t
                base: tiny.yaml
                traces: [a.trace]
                seed: 42
                axes:
                  - {key: ncc.tables.slots, random: {from: 1, to: 64, count: 20, log: true, integer: true}}
                  - {key: energy.processor.mac, random: {from: 0.5, to: 2, count: 5, unit: pJ}}
                """;
        List<SweepSpec.Axis> first = plan(spec).spec().settingAxes();
        List<SweepSpec.Axis> again = SweepPlan.of(SweepSpec.load(TinySweep.write(dir.resolve("again"), spec)))
                .spec().settingAxes();
        assertEquals(first, again, "same seed, same samples");
        List<SweepSpec.Axis> other = SweepPlan.of(SweepSpec.load(TinySweep.write(dir.resolve("other"),
                spec.replace("seed: 42", "seed: 43")))).spec().settingAxes();
        assertNotEquals(first.get(0).values(), other.get(0).values(), "another seed, other samples");
        for (String v : first.get(0).values()) {
            int slots = Integer.parseInt(v);
            assertTrue(slots >= 1 && slots <= 64, v);
        }
        assertTrue(first.get(0).values().stream().distinct().count() > 5, "samples spread: " + first.get(0).values());
        for (String v : first.get(1).values()) {
            assertTrue(v.endsWith(" pJ"), v);
            double pj = Double.parseDouble(v.substring(0, v.length() - 3));
            assertTrue(pj >= 0.5 && pj <= 2, v);
        }
        // The samples are those of the documented rule: u_i from SHA-256 of "seed/key/i".
        double u0 = AxisValues.uniform(42, "energy.processor.mac", 0);
        assertEquals(AxisValues.format(0.5 + u0 * 1.5, false, "pJ"), first.get(1).values().get(0));
    }

    @Test
    void baseAndTraceCanBeAxesAndBaseIsASetting() throws Exception {
        Files.createDirectories(dir);
        TinySweep.write(dir, "name: t\n");
        Files.writeString(dir.resolve("tiny2.yaml"), TinySweep.CONFIG.replace("name: tiny", "name: tiny2"));
        SweepPlan p = plan("""
                name: t
                axes:
                  - zip:
                      - {key: base, values: [tiny.yaml, tiny2.yaml]}
                      - {key: trace, values: [a.trace, b.trace]}
                  - {key: ncc.decoder.lanes, values: [1, 2]}
                """);
        assertEquals(4, p.points().size());
        SweepPoint last = p.points().get(3);
        assertEquals(dir.resolve("tiny2.yaml").toString(), last.base().toString());
        assertEquals(dir.resolve("b.trace").toString(), last.trace().toString());
        assertEquals(Map.of("base", dir.resolve("tiny2.yaml").toString(), "ncc.decoder.lanes", "2"), last.settings());
        assertEquals(List.of("base", "ncc.decoder.lanes"), p.axisKeys(), "the trace is not a setting");
        assertEquals("tiny2", p.prepare().get(3).config().name());
    }

    @Test
    void theShippedExampleSweepsLoadAndEveryPointValidates() {
        SweepPlan board = SweepPlan.of(SweepSpec.load(
                io.nccsim.testutil.ProjectFiles.resolve("configs/sweeps/lanes_tables_board.yaml")));
        assertEquals(4 * 3 * 3, board.prepare().size());
        assertEquals(List.of("base", "ncc.decoder.lanes", "ncc.tables.slots"), board.axisKeys());
        assertEquals(List.of("1", "4", "16"), board.spec().settingAxes().get(2).values());
        SweepPlan level = SweepPlan.of(SweepSpec.load(
                io.nccsim.testutil.ProjectFiles.resolve("configs/sweeps/level_model.yaml")));
        assertEquals(2 * 3 * 2, level.prepare().size());
        assertTrue(level.points().get(6).trace().toString().endsWith("phi3.trace"));
    }

    @Test
    void badSpecsFailWithOneLineNamingThePlace() throws Exception {
        String head = "name: t\nbase: tiny.yaml\ntraces: [a.trace]\n";
        String unknown = error(head + "axis:\n  - {key: ncc.decoder.lanes, values: [1]}\n");
        assertTrue(unknown.matches(".*spec.yaml:4:1: unknown key 'axis'.*"), unknown);
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, values: []}\n")
                .matches(".*spec.yaml:5:\\d+: axes\\[0\\]\\.values: an axis needs at least one value"), "empty axis");
        String zip = error(head + "axes:\n  - zip:\n    - {key: ncc.decoder.lanes, values: [1, 2]}\n"
                + "    - {key: ncc.tables.slots, values: [1, 2, 3]}\n");
        assertTrue(zip.contains("spec.yaml:5:") && zip.contains("axes[0].zip: ")
                && zip.contains("ncc.decoder.lanes: 2 values, ncc.tables.slots: 3 values"), zip);
        String notAKey = error(head + "axes:\n  - {key: ncc.decoder.lanez, values: [4]}\n");
        assertTrue(notAKey.startsWith("--set ncc.decoder.lanez=4:1:1: unknown key 'ncc.decoder.lanez'")
                && notAKey.contains("point p0000-"), notAKey);
        String badValue = error(head + "axes:\n  - {key: ncc.decoder.lanes, values: [1, many]}\n");
        assertTrue(badValue.startsWith("--set ncc.decoder.lanes=many:1:1: ncc.decoder.lanes: expected an integer")
                && badValue.contains("point p0001-"), badValue);
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, values: [1], linear: {from: 1, to: 2, steps: 2}}\n")
                .contains("axis 'ncc.decoder.lanes' needs exactly one of values, linear, log, random; got values and "
                        + "linear"));
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, log: {from: 0, to: 8, steps: 2}}\n")
                .contains("a log axis needs positive from and to"));
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, linear: {from: 1, to: 8, steps: 2, integr: true}}\n")
                .contains("unknown key 'axes[0].linear.integr'; did you mean 'integer'?"));
        assertTrue(error("name: t\ntraces: [a.trace]\n").contains("missing required key 'base'"));
        assertTrue(error("name: t\nbase: tiny.yaml\n").contains("missing required key 'traces'"));
        assertTrue(error(head + "axes:\n  - {key: base, values: [tiny.yaml]}\n")
                .contains("the base config is both a single file and an axis"));
        assertTrue(error(head + "axes:\n  - {key: trace, values: [b.trace]}\n")
                .contains("axis 'trace' is given twice (the top-level 'traces' list is the trace axis)"));
        assertTrue(error("name: t\nbase: tiny.yaml\ntraces: [nope.trace]\n")
                .matches(".*spec.yaml:3:10: traces\\[0\\]: no such trace file '.*nope.trace'.*"));
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, values: [1]}\n"
                + "  - {key: ncc.decoder.lanes, values: [2]}\n").contains("axis 'ncc.decoder.lanes' is given twice"));
        assertTrue(error(head + "axes:\n  - {key: ncc.decoder.lanes, linear: {from: 1, to: 1000000, steps: 100000}}\n"
                + "  - {key: ncc.tables.slots, linear: {from: 1, to: 10, steps: 11}}\n")
                .contains("more than 1000000 points"));
    }
}
