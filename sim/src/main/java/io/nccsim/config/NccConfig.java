package io.nccsim.config;

import io.nccsim.trace.TensorRole;

import java.util.EnumMap;
import java.util.Map;

/**
 * The NCC design (YAML section {@code ncc}, usually {@code use:}-d from a shared design file under configs/ncc/).
 *
 * @param model            registered NCC model: bypass (no compression) or huffman (lossless Huffman path)
 * @param clockHz          NCC clock
 * @param decoder          read-path decoder pipeline
 * @param encoder          write-path encoder pipeline
 * @param huffman          code and layout parameters
 * @param tableSlots       Huffman tables the table SRAM holds at once ({@code ncc.tables.slots})
 * @param bufferBytes      data SRAM for tiles in flight through the NCC ({@code ncc.buffer})
 * @param crossingPs       latency of one clock-domain crossing between the NCC and the processor or DRAM side
 * @param levels           compression level per data class ({@code ncc.levels.weights: lossless} ...)
 */
public record NccConfig(Model model, double clockHz, Pipeline decoder, Pipeline encoder, Huffman huffman,
                        int tableSlots, long bufferBytes, long crossingPs, Map<TensorRole.DataClass, Level> levels) {

    /** Registered NCC models. */
    public enum Model { BYPASS, HUFFMAN }

    /** How the NCC treats one class of data. More levels (lossy, learned) come with the NCC hardware issue. */
    public enum Level { BYPASS, LOSSLESS }

    /**
     * A decoder or encoder: {@code lanes} parallel units each handling {@code symbolsPerCycle} symbols per NCC cycle,
     * with {@code pipelineDepth} cycles from the first input to the first output.
     */
    public record Pipeline(int lanes, int symbolsPerCycle, int pipelineDepth) {
        static Pipeline read(ConfigReader r) {
            Pipeline p = new Pipeline(r.integer("lanes", 1, 4096), r.integer("symbols_per_cycle", 1, 64),
                    r.integer("pipeline_depth", 0, 1024, 4));
            r.finish();
            return p;
        }

        public long symbolsPerCycleTotal() {
            return (long) lanes * symbolsPerCycle;
        }
    }

    /**
     * @param maxCodeLength    longest code word the decoder's lookup table handles (bits)
     * @param streams          independent streams per compressed block, decoded in parallel by the lanes
     * @param blockElements    elements per independently decodable compressed block; a multiple of the trace's
     *                         content block size
     * @param blockAlignBytes  each compressed block starts on this boundary (a DRAM burst) so it can be fetched alone
     * @param indexEntryBytes  bytes of the per-block offset index entry the NCC reads to locate a block
     */
    public record Huffman(int maxCodeLength, int streams, int blockElements, long blockAlignBytes,
                          int indexEntryBytes) {
        static Huffman read(ConfigReader r) {
            Huffman h = new Huffman(r.integer("max_code_length", 2, 24, 12), r.integer("streams", 1, 64, 1),
                    r.integer("block_elements", 1, 1 << 26, 16384),
                    (long) r.quantity("block_alignment", Units.Dimension.SIZE, 1, 4096, 32),
                    r.integer("index_entry_bytes", 0, 16, 4));
            r.finish();
            return h;
        }
    }

    static NccConfig read(ConfigReader r) {
        // Every key is read whatever the model, so that switching a design to bypass with
        // --set ncc.model=bypass needs no other edit and strict checking still sees every key.
        Model model = r.choice("model", Model.class);
        ConfigReader lv = r.section("levels");
        Map<TensorRole.DataClass, Level> levels = new EnumMap<>(TensorRole.DataClass.class);
        levels.put(TensorRole.DataClass.WEIGHTS, lv.choice("weights", Level.class, Level.LOSSLESS));
        levels.put(TensorRole.DataClass.ACTIVATIONS, lv.choice("activations", Level.class, Level.BYPASS));
        levels.put(TensorRole.DataClass.KV_CACHE, lv.choice("kv_cache", Level.class, Level.BYPASS));
        lv.finish();
        ConfigReader tables = r.section("tables");
        int slots = tables.integer("slots", 1, 4096);
        tables.finish();
        NccConfig c = new NccConfig(model,
                r.quantity("clock", Units.Dimension.FREQUENCY, 1e6, 1e11),
                Pipeline.read(r.section("decoder")),
                Pipeline.read(r.section("encoder")),
                Huffman.read(r.section("huffman")),
                slots,
                (long) r.quantity("buffer", Units.Dimension.SIZE, 64, 1L << 34),
                r.timePs("crossing_latency", 0L),
                Map.copyOf(levels));
        r.finish();
        return c;
    }

    /** The same design switched off: every access passes through unchanged. The baseline of every run. */
    public NccConfig bypassed() {
        return new NccConfig(Model.BYPASS, clockHz, decoder, encoder, huffman, tableSlots, bufferBytes, crossingPs,
                levels);
    }

    public Level level(TensorRole.DataClass dataClass) {
        return levels.get(dataClass);
    }
}
