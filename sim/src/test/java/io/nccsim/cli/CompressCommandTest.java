package io.nccsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheTablesForStories260K() throws Exception {
        Path model = TestModels.stories260K();
        Path out = dir.resolve("c");
        Cli.Result r = Cli.run("compress", "--model", model.toString(), "--quant", "int8-tensor-auto",
                "--streams", "4", "--out", out.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("round trips all exact"), r.out());
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("layers.4.feed_forward.w2.weight"));
        assertTrue(md.contains("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696"));
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(260032, json.get("parameters").asLong());
        assertTrue(json.get("round_trip_exact").asBoolean());
        double raw = json.get("coded_bits_per_weight").get("raw").asDouble();
        double huff = json.get("coded_bits_per_weight").get("huffman").asDouble();
        double entropy = json.get("coded_bits_per_weight").get("entropy").asDouble();
        assertTrue(entropy <= huff && huff < raw, "entropy " + entropy + " huffman " + huff + " raw " + raw);
        assertEquals(1 + 47, Files.readAllLines(out.resolve("table.csv")).size());
    }

    @Test
    void badInputGivesOneLineAndNoOutput() throws Exception {
        Path model = TestModels.stories260K();
        Path out = dir.resolve("bad");
        Cli.Result q = Cli.run("compress", "--model", model.toString(), "--quant", "int5-g32", "--out",
                out.toString());
        assertEquals(2, q.code());
        assertTrue(q.err().contains("--quant") && q.err().lines().count() == 1, q.err());
        assertFalse(Files.exists(out));
        Cli.Result missing = Cli.run("compress", "--model", dir.resolve("none.bin").toString(), "--out",
                out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.bin"), missing.err());
        Cli.Result streams = Cli.run("compress", "--model", model.toString(), "--streams", "0", "--out",
                out.toString());
        assertEquals(2, streams.code());
        assertTrue(streams.err().contains("--streams 0"), streams.err());
        Cli.Result stored = Cli.run("compress", "--model", model.toString(), "--quant", "stored", "--out",
                out.toString());
        assertEquals(2, stored.code());
        assertTrue(stored.err().contains("no integer codes"), stored.err());
        assertFalse(Files.exists(out));
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        Cli.Result busy = Cli.run("compress", "--model", model.toString(), "--out", out.toString(), "--quiet");
        assertEquals(2, busy.code());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }
}
