package io.nccsim.ncc;

import io.nccsim.config.NccConfig;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemorySystem;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.isa.Direction;
import io.nccsim.isa.Instruction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The NCC hardware, executing commands of its instruction set cycle by cycle on the discrete-event engine.
 *
 * <p>Blocks, in the order a command meets them:
 * <ul>
 * <li><b>Command queue</b> ({@code ncc.commands.entries}): a command crosses from the processor's clock domain
 *     ({@code crossing_latency}) into the queue; the driver waits while the queue is full.</li>
 * <li><b>Front end</b>: decodes the command at the head in {@code decode_cycles} NCC cycles, then dispatches it
 *     when what it needs is free: room in the output buffer for the raw bytes it moves (DECOMPRESS, COPY,
 *     COMPRESS), no earlier command still decoding with the table slot a LOAD_TABLE replaces, everything earlier
 *     completed (FENCE). Dispatch is in order; a command that cannot start holds up those behind it.</li>
 * <li><b>DMA engine</b>: cuts every transfer into requests of at most {@code ncc.dma.chunk} bytes and keeps up to
 *     {@code max_outstanding} of them at the memory controller, in dispatch order. Read data crosses from the
 *     memory controller's clock domain into the NCC's ({@code crossing_latency}) before it is used. Compressed bytes land in the
 *     input buffer, and a request is issued only when they fit: a full input buffer stops the DMA engine.</li>
 * <li><b>Table SRAM</b> ({@code ncc.tables}): LOAD_TABLE reads the table from DRAM and writes it at
 *     {@code write_bytes_per_cycle}; a block coded with a slot that is still loading waits for it.</li>
 * <li><b>Decoder</b>: decodes the blocks of all DECOMPRESS commands in order, one block at a time, as soon as the
 *     block's bytes are in the input buffer. A block of {@code n} symbols in {@code s} streams occupies
 *     {@code ceil(s / lanes)} rounds of {@code ceil(ceil(n / s) / symbols_per_cycle) * lookup_latency} cycles (each
 *     lane works through one stream; a lookup must finish before the next code of the same stream can be found),
 *     and no fewer than its compressed bytes over the input buffer's read bandwidth. Its input bytes are freed when
 *     it is done. A command completes {@code pipeline_depth} cycles after its last block, plus the crossing back to
 *     the processor.</li>
 * <li><b>Encoder</b>: the same arithmetic for COMPRESS on the write path, then the DMA engine writes the result.</li>
 * </ul>
 */
public final class NccCore {
    private final Simulator sim;
    private final NccConfig config;
    private final MemorySystem memory;
    private final ClockDomain clock;
    private final NccCounters counters;

    private final ArrayDeque<NccCommand> queue = new ArrayDeque<>();
    private final ArrayDeque<Runnable> queueWaiters = new ArrayDeque<>();
    private int queueHeld; // entries taken: crossing into the queue or waiting in it
    private boolean frontEndBusy;
    private int inFlight; // dispatched, not completed

    private final Credits inputBuffer;
    private final Credits outputBuffer;
    private final int[] slotUsers = new int[256];
    private final long[] slotReadyPs = new long[256];

    private final ArrayDeque<Chunk> dmaQueue = new ArrayDeque<>();
    private int dmaOutstanding;
    private boolean dmaWaitingForMemory;
    private boolean dmaWaitingForBuffer;

    private final ArrayDeque<DecodeJob> decodeJobs = new ArrayDeque<>();
    private final ArrayDeque<PendingEncode> encodeWaiting = new ArrayDeque<>();

    /** A COMPRESS whose raw bytes arrive at {@code arrivalPs}, waiting for its table. */
    private record PendingEncode(NccCommand command, Instruction.Compress compress, long arrivalPs) {
    }
    private long decoderFreePs;
    private long neuralFreePs;
    private long encoderFreePs;
    private long lastCompressedBytes;
    /** Lengths of the COMPRESS commands dispatched since the last FENCE, in order. */
    private final List<Long> compressLengths = new ArrayList<>();
    /** The same, as the last FENCE found them: what counters 16, 17, ... return. */
    private List<Long> fencedLengths = List.of();
    private boolean waitingForOutput;
    private NccListener listener; // null when nobody listens

    public NccCore(Simulator sim, NccConfig config, MemorySystem memory, NccCounters counters, Stats stats) {
        this.sim = sim;
        this.config = config;
        this.memory = memory;
        this.clock = new ClockDomain("ncc", config.clockHz());
        this.counters = counters;
        // Oversized when empty: a transfer larger than a buffer streams through it rather than deadlock.
        this.inputBuffer = new Credits(sim, "ncc.input_buffer_bytes", config.buffers().inputBytes(), true, stats);
        this.outputBuffer = new Credits(sim, "ncc.output_buffer_bytes", config.buffers().outputBytes(), true, stats);
    }

    public ClockDomain clock() {
        return clock;
    }

    /** Sends the hardware's work from now on to {@code l} (null: to no one). */
    void setListener(NccListener l) {
        this.listener = l;
    }

    /** Free command queue entries. */
    int freeEntries() {
        return config.commands().entries() - queueHeld;
    }

    /** Whether nothing is queued or running. */
    boolean idle() {
        return queueHeld == 0 && inFlight == 0;
    }

    /** Takes {@code c} into the command queue, or returns false when the queue is full. */
    boolean submit(NccCommand c) {
        if (queueHeld >= config.commands().entries()) {
            return false;
        }
        queueHeld++;
        sim.scheduleIn(config.crossingPs(), () -> {
            queue.addLast(c);
            pumpFrontEnd();
        });
        return true;
    }

    /** Runs {@code waiter} once, when a command queue entry frees up. */
    void whenQueueSpace(Runnable waiter) {
        queueWaiters.addLast(waiter);
    }

    // ---- front end ----

    private void pumpFrontEnd() {
        while (!frontEndBusy && !queue.isEmpty()) {
            NccCommand c = queue.peekFirst();
            if (!c.decoded) {
                frontEndBusy = true;
                long decodedPs = clock.nextEdgePs(sim.nowPs()) + clock.cyclesToPs(config.commands().decodeCycles());
                sim.scheduleAt(decodedPs, () -> {
                    frontEndBusy = false;
                    c.decoded = true;
                    pumpFrontEnd();
                });
                return;
            }
            if (!canStart(c)) {
                return; // retried by whatever frees the resource: a buffer release, a completion
            }
            queue.pollFirst();
            queueHeld--;
            counters.commandsExecuted++;
            counters.opcodeCounts[c.instruction.opcode().ordinal()]++;
            start(c);
            for (int i = queueWaiters.size(); i > 0 && !queueWaiters.isEmpty(); i--) {
                queueWaiters.pollFirst().run();
            }
        }
    }

    private boolean canStart(NccCommand c) {
        Instruction in = c.instruction;
        if (in instanceof Instruction.Fence) {
            return inFlight == 0;
        }
        if (in instanceof Instruction.LoadTable t) {
            return slotUsers[t.slot()] == 0;
        }
        long raw = rawBytes(in);
        if (raw > 0 && !outputBuffer.canAcquire(raw)) {
            if (!waitingForOutput) {
                waitingForOutput = true;
                outputBuffer.whenAvailable(() -> {
                    waitingForOutput = false;
                    pumpFrontEnd();
                });
            }
            return false;
        }
        return true;
    }

    /** Raw bytes a command moves between the NCC and the processor, held in the output buffer while it runs. */
    private static long rawBytes(Instruction in) {
        if (in instanceof Instruction.Decompress d) {
            return d.dstBytes();
        }
        if (in instanceof Instruction.Compress c) {
            return c.srcBytes();
        }
        if (in instanceof Instruction.Copy c) {
            return c.bytes();
        }
        return 0;
    }

    private void start(NccCommand c) {
        inFlight++;
        c.dispatchedPs = sim.nowPs();
        Instruction in = c.instruction;
        long raw = rawBytes(in);
        if (raw > 0) {
            outputBuffer.tryAcquire(raw);
        }
        if (in instanceof Instruction.Config) {
            complete(c, sim.nowPs(), 0);
        } else if (in instanceof Instruction.Fence) {
            fencedLengths = List.copyOf(compressLengths);
            compressLengths.clear();
            complete(c, sim.nowPs(), 0);
        } else if (in instanceof Instruction.ReadCounter) {
            complete(c, sim.nowPs() + config.crossingPs(), 0); // the response crosses back to the processor
        } else if (in instanceof Instruction.LoadTable t) {
            startLoadTable(c, t);
        } else if (in instanceof Instruction.Decompress d) {
            startDecompress(c, d);
        } else if (in instanceof Instruction.Compress k) {
            startCompress(c, k);
        } else if (in instanceof Instruction.Copy k) {
            startCopy(c, k);
        } else {
            throw new IllegalStateException("no execution for " + in.opcode());
        }
    }

    /** Completes {@code c} at {@code atPs}, handing back {@code raw} output-buffer bytes. */
    private void complete(NccCommand c, long atPs, long raw) {
        if (listener != null) {
            listener.command(c.instruction, c.dispatchedPs, Math.max(atPs, sim.nowPs()));
        }
        sim.scheduleAt(Math.max(atPs, sim.nowPs()), () -> {
            inFlight--;
            if (raw > 0) {
                outputBuffer.release(raw);
            }
            c.onComplete.completed(c.lastDramPs);
            pumpFrontEnd(); // a FENCE or a LOAD_TABLE may be waiting for this
        });
    }

    // ---- LOAD_TABLE ----

    private void startLoadTable(NccCommand c, Instruction.LoadTable t) {
        slotReadyPs[t.slot()] = Long.MAX_VALUE;
        counters.tableLoads++;
        counters.tableBytesLoaded += t.bytes();
        dma(c, t.src(), t.bytes(), false, false, null, () -> {
            long writeCycles = ceilDiv(t.bytes(), config.tables().writeBytesPerCycle());
            long ready = clock.nextEdgePs(sim.nowPs()) + clock.cyclesToPs(writeCycles);
            slotReadyPs[t.slot()] = ready;
            if (listener != null) {
                listener.tableLoaded(t.slot(), t.bytes(), c.dispatchedPs, ready);
            }
            complete(c, ready, 0);
            sim.scheduleAt(ready, () -> {
                pumpDecoder();
                pumpEncoder();
            });
        });
    }

    // ---- DECOMPRESS ----

    /** The blocks of one DECOMPRESS, decoded in order as their bytes arrive. */
    private final class DecodeJob {
        final NccCommand command;
        final int slot;
        final int streams;
        final int level;
        final boolean learned; // decoded by the neural datapath, not the Huffman lanes
        final long[] blockEnd; // stored offset of each block's end within the transfer
        long arrivedPrefix;    // bytes from the start of the transfer that have all arrived
        int nextBlock;
        long lastBlockDonePs;
        private final boolean[] chunkDone;
        private int firstMissingChunk;

        DecodeJob(NccCommand command, int slot, int streams, int chunks) {
            this.command = command;
            this.slot = slot;
            this.streams = streams;
            this.level = ((Instruction.Decompress) command.instruction).level();
            this.learned = config.neural().level(level) != null;
            this.blockEnd = new long[command.blockStoredBytes.length];
            long end = 0;
            for (int b = 0; b < blockEnd.length; b++) {
                end += command.blockStoredBytes[b];
                blockEnd[b] = end;
            }
            this.chunkDone = new boolean[chunks];
        }

        /** Chunks may complete out of order; blocks become decodable as the contiguous prefix grows. */
        void chunkArrived(int index) {
            chunkDone[index] = true;
            while (firstMissingChunk < chunkDone.length && chunkDone[firstMissingChunk]) {
                firstMissingChunk++;
            }
            arrivedPrefix = Math.min(blockEnd[blockEnd.length - 1], firstMissingChunk * config.dma().chunkBytes());
        }
    }

    private void startDecompress(NccCommand c, Instruction.Decompress d) {
        slotUsers[d.slot()]++;
        int chunks = (int) ceilDiv(d.srcBytes(), config.dma().chunkBytes());
        DecodeJob job = new DecodeJob(c, d.slot(), d.streams(), chunks);
        decodeJobs.addLast(job);
        counters.tilesDecoded++;
        dma(c, d.src(), d.srcBytes(), false, true, job, null);
    }

    private void pumpDecoder() {
        while (!decodeJobs.isEmpty()) {
            DecodeJob job = decodeJobs.peekFirst();
            long now = sim.nowPs();
            if (!job.learned && slotReadyPs[job.slot] > now) {
                return; // woken when the table load finishes
            }
            while (job.nextBlock < job.blockEnd.length && job.blockEnd[job.nextBlock] <= job.arrivedPrefix) {
                decodeBlock(job, job.nextBlock++, now);
            }
            if (job.nextBlock < job.blockEnd.length) {
                return; // woken when more bytes arrive
            }
            decodeJobs.pollFirst();
            finishDecompress(job);
        }
    }

    private void decodeBlock(DecodeJob job, int b, long availablePs) {
        NccConfig.Pipeline dec = config.decoder();
        long symbols = job.command.blockSymbols[b];
        long stored = job.command.blockStoredBytes[b];
        if (job.learned) {
            decodeLearnedBlock(job, b, availablePs, symbols, stored);
            return;
        }
        long perStream = ceilDiv(symbols, job.streams);
        long lookupsPerStream = ceilDiv(perStream, dec.symbolsPerCycle());
        long rounds = ceilDiv(job.streams, dec.lanes());
        long cycles = Math.max(rounds * lookupsPerStream * dec.lookupLatency(),
                ceilDiv(stored, config.buffers().bytesPerCycle()));
        long start = clock.nextEdgePs(Math.max(availablePs, decoderFreePs));
        long busyPs = clock.cyclesToPs(cycles);
        decoderFreePs = start + busyPs;
        job.lastBlockDonePs = decoderFreePs;
        counters.decoderBusyPs += busyPs;
        counters.symbolsDecoded += symbols;
        counters.tableLookups += lookupsPerStream * Math.min(job.streams, symbols);
        counters.sramBytesRead += stored;                // compressed bytes out of the input buffer
        counters.sramBytesWritten += decodedBytes(job, b); // decoded bytes into the output buffer
        if (listener != null) {
            listener.blockDecoded(b, job.blockEnd.length, symbols, stored, false, start, decoderFreePs);
        }
        sim.scheduleAt(decoderFreePs, () -> releaseInput(stored));
    }

    /** A block of a learned level: the MAC array runs the codec's decoder, {@code macs_per_value} per value. */
    private void decodeLearnedBlock(DecodeJob job, int b, long availablePs, long values, long stored) {
        long macs = values * config.neural().level(job.level).macsPerValue();
        long cycles = Math.max(ceilDiv(macs, config.neural().macsPerCycle()),
                ceilDiv(stored, config.buffers().bytesPerCycle()));
        long start = clock.nextEdgePs(Math.max(availablePs, neuralFreePs));
        long busyPs = clock.cyclesToPs(cycles);
        neuralFreePs = start + busyPs;
        job.lastBlockDonePs = Math.max(job.lastBlockDonePs, neuralFreePs);
        counters.neuralBusyPs += busyPs;
        counters.neuralMacs += macs;
        counters.symbolsDecoded += values;
        counters.sramBytesRead += stored;
        counters.sramBytesWritten += decodedBytes(job, b);
        if (listener != null) {
            listener.blockDecoded(b, job.blockEnd.length, values, stored, true, start, neuralFreePs);
        }
        sim.scheduleAt(neuralFreePs, () -> releaseInput(stored));
    }

    private long decodedBytes(DecodeJob job, int b) {
        Instruction.Decompress d = (Instruction.Decompress) job.command.instruction;
        return (job.command.blockSymbols[b] * d.elemBits() + 7) / 8;
    }

    private void releaseInput(long bytes) {
        inputBuffer.release(bytes);
        pumpDma();
    }

    private void finishDecompress(DecodeJob job) {
        Instruction.Decompress d = (Instruction.Decompress) job.command.instruction;
        long done = job.lastBlockDonePs + clock.cyclesToPs(config.decoder().pipelineDepth()) + config.crossingPs();
        counters.sramBytesRead += d.dstBytes(); // the processor takes the decoded bytes
        // The slot is in use until the last block has left the lookup stage.
        sim.scheduleAt(job.lastBlockDonePs, () -> {
            slotUsers[d.slot()]--;
            pumpFrontEnd();
        });
        complete(job.command, done, d.dstBytes());
    }

    // ---- COMPRESS ----

    private void startCompress(NccCommand c, Instruction.Compress k) {
        if (config.neural().level(k.level()) == null) {
            slotUsers[k.slot()]++; // the learned codec uses no table
        }
        compressLengths.add(c.storedBytes);
        // Raw bytes cross in from the processor while, possibly, the table is still loading.
        long arrival = sim.nowPs() + config.crossingPs();
        encodeWaiting.addLast(new PendingEncode(c, k, arrival));
        pumpEncoder();
    }

    /** Starts the waiting COMPRESS commands, in order, as far as their tables are loaded. */
    private void pumpEncoder() {
        while (!encodeWaiting.isEmpty()) {
            PendingEncode p = encodeWaiting.peekFirst();
            boolean learned = config.neural().level(p.compress().level()) != null;
            if (!learned && slotReadyPs[p.compress().slot()] == Long.MAX_VALUE) {
                return; // woken when the table load finishes
            }
            encodeWaiting.pollFirst();
            encode(p.command(), p.compress(), p.arrivalPs());
        }
    }

    private void encode(NccCommand c, Instruction.Compress k, long arrival) {
        NccConfig.Pipeline enc = config.encoder();
        NccConfig.Neural.LearnedLevel learned = config.neural().level(k.level());
        if (learned != null) {
            // The learned codec's encoder runs on the MAC array, macs_per_value per value.
            long macs = c.symbols * learned.encoderMacsPerValue();
            long cycles = Math.max(ceilDiv(macs, config.neural().macsPerCycle()),
                    ceilDiv(k.srcBytes(), config.buffers().bytesPerCycle()));
            long start = clock.nextEdgePs(Math.max(arrival, neuralFreePs));
            long busyPs = clock.cyclesToPs(cycles);
            neuralFreePs = start + busyPs;
            counters.neuralBusyPs += busyPs;
            counters.neuralMacs += macs;
            counters.symbolsEncoded += c.symbols;
            counters.tilesEncoded++;
            counters.sramBytesWritten += k.srcBytes() + c.storedBytes;
            counters.sramBytesRead += k.srcBytes() + c.storedBytes;
            if (listener != null) {
                listener.blockEncoded(c.symbols, c.storedBytes, true, start, neuralFreePs);
            }
            finishEncode(c, k, neuralFreePs);
            return;
        }
        long perStream = ceilDiv(c.symbols, k.streams());
        long lookupsPerStream = ceilDiv(perStream, enc.symbolsPerCycle());
        long cycles = Math.max(ceilDiv(k.streams(), enc.lanes()) * lookupsPerStream * enc.lookupLatency(),
                ceilDiv(k.srcBytes(), config.buffers().bytesPerCycle()));
        long start = clock.nextEdgePs(Math.max(Math.max(arrival, encoderFreePs), slotReadyPs[k.slot()]));
        long busyPs = clock.cyclesToPs(cycles);
        encoderFreePs = start + busyPs;
        counters.encoderBusyPs += busyPs;
        counters.symbolsEncoded += c.symbols;
        counters.tilesEncoded++;
        counters.sramBytesWritten += k.srcBytes() + c.storedBytes;
        counters.sramBytesRead += k.srcBytes() + c.storedBytes;
        if (listener != null) {
            listener.blockEncoded(c.symbols, c.storedBytes, false, start, encoderFreePs);
        }
        finishEncode(c, k, encoderFreePs + clock.cyclesToPs(enc.pipelineDepth()));
    }

    /** The encoded bytes are ready at {@code encodedPs}: the DMA engine writes them, and the command completes. */
    private void finishEncode(NccCommand c, Instruction.Compress k, long encodedPs) {
        sim.scheduleAt(encodedPs, () -> {
            if (config.neural().level(k.level()) == null) {
                slotUsers[k.slot()]--;
            }
            lastCompressedBytes = c.storedBytes;
            dma(c, k.dst(), c.storedBytes, true, false, null, () -> complete(c, sim.nowPs(), k.srcBytes()));
            pumpFrontEnd();
        });
    }

    /** Most COMPRESS lengths one FENCE keeps (counters 16..255). */
    static final int MAX_LENGTHS_PER_FENCE = 240;

    /** First of the counters that hold the lengths of the COMPRESS commands since the last FENCE. */
    static final int FIRST_LENGTH_COUNTER = 16;

    /**
     * Performance counter {@code id}, as READ_COUNTER returns it: 0 the length of the last completed COMPRESS (the
     * instruction set's), 1 commands executed, 2 symbols decoded, 3 symbols encoded, 4 table loads, and
     * 16 + i the length of the i-th COMPRESS dispatched between the last FENCE and the one before it, so that a
     * driver that compresses several blocks learns all their lengths behind one FENCE.
     */
    long counter(int id) {
        if (id >= FIRST_LENGTH_COUNTER) {
            int i = id - FIRST_LENGTH_COUNTER;
            return i < fencedLengths.size() ? fencedLengths.get(i) : 0;
        }
        return switch (id) {
            case Instruction.Compress.LENGTH_COUNTER -> lastCompressedBytes;
            case 1 -> counters.commandsExecuted;
            case 2 -> counters.symbolsDecoded;
            case 3 -> counters.symbolsEncoded;
            case 4 -> counters.tableLoads;
            default -> 0;
        };
    }

    // ---- COPY ----

    private void startCopy(NccCommand c, Instruction.Copy k) {
        counters.sramBytesWritten += k.bytes();
        counters.sramBytesRead += k.bytes();
        if (k.direction() == Direction.READ) {
            dma(c, k.addr(), k.bytes(), false, false, null,
                    () -> complete(c, sim.nowPs() + config.crossingPs(), k.bytes()));
        } else {
            long arrival = sim.nowPs() + config.crossingPs();
            sim.scheduleAt(arrival, () -> dma(c, k.addr(), k.bytes(), true, false, null,
                    () -> complete(c, sim.nowPs(), k.bytes())));
        }
    }

    // ---- DMA engine ----

    /** One request of the DMA engine. */
    private static final class Chunk {
        final NccCommand command;
        final long address;
        final long bytes;
        final boolean write;
        final boolean intoInputBuffer;
        final DecodeJob job;
        final int index;
        final Transfer transfer;
        long issuedPs;

        Chunk(NccCommand command, long address, long bytes, boolean write, boolean intoInputBuffer, DecodeJob job,
              int index, Transfer transfer) {
            this.command = command;
            this.address = address;
            this.bytes = bytes;
            this.write = write;
            this.intoInputBuffer = intoInputBuffer;
            this.job = job;
            this.index = index;
            this.transfer = transfer;
        }
    }

    /** Counts the chunks of one transfer down to its completion. */
    private static final class Transfer {
        int remaining;
        final Runnable onDone;

        Transfer(int remaining, Runnable onDone) {
            this.remaining = remaining;
            this.onDone = onDone;
        }
    }

    private void dma(NccCommand c, long address, long bytes, boolean write, boolean intoInputBuffer, DecodeJob job,
                     Runnable onDone) {
        long chunk = config.dma().chunkBytes();
        int chunks = (int) ceilDiv(bytes, chunk);
        Transfer t = new Transfer(chunks, onDone);
        for (int i = 0; i < chunks; i++) {
            long len = Math.min(chunk, bytes - i * chunk);
            dmaQueue.addLast(new Chunk(c, address + i * chunk, len, write, intoInputBuffer, job, i, t));
        }
        if (write) {
            counters.dmaBytesWritten += bytes;
        } else {
            counters.dmaBytesRead += bytes;
        }
        pumpDma();
    }

    private void pumpDma() {
        while (!dmaQueue.isEmpty() && dmaOutstanding < config.dma().maxOutstanding() && !dmaWaitingForMemory) {
            Chunk k = dmaQueue.peekFirst();
            if (k.intoInputBuffer && !inputBuffer.canAcquire(k.bytes)) {
                if (!dmaWaitingForBuffer) {
                    dmaWaitingForBuffer = true; // woken by releaseInput
                    counters.dmaBufferStalls++;
                }
                return;
            }
            dmaWaitingForBuffer = false;
            // Read data crosses from the memory controller's clock domain into the NCC's before it can be used.
            MemRequest r = new MemRequest(k.address, k.bytes, k.write, k.command.dataClass,
                    k.write || config.crossingPs() == 0 ? () -> chunkDone(k)
                            : () -> sim.scheduleIn(config.crossingPs(), () -> chunkDone(k)));
            if (!memory.offer(r)) {
                dmaWaitingForMemory = true;
                memory.whenSpace(() -> {
                    dmaWaitingForMemory = false;
                    pumpDma();
                });
                return;
            }
            dmaQueue.pollFirst();
            dmaOutstanding++;
            k.issuedPs = sim.nowPs();
            if (k.intoInputBuffer) {
                inputBuffer.tryAcquire(k.bytes);
                counters.sramBytesWritten += k.bytes;
            }
        }
    }

    private void chunkDone(Chunk k) {
        dmaOutstanding--;
        long now = sim.nowPs();
        if (listener != null) {
            listener.dmaRequest(k.address, k.bytes, k.write, k.issuedPs, now);
        }
        k.command.lastDramPs = Math.max(k.command.lastDramPs, now);
        if (k.job != null) {
            k.job.chunkArrived(k.index);
            pumpDecoder();
        }
        if (--k.transfer.remaining == 0 && k.transfer.onDone != null) {
            k.transfer.onDone.run();
        }
        pumpDma();
    }

    /**
     * How full the data SRAM is now, input and output buffers together (0..1), for the level policy; the mean
     * occupancy of each is in the stats registry.
     */
    double bufferFill() {
        return (double) (inputBuffer.used() + outputBuffer.used()) / (inputBuffer.capacity() + outputBuffer.capacity());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

}
