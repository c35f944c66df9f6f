package io.nccsim.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.nccsim.config.TestFiles.failure;
import static io.nccsim.config.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path huffman() {
        return write(dir, "ncc/huffman_4lanes.yaml",
                "clock: 1 GHz",
                "decoder:",
                "  lanes: 4",
                "  pipeline_depth: 3",
                "tables: [a, b, c]");
    }

    private Path jetson() {
        return write(dir, "jetson_nano.yaml",
                "name: jetson",
                "ncc:",
                "  use: ncc/huffman_4lanes",
                "  clock: 1.2 GHz",
                "  decoder:",
                "    lanes: 8",
                "  tables: [x]",
                "  extra: 1");
    }

    @Test
    void includeIsDeepMergedUnderTheOverrides() {
        huffman();
        Path main = jetson();
        ConfigNode root = ConfigLoader.load(main);
        assertEquals("{\"name\":\"jetson\",\"ncc\":{\"clock\":\"1.2 GHz\",\"decoder\":{\"lanes\":\"8\","
                + "\"pipeline_depth\":\"3\"},\"tables\":[\"x\"],\"extra\":\"1\"}}", root.toJson().toString());
        ConfigNode ncc = root.get("ncc");
        assertNull(ncc.get("use"));
        assertEquals(List.of("clock", "decoder", "tables", "extra"), List.copyOf(ncc.keys()));
    }

    @Test
    void nodesKeepTheLocationWhereTheyWereWritten() {
        Path inc = huffman();
        Path main = jetson();
        ConfigNode ncc = ConfigLoader.load(main).get("ncc");
        assertEquals(main + ":4:10", ncc.get("clock").location().toString());
        assertEquals(main + ":4:3", ncc.keyLocation("clock").toString());
        ConfigNode decoder = ncc.get("decoder");
        assertEquals(main + ":6:12", decoder.get("lanes").location().toString());
        assertEquals(inc + ":4:19", decoder.get("pipeline_depth").location().toString());
        assertEquals(inc + ":4:3", decoder.keyLocation("pipeline_depth").toString());
        assertEquals(main + ":7:11", ncc.get("tables").location().toString());
    }

    @Test
    void includedFilesCanIncludeRelativeToThemselves() {
        write(dir, "shared/lpddr4.yaml", "type: lpddr4", "rate: 3200 MT/s");
        write(dir, "shared/common.yaml", "memory:", "  use: lpddr4.yaml", "  rate: 4266 MT/s", "name: common");
        Path main = write(dir, "board.yaml", "use: shared/common", "name: board");
        assertEquals("{\"memory\":{\"type\":\"lpddr4\",\"rate\":\"4266 MT/s\"},\"name\":\"board\"}",
                ConfigLoader.load(main).toJson().toString());
    }

    @Test
    void anEmptyOverrideKeepsTheIncludedSection() {
        huffman();
        Path main = write(dir, "m.yaml", "ncc:", "  use: ncc/huffman_4lanes", "  decoder:", "    # defaults");
        assertEquals("{\"lanes\":\"4\",\"pipeline_depth\":\"3\"}",
                ConfigLoader.load(main).get("ncc").get("decoder").toJson().toString());
    }

    @Test
    void includesWorkInsideListItems() {
        write(dir, "core.yaml", "clock: 1 GHz", "cache: 32 KiB");
        Path main = write(dir, "m.yaml", "cores:", "  - use: core", "    clock: 2 GHz", "  - use: core");
        assertEquals("{\"cores\":[{\"clock\":\"2 GHz\",\"cache\":\"32 KiB\"},{\"clock\":\"1 GHz\",\"cache\":\"32 KiB\"}]}",
                ConfigLoader.load(main).toJson().toString());
    }

    @Test
    void missingIncludedFileIsReportedAtTheUseValueWithRelativePathsKept() {
        Path rel = Path.of("").toAbsolutePath().relativize(dir);
        write(dir, "configs/jetson_nano.yaml", "name: x", "ncc:", "  use: ncc/huffman_4lanes");
        Path main = rel.resolve("configs/jetson_nano.yaml");
        String msg = failure(() -> ConfigLoader.load(main));
        Path configs = rel.resolve("configs");
        assertEquals(configs + "/jetson_nano.yaml:3:8: ncc.use: no such file '" + configs
                + "/ncc/huffman_4lanes.yaml' (looked for it relative to " + configs + "/)", msg);
    }

    @Test
    void missingTopLevelFile() {
        assertEquals("no such config file 'nope/x.yaml'", failure(() -> ConfigLoader.load(Path.of("nope/x.yaml"))));
    }

    @Test
    void includeCycleNamesTheChain() {
        Path a = write(dir, "a.yaml", "use: b", "k: 1");
        Path b = write(dir, "b.yaml", "x: {use: a}");
        assertEquals(b + ":1:10: x.use: include cycle: " + a + " -> " + b + " -> " + a
                + "; remove one of these 'use:' lines", failure(() -> ConfigLoader.load(a)));
        Path self = write(dir, "self.yaml", "use: self.yaml");
        assertEquals(self + ":1:6: use: include cycle: " + self + " -> " + self
                + "; remove one of these 'use:' lines", failure(() -> ConfigLoader.load(self)));
    }

    @Test
    void theSameFileMayBeIncludedTwiceWithoutACycle() {
        write(dir, "core.yaml", "clock: 1 GHz");
        Path main = write(dir, "m.yaml", "a: {use: core}", "b: {use: core}");
        assertEquals("{\"a\":{\"clock\":\"1 GHz\"},\"b\":{\"clock\":\"1 GHz\"}}",
                ConfigLoader.load(main).toJson().toString());
    }

    @Test
    void useMustNameAFile() {
        Path main = write(dir, "m.yaml", "ncc:", "  use: [a, b]");
        assertEquals(main + ":2:8: ncc.use: expected the name of a config file to start from, e.g."
                + " 'use: ncc/huffman_4lanes', got a list", failure(() -> ConfigLoader.load(main)));
    }

    @Test
    void includedFileMustBeAMap() {
        Path inc = write(dir, "list.yaml", "- a", "- b");
        Path main = write(dir, "m.yaml", "use: list");
        assertEquals(inc + ":1:1: expected key: value lines at the top level of a config file, got a list",
                failure(() -> ConfigLoader.load(main)));
        Path empty = write(dir, "empty.yaml", "# nothing yet");
        assertEquals(empty + ":1:1: the config file is empty; expected key: value lines",
                failure(() -> ConfigLoader.load(empty)));
    }

    @Test
    void setReplacesAndCreatesWithoutChangingTheInput() {
        huffman();
        ConfigNode loaded = ConfigLoader.load(jetson());
        String before = loaded.toJson().toString();
        ConfigNode set = ConfigLoader.applySets(loaded, List.of(
                "ncc.decoder.lanes=8", "ncc.clock=1.2 GHz", "memory.dram.type=lpddr5", "ncc.tables.0=y",
                "ncc.decoder.lanes=16"));
        assertEquals(before, loaded.toJson().toString());
        ConfigNode ncc = set.get("ncc");
        assertEquals("16", ncc.get("decoder").get("lanes").scalar());
        assertEquals("--set ncc.decoder.lanes=16:1:1", ncc.get("decoder").get("lanes").location().toString());
        assertEquals("1.2 GHz", ncc.get("clock").scalar());
        assertEquals("--set ncc.clock=1.2 GHz", ncc.get("clock").location().source());
        assertEquals("lpddr5", set.get("memory").get("dram").get("type").scalar());
        assertEquals("--set memory.dram.type=lpddr5:1:1", set.keyLocation("memory").toString());
        assertEquals("[\"y\"]", ncc.get("tables").toJson().toString());
        // Untouched parts are shared, not copied.
        assertSame(loaded.get("name"), set.get("name"));
    }

    @Test
    void setValueTextIsKeptAsWritten() {
        ConfigNode root = ConfigNode.parse("a: 1\n", "m.yaml");
        ConfigNode set = ConfigLoader.applySets(root, List.of("a= 2 ", "b=x=y", "c="));
        assertEquals(" 2 ", set.get("a").scalar());
        assertEquals("x=y", set.get("b").scalar());
        assertEquals("", set.get("c").scalar());
    }

    @Test
    void badSetSyntax() {
        ConfigNode root = ConfigNode.parse("a: 1\n", "m.yaml");
        assertEquals("--set 'xyz': expected key.path=value", failure(() -> ConfigLoader.applySets(root, List.of("xyz"))));
        assertEquals("--set '=5': expected key.path=value", failure(() -> ConfigLoader.applySets(root, List.of("=5"))));
        assertEquals("--set 'a..b=5': expected key.path=value",
                failure(() -> ConfigLoader.applySets(root, List.of("a..b=5"))));
    }

    @Test
    void setCannotGoThroughAValueOrReplaceASection() {
        ConfigNode root = ConfigNode.parse("ncc:\n  clock: 1 GHz\n  tables: [a]\n", "m.yaml");
        assertEquals("--set 'ncc.clock.x=1': 'ncc.clock' is a value, not a section, so it has no key 'x'",
                failure(() -> ConfigLoader.applySets(root, List.of("ncc.clock.x=1"))));
        assertEquals("--set 'ncc=1': 'ncc' is a section; set one of its keys instead, e.g. ncc.clock=...",
                failure(() -> ConfigLoader.applySets(root, List.of("ncc=1"))));
        assertEquals("--set 'ncc.tables=b': 'ncc.tables' is a list; --set can replace only single values or items"
                + " (ncc.tables.0=...)", failure(() -> ConfigLoader.applySets(root, List.of("ncc.tables=b"))));
        assertEquals("--set 'ncc.tables.3=b': 'ncc.tables' is a list, so the next part must be an index from 0 to 0,"
                + " got '3'", failure(() -> ConfigLoader.applySets(root, List.of("ncc.tables.3=b"))));
    }
}
