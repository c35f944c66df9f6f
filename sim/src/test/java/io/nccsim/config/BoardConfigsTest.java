package io.nccsim.config;

import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nccsim.config.TestFiles.failure;
import static org.junit.jupiter.api.Assertions.*;

/** The shipped board configs load, and their numbers are the published ones (edge-boards.md). */
class BoardConfigsTest {

    @ParameterizedTest
    @CsvSource({
        "jetson_nano.yaml, jetson_nano, 25.6e9, LPDDR4, 921e6",
        "jetson_orin_nano.yaml, jetson_orin_nano, 68.256e9, LPDDR5, 625e6",
        "rpi4.yaml, rpi4, 12.8e9, LPDDR4, 1.5e9",
        "rpi5.yaml, rpi5, 17.068e9, LPDDR4X, 2.4e9"})
    void boardConfigLoadsWithPublishedPeakBandwidth(String file, String name, double peak, String standard,
                                                   double clock) {
        SimConfig c = SimConfig.load(ProjectFiles.resolve("configs/" + file), List.of());
        assertEquals(name, c.name());
        assertEquals(peak, c.memory().peakBandwidthBytesPerS(), 1e3);
        assertEquals(MemoryConfig.Standard.valueOf(standard), c.memory().standard());
        assertEquals(clock, c.processor().clockHz(), 1);
        // every board shares the one NCC design file
        assertEquals(NccConfig.Model.HUFFMAN, c.ncc().model());
        assertEquals(32, c.ncc().decoder().lanes());
        assertEquals(NccConfig.Level.LOSSLESS, c.ncc().level(TensorRole.DataClass.WEIGHTS));
        // the 28 nm decompressor's 20 pJ per symbol, split into its logic and its one table lookup per symbol
        assertEquals(20.0, c.energy().ncc().symbolDecodePj() + c.energy().ncc().tableLookupPj(), 1e-12);
        assertEquals(28, c.energy().ncc().nodeNm());
        assertTrue(c.resolved().path("ncc").has("decoder"), "the report shows the merged design");
        assertFalse(c.resolved().path("ncc").has("use"));
    }

    @Test
    void jetsonNanoComputeRateIsTheDataSheetFp16Rate() {
        SimConfig c = SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"), List.of());
        // 472 GFLOPS FP16 = 2 x MAC rate
        assertEquals(472e9, 2 * c.processor().macsPerS(), 0.01 * 472e9);
    }

    @Test
    void setOverridesAnyValueOfTheSharedDesign() {
        SimConfig c = SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"),
                List.of("ncc.decoder.lanes=8", "memory.data_rate=4266 MT/s", "ncc.levels.kv_cache=bypass"));
        assertEquals(8, c.ncc().decoder().lanes());
        assertEquals(4266e6 * 8, c.memory().peakBandwidthBytesPerS(), 1);
        assertEquals(NccConfig.Level.BYPASS, c.ncc().level(TensorRole.DataClass.KV_CACHE));
        assertEquals("8", c.resolved().path("ncc").path("decoder").path("lanes").asText());
    }

    @Test
    void bypassingTheNccNeedsNoOtherEdit() {
        SimConfig c = SimConfig.load(ProjectFiles.resolve("configs/rpi5.yaml"), List.of("ncc.model=bypass"));
        assertEquals(NccConfig.Model.BYPASS, c.ncc().model());
    }

    @Test
    void outOfRangeDesignValueNamesTheKeyAndTheSetThatCausedIt() {
        String msg = failure(() -> SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"),
                List.of("ncc.decoder.lanes=5000")));
        assertTrue(msg.startsWith("--set ncc.decoder.lanes=5000:1:1: ncc.decoder.lanes: expected an integer from 0 to 4096"),
                msg);
    }

    @Test
    void misspelledKeyInABoardFileIsFoundWithItsLine(@TempDir Path dir) throws Exception {
        Path src = ProjectFiles.resolve("configs/jetson_nano.yaml");
        String text = Files.readString(src).replace("  tiles_in_flight: 2", "  tiles_in_flite: 2");
        Path configs = ProjectFiles.resolve("configs");
        try (var walk = Files.walk(configs)) {
            for (Path from : (Iterable<Path>) walk::iterator) {
                Path to = dir.resolve(configs.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Path board = dir.resolve("board.yaml");
        Files.writeString(board, text);
        int line = 1 + (int) text.substring(0, text.indexOf("tiles_in_flite")).chars().filter(ch -> ch == '\n').count();
        String msg = failure(() -> SimConfig.load(board, List.of()));
        assertTrue(msg.contains("board.yaml:" + line + ":3: unknown key 'processor.tiles_in_flite'; did you mean "
                + "'tiles_in_flight'?"), msg);
    }

    @Test
    void missingSectionIsReported(@TempDir Path dir) {
        Path f = TestFiles.write(dir, "x.yaml", "name: x", "processor:", "  clock: 1 GHz", "  macs_per_cycle: 1");
        String msg = failure(() -> SimConfig.load(f, List.of()));
        assertTrue(msg.contains("missing required key 'ncc'"), msg);
    }
}
