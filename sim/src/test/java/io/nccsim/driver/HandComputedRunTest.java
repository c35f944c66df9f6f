package io.nccsim.driver;

import io.nccsim.config.SimConfig;
import io.nccsim.trace.Access;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.ModelShape;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceWriter;
import io.nccsim.trace.WeightContent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run small enough to work out on paper. The derivation is in the comments; the simulator must agree to the
 * picosecond.
 *
 * <p>System: processor at 1 GHz with 1 MAC per cycle (1 MAC = 1 ns), 4 KiB tiles, one tile in flight. Ideal memory
 * with 8 B/ns (1000 MT/s on a 64-bit bus) and 100 ns latency: a request of b bytes accepted at t with the bus free
 * completes at t + 100 ns + b/8 ns. NCC at 1 GHz with one lane of 4 symbols per cycle (4 symbols/ns), no pipeline
 * depth, no crossing latency, one stream per block, 32 B block alignment, 4 B index entries.
 *
 * <p>Trace: one weight tensor W (int8, 8192 elements = 8192 B) and one activation buffer A (fp16, 1024 B). One
 * step, one op "mm": read all of W, 4096 MACs, write all of A. W's content, in blocks of 4096 elements: block 0 is
 * all symbol 0, block 1 all symbol 1, so W's Huffman code gives both symbols 1 bit.
 */
public class HandComputedRunTest {
    @TempDir
    Path dir;
    Path config;
    Path trace;

    /** The tiny board of the derivation; {@code TinySweep} sweeps it too. */
    public static final String CONFIG = """
            name: tiny
            processor:
              clock: 1 GHz
              macs_per_cycle: 1
              tile: 4 KiB
              tiles_in_flight: 1
            ncc:
              model: huffman
              clock: 1 GHz
              commands: {entries: 32, decode_cycles: 0}
              dma: {chunk: 16 KiB, max_outstanding: 4}
              decoder: {lanes: 1, symbols_per_cycle: 4, pipeline_depth: 0}
              encoder: {lanes: 1, symbols_per_cycle: 4, pipeline_depth: 0}
              huffman: {max_code_length: 12, streams: 1, block_elements: 4096, block_alignment: 32 B, index_entry_bytes: 4}
              tables: {slots: 4, write_bytes_per_cycle: 32}
              buffers: {input: 32 KiB, output: 32 KiB, banks: 8, bank_bytes_per_cycle: 8}
              crossing_latency: 0 ns
              levels: {weights: lossless, kv_cache: lossless, activations: bypass}
            memory:
              model: ideal
              standard: lpddr4
              data_rate: 1000 MT/s
              bus_width_bits: 64
              ideal: {latency: 100 ns, queue_depth: 4}
            energy:
              processor: {mac: 1 pJ, static: 1 W}
              dram: {read: 10 pJ/bit, write: 10 pJ/bit, background: 100 mW}
              ncc:
                node_nm: 28
                reference_node_nm: 28
                command: 0 pJ
                dma: 0 pJ/B
                symbol_decode: 2 pJ
                table_lookup: 0 pJ
                symbol_encode: 2 pJ
                sram_read: 0.125 pJ/bit
                sram_write: 0.125 pJ/bit
                mac: 0 pJ
                leakage_per_mm2: 0 mW
                area:
                  sram_bit: 0 um2
                  decoder_lane: 0 mm2
                  encoder_lane: 0 mm2
                  mac: 0 um2
                  front_end: 0 mm2
                  dma: 0 mm2
            """;

    @BeforeEach
    void write() throws Exception {
        config = dir.resolve("tiny.yaml");
        Files.writeString(config, CONFIG);
        trace = dir.resolve("tiny.trace");
        writeTrace(trace, 0);
    }

    /** The trace of the derivation; {@code variant} 1 makes block 1 all symbol 2 instead of 1 (for sweeps). */
    public static void writeTrace(Path file, int variant) throws java.io.IOException {
        TensorInfo w = new TensorInfo(0, "w", TensorRole.MLP_UP, 0, List.of(64L, 128L), ElementType.INT8, 8192, 8192, 0);
        TensorInfo a = new TensorInfo(1, "a", TensorRole.ACTIVATION, -1, List.of(512L), ElementType.FP16, 1024, 1024, 0);
        TraceHeader h = new TraceHeader("hand", new ModelShape("llama", 1, 128, 64, 1, 1, 128, 1, true, 8192),
                "int8-channel-sym", "fp16", "fp16", 1, 0, "test",
                new Provenance(Provenance.MODELED, null, "written by hand for a test"), 4096);
        int[] block0 = new int[256];
        block0[0] = 4096;
        int[] block1 = new int[256];
        block1[1 + variant] = 4096;
        TraceWriter tw = new TraceWriter(file, h, List.of(w, a));
        tw.writeWeightContent(new WeightContent(0, 4096, new int[][] {block0, block1}));
        tw.write(new StepEvent(StepEvent.Phase.PREFILL, 0, 1));
        tw.write(new OpEvent("mm", 0, 4096, List.of(Access.read(0, 0, 8192), Access.write(1, 0, 1024, null))));
        tw.close();
    }

    @Test
    void baselineMatchesThePaperDerivation() {
        RunResult r = Simulation.run(SimConfig.load(config, List.of()).withNccBypassed(), trace, "baseline",
                Progress.NONE);
        // tile 0: issued at 0, done 0 + 100 + 4096/8 = 612 ns; computed 2048 ns -> 2660 ns.
        // tile 1: issued at 2660, done 2660 + 612 = 3272 ns; computed -> 5320 ns.
        // write A: 5320 + 100 + 1024/8 = 5548 ns.
        assertEquals(5_548_000, r.simTimePs());
        assertEquals(5_548_000, r.prefillPs());
        assertEquals(8192, r.memory().bytesRead());
        assertEquals(1024, r.memory().bytesWritten());
        assertEquals(2 * 612_000, r.cpu().stallMemoryPs(), "two waits of 612 ns for tiles");
        assertEquals(0, r.cpu().stallNccPs());
        assertEquals(228_000, r.cpu().stallWritePs());
        assertEquals(4096 * 1000, r.cpu().computeBusyPs());
        // energy: processor 4096 MACs x 1 pJ + 1 W x 5.548 us; DRAM (8192 + 1024) B x 8 x 10 pJ + 0.1 W x 5.548 us
        assertEquals(4096e-12 + 5.548e-6, r.energy().component("processor"), 1e-18);
        assertEquals(9216 * 8 * 10e-12 + 0.1 * 5.548e-6, r.energy().component("dram"), 1e-18);
        assertEquals(0, r.energy().component("ncc"));
    }

    @Test
    void nccRunMatchesThePaperDerivation() {
        RunResult r = Simulation.run(SimConfig.load(config, List.of()), trace, "ncc", Progress.NONE);
        // Each block codes 4096 symbols x 1 bit = 512 B, already 32 B aligned. The table (256 code lengths of 4 bits)
        // is 128 B. No crossing latency and no decode cycles: a command starts on the NCC clock edge it arrives at.
        // tile 0 = LOAD_TABLE + DECOMPRESS, both dispatched at 0:
        //   table: 128 B on the bus 0..16 ns, done at 116 ns; written into table SRAM at 32 B/cycle: ready 120 ns.
        //   block: 512 B on the bus 16..80 ns, done at 180 ns; decoded from 180 ns for 4096/4 = 1024 cycles
        //   (more than 512 B / 64 B per cycle of buffer bandwidth) -> 1204 ns. Computed 2048 ns -> 3252 ns.
        // tile 1 = DECOMPRESS (table resident): issued 3252, bytes in at 3252 + 100 + 64 = 3416 ns, decoded
        //   -> 4440 ns, computed -> 6488 ns.
        // write A (activations bypass: a COPY): 6488 + 100 + 128 = 6716 ns.
        assertEquals(6_716_000, r.simTimePs());
        assertEquals(128 + 512 + 512, r.memory().bytesRead());
        assertEquals(1024, r.memory().bytesWritten());
        assertEquals(8192, r.ncc().symbolsDecoded());
        assertEquals(1, r.ncc().tableLoads());
        assertEquals(128, r.ncc().tableBytesLoaded());
        // stalls: tile 0 waits 180 ns for DRAM, then 1024 ns for the decoder; tile 1 164 ns and 1024 ns.
        assertEquals(180_000 + 164_000, r.cpu().stallMemoryPs());
        assertEquals(2 * 1_024_000, r.cpu().stallNccPs());
        assertEquals(2048, r.nccStallCycles());
        assertEquals(2 * 1_024_000, r.ncc().decoderBusyPs());
        assertEquals(1 + 1 + 1 + 1, r.ncc().commandsExecuted(), "LOAD_TABLE, two DECOMPRESS, one COPY");
        assertEquals(8192.0 / (128 + 512 + 512),
                (double) r.ncc().rawBytes(io.nccsim.trace.TensorRole.DataClass.WEIGHTS)
                / r.ncc().busBytes(io.nccsim.trace.TensorRole.DataClass.WEIGHTS), 1e-12);
    }

    @Test
    void comparisonSummarisesBothRuns() {
        Comparison c = Simulation.compare(SimConfig.load(config, List.of()), trace, Progress.NONE);
        assertEquals(100.0 * (9216 - (1152 + 1024)) / 9216, c.bandwidthSavedPct(), 1e-9);
        assertEquals(5548.0 / 6716.0, c.speedup(), 1e-12, "a one-lane decoder loses to raw DRAM here");
    }

    @Test
    void decoderLanesHelpOnlyWithStreamsToWorkOn() {
        // 16 lanes but one stream per block: one lane decodes, nothing changes.
        RunResult oneStream = Simulation.run(SimConfig.load(config, List.of("ncc.decoder.lanes=16")), trace, "ncc",
                Progress.NONE);
        assertEquals(6_716_000, oneStream.simTimePs());
        // 16 lanes and 16 streams: a block is 512 B of code + 15 B of stream padding + 15 x 4 B of stream offsets =
        // 587 B -> 608 B aligned. Each lane decodes 256 symbols in 64 cycles (over 608/64 = 10 cycles of buffer
        // bandwidth). tile 0: table ready 120 ns; block on the bus 16..92 ns, in at 192 ns, decoded -> 256 ns,
        // computed -> 2304 ns. tile 1: in at 2304 + 100 + 76 = 2480, decoded -> 2544, computed -> 4592;
        // write -> 4592 + 228 = 4820 ns.
        RunResult r = Simulation.run(SimConfig.load(config, List.of("ncc.decoder.lanes=16", "ncc.huffman.streams=16")),
                trace, "ncc", Progress.NONE);
        assertEquals(4_820_000, r.simTimePs());
    }
}
