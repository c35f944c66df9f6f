package io.nccsim.timeline;

import io.nccsim.cpu.ProcessorListener;
import io.nccsim.dram.DramCommand;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemoryListener;
import io.nccsim.dram.TimingTable;
import io.nccsim.engine.ClockDomain;
import io.nccsim.isa.Instruction;
import io.nccsim.ncc.NccListener;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records what the processor, the NCC and the DRAM do inside a {@link TimelineWindow} of one run, for
 * {@link TimelineWriter} to write as a Chrome trace-event file. It listens on all three (attach it with
 * {@code Processor.setListener}, {@code NccDriver.setHardwareListener} and {@link MemoryListener#attach}); events
 * outside the window are dropped as they arrive, so recording costs a comparison per event outside it.
 *
 * <p>Each event is one span on a track. Tracks may hold overlapping spans (several commands or DMA requests in
 * flight); the writer splits such a track into lanes. Events are stored column-wise (a few primitive arrays), about
 * 60 bytes each, so the default cap of {@value #DEFAULT_MAX_EVENTS} events stays near 120 MB.
 *
 * <p>NCC events carry the operation the processor was running when they happened: an operation's tiles all
 * complete before it ends, so everything the NCC does between an operation's start and end is for it.
 */
public final class TimelineRecorder implements ProcessorListener, NccListener, MemoryListener {
    /** Events kept per run unless told otherwise: enough for a few ms of a busy LPDDR run. */
    public static final int DEFAULT_MAX_EVENTS = 2_000_000;

    static final int PROCESSOR = 1;
    static final int NCC = 2;
    static final int DRAM = 3;
    static final String[] PROCESS_NAMES = {null, "processor", "ncc", "dram"};
    private static final int NONE = -1;
    static final int NO_LAYER = Integer.MIN_VALUE;

    private final TimelineWindow window;
    private final int maxEvents;
    private final List<TensorInfo> tensors;
    private final String run;

    // tracks
    final List<Track> tracks = new ArrayList<>();
    private final Map<String, Integer> trackIds = new HashMap<>();
    private final Map<Long, Integer> dramTrackIds = new HashMap<>();

    /**
     * A track before it is split into lanes: process, name, its place among the process's tracks, and whether its
     * spans nest (an operation holds its tile computations) or are independent (requests in flight together,
     * which overlapping must go to separate lanes, never inside one another).
     */
    record Track(int pid, String name, long sortKey, boolean nests) {
    }

    // interned strings
    final List<String> strings = new ArrayList<>();
    private final Map<String, Integer> stringIds = new HashMap<>();

    // events, column-wise
    int size;
    int[] track = new int[1024];
    int[] name = new int[1024];
    long[] startPs = new long[1024];
    long[] endPs = new long[1024];
    int[] op = new int[1024];
    int[] layer = new int[1024];
    int[] strKey = new int[1024];
    int[] strVal = new int[1024];
    int[] numKey1 = new int[1024];
    long[] numVal1 = new long[1024];
    int[] numKey2 = new int[1024];
    long[] numVal2 = new long[1024];
    long dropped;

    // what the processor is running
    private int currentOp = NONE;
    private int currentLayer = NO_LAYER;
    private int operationsTrack = -1;

    private long runEndPs = -1;
    private long fastForwardedPs;
    private ClockDomain dramClock;
    private TimingTable dramTiming;

    /**
     * @param run       the run's label ("baseline", "ncc"), written into the file
     * @param window    the stretch of simulated time to keep
     * @param maxEvents most events kept; later ones are counted and dropped
     * @param tensors   the trace's tensor table (names of tiles' tensors, layers of operations)
     */
    public TimelineRecorder(String run, TimelineWindow window, int maxEvents, List<TensorInfo> tensors) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be >= 0");
        }
        this.run = run;
        this.window = window;
        this.maxEvents = maxEvents;
        this.tensors = tensors;
        // The NCC's tracks in the order of the path a command takes; opcode tracks are added as opcodes appear.
        trackId(NCC, "dma requests", 100);
        trackId(NCC, "table loads", 200);
        trackId(NCC, "decoder", 300);
        trackId(NCC, "neural datapath", 310);
        trackId(NCC, "encoder", 400);
    }

    public TimelineWindow window() {
        return window;
    }

    public String run() {
        return run;
    }

    /** The run has ended at {@code endPs}: the writer compares it with the window. */
    public void finish(long endPs) {
        this.runEndPs = endPs;
    }

    long runEndPs() {
        return runEndPs;
    }

    /** Simulated time inside the window that steady-state sampling fast-forwarded. */
    long fastForwardedPs() {
        return fastForwardedPs;
    }

    public int events() {
        return size;
    }

    public long droppedEvents() {
        return dropped;
    }

    // ---- processor ----

    @Override
    public void operationStarted(OpEvent o, long atPs) {
        currentOp = intern(o.name());
        currentLayer = o.layerIn(tensors);
    }

    @Override
    public void operationEnded(OpEvent o, long start, long end) {
        if (window.overlaps(start, end)) {
            int e = add(operationsTrack(), currentOp, start, end);
            if (e >= 0) {
                numArg(e, "macs", o.macs(), NONE, 0);
            }
        }
    }

    @Override
    public void tileComputed(TensorInfo tensor, long offsetBytes, long start, long end) {
        if (window.overlaps(start, end)) {
            int e = add(operationsTrack(), intern("compute"), start, end);
            if (e >= 0 && tensor != null) {
                strVal[e] = intern(tensor.name());
                strKey[e] = intern("tensor");
                numArg(e, "offset_bytes", offsetBytes, NONE, 0);
            }
        }
    }

    private int operationsTrack() {
        if (operationsTrack < 0) {
            operationsTrack = trackId(PROCESSOR, "operations", 0);
            tracks.set(operationsTrack, new Track(PROCESSOR, "operations", 0, true));
        }
        return operationsTrack;
    }

    // ---- NCC ----

    @Override
    public void command(Instruction instruction, long dispatchPs, long completePs) {
        if (window.overlaps(dispatchPs, completePs)) {
            String opcode = instruction.opcode().name().toLowerCase(Locale.ROOT);
            int t = trackId(NCC, "front end: " + opcode, 10 + instruction.opcode().ordinal());
            add(t, intern(opcode), dispatchPs, completePs);
        }
    }

    @Override
    public void dmaRequest(long address, long bytes, boolean write, long issuedPs, long donePs) {
        if (window.overlaps(issuedPs, donePs)) {
            int e = add(trackId(NCC, "dma requests", 100), intern(write ? "write" : "read"), issuedPs, donePs);
            numArg(e, "bytes", bytes, intern("address"), address);
        }
    }

    @Override
    public void blockDecoded(int block, int blocks, long symbols, long storedBytes, boolean learned, long start,
                             long end) {
        if (window.overlaps(start, end)) {
            int t = learned ? trackId(NCC, "neural datapath", 310) : trackId(NCC, "decoder", 300);
            int e = add(t, intern("block " + block), start, end);
            numArg(e, "symbols", symbols, intern("stored_bytes"), storedBytes);
        }
    }

    @Override
    public void blockEncoded(long symbols, long storedBytes, boolean learned, long start, long end) {
        if (window.overlaps(start, end)) {
            int t = learned ? trackId(NCC, "neural datapath", 310) : trackId(NCC, "encoder", 400);
            int e = add(t, intern("encode"), start, end);
            numArg(e, "symbols", symbols, intern("stored_bytes"), storedBytes);
        }
    }

    @Override
    public void tableLoaded(int slot, long bytes, long start, long ready) {
        if (window.overlaps(start, ready)) {
            int e = add(trackId(NCC, "table loads", 200), intern("load_table slot " + slot), start, ready);
            numArg(e, "bytes", bytes, NONE, 0);
        }
    }

    // ---- DRAM ----

    @Override
    public void command(DramCommand c, TimingTable t) {
        if (dramTiming != t) {
            dramTiming = t;
            dramClock = new ClockDomain("dram", 1e12 / t.tCKps()); // as the controller's own clock
        }
        long start = dramClock.cyclesToPs(c.cycle());
        // How long each command holds its bank (or rank), from the timing table: what the bank is busy with.
        int busy = switch (c.type()) {
            case ACT -> t.nRCD();
            case PRE -> t.nRPpb();
            case PREA -> t.nRPab();
            case RD, RDA, WR, WRA -> t.burstCycles();
            case REFAB -> t.nRFCab();
            case REFPB -> t.nRFCpb();
        };
        long end = dramClock.cyclesToPs(c.cycle() + busy);
        boolean rankWide = c.type() == DramCommand.Type.REFAB || c.type() == DramCommand.Type.PREA;
        if (window.overlaps(start, end)) {
            int bankInRank = c.bankGroup() * t.banksPerGroup() + c.bank();
            int tr = rankWide ? dramTrack(c.channel(), c.rank(), -1, t) : dramTrack(c.channel(), c.rank(), bankInRank, t);
            int e = add(tr, intern(c.type().name()), start, end);
            if (e >= 0 && c.row() >= 0) {
                numArg(e, "row", c.row(), c.column() >= 0 ? intern("column") : NONE, c.column());
            }
        }
        if (c.type().isColumn()) {
            // The data burst on the channel's data bus, one read or write latency after the command.
            long data = c.cycle() + (c.type().isRead() ? t.nRL() : t.nWL());
            long ds = dramClock.cyclesToPs(data);
            long de = dramClock.cyclesToPs(data + t.burstCycles());
            if (window.overlaps(ds, de)) {
                add(dramTrack(c.channel(), -1, -1, t), intern(c.type().isRead() ? "read data" : "write data"), ds,
                        de);
            }
        }
    }

    private int dramTrack(int channel, int rank, int bankInRank, TimingTable t) {
        long key = ((long) channel << 40) | ((long) (rank + 1) << 20) | (bankInRank + 1);
        Integer id = dramTrackIds.get(key);
        if (id == null) {
            String n;
            if (rank < 0) {
                n = "ch" + channel + " data bus";
            } else if (bankInRank < 0) {
                n = "ch" + channel + " r" + rank + " all banks";
            } else if (t.bankGroups() > 1) {
                n = "ch" + channel + " r" + rank + " bg" + bankInRank / t.banksPerGroup() + " b"
                        + bankInRank % t.banksPerGroup();
            } else {
                n = "ch" + channel + " r" + rank + " b" + bankInRank;
            }
            id = trackId(DRAM, n, 1000L + key);
            dramTrackIds.put(key, id);
        }
        return id;
    }

    @Override
    public void request(MemRequest r, long acceptedPs, long donePs) {
        if (window.overlaps(acceptedPs, donePs)) {
            int e = add(trackId(DRAM, "requests", 10), intern(r.isWrite() ? "write" : "read"), acceptedPs, donePs);
            numArg(e, "bytes", r.bytes(), intern("address"), r.address());
        }
    }

    @Override
    public void fastForwarded(long start, long end) {
        if (window.overlaps(start, end)) {
            fastForwardedPs += Math.min(end, window.toPs()) - Math.max(start, window.fromPs());
            add(trackId(DRAM, "sampling: fast-forwarded steps", 0),
                    intern("fast-forwarded step (ideal memory calibrated on the last detailed step)"), start, end);
        }
    }

    // ---- storage ----

    private int trackId(int pid, String trackName, long sortKey) {
        String key = pid + "/" + trackName;
        Integer id = trackIds.get(key);
        if (id == null) {
            id = tracks.size();
            tracks.add(new Track(pid, trackName, sortKey, false));
            trackIds.put(key, id);
        }
        return id;
    }

    int intern(String s) {
        Integer id = stringIds.get(s);
        if (id == null) {
            id = strings.size();
            strings.add(s);
            stringIds.put(s, id);
        }
        return id;
    }

    /** Adds an event with the current operation's name and layer as arguments; -1 when over the cap. */
    private int add(int t, int n, long start, long end) {
        if (size >= maxEvents) {
            dropped++;
            return -1;
        }
        if (size == track.length) {
            grow();
        }
        int e = size++;
        track[e] = t;
        name[e] = n;
        startPs[e] = start;
        endPs[e] = end;
        boolean processor = tracks.get(t).pid() == PROCESSOR;
        op[e] = processor ? NONE : (tracks.get(t).pid() == NCC ? currentOp : NONE);
        layer[e] = tracks.get(t).pid() == DRAM ? NO_LAYER : currentLayer;
        strKey[e] = NONE;
        numKey1[e] = NONE;
        numKey2[e] = NONE;
        return e;
    }

    private void numArg(int e, String key1, long v1, int key2, long v2) {
        if (e < 0) {
            return;
        }
        numKey1[e] = intern(key1);
        numVal1[e] = v1;
        numKey2[e] = key2;
        numVal2[e] = v2;
    }

    private void grow() {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(1024L, (long) track.length * 2));
        track = Arrays.copyOf(track, n);
        name = Arrays.copyOf(name, n);
        startPs = Arrays.copyOf(startPs, n);
        endPs = Arrays.copyOf(endPs, n);
        op = Arrays.copyOf(op, n);
        layer = Arrays.copyOf(layer, n);
        strKey = Arrays.copyOf(strKey, n);
        strVal = Arrays.copyOf(strVal, n);
        numKey1 = Arrays.copyOf(numKey1, n);
        numVal1 = Arrays.copyOf(numVal1, n);
        numKey2 = Arrays.copyOf(numKey2, n);
        numVal2 = Arrays.copyOf(numVal2, n);
    }
}
