package io.nccsim.config;

import io.nccsim.codec.learned.BlockCodecConfig.Variant;
import io.nccsim.codec.learned.CodecProfile;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nccsim.config.TestFiles.failure;
import static org.junit.jupiter.api.Assertions.*;

/** The NCC's learned levels taken from a codec profile that {@code nccsim codec train} wrote. */
class NeuralProfileConfigTest {
    private static CodecProfile.Level level(String name, double bits, double decodeMacs, double encodeMacs) {
        return new CodecProfile.Level(name, Variant.LINEAR, 16, 8, 0, 0.1, bits, bits - 0.1, 64, 1e-4, 30, decodeMacs,
                encodeMacs, 256);
    }

    private static Path board(Path dir, String neural) throws Exception {
        Path cfg = dir.resolve("board.yaml");
        String base = Files.readString(ProjectFiles.resolve("configs/jetson_nano.yaml"))
                .replace("use: ncc/huffman_base", "use: " + ProjectFiles.resolve("configs/ncc/huffman_base.yaml")
                        .toString().replace(".yaml", ""))
                .replace("use: dram/", "use: " + ProjectFiles.resolve("configs/dram") + "/")
                .replace("use: energy/", "use: " + ProjectFiles.resolve("configs/energy") + "/");
        Files.writeString(cfg, base.replace("\nncc:\n", "\nncc:\n  neural:\n" + neural));
        return cfg;
    }

    @Test
    void learnedLevelsComeFromTheProfileBesideTheConfig(@TempDir Path dir) throws Exception {
        new CodecProfile("test", List.of(level("near", 6.5, 8, 8), level("mid", 3.2, 4, 5), level("far", 1.5, 2, 2)))
                .write(dir.resolve("codec.json"));
        SimConfig c = SimConfig.load(board(dir, "    macs_per_cycle: 256\n    profile: codec.json\n"), List.of());
        NccConfig.Neural n = c.ncc().neural();
        assertEquals(3, n.levels().size());
        assertEquals(6.5, n.level(5).bitsPerValue());
        assertEquals(5, n.level(6).encoderMacsPerValue());
        assertEquals(2, n.level(7).macsPerValue());
        assertTrue(n.level(6).source().endsWith("codec.json#mid"), n.level(6).source());
    }

    @Test
    void aProfileWithFourLevelsNeedsThreeNamed(@TempDir Path dir) throws Exception {
        new CodecProfile("test", List.of(level("a", 7, 8, 8), level("b", 5, 8, 8), level("c", 3, 4, 4),
                level("d", 1.5, 2, 2))).write(dir.resolve("codec.json"));
        String msg = failure(() -> SimConfig.load(board(dir, "    macs_per_cycle: 256\n    profile: codec.json\n"),
                List.of()));
        assertTrue(msg.contains("has 4 levels") && msg.contains("profile_levels"), msg);
        SimConfig c = SimConfig.load(board(dir, "    macs_per_cycle: 256\n    profile: codec.json\n"
                + "    profile_levels: [b, c, d]\n"), List.of());
        assertEquals(5, c.ncc().neural().level(5).bitsPerValue());
        assertEquals(1.5, c.ncc().neural().level(7).bitsPerValue());
        String bad = failure(() -> SimConfig.load(board(dir, "    macs_per_cycle: 256\n    profile: codec.json\n"
                + "    profile_levels: [b, x, d]\n"), List.of()));
        assertTrue(bad.contains("no level 'x'"), bad);
    }

    @Test
    void aMissingProfileIsNamedWithItsPlace(@TempDir Path dir) throws Exception {
        String msg = failure(() -> SimConfig.load(board(dir, "    macs_per_cycle: 256\n    profile: none.json\n"),
                List.of()));
        assertTrue(msg.contains("ncc.neural.profile: no such codec profile") && msg.contains("nccsim codec train"),
                msg);
    }
}
