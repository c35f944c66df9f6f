package io.nccsim.ncc;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.LsbDrop;
import io.nccsim.common.BadInputException;
import io.nccsim.config.NccConfig;
import io.nccsim.config.NccConfig.Level;
import io.nccsim.dram.AddressMap;
import io.nccsim.dram.MemorySystem;
import io.nccsim.ncc.adaptive.LayerCost;
import io.nccsim.ncc.adaptive.LevelController;
import io.nccsim.ncc.adaptive.WindowStats;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.isa.Direction;
import io.nccsim.isa.Instruction;
import io.nccsim.isa.Limits;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.WeightContent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The processor's NCC driver and the NCC together, as the processor sees them: each tile the processor reads or
 * writes becomes a short program of NCC instructions ({@link NccCore} executes them).
 *
 * <p>What the driver decides, per tile:
 * <ul>
 * <li>Weights stored compressed (quantized, with content in the trace, at a compressed level): LOAD_TABLE when the
 *     tensor's table is not resident (the slot chosen by {@link TableSlots}), one DECOMPRESS for the blocks the
 *     tile touches, and a COPY for its uncompressed quantization metadata. The decoder works on whole blocks; the
 *     block decoded last for each tensor stays in a carry buffer, so a tile that continues inside it does not
 *     fetch it again (a new sweep of the tensor does). A small read inside big blocks (an embedding row gathered
 *     by token id) whose blocks would move more bytes than the range reads the raw copy instead.</li>
 * <li>Writes of activations and KV cache whose class is compressed and whose content the trace carries: cut into
 *     pieces of at most {@code block_elements} elements (each an independently decodable extent, small enough for
 *     the input buffer), one COMPRESS each, then FENCE and one READ_COUNTER per piece to learn the lengths. A read
 *     of that data later decodes each extent it overlaps with its own DECOMPRESS.</li>
 * <li>Everything else moves uncompressed with COPY.</li>
 * </ul>
 * The level of each tile comes from the {@link LevelController} ({@code ncc.levels} and {@code ncc.adaptive}): 0
 * copies, 1 codes losslessly, 2..4 drop low bits before coding (a table per level, calibrated ahead of time), 5..7
 * run the learned codec on the neural datapath. The controller sees the DRAM utilization, buffer fill and decoder
 * and encoder utilization of each window that has passed when the next tile arrives.
 * The driver keeps a backlog of commands not yet in the command queue and feeds the queue as entries free up; it
 * takes a new tile only when its backlog is empty, which is how a full command queue pushes back on the processor.
 *
 * <p>DRAM layout: each weight tensor compressed offline has its compressed copy and its raw copy in its region
 * (so a level policy can switch the tensor between them); tables sit after all tensors. Every address and length
 * the ISA carries is a multiple of 32 B: a range that does not start on that grain is widened to it.
 */
public final class NccDriver implements Ncc {
    private static final long GRAIN = Limits.DRAM_ALIGNMENT;
    private static final int LEARNED_MIN = io.nccsim.config.AdaptiveConfig.LEVEL_LEARNED_MIN;

    private final Simulator sim;
    private final NccConfig config;
    private final NccCore core;
    private final BlockFormat format;
    private final CompressedWeights[] weights;
    private final StoredExtents[] extents;
    private final long[] carry;
    /** Write-path tables per class, by dropped bits (0 lossless, 1..3 the lossy levels), built when first used. */
    private final Map<DataClass, HuffmanCode[]> writeCodes = new EnumMap<>(DataClass.class);
    private final Map<DataClass, long[]> calibration;
    private final MemorySystem memory;
    private final double dramPeakBytesPerS;
    private final LevelController levels;
    private long windowStartPs;
    private long windowDramBytes;
    private long windowDecoderBusyPs;
    private long windowEncoderBusyPs;
    private final AddressMap addresses;
    private final long[] rawCopyOffset;
    private final Map<Object, Long> tableAddress = new IdentityHashMap<>();
    private long nextTableAddress;
    private final TableSlots slots;
    private final NccCounters counters = new NccCounters();
    private final ArrayDeque<NccCommand> backlog = new ArrayDeque<>();
    private final ArrayDeque<Runnable> spaceWaiters = new ArrayDeque<>();
    private boolean waitingForQueue;
    private ProgramListener listener;

    /** Sees every instruction the driver gives the NCC, in order (for {@code nccsim trace compile}). */
    public interface ProgramListener {
        void instruction(Instruction instruction, String comment);
    }

    /**
     * @param tensors     the trace's tensor table
     * @param content     weight content by tensor id (null where the trace has none)
     * @param calibration symbol counts per data class from calibration data, from which the write-path tables are
     *                    built ahead of time; a class without calibration is not compressed on the write path
     */
    public NccDriver(Simulator sim, NccConfig config, MemorySystem memory, double dramPeakBytesPerS,
                     List<TensorInfo> tensors, IntFunction<WeightContent> content, Map<DataClass, long[]> calibration,
                     Stats stats) {
        this.sim = sim;
        this.memory = memory;
        this.dramPeakBytesPerS = dramPeakBytesPerS;
        this.calibration = calibration;
        this.config = config;
        this.core = new NccCore(sim, config, memory, counters, stats);
        this.format = new BlockFormat(config.huffman());
        this.weights = new CompressedWeights[tensors.size()];
        this.extents = new StoredExtents[tensors.size()];
        this.carry = new long[tensors.size()];
        java.util.Arrays.fill(carry, -1);
        this.slots = new TableSlots(Math.max(1, config.tables().slots()), config.tables().policy());
        boolean canDecode = config.decoder().present() && config.tables().slots() > 0;
        boolean canEncode = canDecode && config.encoder().present();
        if (canDecode && config.level(DataClass.WEIGHTS).compressed()) {
            for (TensorInfo t : tensors) {
                WeightContent c = content.apply(t.id());
                if (c != null && t.elementType().quantized() && t.role().dataClass() == DataClass.WEIGHTS) {
                    weights[t.id()] = new CompressedWeights(t, c, config.huffman().blockElements(),
                            config.huffman().maxCodeLength(), format);
                    checkFitsInputBuffer(t, weights[t.id()]);
                }
            }
        }
        for (DataClass dc : new DataClass[] {DataClass.ACTIVATIONS, DataClass.KV_CACHE}) {
            if (canEncode && calibration.get(dc) != null) {
                writeCodes.put(dc, new HuffmanCode[4]);
            }
        }
        Map<DataClass, Integer> configured = new EnumMap<>(DataClass.class);
        for (DataClass dc : DataClass.values()) {
            configured.put(dc, config.level(dc).code());
        }
        List<LayerCost> costs = new ArrayList<>();
        for (CompressedWeights w : weights) {
            if (w != null && w.tensor().layer() >= 0) {
                costs.add(new LayerCost(w.tensor().layer(), DataClass.WEIGHTS, w.tensor().payloadBytes(),
                        w.storedPayloadBytes() + w.code().tableBytes(), w.tensor().elements()));
            }
        }
        double decoderSymbolsPerS = config.decoder().symbolsPerCycleTotal() * config.clockHz()
                / config.decoder().lookupLatency();
        this.levels = new LevelController(config.adaptive(), configured, costs, decoderSymbolsPerS, dramPeakBytesPerS);
        for (Map.Entry<DataClass, io.nccsim.config.AdaptiveConfig.LevelRange> r
                : config.adaptive().ranges().entrySet()) {
            for (int l = Math.max(LEARNED_MIN, r.getValue().min()); l <= r.getValue().max(); l++) {
                if (config.neural().level(l) == null) {
                    throw new BadInputException("ncc.adaptive." + r.getKey().name().toLowerCase(java.util.Locale.ROOT)
                            + ": level " + l + " is a learned level, but ncc.neural defines no cost for it; add "
                            + "an entry to ncc.neural.levels (and a MAC array) or lower the range's max below 5");
                }
            }
        }
        this.rawCopyOffset = new long[tensors.size()];
        this.addresses = AddressMap.layout(tensors, t -> {
            CompressedWeights w = weights[t.id()];
            if (w == null) {
                return t.bytes();
            }
            rawCopyOffset[t.id()] = AddressMap.alignUp(w.storedBytes(), AddressMap.REGION_ALIGN_BYTES);
            return rawCopyOffset[t.id()] + t.bytes();
        });
        this.nextTableAddress = AddressMap.alignUp(addresses.totalBytes(), AddressMap.REGION_ALIGN_BYTES);
    }

    private void checkFitsInputBuffer(TensorInfo t, CompressedWeights w) {
        long largest = 0;
        for (int b = 0; b < w.blocks(); b++) {
            largest = Math.max(largest, w.storedBytes(b));
        }
        long need = largest + config.dma().chunkBytes();
        if (need > config.buffers().inputBytes()) {
            throw new BadInputException("ncc.buffers.input: " + config.buffers().inputBytes() + " B cannot hold "
                    + "a compressed block of " + t.name() + " (" + largest + " B) plus one DMA chunk ("
                    + config.dma().chunkBytes() + " B); raise it to at least " + need
                    + " B or lower ncc.huffman.block_elements");
        }
    }

    /** Sends the NCC hardware's work from now on (commands, DMA, blocks, table loads) to {@code l}; null: no one. */
    public void setHardwareListener(NccListener l) {
        core.setListener(l);
    }

    /** Sends every instruction issued from now on to {@code l} as well. */
    public void listen(ProgramListener l) {
        this.listener = l;
    }

    /** The stored form of a weight tensor, or null when it passes through uncompressed. */
    public CompressedWeights compressedWeights(int tensorId) {
        return weights[tensorId];
    }

    /**
     * The table the write path uses for a data class at a level, or null when that class has no calibration (or
     * the NCC cannot encode). Calibrated ahead of time from the prefill's writes with the level's low bits dropped;
     * every symbol gets a code (add-one smoothing), so data unlike the calibration still encodes.
     */
    public HuffmanCode writeCode(DataClass dc, int level) {
        HuffmanCode[] byDrop = writeCodes.get(dc);
        if (byDrop == null || level < 1) {
            return null;
        }
        int drop = LsbDrop.dropBitsOfLevel(level);
        if (byDrop[drop] == null) {
            long[] counts = LsbDrop.dropHistogram(calibration.get(dc), drop);
            long[] smoothed = counts.clone();
            for (int s = 0; s < smoothed.length; s++) {
                smoothed[s]++;
            }
            byDrop[drop] = HuffmanCode.build(smoothed, config.huffman().maxCodeLength());
        }
        return byDrop[drop];
    }

    /** The level controller: its decisions and time at each level go into the report. */
    public LevelController levels() {
        return levels;
    }

    /** Lets the level controller look at the window that has just ended (lazily, when a tile arrives). */
    private void observeWindow() {
        long now = sim.nowPs();
        if (now - windowStartPs < levels.windowPs()) {
            return;
        }
        long dramBytes = memory.counters().bytesRead() + memory.counters().bytesWritten();
        double seconds = (now - windowStartPs) * 1e-12;
        double span = now - windowStartPs;
        WindowStats w = new WindowStats(windowStartPs, now,
                Math.min(1, (dramBytes - windowDramBytes) / (dramPeakBytesPerS * seconds)),
                Math.min(1, core.bufferFill()),
                Math.min(1, (counters.decoderBusyPs - windowDecoderBusyPs) / span),
                Math.min(1, (counters.encoderBusyPs - windowEncoderBusyPs) / span));
        levels.observe(w);
        windowStartPs = now;
        windowDramBytes = dramBytes;
        windowDecoderBusyPs = counters.decoderBusyPs;
        windowEncoderBusyPs = counters.encoderBusyPs;
    }

    @Override
    public boolean offer(TileRequest tile) {
        if (!backlog.isEmpty() || core.freeEntries() == 0) {
            return false;
        }
        observeWindow();
        TileProgram p = new TileProgram(tile);
        TensorInfo t = tile.tensor();
        int level = levels.level(t.role().dataClass(), t.layer());
        if (tile.isWrite()) {
            if (tile.histogram() != null && canEncode(t.role().dataClass(), level)) {
                compileEncode(p, level);
            } else {
                compileCopy(p, Direction.WRITE, addresses.base(t.id()) + rawCopyOffset[t.id()], tile);
            }
        } else if (weights[t.id()] != null && level >= 1) {
            // Weights are stored once compressed (lossless) and once raw: any compressed level reads the former.
            compileWeightRead(p, weights[t.id()]);
        } else if (weights[t.id()] != null) {
            compileCopy(p, Direction.READ, addresses.base(t.id()) + rawCopyOffset[t.id()], tile);
        } else if (extents[t.id()] != null && !extents[t.id()].overlapping(tile.offsetBytes(), tile.endBytes())
                .isEmpty()) {
            compileExtentRead(p);
        } else {
            compileCopy(p, Direction.READ, addresses.base(t.id()), tile);
        }
        p.submit();
        return true;
    }

    // ---- compiling a tile into commands ----

    /** The commands of one tile; the tile completes when all of them have. */
    private final class TileProgram {
        final TileRequest tile;
        final List<NccCommand> commands = new ArrayList<>();
        int remaining;
        long lastDramPs = -1;

        TileProgram(TileRequest tile) {
            this.tile = tile;
        }

        NccCommand.Completion completion() {
            return dramPs -> {
                lastDramPs = Math.max(lastDramPs, dramPs);
                if (--remaining == 0) {
                    if (lastDramPs >= 0) {
                        tile.dramDonePs = lastDramPs;
                    }
                    tile.finish(sim.nowPs());
                }
            };
        }

        void add(Instruction in, long[] blockBytes, long[] blockSymbols, long symbols, long storedBytes) {
            DataClass dc = tile.tensor().role().dataClass();
            NccCommand c;
            if (in instanceof Instruction.Decompress d) {
                c = NccCommand.decompress(d, dc, blockBytes, blockSymbols, completion());
            } else if (in instanceof Instruction.Compress k) {
                c = NccCommand.compress(k, dc, symbols, storedBytes, completion());
            } else {
                c = NccCommand.plain(in, dc, completion());
            }
            commands.add(c);
        }

        void add(Instruction in) {
            add(in, null, null, 0, 0);
        }

        void submit() {
            remaining = commands.size();
            if (remaining == 0) {
                // Everything asked for is already decoded in the carry buffer: only the data crossing remains.
                sim.scheduleIn(2 * config.crossingPs(), () -> tile.finish(sim.nowPs()));
                return;
            }
            String note = tile.tensor().name() + (tile.isWrite() ? " write " : " read ") + tile.offsetBytes() + "+"
                    + tile.lengthBytes();
            for (NccCommand c : commands) {
                if (listener != null) {
                    listener.instruction(c.instruction, note);
                    note = null;
                }
                backlog.addLast(c);
            }
            feedQueue();
        }
    }

    private void feedQueue() {
        while (!backlog.isEmpty() && core.submit(backlog.peekFirst())) {
            backlog.pollFirst();
        }
        if (!backlog.isEmpty()) {
            if (!waitingForQueue) {
                waitingForQueue = true;
                core.whenQueueSpace(() -> {
                    waitingForQueue = false;
                    feedQueue();
                });
            }
            return;
        }
        for (int i = spaceWaiters.size(); i > 0 && !spaceWaiters.isEmpty(); i--) {
            spaceWaiters.pollFirst().run();
        }
    }

    /** The slot holding {@code table}, loading it first (a LOAD_TABLE in {@code p}) when it is not resident. */
    private int slotFor(TileProgram p, Object table, HuffmanCode code, int alphabetBits) {
        int slot = slots.lookup(table);
        if (slot >= 0) {
            return slot;
        }
        slot = slots.assign(table);
        long src = tableAddress.computeIfAbsent(table, k -> {
            long a = nextTableAddress;
            nextTableAddress += AddressMap.alignUp(code.tableBytes(), GRAIN);
            return a;
        });
        p.add(new Instruction.LoadTable(slot, src, (int) code.tableBytes(), alphabetBits));
        return slot;
    }

    private void compileWeightRead(TileProgram p, CompressedWeights w) {
        TileRequest tile = p.tile;
        TensorInfo t = tile.tensor();
        long base = addresses.base(t.id());
        long payloadEnd = Math.min(tile.endBytes(), t.payloadBytes());
        int elemBits = t.elementType().bits();
        if (tile.offsetBytes() < payloadEnd) {
            int first = w.blockOf(tile.offsetBytes());
            int last = w.blockOf(payloadEnd - 1);
            // The block decoded last is reused only by a tile that starts inside it, i.e. continues the tile before:
            // a tile starting at the block's first byte reads the tensor again (the next token's sweep), and
            // serving that from the NCC's buffer would be a cache the baseline does not get.
            boolean continues = tile.offsetBytes() > (long) first * w.rawBlockBytes();
            if (carry[t.id()] == first && continues) {
                first++; // already decoded, waiting in the carry buffer
            }
            if (first <= last) {
                int n = last - first + 1;
                long[] bytes = new long[n];
                long[] symbols = new long[n];
                long src = 0;
                long raw = 0;
                for (int b = first; b <= last; b++) {
                    bytes[b - first] = w.storedBytes(b);
                    symbols[b - first] = w.symbols(b);
                    src += w.storedBytes(b);
                    raw += Math.min(w.rawBlockBytes(), t.payloadBytes() - b * w.rawBlockBytes());
                }
                long rawRange = payloadEnd - tile.offsetBytes();
                long tableBytes = slots.resident(w) ? 0 : w.code().tableBytes();
                if (src + tableBytes >= rawRange) {
                    // A small read inside big blocks (an embedding row gathered by token id): fetching the blocks
                    // would move more bytes than the raw range, so the driver reads the raw copy instead.
                    addCopy(p, Direction.READ, base + rawCopyOffset[t.id()] + tile.offsetBytes(), rawRange, t);
                    counters.rawFallbackReads++;
                    first = last + 1; // nothing decoded; the carry buffer keeps what it had
                    last = (int) carry[t.id()];
                } else {
                    int slot = slotFor(p, w, w.code(), elemBits);
                    p.add(new Instruction.Decompress(base + w.storedOffset(first), transferBytes(src, t),
                            transferBytes(raw, t), slot, config.huffman().streams(), elemBits, 1), bytes, symbols,
                            0, 0);
                    counters.decodedRawBytes += raw;
                }
            }
            carry[t.id()] = last;
            counters.deliveredPayloadBytes += payloadEnd - tile.offsetBytes();
        }
        // Scales and zero points follow the payload uncompressed.
        long metaStart = Math.max(tile.offsetBytes(), t.payloadBytes());
        long metaBytes = tile.endBytes() - metaStart;
        if (metaBytes > 0) {
            long metaAddress = base + w.storedPayloadBytes() + (metaStart - t.payloadBytes());
            addCopy(p, Direction.READ, metaAddress, metaBytes, t);
        }
        counters.addTraffic(t.role(), tile.lengthBytes(), dramBytesRead(p));
    }

    private void compileExtentRead(TileProgram p) {
        TileRequest tile = p.tile;
        TensorInfo t = tile.tensor();
        DataClass dc = t.role().dataClass();
        long base = addresses.base(t.id()) + rawCopyOffset[t.id()];
        List<StoredExtents.Extent> parts = extents[t.id()].overlapping(tile.offsetBytes(), tile.endBytes());
        long pos = tile.offsetBytes();
        // As for weights: the carried extent serves only a tile that starts inside it (continues the tile before).
        int first = parts.get(0).rawOffset() == carry[t.id()] && tile.offsetBytes() > parts.get(0).rawOffset()
                ? 1 : 0;
        for (int i = 0; i < parts.size(); i++) {
            StoredExtents.Extent e = parts.get(i);
            if (e.rawOffset() > pos) {
                addCopy(p, Direction.READ, base + pos, e.rawOffset() - pos, t); // never written
            }
            counters.deliveredPayloadBytes += Math.min(e.rawEnd(), tile.endBytes()) - Math.max(e.rawOffset(), pos);
            pos = Math.max(pos, e.rawEnd());
            if (i < first) {
                continue;
            }
            counters.decodedRawBytes += e.rawBytes();
            if (e.level() >= LEARNED_MIN) {
                long src = alignDown(base + e.rawOffset());
                long srcBytes = e.storedBytes() + (base + e.rawOffset() - src);
                p.add(new Instruction.Decompress(src, transferBytes(srcBytes, t), transferBytes(e.rawBytes(), t), 0,
                        1, 8, e.level()), new long[] {srcBytes}, new long[] {e.symbols()}, 0, 0);
                continue;
            }
            HuffmanCode code = writeCode(dc, e.level());
            if (e.symbols() == 0 || code == null) {
                addCopy(p, Direction.READ, base + e.rawOffset(), e.rawBytes(), t); // stored raw
                continue;
            }
            long src = alignDown(base + e.rawOffset());
            long srcBytes = e.storedBytes() + (base + e.rawOffset() - src);
            int slot = slotFor(p, code, code, 8 - LsbDrop.dropBitsOfLevel(e.level()));
            p.add(new Instruction.Decompress(src, transferBytes(srcBytes, t), transferBytes(e.rawBytes(), t), slot,
                    config.huffman().streams(), 8, e.level()), new long[] {srcBytes}, new long[] {e.symbols()}, 0, 0);
        }
        if (pos < tile.endBytes()) {
            addCopy(p, Direction.READ, base + pos, tile.endBytes() - pos, t);
        }
        carry[t.id()] = parts.get(parts.size() - 1).rawOffset();
        counters.addTraffic(t.role(), tile.lengthBytes(), dramBytesRead(p));
    }

    /** Whether the write path can code data of class {@code dc} at {@code level}. */
    private boolean canEncode(DataClass dc, int level) {
        if (level >= LEARNED_MIN) {
            return config.encoder().present() && config.neural().level(level) != null;
        }
        return writeCode(dc, level) != null;
    }

    private void compileEncode(TileProgram p, int level) {
        TileRequest tile = p.tile;
        TensorInfo t = tile.tensor();
        DataClass dc = t.role().dataClass();
        long base = addresses.base(t.id()) + rawCopyOffset[t.id()];
        StoredExtents map = extents[t.id()];
        if (map == null) {
            map = extents[t.id()] = new StoredExtents();
        }
        long totalSymbols = 0;
        for (int c : tile.histogram()) {
            totalSymbols += c;
        }
        // Each piece is one block: the access's histogram is known only as a whole, so every piece is taken to code
        // at the access's mean bits per symbol.
        long pieceBytes = config.huffman().blockElements(); // int8 symbols: one byte each
        double bitsPerSymbol;
        int slot;
        int streams;
        boolean learned = level >= LEARNED_MIN;
        if (learned) {
            // The learned codec: its cost per value comes from the config until the codec defines it; it needs no
            // Huffman table (slot 0 is ignored) and codes each block as one stream on the MAC array.
            bitsPerSymbol = config.neural().level(level).bitsPerValue();
            slot = 0;
            streams = 1;
        } else {
            HuffmanCode code = writeCode(dc, level);
            int drop = LsbDrop.dropBitsOfLevel(level);
            int[] coded = LsbDrop.dropHistogram(tile.histogram(), drop);
            bitsPerSymbol = totalSymbols == 0 ? 0 : (double) code.codedBits(coded) / totalSymbols;
            slot = slotFor(p, code, code, 8 - drop);
            streams = config.huffman().streams();
        }
        long busBytes = 0;
        int sinceFence = 0;
        for (long off = tile.offsetBytes(); off < tile.endBytes(); off += pieceBytes) {
            long raw = Math.min(pieceBytes, tile.endBytes() - off);
            long symbols = Math.round((double) totalSymbols * raw / tile.lengthBytes());
            long codedBits = Math.round(bitsPerSymbol * symbols);
            long stored = learned ? AddressMap.alignUp((codedBits + 7) / 8, GRAIN) : format.storedBytes(codedBits);
            // A piece that would not shrink is stored raw: the extent map then records it uncompressed.
            boolean compressed = stored < raw;
            long written = compressed ? stored : raw;
            map.put(new StoredExtents.Extent(off, raw, written, compressed ? symbols : 0, compressed ? level : 0));
            if (carry[t.id()] == off) {
                carry[t.id()] = -1; // the carried copy is stale now
            }
            long dst = alignDown(base + off);
            p.add(new Instruction.Compress(dst, transferBytes(raw, t), slot, streams, 8, level),
                    null, null, symbols, written);
            busBytes += written;
            if (++sinceFence == NccCore.MAX_LENGTHS_PER_FENCE) {
                addLengthReadback(p, sinceFence);
                sinceFence = 0;
            }
        }
        if (sinceFence > 0) {
            addLengthReadback(p, sinceFence);
        }
        counters.addTraffic(t.role(), tile.lengthBytes(), busBytes);
    }

    /** FENCE, then one READ_COUNTER per COMPRESS since the last FENCE: the driver learns where each piece ends. */
    private void addLengthReadback(TileProgram p, int pieces) {
        p.add(new Instruction.Fence());
        for (int i = 0; i < pieces; i++) {
            p.add(new Instruction.ReadCounter(NccCore.FIRST_LENGTH_COUNTER + i));
        }
    }

    private void compileCopy(TileProgram p, Direction dir, long regionBase, TileRequest tile) {
        long bus = addCopy(p, dir, regionBase + tile.offsetBytes(), tile.lengthBytes(), tile.tensor());
        counters.tilesBypassed++;
        counters.addTraffic(tile.tensor().role(), tile.lengthBytes(), bus);
    }

    /** Bytes a read program moves from DRAM: compressed blocks, tables and raw copies. */
    private static long dramBytesRead(TileProgram p) {
        long bytes = 0;
        for (NccCommand c : p.commands) {
            if (c.instruction instanceof Instruction.Decompress d) {
                bytes += d.srcBytes();
            } else if (c.instruction instanceof Instruction.LoadTable lt) {
                bytes += lt.bytes();
            } else if (c.instruction instanceof Instruction.Copy k) {
                bytes += k.bytes();
            }
        }
        return bytes;
    }

    /** A COPY of {@code bytes} at {@code address}, widened to the 32 B grain; returns the bytes it moves. */
    private long addCopy(TileProgram p, Direction dir, long address, long bytes, TensorInfo t) {
        long start = alignDown(address);
        long len = AddressMap.alignUp(address + bytes, GRAIN) - start;
        p.add(new Instruction.Copy(dir, start, transferBytes(len, t)));
        return len;
    }

    private static long alignDown(long address) {
        return address / GRAIN * GRAIN;
    }

    private static int transferBytes(long bytes, TensorInfo t) {
        if (bytes > Limits.MAX_TRANSFER_BYTES) {
            throw new BadInputException("processor.tile: a transfer of " + bytes + " B for " + t.name()
                    + " exceeds the NCC's largest command (" + Limits.MAX_TRANSFER_BYTES + " B); use a smaller tile");
        }
        return (int) bytes;
    }

    // ---- back-pressure ----

    @Override
    public void whenSpace(Runnable waiter) {
        if (backlog.isEmpty() && core.freeEntries() > 0) {
            waiter.run();
            return;
        }
        if (backlog.isEmpty()) {
            core.whenQueueSpace(waiter);
        } else {
            spaceWaiters.addLast(waiter);
        }
    }

    @Override
    public NccCounters counters() {
        return counters;
    }

    /** The hardware, for tests and the report. */
    NccCore core() {
        return core;
    }
}
