package io.nccsim.ncc;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.config.NccConfig;
import io.nccsim.dram.AddressMap;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemorySystem;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.WeightContent;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The lossless Huffman NCC: weights are stored Huffman-coded and decoded on the read path; activations and the
 * KV cache, where their level says lossless and the trace carries their content, are encoded on the write path and
 * decoded when read back. Everything else passes through.
 *
 * <p>Timing, per tile: the DMA engine fetches the stored (compressed) bytes in one transfer; as each block's bytes
 * arrive, the decoder, {@code lanes} lanes of {@code symbols_per_cycle} symbols each fed by the block's parallel
 * streams, decodes the block in {@code ceil(symbols / (lanes * symbols_per_cycle))} NCC cycles starting on an NCC
 * clock edge, one block after another; the pipeline depth adds latency, not occupancy; two clock-domain crossings
 * (command in, data out) add latency. The decoder works on whole blocks: a tile that covers part of a block
 * decodes all of it, and the block decoded last for each tensor stays in a carry buffer so that the next tile, if it
 * continues inside that block, does not fetch it again (a new sweep of the tensor fetches it again).
 *
 * <p>Back-pressure: a tile is accepted only while its raw bytes fit in the data buffer (one tile always fits when
 * the buffer is empty) and the memory controller takes its DMA request.
 */
public final class HuffmanNcc implements Ncc {
    private final Simulator sim;
    private final NccConfig config;
    private final MemorySystem memory;
    private final ClockDomain clock;
    private final BlockFormat format;
    private final CompressedWeights[] weights;
    private final StoredExtents[] extents;
    private final long[] carry;
    private final Map<DataClass, HuffmanCode> writeCodes = new EnumMap<>(DataClass.class);
    private final AddressMap addresses;
    private final BypassNcc passThrough;
    private final TableCache tables;
    private final NccCounters counters = new NccCounters();
    private final Credits buffer;
    private final long decodeCrossingsPs;
    private boolean refusedByMemory;
    private long decoderFreePs;
    private long encoderFreePs;

    /**
     * @param tensors     the trace's tensor table
     * @param content     weight content by tensor id (null where the trace has none)
     * @param calibration symbol counts per data class from calibration data, from which the write-path tables are
     *                    built ahead of time; a class without calibration is not compressed on the write path
     */
    public HuffmanNcc(Simulator sim, NccConfig config, MemorySystem memory, List<TensorInfo> tensors,
                      IntFunction<WeightContent> content, Map<DataClass, long[]> calibration, Stats stats) {
        this.sim = sim;
        this.config = config;
        this.memory = memory;
        this.clock = new ClockDomain("ncc", config.clockHz());
        this.format = new BlockFormat(config.huffman());
        this.weights = new CompressedWeights[tensors.size()];
        this.extents = new StoredExtents[tensors.size()];
        this.carry = new long[tensors.size()];
        java.util.Arrays.fill(carry, -1);
        this.tables = new TableCache(config.tableSlots());
        this.buffer = new Credits(sim, "ncc.buffer_bytes", config.bufferBytes(), true, stats);
        this.decodeCrossingsPs = 2 * config.crossingPs();
        if (config.level(DataClass.WEIGHTS) == NccConfig.Level.LOSSLESS) {
            for (TensorInfo t : tensors) {
                WeightContent c = content.apply(t.id());
                if (c != null && t.elementType().quantized() && t.role().dataClass() == DataClass.WEIGHTS) {
                    weights[t.id()] = new CompressedWeights(t, c, config.huffman().blockElements(),
                            config.huffman().maxCodeLength(), format);
                }
            }
        }
        for (DataClass dc : new DataClass[] {DataClass.ACTIVATIONS, DataClass.KV_CACHE}) {
            long[] counts = calibration.get(dc);
            if (config.level(dc) == NccConfig.Level.LOSSLESS && counts != null) {
                // Every symbol gets a code (add-one smoothing), so data unlike the calibration still encodes.
                long[] smoothed = counts.clone();
                for (int s = 0; s < smoothed.length; s++) {
                    smoothed[s]++;
                }
                writeCodes.put(dc, HuffmanCode.build(smoothed, config.huffman().maxCodeLength()));
            }
        }
        this.addresses = AddressMap.layout(tensors,
                t -> weights[t.id()] == null ? t.bytes() : Math.max(t.bytes(), weights[t.id()].storedBytes()));
        this.passThrough = new BypassNcc(sim, memory, addresses, counters);
    }

    /** The stored form of a weight tensor, or null when it passes through uncompressed. */
    public CompressedWeights compressedWeights(int tensorId) {
        return weights[tensorId];
    }

    /** The table the write path uses for a data class, or null when that class is not compressed. */
    public HuffmanCode writeCode(DataClass dc) {
        return writeCodes.get(dc);
    }

    @Override
    public boolean offer(TileRequest tile) {
        TensorInfo t = tile.tensor();
        if (tile.isWrite()) {
            HuffmanCode code = writeCodes.get(t.role().dataClass());
            if (code != null && tile.histogram() != null) {
                return encode(tile, code);
            }
            return passThrough(tile);
        }
        if (weights[t.id()] != null) {
            return decodeWeights(tile, weights[t.id()]);
        }
        if (extents[t.id()] != null) {
            return decodeExtents(tile, extents[t.id()]);
        }
        return passThrough(tile);
    }

    private boolean bufferFull(long bytes) {
        refusedByMemory = false;
        return !buffer.canAcquire(bytes);
    }

    private boolean passThrough(TileRequest tile) {
        boolean ok = passThrough.offer(tile);
        refusedByMemory = !ok;
        return ok;
    }

    // ---- read path: weights stored as compressed blocks ----

    private boolean decodeWeights(TileRequest tile, CompressedWeights w) {
        if (bufferFull(tile.lengthBytes())) {
            return false;
        }
        TensorInfo t = tile.tensor();
        long payloadEnd = Math.min(tile.endBytes(), t.payloadBytes());
        long metaBytes = Math.max(0, tile.endBytes() - Math.max(tile.offsetBytes(), t.payloadBytes()));
        Pieces pieces = new Pieces();
        long decodedRaw = 0;
        long address = addresses.base(t.id()) + w.storedPayloadBytes();
        int lastBlock = -1;
        if (tile.offsetBytes() < payloadEnd) {
            int first = w.blockOf(tile.offsetBytes());
            lastBlock = w.blockOf(payloadEnd - 1);
            // The block decoded last is reused only by a tile that starts inside it, i.e. continues the tile before:
            // a tile starting at the block's first byte reads the tensor again (the next token's sweep), and
            // serving that from the NCC's buffer would be a cache the baseline does not get.
            boolean continues = tile.offsetBytes() > (long) first * w.rawBlockBytes();
            if (carry[t.id()] == first && continues) {
                first++; // already decoded, waiting in the carry buffer
            }
            if (first <= lastBlock) {
                address = addresses.base(t.id()) + w.storedOffset(first);
            }
            for (int b = first; b <= lastBlock; b++) {
                pieces.add(w.storedBytes(b) + config.huffman().indexEntryBytes(), w.symbols(b));
                decodedRaw += Math.min(w.rawBlockBytes(), t.payloadBytes() - b * w.rawBlockBytes());
            }
        }
        pieces.add(metaBytes, 0); // scales and zero points pass through undecoded
        boolean tableMiss = pieces.symbols > 0 && !tables.resident(w);
        long tableBytes = tableMiss ? w.code().tableBytes() : 0;
        pieces.addFirst(tableBytes); // a missing table is loaded ahead of the blocks that need it
        if (!issueRead(tile, address, pieces)) {
            return false;
        }
        if (pieces.symbols > 0) {
            tables.use(w);
        }
        if (tableMiss) {
            counters.tableLoads++;
            counters.tableBytesLoaded += tableBytes;
            counters.sramBytesWritten += tableBytes;
        }
        if (lastBlock >= 0) {
            carry[t.id()] = lastBlock;
        }
        counters.decodedRawBytes += decodedRaw;
        counters.deliveredPayloadBytes += Math.max(0, payloadEnd - tile.offsetBytes());
        counters.addTraffic(DataClass.WEIGHTS, tile.lengthBytes(), pieces.bytes);
        return true;
    }

    // ---- read path: data the NCC itself wrote compressed (KV cache, activations) ----

    private boolean decodeExtents(TileRequest tile, StoredExtents stored) {
        List<StoredExtents.Extent> parts = stored.overlapping(tile.offsetBytes(), tile.endBytes());
        if (parts.isEmpty()) {
            return passThrough(tile);
        }
        if (bufferFull(tile.lengthBytes())) {
            return false;
        }
        TensorInfo t = tile.tensor();
        Pieces pieces = new Pieces();
        long decodedRaw = 0;
        long covered = 0;
        // As for weights: the carried extent serves only a tile that starts inside it (continues the tile before).
        int first = parts.get(0).rawOffset() == carry[t.id()] && tile.offsetBytes() > parts.get(0).rawOffset()
                ? 1 : 0;
        for (int i = 0; i < parts.size(); i++) {
            StoredExtents.Extent e = parts.get(i);
            covered += Math.min(e.rawEnd(), tile.endBytes()) - Math.max(e.rawOffset(), tile.offsetBytes());
            if (i >= first) {
                pieces.add(e.storedBytes(), e.symbols());
                decodedRaw += e.rawBytes();
            }
        }
        pieces.add(tile.lengthBytes() - covered, 0); // never-written gaps are read as they are
        long address = addresses.base(t.id()) + Math.min(tile.offsetBytes(), parts.get(0).rawOffset());
        if (!issueRead(tile, address, pieces)) {
            return false;
        }
        carry[t.id()] = parts.get(parts.size() - 1).rawOffset();
        counters.decodedRawBytes += decodedRaw;
        counters.deliveredPayloadBytes += covered;
        counters.addTraffic(t.role().dataClass(), tile.lengthBytes(), pieces.bytes);
        return true;
    }

    /**
     * What one DMA read brings in, in order: pieces of stored bytes, each with the symbols the decoder must decode
     * from it (a compressed block or extent), or none (a table, metadata, a raw gap).
     */
    private static final class Pieces {
        private long[] pieceBytes = new long[8];
        private long[] pieceSymbols = new long[8];
        private int count;
        long bytes;
        long symbols;

        void add(long b, long s) {
            if (b <= 0) {
                return;
            }
            if (count == pieceBytes.length) {
                pieceBytes = java.util.Arrays.copyOf(pieceBytes, count * 2);
                pieceSymbols = java.util.Arrays.copyOf(pieceSymbols, count * 2);
            }
            pieceBytes[count] = b;
            pieceSymbols[count] = s;
            count++;
            bytes += b;
            symbols += s;
        }

        void addFirst(long b) {
            if (b <= 0) {
                return;
            }
            add(b, 0);
            System.arraycopy(pieceBytes, 0, pieceBytes, 1, count - 1);
            System.arraycopy(pieceSymbols, 0, pieceSymbols, 1, count - 1);
            pieceBytes[0] = b;
            pieceSymbols[0] = 0;
        }
    }

    /**
     * Issues the DMA read for a tile and decodes its pieces as they stream in: the bytes of a transfer arrive evenly
     * between its first and last byte, so a block can be decoded as soon as its own bytes are in, while later
     * blocks are still on the bus. The tile is delivered when its last block is decoded.
     */
    private boolean issueRead(TileRequest tile, long address, Pieces pieces) {
        DataClass dc = tile.tensor().role().dataClass();
        if (pieces.bytes == 0) {
            // Everything asked for is already decoded in the carry buffer: only the data crossing remains.
            buffer.tryAcquire(tile.lengthBytes());
            sim.scheduleIn(decodeCrossingsPs, () -> deliver(tile));
            return true;
        }
        MemRequest[] holder = new MemRequest[1];
        MemRequest dma = new MemRequest(address, pieces.bytes, false, dc, () -> {
            long now = sim.nowPs();
            tile.dramDonePs = now;
            long lastDecodedPs = now;
            if (pieces.symbols > 0) {
                lastDecodedPs = decodeStreaming(pieces, holder[0].firstDataPs(), now);
            }
            sim.scheduleAt(lastDecodedPs + clock.cyclesToPs(config.decoder().pipelineDepth()) + decodeCrossingsPs,
                    () -> deliver(tile));
        });
        holder[0] = dma;
        if (!memory.offer(dma)) {
            refusedByMemory = true;
            return false;
        }
        buffer.tryAcquire(tile.lengthBytes());
        counters.tilesDecoded++;
        counters.symbolsDecoded += pieces.symbols;
        // Compressed bytes pass through the input buffer, decoded bytes through the output buffer.
        counters.sramBytesWritten += pieces.bytes + tile.lengthBytes();
        counters.sramBytesRead += pieces.bytes + tile.lengthBytes();
        return true;
    }

    /** Runs the decoder over the pieces of one transfer; returns when the last symbol left it. */
    private long decodeStreaming(Pieces p, long firstDataPs, long lastDataPs) {
        double span = Math.max(0, lastDataPs - firstDataPs);
        long arrived = 0;
        long end = lastDataPs;
        for (int i = 0; i < p.count; i++) {
            arrived += p.pieceBytes[i];
            if (p.pieceSymbols[i] == 0) {
                continue;
            }
            long availablePs = firstDataPs + Math.round(span * arrived / p.bytes);
            long start = clock.nextEdgePs(Math.max(availablePs, decoderFreePs));
            long busyPs = clock.cyclesToPs(ceilDiv(p.pieceSymbols[i], config.decoder().symbolsPerCycleTotal()));
            decoderFreePs = start + busyPs;
            counters.decoderBusyPs += busyPs;
            end = Math.max(end, decoderFreePs);
        }
        return end;
    }

    private void deliver(TileRequest tile) {
        tile.finish(sim.nowPs());
        buffer.release(tile.lengthBytes());
    }

    // ---- write path ----

    private boolean encode(TileRequest tile, HuffmanCode code) {
        if (bufferFull(tile.lengthBytes())) {
            return false;
        }
        TensorInfo t = tile.tensor();
        DataClass dc = t.role().dataClass();
        long symbols = 0;
        for (int c : tile.histogram()) {
            symbols += c;
        }
        long stored = format.storedBytes(code.codedBits(tile.histogram()));
        // A block that would not shrink is stored raw: the extent map then records it uncompressed.
        boolean compressed = stored < tile.lengthBytes();
        long busBytes = compressed ? stored : tile.lengthBytes();
        StoredExtents map = extents[t.id()];
        if (map == null) {
            map = extents[t.id()] = new StoredExtents();
        }
        map.put(new StoredExtents.Extent(tile.offsetBytes(), tile.lengthBytes(), busBytes,
                compressed ? symbols : 0));
        if (carry[t.id()] == tile.offsetBytes()) {
            carry[t.id()] = -1; // the carried copy is stale now
        }
        buffer.tryAcquire(tile.lengthBytes());
        long arrival = sim.nowPs() + config.crossingPs();
        long start = clock.nextEdgePs(Math.max(arrival, encoderFreePs));
        long busyPs = clock.cyclesToPs(ceilDiv(symbols, config.encoder().symbolsPerCycleTotal()));
        encoderFreePs = start + busyPs;
        counters.encoderBusyPs += busyPs;
        counters.tilesEncoded++;
        counters.symbolsEncoded += symbols;
        counters.sramBytesWritten += tile.lengthBytes() + busBytes;
        counters.sramBytesRead += tile.lengthBytes() + busBytes;
        counters.addTraffic(dc, tile.lengthBytes(), busBytes);
        long encodedPs = encoderFreePs + clock.cyclesToPs(config.encoder().pipelineDepth());
        long address = addresses.base(t.id()) + tile.offsetBytes();
        sim.scheduleAt(encodedPs, () -> writeBack(tile, new MemRequest(address, busBytes, true, dc, () -> {
            tile.dramDonePs = sim.nowPs();
            deliver(tile);
        })));
        return true;
    }

    private void writeBack(TileRequest tile, MemRequest write) {
        if (!memory.offer(write)) {
            memory.whenSpace(() -> writeBack(tile, write));
        }
    }

    // ---- back-pressure ----

    @Override
    public void whenSpace(Runnable waiter) {
        // The waiter retries when what refused the last offer frees up: the memory controller's queue, or the
        // data buffer when a tile is delivered.
        if (refusedByMemory) {
            memory.whenSpace(waiter);
        } else {
            buffer.whenAvailable(waiter);
        }
    }

    @Override
    public NccCounters counters() {
        return counters;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
