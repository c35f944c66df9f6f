package io.nccsim.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nccsim.config.TestFiles.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigNodeTest {

    private static ConfigNode parse(String... lines) {
        return ConfigNode.parse(String.join("\n", lines) + "\n", "x.yaml");
    }

    @Test
    void keepsScalarsExactlyAsWrittenWithTheirLocations() {
        ConfigNode root = parse(
                "# platform",
                "name: jetson",
                "ncc:",
                "  clock: 1.6GHz",
                "  lanes: 08",
                "  big: 1_000",
                "  flag: yes",
                "  quoted: \"1 KiB\"",
                "  empty:",
                "  tilde: ~",
                "list: [a, 2, {k: v}]");
        assertEquals(ConfigNode.Kind.MAP, root.kind());
        assertEquals(List.of("name", "ncc", "list"), List.copyOf(root.keys()));
        ConfigNode ncc = root.get("ncc");
        assertEquals("1.6GHz", ncc.get("clock").scalar());
        assertEquals("08", ncc.get("lanes").scalar());
        assertEquals("1_000", ncc.get("big").scalar());
        assertEquals("yes", ncc.get("flag").scalar());
        assertEquals("1 KiB", ncc.get("quoted").scalar());
        assertTrue(ncc.get("empty").isNull());
        assertNull(ncc.get("tilde").scalar());
        assertNull(ncc.get("nope"));

        assertEquals("x.yaml:2:1", root.keyLocation("name").toString());
        assertEquals("x.yaml:2:7", root.get("name").location().toString());
        assertEquals("x.yaml:4:3", ncc.keyLocation("clock").toString());
        assertEquals("x.yaml:4:10", ncc.get("clock").location().toString());
        ConfigNode list = root.get("list");
        assertEquals(ConfigNode.Kind.LIST, list.kind());
        assertEquals("x.yaml:11:7", list.location().toString());
        assertEquals("x.yaml:11:11", list.items().get(1).location().toString());
        assertEquals("v", list.items().get(2).get("k").scalar());
    }

    @Test
    void isImmutable() {
        ConfigNode root = parse("a: 1", "b: [1, 2]");
        assertThrows(UnsupportedOperationException.class, () -> root.keys().remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> root.get("b").items().clear());
        assertThrows(IllegalStateException.class, () -> root.items());
        assertThrows(IllegalStateException.class, () -> root.get("a").get("x"));
    }

    @Test
    void rendersAsJsonInOrderWithStringsAsWritten() {
        JsonNode json = parse("z: 1.6 GHz", "a: [1, 08]", "m:", "  k: ~", "  j: true").toJson();
        assertEquals("{\"z\":\"1.6 GHz\",\"a\":[\"1\",\"08\"],\"m\":{\"k\":null,\"j\":\"true\"}}", json.toString());
    }

    @Test
    void emptyDocumentIsNull() {
        ConfigNode n = ConfigNode.parse("# nothing\n", "e.yaml");
        assertTrue(n.isNull());
        assertEquals("e.yaml:1:1", n.location().toString());
    }

    @Test
    void yamlSyntaxErrorIsOneLineWithLocation() {
        String msg = failure(() -> parse("a: 1", "b:", "  c: key: v"));
        assertEquals("x.yaml:3:9: YAML syntax error: mapping values are not allowed here", msg);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void unclosedFlowListNamesWhereItStarted() {
        String msg = failure(() -> parse("a: 1", "b: [1, 2"));
        assertEquals("x.yaml:3:1: YAML syntax error: expected ',' or ']', but got <stream end>"
                + " (while parsing a flow sequence that starts at 2:4)", msg);
    }

    @Test
    void tabIndentationIsASyntaxError() {
        String msg = failure(() -> parse("a:", "\tb: 1"));
        assertTrue(msg.startsWith("x.yaml:2:1: YAML syntax error: found character '\\t(TAB)'"), msg);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrence() {
        String msg = failure(() -> parse("ncc:", "  clock: 1 GHz", "  lanes: 4", "  clock: 2 GHz"));
        assertEquals("x.yaml:4:3: duplicate key 'ncc.clock' (first written at 2:3); keep only one of them", msg);
    }

    @Test
    void secondDocumentIsRejected() {
        String msg = failure(() -> parse("a: 1", "---", "b: 2"));
        assertEquals("x.yaml:3:1: only one YAML document per file is allowed; remove the '---' line and what"
                + " follows it, or move it to its own file", msg);
    }

    @Test
    void aliasesAreRejected() {
        String msg = failure(() -> parse("a: &x 5", "b: *x"));
        assertEquals("x.yaml:2:4: b: YAML aliases (*x) are not supported; write the value out, or share"
                + " settings with 'use:'", msg);
    }

    @Test
    void complexKeysAreRejected() {
        String msg = failure(() -> parse("? [a]", ": 1"));
        assertTrue(msg.startsWith("x.yaml:"), msg);
        assertTrue(msg.contains("YAML syntax error: keys must be plain values"), msg);
    }
}
