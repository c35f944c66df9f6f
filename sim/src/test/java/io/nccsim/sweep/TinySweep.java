package io.nccsim.sweep;

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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A sweep small enough to run in milliseconds per point: the board and trace of {@code HandComputedRunTest} (one
 * weight tensor of 8192 B read, 1024 B of activations written; the baseline moves 9216 DRAM bytes).
 */
final class TinySweep {
    private TinySweep() {
    }

    static final String CONFIG = """
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

    /** The 8-point spec: 2 traces (outermost) x 2 decoder lanes x 2 table slot counts. */
    static final String SPEC = """
            name: tiny
            base: tiny.yaml
            traces: [a.trace, b.trace]
            seed: 7
            axes:
              - key: ncc.decoder.lanes
                values: [1, 2]
              - key: ncc.tables.slots
                linear: {from: 1, to: 4, steps: 2}
            """;

    /** Writes tiny.yaml, a.trace, b.trace and spec.yaml (with {@code spec} as its text) into {@code dir}. */
    static Path write(Path dir, String spec) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tiny.yaml"), CONFIG);
        trace(dir.resolve("a.trace"), 0);
        trace(dir.resolve("b.trace"), 1);
        Path specFile = dir.resolve("spec.yaml");
        Files.writeString(specFile, spec);
        return specFile;
    }

    /** The trace of HandComputedRunTest; {@code variant} 1 makes block 1 all symbol 2 instead of 1. */
    static void trace(Path file, int variant) throws IOException {
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
}
