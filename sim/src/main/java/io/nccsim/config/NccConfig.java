package io.nccsim.config;

import io.nccsim.trace.TensorRole;

import java.util.EnumMap;
import java.util.Map;

/**
 * The NCC design (YAML section {@code ncc}, usually {@code use:}-d from a shared design file under configs/ncc/).
 * Every block can be resized, and most switched off, with {@code --set} (an ablation): a decoder or encoder with 0
 * lanes, or a table SRAM with 0 slots, is absent, and the data it would have handled moves uncompressed.
 *
 * @param model      registered NCC model: bypass (no compression) or huffman (the ISA-driven NCC)
 * @param clockHz    NCC clock
 * @param commands   command queue and front end
 * @param dma        the DMA engine between the NCC and the memory controller
 * @param decoder    read-path decoder pipeline
 * @param encoder    write-path encoder pipeline
 * @param huffman    code and layout parameters
 * @param tables     Huffman table SRAM
 * @param buffers    data SRAM: compressed bytes in, decoded bytes out
 * @param neural     the learned-codec datapath (MAC array); 0 MACs per cycle = absent
 * @param crossingPs latency of one clock-domain crossing between the NCC and the processor or DRAM side
 * @param levels     compression level per data class ({@code ncc.levels.weights: lossless} ...)
 * @param adaptive   how levels change at run time ({@code ncc.adaptive}; static without the section)
 */
public record NccConfig(Model model, double clockHz, Commands commands, Dma dma, Pipeline decoder, Pipeline encoder,
                        Huffman huffman, Tables tables, Buffers buffers, Neural neural, long crossingPs,
                        Map<TensorRole.DataClass, Level> levels, AdaptiveConfig adaptive) {

    /** Registered NCC models. */
    public enum Model { BYPASS, HUFFMAN }

    /**
     * How the NCC treats one class of data; {@link #code()} is the level number of the instruction set (CONFIG,
     * DECOMPRESS, COMPRESS).
     */
    public enum Level {
        BYPASS(0), LOSSLESS(1), LOSSY_1BIT(2), LOSSY_2BIT(3), LOSSY_3BIT(4);

        private final int code;

        Level(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** Low bits of each element dropped before coding (lossy levels), 0 otherwise. */
        public int droppedBits() {
            return Math.max(0, code - 1);
        }

        public boolean compressed() {
            return this != BYPASS;
        }

        public static Level ofCode(int code) {
            for (Level l : values()) {
                if (l.code == code) {
                    return l;
                }
            }
            throw new IllegalArgumentException("no NCC level " + code + " (this NCC has levels 0..4)");
        }
    }

    /**
     * @param entries     command queue depth; the driver waits when it is full (back-pressure to the processor)
     * @param decodeCycles NCC cycles the front end spends decoding one command before dispatching it
     */
    public record Commands(int entries, int decodeCycles) {
        static Commands read(ConfigReader r) {
            Commands c = new Commands(r.integer("entries", 1, 1 << 16, 32), r.integer("decode_cycles", 0, 1024, 1));
            r.finish();
            return c;
        }
    }

    /**
     * @param chunkBytes     largest single request the DMA engine gives the memory controller
     * @param maxOutstanding requests the DMA engine keeps in flight at once
     */
    public record Dma(long chunkBytes, int maxOutstanding) {
        static Dma read(ConfigReader r) {
            Dma d = new Dma(r.sizeBytes("chunk", 32, 1L << 24, 2048), r.integer("max_outstanding", 1, 4096, 16));
            r.finish();
            return d;
        }
    }

    /**
     * A decoder or encoder: {@code lanes} parallel units, each working through one stream of a block and resolving
     * {@code symbolsPerCycle} symbols per table lookup; a lookup takes {@code lookupLatency} cycles and the next
     * lookup of the same stream needs its result (the code length says where the next code starts), so a lane
     * resolves {@code symbolsPerCycle / lookupLatency} symbols per cycle. {@code pipelineDepth} cycles pass from the
     * first input to the first output. 0 lanes: the block is absent.
     */
    public record Pipeline(int lanes, int symbolsPerCycle, int pipelineDepth, int lookupLatency) {
        static Pipeline read(ConfigReader r) {
            Pipeline p = new Pipeline(r.integer("lanes", 0, 4096), r.integer("symbols_per_cycle", 1, 64),
                    r.integer("pipeline_depth", 0, 1024, 4), r.integer("lookup_latency", 1, 64, 1));
            r.finish();
            return p;
        }

        public long symbolsPerCycleTotal() {
            return (long) lanes * symbolsPerCycle;
        }

        public boolean present() {
            return lanes > 0;
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
                    (long) r.quantity("block_alignment", Units.Dimension.SIZE, 32, 4096, 32),
                    r.integer("index_entry_bytes", 0, 16, 4));
            r.finish();
            if (h.blockAlignBytes % 32 != 0) {
                throw new io.nccsim.common.BadInputException(r.location() + ": ncc.huffman.block_alignment must be "
                        + "a multiple of 32 B (the NCC's DRAM address granule); set 32 B, 64 B, ...");
            }
            return h;
        }
    }

    /**
     * @param slots             tables resident at once (0: no table SRAM, nothing is decoded)
     * @param policy            which resident table a load replaces
     * @param writeBytesPerCycle bytes per NCC cycle a table load writes into table SRAM
     */
    public record Tables(int slots, Replacement policy, int writeBytesPerCycle) {
        public enum Replacement { LRU, FIFO }

        static Tables read(ConfigReader r) {
            Tables t = new Tables(r.integer("slots", 0, 256), r.choice("policy", Replacement.class, Replacement.LRU),
                    r.integer("write_bytes_per_cycle", 1, 4096, 32));
            r.finish();
            return t;
        }
    }

    /**
     * The data SRAM. Compressed bytes the DMA engine fetches wait in the input buffer until the decoder has used
     * them (a full input buffer stops the DMA engine: back-pressure towards DRAM); decoded bytes wait in the output
     * buffer until the processor takes them (a full output buffer stops the front end: back-pressure towards the
     * processor). The decoder reads at most {@code bytesPerCycle} compressed bytes per cycle from its banks.
     */
    public record Buffers(long inputBytes, long outputBytes, int banks, int bankBytesPerCycle) {
        static Buffers read(ConfigReader r) {
            Buffers b = new Buffers(r.sizeBytes("input", 64, 1L << 34), r.sizeBytes("output", 64, 1L << 34),
                    r.integer("banks", 1, 1024, 8), r.integer("bank_bytes_per_cycle", 1, 1024, 8));
            r.finish();
            return b;
        }

        public long bytesPerCycle() {
            return (long) banks * bankBytesPerCycle;
        }
    }

    /**
     * The learned-codec datapath: a MAC array that runs the neural codec's encoder and decoder for the learned
     * levels 5, 6, 7. What one value costs at each learned level comes from a codec profile made by
     * {@code nccsim codec train} ({@code profile}, a path relative to the config file that names it; with more
     * than three levels, {@code profile_levels} names the three to use, in order) or, without a profile, from
     * inline {@code levels} entries. Without either the learned levels are not available.
     * {@code macs_per_cycle: 0} removes the array.
     */
    public record Neural(int macsPerCycle, java.util.List<LearnedLevel> levels) {
        public Neural {
            levels = java.util.List.copyOf(levels);
        }

        /**
         * The cost of one learned level: bits per value in DRAM, MACs per value decoded and encoded, and where
         * the figures come from (a profile's level, or the config).
         */
        public record LearnedLevel(double bitsPerValue, int macsPerValue, int encoderMacsPerValue, String source) {
        }

        static Neural read(ConfigReader r) {
            int macs = r.integer("macs_per_cycle", 0, 1 << 20, 0);
            java.util.List<LearnedLevel> levels = new java.util.ArrayList<>();
            for (ConfigReader l : r.optionalSectionList("levels")) {
                int decode = l.integer("macs_per_value", 1, 1 << 20);
                levels.add(new LearnedLevel(l.number("bits_per_value", 0.01, 16), decode,
                        l.integer("encoder_macs_per_value", 1, 1 << 20, decode), l.location().toString()));
                l.finish();
            }
            if (r.has("profile")) {
                if (!levels.isEmpty()) {
                    throw new io.nccsim.common.BadInputException(r.raw("profile").location()
                            + ": ncc.neural has both a profile and inline levels; keep one");
                }
                levels.addAll(fromProfile(r));
            } else if (r.has("profile_levels")) {
                throw new io.nccsim.common.BadInputException(r.raw("profile_levels").location()
                        + ": ncc.neural.profile_levels chooses levels of a codec profile; set ncc.neural.profile too");
            }
            if (levels.size() > 3) {
                throw new io.nccsim.common.BadInputException(r.location() + ": ncc.neural.levels has "
                        + levels.size() + " entries; the learned levels are 5, 6 and 7, so give at most 3");
            }
            if (!levels.isEmpty() && macs == 0) {
                throw new io.nccsim.common.BadInputException(r.location() + ": ncc.neural learned levels need a "
                        + "MAC array to run on; set ncc.neural.macs_per_cycle above 0 or remove the levels");
            }
            r.finish();
            return new Neural(macs, levels);
        }

        /** The learned levels of a codec profile ({@code nccsim codec train}), in level order or as named. */
        private static java.util.List<LearnedLevel> fromProfile(ConfigReader r) {
            SourceLocation at = r.raw("profile").location();
            String given = r.string("profile");
            java.nio.file.Path file = java.nio.file.Path.of(given).isAbsolute() || at.source().startsWith("--set")
                    ? java.nio.file.Path.of(given) : java.nio.file.Path.of(at.source()).resolveSibling(given);
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new io.nccsim.common.BadInputException(at + ": ncc.neural.profile: no such codec profile "
                        + file + "; make one with nccsim codec train");
            }
            io.nccsim.codec.learned.CodecProfile profile = io.nccsim.codec.learned.CodecProfile.read(file);
            java.util.List<String> names = r.stringList("profile_levels", java.util.List.of());
            java.util.List<io.nccsim.codec.learned.CodecProfile.Level> chosen = new java.util.ArrayList<>();
            if (names.isEmpty()) {
                if (profile.levels().size() > 3) {
                    throw new io.nccsim.common.BadInputException(at + ": ncc.neural.profile " + file + " has "
                            + profile.levels().size() + " levels and the NCC has three learned levels (5, 6, 7); "
                            + "name three with ncc.neural.profile_levels");
                }
                chosen.addAll(profile.levels());
            } else {
                for (String name : names) {
                    chosen.add(profile.levels().stream().filter(l -> l.name().equals(name)).findFirst()
                            .orElseThrow(() -> new io.nccsim.common.BadInputException(r.raw("profile_levels")
                                    .location() + ": ncc.neural.profile_levels: no level '" + name + "' in "
                                    + file + " (it has " + profile.levels().stream()
                                    .map(io.nccsim.codec.learned.CodecProfile.Level::name).toList() + ")")));
                }
            }
            java.util.List<LearnedLevel> out = new java.util.ArrayList<>();
            for (io.nccsim.codec.learned.CodecProfile.Level l : chosen) {
                out.add(new LearnedLevel(l.bitsPerValue(), (int) Math.ceil(l.decoderMacsPerValue()),
                        (int) Math.ceil(l.encoderMacsPerValue()), file + "#" + l.name()));
            }
            return out;
        }

        /** The cost of learned level {@code level} (5..7), or null when the config does not define it. */
        public LearnedLevel level(int level) {
            int i = level - 5;
            return i >= 0 && i < levels.size() && macsPerCycle > 0 ? levels.get(i) : null;
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
        NccConfig c = new NccConfig(model,
                r.quantity("clock", Units.Dimension.FREQUENCY, 1e6, 1e11),
                r.has("commands") ? Commands.read(r.section("commands")) : new Commands(32, 1),
                r.has("dma") ? Dma.read(r.section("dma")) : new Dma(2048, 16),
                Pipeline.read(r.section("decoder")),
                Pipeline.read(r.section("encoder")),
                Huffman.read(r.section("huffman")),
                Tables.read(r.section("tables")),
                Buffers.read(r.section("buffers")),
                r.has("neural") ? Neural.read(r.section("neural")) : new Neural(0, java.util.List.of()),
                r.timePs("crossing_latency", 0L),
                Map.copyOf(levels),
                AdaptiveConfig.readOptional(r));
        r.finish();
        return c;
    }

    /** The same design switched off: every access passes through unchanged. The baseline of every run. */
    public NccConfig bypassed() {
        return new NccConfig(Model.BYPASS, clockHz, commands, dma, decoder, encoder, huffman, tables, buffers, neural,
                crossingPs, levels, adaptive);
    }

    /**
     * Bytes of one table slot: a lookup table indexed by the next {@code max_code_length} bits of the stream, one
     * 16-bit entry each (symbol and code length), as a single-lookup canonical-Huffman decoder has.
     */
    public long tableSlotBytes() {
        return (1L << huffman.maxCodeLength()) * 2;
    }

    /** The sizes of the blocks, for the area and leakage model. */
    public io.nccsim.ncc.NccDesign design() {
        return new io.nccsim.ncc.NccDesign(decoder.lanes(), decoder.symbolsPerCycle(), encoder.lanes(),
                encoder.symbolsPerCycle(), tables.slots(), tableSlotBytes(), buffers.inputBytes(),
                buffers.outputBytes(), commands.entries(), neural.macsPerCycle(), clockHz);
    }

    public Level level(TensorRole.DataClass dataClass) {
        return levels.get(dataClass);
    }
}
