package io.nccsim.ncc;

import io.nccsim.config.AdaptiveConfig;
import io.nccsim.config.EnergyConfig;
import io.nccsim.config.NccConfig;
import io.nccsim.config.NccConfig.Level;
import io.nccsim.dram.IdealMemory;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.ncc.adaptive.LevelDecision;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Level switching in a running NCC under the bandwidth-pressure policy: KV-cache writes that keep a slow DRAM busy
 * push the KV cache's level up one step per window to the top of its range (each step codes fewer bits), and a
 * quiet spell brings it back down, with every switch in the controller's record.
 */
class AdaptiveLevelsRunTest {
    private static final long WRITE_BYTES = 16 * 1024;

    /** The base NCC (8 + 8 lanes, 4 table slots, 2 ns crossings), KV cache lossless, levels from {@code adaptive}. */
    private static NccConfig design(AdaptiveConfig adaptive) {
        return new NccConfig(NccConfig.Model.HUFFMAN, 1e9, new NccConfig.Commands(32, 1),
                new NccConfig.Dma(2048, 16), new NccConfig.Pipeline(8, 2, 4, 1), new NccConfig.Pipeline(8, 2, 4, 1),
                new NccConfig.Huffman(12, 8, 16384, 32, 4), new NccConfig.Tables(4, NccConfig.Tables.Replacement.LRU,
                32), new NccConfig.Buffers(64 * 1024, 256 * 1024, 8, 8), new NccConfig.Neural(0, List.of()), 2000,
                Map.of(DataClass.WEIGHTS, Level.LOSSLESS, DataClass.ACTIVATIONS, Level.BYPASS,
                        DataClass.KV_CACHE, Level.LOSSLESS), adaptive);
    }

    @Test
    void bandwidthPressureRaisesTheKvLevelWhileDramIsBusyAndLowersItWhenQuiet() {
        Simulator sim = new Simulator();
        // 1 GB/s of DRAM: a 16 KiB write occupies the bus for about 16 us, the encoder (8 lanes x 2 symbols at
        // 1 GHz) for 1 us, so back-to-back writes keep the bus busy well above the 0.8 watermark.
        AdaptiveConfig adaptive = new AdaptiveConfig(AdaptiveConfig.Policy.BANDWIDTH_PRESSURE, 10_000_000, 0.8, 0.3,
                0, false, Map.of(DataClass.KV_CACHE, new AdaptiveConfig.LevelRange(1, 4)), List.of());
        NccConfig c = design(adaptive);
        int[] hist = new int[256];
        long[] calibration = new long[256];
        for (int s = 0; s < 256; s++) {
            hist[s] = (int) Math.round(WRITE_BYTES / 25.0 * Math.exp(-Math.pow((s - 128) / 20.0, 2)) / 1.77);
            calibration[s] = hist[s];
        }
        int sum = 0;
        for (int h : hist) {
            sum += h;
        }
        hist[128] += (int) WRITE_BYTES - sum; // exactly one symbol per byte
        TensorInfo kv = new TensorInfo(0, "kv", TensorRole.KV_CACHE, 0, List.of(1L << 20), ElementType.INT8,
                1 << 20, 1 << 20, 0);
        NccDriver driver = new NccDriver(sim, c, new IdealMemory(sim, 1e9, 100_000, 16,
                new EnergyConfig.Dram(0, 0, 0), new Stats()), 1e9, List.of(kv), id -> null,
                Map.of(DataClass.KV_CACHE, calibration), new Stats());

        List<Integer> levelOfWrite = new ArrayList<>();
        List<Long> busBytesOfWrite = new ArrayList<>();
        Runnable[] next = new Runnable[1];
        int busyWrites = 24;
        int quietWrites = 6;
        next[0] = () -> {
            int i = levelOfWrite.size();
            if (i == busyWrites + quietWrites) {
                return;
            }
            levelOfWrite.add(driver.levels().level(DataClass.KV_CACHE, 0));
            long before = driver.counters().busBytes(DataClass.KV_CACHE);
            TileRequest t = new TileRequest(kv, (i * WRITE_BYTES) % (1 << 20), WRITE_BYTES, true, hist, r -> {
                // After the busy writes, wait 500 us between writes: the bus is then nearly idle.
                sim.scheduleIn(i + 1 >= busyWrites ? 500_000_000L : 0, next[0]);
            });
            assertTrue(driver.offer(t));
            busBytesOfWrite.add(driver.counters().busBytes(DataClass.KV_CACHE) - before);
        };
        sim.scheduleAt(0, next[0]);
        sim.run();

        assertEquals(busyWrites + quietWrites, levelOfWrite.size());
        assertEquals(1, levelOfWrite.get(0), "starts at the configured level (lossless)");
        int peak = levelOfWrite.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertEquals(4, peak, "climbs to the top of the allowed range, and no further");
        for (int i = 1; i < busyWrites; i++) {
            assertTrue(levelOfWrite.get(i) >= levelOfWrite.get(i - 1), "never steps down while DRAM is busy");
        }
        assertEquals(1, levelOfWrite.get(levelOfWrite.size() - 1), "back to lossless after the quiet spell");
        // Each lossy level drops one more bit, so a write at level 4 moves fewer bytes than one at level 1.
        int firstAtPeak = levelOfWrite.indexOf(4);
        assertTrue(busBytesOfWrite.get(firstAtPeak) < busBytesOfWrite.get(0),
                busBytesOfWrite.get(firstAtPeak) + " B at level 4 vs " + busBytesOfWrite.get(0) + " B lossless");
        // Three steps up, three down, each recorded with its reason.
        List<LevelDecision> d = driver.levels().decisions();
        assertEquals(6, d.size(), d.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(d.get(i).fromLevel() + 1, d.get(i).toLevel());
            assertEquals(d.get(i + 3).fromLevel() - 1, d.get(i + 3).toLevel());
        }
    }

    @Test
    void aLearnedLevelInARangeNeedsItsCostInTheConfig() {
        AdaptiveConfig adaptive = new AdaptiveConfig(AdaptiveConfig.Policy.BANDWIDTH_PRESSURE, 10_000_000, 0.8, 0.3,
                0, true, Map.of(DataClass.KV_CACHE, new AdaptiveConfig.LevelRange(1, 5)), List.of());
        NccConfig c = design(adaptive);
        Simulator sim = new Simulator();
        io.nccsim.common.BadInputException e = assertThrows(io.nccsim.common.BadInputException.class,
                () -> new NccDriver(sim, c, new IdealMemory(sim, 1e9, 100_000, 16, new EnergyConfig.Dram(0, 0, 0),
                        new Stats()), 1e9, List.of(), id -> null, Map.of(), new Stats()));
        assertTrue(e.getMessage().startsWith("ncc.adaptive.kv_cache: level 5 is a learned level"), e.getMessage());
    }
}
