package io.nccsim.ncc;

import io.nccsim.config.EnergyConfig;
import io.nccsim.config.NccConfig;
import io.nccsim.config.NccConfig.Level;
import io.nccsim.dram.IdealMemory;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.isa.Instruction;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.WeightContent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The NCC hardware on cases worked out by hand; every expected time is derived in the comments. */
class NccCoreTest {
    private static final EnergyConfig.Dram NO_ENERGY = new EnergyConfig.Dram(0, 0, 0);

    static NccConfig design(double clockHz, int decodeCycles, long chunkBytes, NccConfig.Pipeline decoder,
                            int streams, int slots, NccConfig.Tables.Replacement policy, long inputBytes,
                            long crossingPs) {
        return new NccConfig(NccConfig.Model.HUFFMAN, clockHz, new NccConfig.Commands(32, decodeCycles),
                new NccConfig.Dma(chunkBytes, 16), decoder, new NccConfig.Pipeline(1, 1, 0, 1),
                new NccConfig.Huffman(12, streams, 4096, 32, 4),
                new NccConfig.Tables(slots, policy, 32),
                new NccConfig.Buffers(inputBytes, 1 << 20, 8, 8), new NccConfig.Neural(0, List.of()), crossingPs,
                Map.of(DataClass.WEIGHTS, Level.LOSSLESS, DataClass.ACTIVATIONS, Level.BYPASS,
                        DataClass.KV_CACHE, Level.BYPASS), io.nccsim.config.AdaptiveConfig.STATIC_DEFAULT);
    }

    @Test
    void oneDecompressTakesTheCyclesItsBlocksAndTheDramDictate() {
        // NCC at 500 MHz (2 ns cycles), 3 ns crossing, 2 decode cycles; decoder 4 lanes x 2 symbols per lookup,
        // lookup latency 2 cycles, depth 4; DMA chunks of 1 KiB. Memory: 8 B/ns, 100 ns latency.
        NccConfig c = design(500e6, 2, 1024, new NccConfig.Pipeline(4, 2, 4, 2), 8, 4,
                NccConfig.Tables.Replacement.LRU, 8192, 3000);
        Simulator sim = new Simulator();
        NccCounters counters = new NccCounters();
        NccCore core = new NccCore(sim, c, new IdealMemory(sim, 8e9, 100_000, 16, NO_ENERGY, new Stats()), counters,
                new Stats());
        long[] done = {-1, -1};
        long[] dram = {-1};
        // LOAD_TABLE 256 B: crosses in at 3 ns, decoded from the next edge (4 ns) for 2 cycles -> starts at 8 ns;
        //   on the bus 8..40 ns, done at 8 + 100 + 32 = 140 ns, across into the NCC's domain at 143 ns; written at
        //   32 B/cycle from the next edge (144 ns), 8 cycles -> ready at 160 ns.
        core.submit(NccCommand.plain(new Instruction.LoadTable(0, 0x10000, 256, 8), DataClass.WEIGHTS,
                ps -> done[0] = sim.nowPs()));
        // DECOMPRESS of one 2048 B block of 4096 symbols in 8 streams: decoded 8..12 ns; two 1 KiB chunks on the
        //   bus 40..168 and 168..296 ns, done at 268 and 396 ns, in the NCC at 271 and 399 ns. The block decodes
        //   from the next edge, 400 ns: 8 streams on 4 lanes = 2 rounds of 512 symbols / 2 per lookup = 256
        //   lookups of 2 cycles = 1024 cycles = 2048 ns -> 2448 ns; + 4 cycles of depth (8 ns) + 3 ns crossing
        //   back to the processor = 2459 ns.
        core.submit(NccCommand.decompress(new Instruction.Decompress(0, 2048, 4096, 0, 8, 8, 1), DataClass.WEIGHTS,
                new long[] {2048}, new long[] {4096}, ps -> {
                    done[1] = sim.nowPs();
                    dram[0] = ps;
                }));
        sim.run();
        assertEquals(160_000, done[0]);
        assertEquals(2_459_000, done[1]);
        assertEquals(399_000, dram[0], "the last DRAM byte of the DECOMPRESS, in the NCC's clock domain");
        assertEquals(2_048_000, counters.decoderBusyPs());
        assertEquals(4096, counters.symbolsDecoded());
        assertEquals(8 * 256, counters.tableLookups());
        assertEquals(2, counters.commandsExecuted());
    }

    @Test
    void aLearnedLevelIsDecodedByTheMacArrayAtItsConfiguredCostPerValue() {
        // Level 5 costs 32 MACs per value on a 256-MAC array (from the config, until the learned codec exists).
        NccConfig base = design(1e9, 0, 1024, new NccConfig.Pipeline(8, 2, 0, 1), 8, 4,
                NccConfig.Tables.Replacement.LRU, 8192, 0);
        NccConfig c = new NccConfig(base.model(), base.clockHz(), base.commands(), base.dma(), base.decoder(),
                base.encoder(), base.huffman(), base.tables(), base.buffers(),
                new NccConfig.Neural(256, List.of(new NccConfig.Neural.LearnedLevel(2.0, 32, 32, "test"))), base.crossingPs(),
                base.levels(), base.adaptive());
        Simulator sim = new Simulator();
        NccCounters counters = new NccCounters();
        NccCore core = new NccCore(sim, c, new IdealMemory(sim, 8e9, 100_000, 16, NO_ENERGY, new Stats()), counters,
                new Stats());
        long[] done = {-1};
        // 4096 values at 2 bits = 1024 B: on the bus 0..128 ns, in at 228 ns; 4096 x 32 / 256 = 512 cycles
        // (more than 1024 B / 64 B per cycle of buffer bandwidth) -> 740 ns; no depth, no crossing. No table is
        // needed: slot 0 was never loaded, and nothing waits for it.
        core.submit(NccCommand.decompress(new Instruction.Decompress(0, 1024, 4096, 0, 1, 8, 5), DataClass.KV_CACHE,
                new long[] {1024}, new long[] {4096}, ps -> done[0] = sim.nowPs()));
        sim.run();
        assertEquals(740_000, done[0]);
        assertEquals(4096L * 32, counters.neuralMacs());
        assertEquals(512_000, counters.neuralBusyPs());
        assertEquals(0, counters.decoderBusyPs(), "the Huffman lanes were not used");
    }

    /** One DECOMPRESS of 64 blocks of 1 KiB (256 symbols each), with {@code inputBytes} of input buffer. */
    private static long streamThrough(long inputBytes, NccCounters counters) {
        // NCC at 1 GHz, no crossing, no decode cycles; 8 lanes x 2 symbols: a block of 256 symbols in 8 streams is
        // 16 lookups = 16 cycles, as is reading its 1 KiB at 64 B/cycle. Memory: 102.4 B/ns (1 KiB in 10 ns), 1 us.
        NccConfig c = design(1e9, 0, 1024, new NccConfig.Pipeline(8, 2, 0, 1), 8, 4,
                NccConfig.Tables.Replacement.LRU, inputBytes, 0);
        Simulator sim = new Simulator();
        NccCore core = new NccCore(sim, c, new IdealMemory(sim, 102.4e9, 1_000_000, 64, NO_ENERGY, new Stats()),
                counters, new Stats());
        long[] bytes = new long[64];
        long[] symbols = new long[64];
        java.util.Arrays.fill(bytes, 1024);
        java.util.Arrays.fill(symbols, 256);
        long[] done = {-1};
        core.submit(NccCommand.decompress(new Instruction.Decompress(0, 65536, 16384, 0, 8, 8, 1), DataClass.WEIGHTS,
                bytes, symbols, ps -> done[0] = sim.nowPs()));
        sim.run();
        return done[0];
    }

    @Test
    void aSmallInputBufferThrottlesTheDmaEngineToBufferOverLatency() {
        // 2 KiB of input buffer: two chunks in flight. Chunk 0 on the bus 0..10 ns, in at 1010; chunk 1 in at 1020.
        // Block n decodes from max(arrival, previous end) for 16 ns: E(0) = 1026, E(1) = 1042. Each end frees 1 KiB
        // and issues the chunk two ahead, which arrives 1010 ns later: A(n) = E(n-2) + 1010, so E(2) = 2052,
        // E(3) = 2068, and every two blocks take 1026 ns: E(2k+1) = 1042 + 1026 k, E(63) = 1042 + 1026 x 31
        // = 32848 ns. Throughput 64 KiB / 32.848 us = 2.0 GB/s: buffer over round trip.
        NccCounters small = new NccCounters();
        assertEquals(32_848_000, streamThrough(2048, small));
        assertTrue(small.dmaBufferStalls() > 0);
        // 65 KiB: the buffer no longer limits, the DMA engine's 16 requests in flight do. Chunks 0..15 are issued
        // at once and land 10 ns apart, A(n) = 1010 + 10 n; chunk 16 + m goes out when chunk m lands and lands
        // 1010 ns later, so every group of 16 arrives 1010 ns after the one before: A(n) = 1010 (n / 16) + 1010 +
        // 10 (n mod 16). The decoder (16 ns a block) keeps up within a group: E(63) = A(48) + 16 x 16 = 4040 + 256
        // = 4296 ns. Throughput 16 KiB per 1010 ns round trip.
        NccCounters large = new NccCounters();
        assertEquals(4_296_000, streamThrough(65 * 1024, large));
        assertEquals(0, large.dmaBufferStalls());
    }

    // ---- table SRAM, through the driver ----

    private static final class Rig {
        final Simulator sim = new Simulator();
        final NccDriver driver;
        final List<TensorInfo> tensors = new ArrayList<>();

        Rig(int slots, NccConfig.Tables.Replacement policy) {
            int[][] hist = new int[1][256];
            for (int i = 0; i < 3; i++) {
                tensors.add(new TensorInfo(i, "w" + i, TensorRole.MLP_UP, i, List.of(64L, 64L), ElementType.INT8,
                        4096, 4096, 0));
            }
            hist[0][7] = 3000;
            hist[0][9] = 1096;
            WeightContent content = new WeightContent(0, 4096, hist);
            NccConfig c = design(1e9, 1, 2048, new NccConfig.Pipeline(8, 2, 4, 1), 8, slots, policy, 64 * 1024,
                    2000);
            driver = new NccDriver(sim, c, new IdealMemory(sim, 25.6e9, 100_000, 16, NO_ENERGY, new Stats()), 25.6e9,
                    tensors, id -> content, Map.of(), new Stats());
        }

        /** Reads the whole of each named tensor, one after another; returns the table loads. */
        long read(int... order) {
            for (int id : order) {
                boolean[] done = {false};
                assertTrue(driver.offer(new TileRequest(tensors.get(id), 0, 4096, false, null, r -> done[0] = true)));
                sim.run();
                assertTrue(done[0]);
            }
            return driver.counters().tableLoads();
        }
    }

    @Test
    void tablesThrashWhenMoreTensorsTakeTurnsThanThereAreSlots() {
        // Three tensors, each with its own table, read round-robin twice.
        assertEquals(6, new Rig(2, NccConfig.Tables.Replacement.LRU).read(0, 1, 2, 0, 1, 2),
                "2 slots, 3 tables in turn: LRU always evicts the one needed next");
        assertEquals(3, new Rig(3, NccConfig.Tables.Replacement.LRU).read(0, 1, 2, 0, 1, 2),
                "3 slots: each table loads once");
        Rig rig = new Rig(2, NccConfig.Tables.Replacement.LRU);
        rig.read(0, 1, 2, 0, 1, 2);
        assertEquals(6 * rig.driver.compressedWeights(0).code().tableBytes(), rig.driver.counters().tableBytesLoaded());
    }

    @Test
    void replacementPolicyDecidesWhichTableGoes() {
        // A, B, A, C, A with 2 slots. LRU: C replaces B (A was used last), A hits: 3 loads.
        // FIFO: C replaces A (loaded first), A misses again: 4 loads.
        assertEquals(3, new Rig(2, NccConfig.Tables.Replacement.LRU).read(0, 1, 0, 2, 0));
        assertEquals(4, new Rig(2, NccConfig.Tables.Replacement.FIFO).read(0, 1, 0, 2, 0));
    }

    @Test
    void aSmallGatherInsideABigBlockReadsTheRawCopy() {
        // 64 B at offset 100 of a 4096 B block stored in 576 B (4096 symbols of 1 bit = 512 B, 7 B of stream padding
        // and 7 x 4 B of stream offsets for 8 streams, aligned to 32 B):
        // fetching the block would move more than the range, so the driver copies the raw bytes, widened to the
        // 32 B grain: 96..192, 96 B. No table is loaded, nothing is decoded.
        Rig rig = new Rig(2, NccConfig.Tables.Replacement.LRU);
        boolean[] done = {false};
        assertTrue(rig.driver.offer(new TileRequest(rig.tensors.get(0), 100, 64, false, null, r -> done[0] = true)));
        rig.sim.run();
        assertTrue(done[0]);
        assertEquals(1, rig.driver.counters().rawFallbackReads());
        assertEquals(0, rig.driver.counters().tableLoads());
        assertEquals(0, rig.driver.counters().symbolsDecoded());
        assertEquals(96, rig.driver.counters().busBytes(DataClass.WEIGHTS));
        // A whole-block read decodes: the compressed block is smaller than the raw one.
        assertEquals(1, rig.read(0));
        assertEquals(4096, rig.driver.counters().symbolsDecoded());
    }

    @Test
    void theLengthsOfTheCompressesBeforeAFenceAreInCounters16Onwards() {
        NccConfig c = design(1e9, 1, 2048, new NccConfig.Pipeline(8, 2, 0, 1), 8, 4,
                NccConfig.Tables.Replacement.LRU, 65536, 0);
        Simulator sim = new Simulator();
        NccCore core = new NccCore(sim, c, new IdealMemory(sim, 8e9, 100_000, 16, NO_ENERGY, new Stats()),
                new NccCounters(), new Stats());
        long[] counters = {-1, -1, -1};
        core.submit(NccCommand.compress(new Instruction.Compress(0, 4096, 0, 8, 8, 1), DataClass.KV_CACHE, 4096,
                1216, ps -> { }));
        core.submit(NccCommand.compress(new Instruction.Compress(8192, 4096, 0, 8, 8, 1), DataClass.KV_CACHE, 4096,
                992, ps -> { }));
        core.submit(NccCommand.plain(new Instruction.Fence(), DataClass.KV_CACHE, ps -> {
            counters[0] = core.counter(NccCore.FIRST_LENGTH_COUNTER);
            counters[1] = core.counter(NccCore.FIRST_LENGTH_COUNTER + 1);
            counters[2] = core.counter(Instruction.Compress.LENGTH_COUNTER);
        }));
        sim.run();
        assertEquals(1216, counters[0]);
        assertEquals(992, counters[1]);
        assertEquals(992, counters[2], "counter 0: the last COMPRESS completed");
    }
}
