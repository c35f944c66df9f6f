package io.nccsim.cpu;

import io.nccsim.config.ProcessorConfig;
import io.nccsim.engine.ClockDomain;
import io.nccsim.engine.Credits;
import io.nccsim.engine.Histogram;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.ncc.Ncc;
import io.nccsim.ncc.TileRequest;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.TensorInfo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge processor executing the trace's operations one after another.
 *
 * <p>An operation streams its inputs in tiles of {@code processor.tile} bytes with {@code tiles_in_flight} tile
 * buffers: while one tile computes, the next ones load (double buffering with 2). The operation's MACs are spread
 * over its input tiles in proportion to their bytes and computed at {@code macs_per_cycle}. When the last tile is
 * computed the outputs are written; the operation ends when the writes are stored, as at a kernel boundary.
 *
 * <p>Whenever the compute unit sits idle inside an operation it is stalled, and the stall is charged to its cause:
 * to the NCC for the time after the tile's DRAM transfer had finished (it was being decoded), to memory for the time
 * before, and to write drain while the outputs are being stored.
 */
public final class Processor {
    private final Simulator sim;
    private final ProcessorConfig config;
    private final Ncc ncc;
    private final List<TensorInfo> tensors;
    private final ClockDomain clock;
    private final ProcessorCounters counters = new ProcessorCounters();
    private final Credits tileBuffers;
    private final Histogram tileLatency;

    // State of the operation in progress.
    private final List<Tile> tiles = new ArrayList<>();
    private final ArrayDeque<Tile> ready = new ArrayDeque<>();
    private OpEvent op;
    private Runnable onOpDone;
    private int nextTile;
    private int computed;
    private boolean computing;
    private boolean waitingForSpace;
    private long idleSincePs;
    private int writesPending;
    private long writesStartPs;
    private long opStartPs;
    private ProcessorListener listener; // null when nobody listens

    private static final class Tile {
        TileRequest request;
        final long macs;
        long issuedPs;

        Tile(long macs) {
            this.macs = macs;
        }
    }

    public Processor(Simulator sim, ProcessorConfig config, Ncc ncc, List<TensorInfo> tensors, Stats stats) {
        this.sim = sim;
        this.config = config;
        this.ncc = ncc;
        this.tensors = tensors;
        this.clock = new ClockDomain("processor", config.clockHz());
        this.tileBuffers = new Credits(sim, "processor.tile_buffers", config.tilesInFlight(), false, stats);
        this.tileLatency = stats.histogram("processor.tile_latency_ps");
    }

    public ProcessorCounters counters() {
        return counters;
    }

    public ClockDomain clock() {
        return clock;
    }

    /** Sends operations and tile computations from now on to {@code l} (null: to no one). */
    public void setListener(ProcessorListener l) {
        this.listener = l;
    }

    /** Starts {@code op}; {@code onDone} runs (from the event queue) when it has finished. */
    public void execute(OpEvent op, Runnable onDone) {
        if (this.op != null) {
            throw new IllegalStateException("the processor runs one operation at a time");
        }
        this.op = op;
        this.onOpDone = onDone;
        tiles.clear();
        ready.clear();
        nextTile = 0;
        computed = 0;
        idleSincePs = sim.nowPs();
        opStartPs = idleSincePs;
        if (listener != null) {
            listener.operationStarted(op, opStartPs);
        }
        counters.ops++;
        counters.macs += op.macs();
        planReadTiles();
        if (tiles.isEmpty()) {
            // Nothing to load: compute everything at once, then write.
            long ps = computePs(op.macs());
            counters.computeBusyPs += ps;
            if (listener != null) {
                listener.tileComputed(null, 0, sim.nowPs(), sim.nowPs() + ps);
            }
            sim.scheduleIn(ps, this::startWrites);
        } else {
            issueTiles();
        }
    }

    private void planReadTiles() {
        long totalRead = 0;
        for (Access a : op.accesses()) {
            if (a.isRead()) {
                totalRead += a.lengthBytes();
            }
        }
        long bytesSoFar = 0;
        long macsSoFar = 0;
        for (Access a : op.accesses()) {
            if (!a.isRead()) {
                continue;
            }
            TensorInfo t = tensors.get(a.tensorId());
            long pos = a.offsetBytes();
            long end = a.offsetBytes() + a.lengthBytes();
            while (pos < end) {
                // Tiles are aligned to multiples of the tile size within the tensor, as a tiled kernel walks it.
                long tileEnd = Math.min(end, (pos / config.tileBytes() + 1) * config.tileBytes());
                bytesSoFar += tileEnd - pos;
                long macsUpTo = Math.round(op.macs() * ((double) bytesSoFar / totalRead));
                Tile tile = new Tile(macsUpTo - macsSoFar);
                tile.request = new TileRequest(t, pos, tileEnd - pos, false, null, r -> onTileLoaded(tile));
                tiles.add(tile);
                macsSoFar = macsUpTo;
                pos = tileEnd;
            }
        }
    }

    private void issueTiles() {
        while (tileBuffers.canAcquire(1) && nextTile < tiles.size()) {
            Tile tile = tiles.get(nextTile);
            if (!ncc.offer(tile.request)) {
                if (!waitingForSpace) {
                    waitingForSpace = true;
                    ncc.whenSpace(() -> {
                        waitingForSpace = false;
                        issueTiles();
                    });
                }
                return;
            }
            tileBuffers.tryAcquire(1);
            tile.issuedPs = sim.nowPs();
            counters.bytesRequested += tile.request.lengthBytes();
            nextTile++;
        }
    }

    private void onTileLoaded(Tile tile) {
        tileLatency.record(sim.nowPs() - tile.issuedPs);
        ready.addLast(tile);
        computeNext();
    }

    private void computeNext() {
        if (computing || ready.isEmpty()) {
            return;
        }
        Tile tile = ready.pollFirst();
        long now = sim.nowPs();
        chargeStall(now, tile.request);
        computing = true;
        long ps = computePs(tile.macs);
        counters.computeBusyPs += ps;
        if (listener != null) {
            listener.tileComputed(tile.request.tensor(), tile.request.offsetBytes(), now, now + ps);
        }
        sim.scheduleIn(ps, () -> {
            computing = false;
            tileBuffers.release(1);
            computed++;
            idleSincePs = sim.nowPs();
            if (computed == tiles.size()) {
                startWrites();
            } else {
                issueTiles();
                computeNext();
            }
        });
    }

    private void chargeStall(long now, TileRequest arrived) {
        long stall = now - idleSincePs;
        if (stall <= 0) {
            return;
        }
        long nccPart = Math.max(0, now - Math.max(idleSincePs, arrived.dramDonePs()));
        counters.stallNccPs += nccPart;
        counters.stallMemoryPs += stall - nccPart;
    }

    private long computePs(long macs) {
        return clock.cyclesToPs((long) Math.ceil(macs / config.macsPerCycle()));
    }

    private void startWrites() {
        writesStartPs = sim.nowPs();
        List<TileRequest> writes = new ArrayList<>();
        for (Access a : op.accesses()) {
            if (a.isRead()) {
                continue;
            }
            TensorInfo t = tensors.get(a.tensorId());
            if (a.histogram() != null) {
                // Content is known for the access as a whole, so it is written as one piece.
                writes.add(new TileRequest(t, a.offsetBytes(), a.lengthBytes(), true, a.histogram(),
                        r -> onWriteDone()));
                continue;
            }
            long end = a.offsetBytes() + a.lengthBytes();
            for (long pos = a.offsetBytes(); pos < end; ) {
                long tileEnd = Math.min(end, (pos / config.tileBytes() + 1) * config.tileBytes());
                writes.add(new TileRequest(t, pos, tileEnd - pos, true, null, r -> onWriteDone()));
                pos = tileEnd;
            }
        }
        writesPending = writes.size();
        if (writesPending == 0) {
            finishOp();
        } else {
            issueWrites(writes, 0);
        }
    }

    private void issueWrites(List<TileRequest> writes, int from) {
        for (int i = from; i < writes.size(); i++) {
            TileRequest w = writes.get(i);
            if (!ncc.offer(w)) {
                int resume = i;
                ncc.whenSpace(() -> issueWrites(writes, resume));
                return;
            }
            counters.bytesWritten += w.lengthBytes();
        }
    }

    private void onWriteDone() {
        if (--writesPending == 0) {
            counters.stallWritePs += sim.nowPs() - writesStartPs;
            finishOp();
        }
    }

    private void finishOp() {
        if (listener != null) {
            listener.operationEnded(op, opStartPs, sim.nowPs());
        }
        Runnable done = onOpDone;
        op = null;
        onOpDone = null;
        // Through the event queue, so a long run of empty operations never nests calls.
        sim.scheduleIn(0, done);
    }
}
