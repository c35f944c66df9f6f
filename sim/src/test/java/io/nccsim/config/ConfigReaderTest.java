package io.nccsim.config;

import io.nccsim.config.Units.Dimension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.nccsim.config.TestFiles.failure;
import static io.nccsim.config.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReaderTest {
    @TempDir
    Path dir;

    enum Codec { HUFFMAN, RLE, NONE, HUFFMAN_4LANES }

    private Path file;

    private ConfigReader read(String... lines) {
        file = write(dir, "x.yaml", lines);
        return ConfigReader.root(ConfigLoader.load(file));
    }

    @Test
    void readsAWholeConfig() {
        ConfigReader r = read(
                "name: jetson",
                "ncc:",
                "  clock: 921 MHz",
                "  codec: huffman-4lanes",
                "  decoder:",
                "    lanes: 8",
                "    ratio: 0.75",
                "  tables: [a, b]",
                "memory:",
                "  latency: 15 ns",
                "  size: 2 GiB",
                "  bandwidth: 25.6 GB/s",
                "  read_energy: 13 pJ/bit",
                "  idle: 51.8 mW",
                "  vdd: 1.1 V",
                "  idd: 30 mA",
                "  activate: 1.5 nJ",
                "cores:",
                "  - clock: 1 GHz",
                "  - clock: 2 GHz",
                "    big: true");
        assertEquals("jetson", r.string("name"));
        ConfigReader ncc = r.section("ncc");
        assertEquals("ncc", ncc.path());
        assertEquals(921e6, ncc.frequencyHz("clock"));
        assertEquals(Codec.HUFFMAN_4LANES, ncc.choice("codec", Codec.class));
        assertEquals(Codec.RLE, ncc.choice("fallback", Codec.class, Codec.RLE));
        ConfigReader dec = ncc.section("decoder");
        assertEquals("ncc.decoder", dec.path());
        assertEquals(8, dec.integer("lanes", 1, 64));
        assertEquals(3, dec.integer("pipeline_depth", 1, 16, 3));
        assertEquals(0.75, dec.number("ratio", 0, 1));
        assertEquals(List.of("a", "b"), ncc.stringList("tables"));
        assertEquals(List.of("z"), ncc.stringList("more", List.of("z")));
        ConfigReader mem = r.section("memory");
        assertEquals(15_000, mem.timePs("latency"));
        assertEquals(2L << 30, mem.sizeBytes("size"));
        assertEquals(25.6e9, mem.bandwidthBytesPerS("bandwidth"));
        assertEquals(13, mem.energyPjPerBit("read_energy"));
        assertEquals(0.0518, mem.powerW("idle"), 1e-15);
        assertEquals(1.1, mem.voltageV("vdd"));
        assertEquals(0.03, mem.currentA("idd"));
        assertEquals(1500, mem.energyPj("activate"));
        assertEquals(7, mem.timePs("refresh", 7));
        List<ConfigReader> cores = r.sectionList("cores");
        assertEquals("cores[1]", cores.get(1).path());
        assertEquals(2e9, cores.get(1).frequencyHz("clock"));
        assertTrue(cores.get(1).bool("big", false));
        assertEquals(1e9, cores.get(0).frequencyHz("clock"));
        assertFalse(cores.get(0).bool("big", false));
        assertEquals(Optional.empty(), r.optionalSection("cache"));
        r.finish();
    }

    @Test
    void unknownKeyWithSuggestion() {
        ConfigReader r = read("ncc:", "  decoder:", "    lanes: 4", "    lane: 8");
        ConfigReader dec = r.section("ncc").section("decoder");
        dec.integer("lanes", 1, 64);
        dec.integer("symbols_per_cycle", 1, 8, 1);
        dec.integer("pipeline_depth", 1, 16, 3);
        assertEquals(file + ":4:5: unknown key 'ncc.decoder.lane'; did you mean 'lanes'? (known keys: lanes,"
                + " symbols_per_cycle, pipeline_depth)", failure(dec::finish));
        // The root's finish reaches the child too.
        assertEquals(failure(dec::finish), failure(r::finish));
    }

    @Test
    void unknownKeyWithoutACloseMatch() {
        ConfigReader r = read("clock: 1 GHz", "turbo: true");
        r.frequencyHz("clock");
        assertEquals(file + ":2:1: unknown key 'turbo' (known keys: clock)", failure(r::finish));
        ConfigReader empty = read("x: 1");
        assertEquals(file + ":1:1: unknown key 'x' (this section takes no keys)", failure(empty::finish));
    }

    @Test
    void sectionWhereAValueIsExpectedAndTheReverse() {
        ConfigReader r = read("ncc:", "  decoder: 4", "  clock:", "    ghz: 1");
        ConfigReader ncc = r.section("ncc");
        assertEquals(file + ":2:12: ncc.decoder: expected a section (key: value lines), got a value",
                failure(() -> ncc.section("decoder")));
        assertEquals(file + ":4:5: ncc.clock: expected a frequency, e.g. '1600 MHz', got a section",
                failure(() -> ncc.frequencyHz("clock")));
        ConfigReader lists = read("cores: 4", "names: [a, [b]]");
        assertEquals(file + ":1:8: cores: expected a list (- item lines), got a value",
                failure(() -> lists.sectionList("cores")));
        assertEquals(file + ":2:12: names[1]: expected a value, got a list",
                failure(() -> lists.stringList("names")));
    }

    @Test
    void missingRequiredKeyIsReportedAtTheSection() {
        ConfigReader r = read("name: x", "ncc:", "  lanes: 4");
        ConfigReader ncc = r.section("ncc");
        assertEquals(file + ":2:1: ncc: missing required key 'clock' (e.g. clock: 1600 MHz)",
                failure(() -> ncc.frequencyHz("clock")));
        assertEquals(file + ":2:1: ncc: missing required key 'clock' (e.g. clock: 1 GHz)",
                failure(() -> ncc.example("clock", "1 GHz").frequencyHz("clock")));
        assertEquals(file + ":2:1: ncc: missing required key 'mode' (e.g. mode: huffman)",
                failure(() -> ncc.choice("mode", Codec.class)));
        assertEquals(file + ":2:1: ncc: missing required key 'label'", failure(() -> ncc.string("label")));
        assertEquals(file + ":1:1: missing required key 'memory' (a section of key: value lines)",
                failure(() -> r.section("memory")));
    }

    @Test
    void emptyValueIsNotAValue() {
        ConfigReader r = read("clock:", "decoder:", "  # defaults only");
        assertEquals(file + ":1:7: clock: expected a frequency, e.g. '1600 MHz', got nothing",
                failure(() -> r.frequencyHz("clock", 1e9)));
        ConfigReader dec = r.section("decoder");
        assertEquals(4, dec.integer("lanes", 1, 64, 4));
        dec.finish();
    }

    @Test
    void badNumbers() {
        ConfigReader r = read("lanes: many", "ratio: fast", "depth: 2.5", "count: 99999999999");
        assertEquals(file + ":1:8: lanes: expected an integer from 1 to 64, got 'many'",
                failure(() -> r.integer("lanes", 1, 64)));
        assertEquals(file + ":2:8: ratio: expected a number, got 'fast'",
                failure(() -> r.number("ratio", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)));
        assertEquals(file + ":3:8: depth: expected an integer of at least 1, got '2.5'",
                failure(() -> r.integer("depth", 1, Integer.MAX_VALUE, 3)));
        assertEquals(file + ":4:8: count: expected an integer, got '99999999999'",
                failure(() -> r.integer("count", Integer.MIN_VALUE, Integer.MAX_VALUE)));
        assertEquals(99_999_999_999L, r.longValue("count", 0, Long.MAX_VALUE));
    }

    @Test
    void outOfRange() {
        ConfigReader r = read("ncc:", "  decoder:", "    lanes: 0", "    ratio: 1.5",
                "memory:", "  latency: 0 ns", "  bw: 0 GB/s", "  buf: 8 MiB", "  e: -1 pJ");
        ConfigReader dec = r.section("ncc").section("decoder");
        assertEquals(file + ":3:12: ncc.decoder.lanes: expected an integer from 1 to 64, got '0'",
                failure(() -> dec.integer("lanes", 1, 64)));
        assertEquals(file + ":4:12: ncc.decoder.ratio: expected a number from 0 to 1, got '1.5'",
                failure(() -> dec.number("ratio", 0, 1)));
        ConfigReader mem = r.section("memory");
        assertEquals(file + ":6:12: memory.latency: expected a time from 1 ps to 1 ms, got '0 ns'",
                failure(() -> mem.timePs("latency", 1, 1_000_000_000)));
        assertEquals(file + ":6:12: memory.latency: expected a time from 1 ps to 1 ms, got '0 ns'",
                failure(() -> mem.quantity("latency", Dimension.TIME, 1, 1e9)));
        assertEquals(file + ":7:7: memory.bw: expected a positive bandwidth, got '0 GB/s'",
                failure(() -> mem.bandwidthBytesPerS("bw")));
        assertEquals(file + ":8:8: memory.buf: expected a size from 1 KiB to 4 MiB, got '8 MiB'",
                failure(() -> mem.sizeBytes("buf", 1024, 4 << 20)));
        assertEquals(file + ":9:6: memory.e: expected an energy of at least 0 pJ, got '-1 pJ'",
                failure(() -> mem.energyPj("e")));
    }

    @Test
    void missingUnit() {
        ConfigReader r = read("ncc:", "  clock: 1600");
        assertEquals(file + ":2:10: ncc.clock: '1600' has no unit; expected a frequency with a unit,"
                + " e.g. '1600 MHz'", failure(() -> r.section("ncc").frequencyHz("clock")));
    }

    @Test
    void wrongDimensionUnit() {
        ConfigReader r = read("ncc:", "  clock: 15 ns", "  buf: 2.5 B");
        assertEquals(file + ":2:10: ncc.clock: '15 ns' is a time; expected a frequency, e.g. '1600 MHz'",
                failure(() -> r.section("ncc").frequencyHz("clock")));
        assertEquals(file + ":3:8: ncc.buf: '2.5 B' is not a whole number of bytes (2.5 B)",
                failure(() -> r.section("ncc").sizeBytes("buf")));
    }

    @Test
    void badChoiceListsTheAllowedValues() {
        ConfigReader r = read("codec: hufman", "other: zstd");
        assertEquals(file + ":1:8: codec: expected one of huffman, rle, none, huffman_4lanes, got 'hufman';"
                + " did you mean 'huffman'?", failure(() -> r.choice("codec", Codec.class)));
        assertEquals(file + ":2:8: other: expected one of huffman, rle, none, huffman_4lanes, got 'zstd'",
                failure(() -> r.choice("other", Codec.class, Codec.NONE)));
    }

    @Test
    void boolIsOnlyTrueOrFalse() {
        ConfigReader r = read("a: yes", "b: FALSE");
        assertEquals(file + ":1:4: a: expected true or false, got 'yes'", failure(() -> r.bool("a", false)));
        assertFalse(r.bool("b"));
    }

    @Test
    void setOfAnUnknownPathIsReportedAtTheSet() {
        file = write(dir, "x.yaml", "ncc:", "  decoder:", "    lanes: 4");
        ConfigNode root = ConfigLoader.applySets(ConfigLoader.load(file), List.of("ncc.decoder.lane=8"));
        ConfigReader r = ConfigReader.root(root);
        ConfigReader dec = r.section("ncc").section("decoder");
        assertEquals(4, dec.integer("lanes", 1, 64));
        assertEquals("--set ncc.decoder.lane=8:1:1: unknown key 'ncc.decoder.lane'; did you mean 'lanes'?"
                + " (known keys: lanes)", failure(r::finish));
    }

    @Test
    void setValuesAreCheckedLikeFileValues() {
        file = write(dir, "x.yaml", "ncc:", "  clock: 1 GHz");
        ConfigNode root = ConfigLoader.applySets(ConfigLoader.load(file), List.of("ncc.clock=fast"));
        assertEquals("--set ncc.clock=fast:1:1: ncc.clock: expected a frequency, e.g. '1600 MHz', got 'fast'",
                failure(() -> ConfigReader.root(root).section("ncc").frequencyHz("clock")));
    }

    @Test
    void errorsInListItemsNameTheItem() {
        ConfigReader r = read("cores:", "  - clock: 1 GHz", "  - clock: 2 GHz", "    clk: 3", "  - 5");
        assertEquals(file + ":5:5: cores[2]: expected a section (key: value lines), got a value",
                failure(() -> r.sectionList("cores")));
        ConfigReader ok = read("cores:", "  - clock: 1 GHz", "  - clock: 2 GHz", "    clk: 3");
        for (ConfigReader c : ok.sectionList("cores")) {
            c.frequencyHz("clock");
        }
        assertEquals(file + ":4:5: unknown key 'cores[1].clk'; did you mean 'clock'? (known keys: clock)",
                failure(ok::finish));
    }

    @Test
    void absentOptionalListsAreEmpty() {
        ConfigReader r = read("a: 1");
        assertTrue(r.optionalSectionList("cores").isEmpty());
        assertEquals(file + ":1:1: missing required key 'cores' (a list of sections)",
                failure(() -> r.sectionList("cores")));
        assertEquals(file + ":1:1: missing required key 'files' (a list)", failure(() -> r.stringList("files")));
        assertTrue(r.has("a"));
        r.finish();
    }

    @Test
    void rootMustBeAMap() {
        ConfigNode list = ConfigNode.parse("- a\n", "l.yaml");
        assertEquals("l.yaml:1:1: expected a section (key: value lines) at the top level, got a list",
                failure(() -> ConfigReader.root(list)));
    }
}
