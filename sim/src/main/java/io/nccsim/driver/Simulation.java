package io.nccsim.driver;

import io.nccsim.config.NccConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.cpu.Processor;
import io.nccsim.dram.MemoryModels;
import io.nccsim.dram.MemorySystem;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.energy.EnergyModel;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.ncc.Ncc;
import io.nccsim.ncc.NccModels;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;
import io.nccsim.dram.MemoryListener;
import io.nccsim.timeline.TimelineRecorder;
import io.nccsim.timeline.TimelineWindow;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace on a configuration: builds the memory, the NCC and the processor, streams the trace's events
 * into the processor one operation at a time, and times every step.
 */
public final class Simulation {
    private final SimConfig config;
    private final Path tracePath;
    private final String label;
    private final Progress progress;
    private final TimelineWindow timeline;
    private final int maxTimelineEvents;

    private Simulation(SimConfig config, Path tracePath, String label, Progress progress, TimelineWindow timeline,
                       int maxTimelineEvents) {
        this.config = config;
        this.tracePath = tracePath;
        this.label = label;
        this.progress = progress;
        this.timeline = timeline;
        this.maxTimelineEvents = maxTimelineEvents;
    }

    /**
     * The baseline (NCC bypassed) and the configured NCC, on the same trace. The two runs share nothing, so they
     * run on two threads when the machine has two cores; each is deterministic on its own, so the results do not
     * depend on the thread count.
     */
    public static Comparison compare(SimConfig config, Path trace, Progress progress) {
        return compare(config, trace, progress, Runtime.getRuntime().availableProcessors() >= 2, null, 0);
    }

    /**
     * As {@link #compare(SimConfig, Path, Progress)}, with the two runs on two threads only when {@code parallel}.
     * A sweep passes {@code false}: it runs many points side by side, so its points are the unit of parallelism and
     * a third and fourth thread per point would only compete for the same cores. The runs share nothing, so the
     * results are identical either way.
     */
    public static Comparison compare(SimConfig config, Path trace, Progress progress, boolean parallel) {
        return compare(config, trace, progress, parallel, null, 0);
    }

    /**
     * As {@link #compare(SimConfig, Path, Progress)}, recording both runs' timelines inside {@code timeline} (null:
     * none), at most {@code maxEvents} events each; {@link RunResult#timeline()} holds them.
     */
    public static Comparison compare(SimConfig config, Path trace, Progress progress, TimelineWindow timeline,
                                     int maxEvents) {
        return compare(config, trace, progress, Runtime.getRuntime().availableProcessors() >= 2, timeline,
                maxEvents);
    }

    private static Comparison compare(SimConfig config, Path trace, Progress progress, boolean parallel,
                                      TimelineWindow timeline, int maxEvents) {
        Progress shared = (label, done, total) -> {
            synchronized (progress) {
                progress.update(label, done, total);
            }
        };
        if (!parallel) {
            return new Comparison(
                    new Simulation(config.withNccBypassed(), trace, "baseline", shared, timeline, maxEvents)
                            .run(ncc -> { }),
                    new Simulation(config, trace, "ncc", shared, timeline, maxEvents).run(ncc -> { }));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "nccsim-run");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.concurrent.Future<RunResult> baseline = pool.submit(() -> new Simulation(
                    config.withNccBypassed(), trace, "baseline", shared, timeline, maxEvents).run(ncc -> { }));
            java.util.concurrent.Future<RunResult> ncc = pool.submit(() -> new Simulation(config, trace, "ncc",
                    shared, timeline, maxEvents).run(ncc2 -> { }));
            return new Comparison(join(baseline), join(ncc));
        } finally {
            pool.shutdownNow();
        }
    }

    private static RunResult join(java.util.concurrent.Future<RunResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // a BadInputException stays one, for its one-line message
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    public static RunResult run(SimConfig config, Path trace, String label, Progress progress) {
        return new Simulation(config, trace, label, progress, null, 0).run(ncc -> { });
    }

    /** One run, recording a timeline inside {@code timeline} of at most {@code maxEvents} events. */
    public static RunResult run(SimConfig config, Path trace, String label, Progress progress,
                                TimelineWindow timeline, int maxEvents) {
        return new Simulation(config, trace, label, progress, timeline, maxEvents).run(ncc -> { });
    }

    /** As {@link #run(SimConfig, Path, String, Progress)}, handing the NCC to {@code instrument} before it starts. */
    public static RunResult run(SimConfig config, Path trace, String label, Progress progress,
                                java.util.function.Consumer<Ncc> instrument) {
        return new Simulation(config, trace, label, progress, null, 0).run(instrument);
    }

    private RunResult run(java.util.function.Consumer<Ncc> instrument) {
        Map<DataClass, long[]> calibration = needsCalibration() ? calibrate() : Map.of();
        try (TraceReader reader = TraceReader.open(tracePath)) {
            TraceHeader header = reader.header();
            List<TensorInfo> tensors = reader.tensors();
            Simulator sim = new Simulator();
            Stats stats = new Stats();
            MemorySystem memory = MemoryModels.create(sim, config.memory(), config.energy().dram(), stats);
            Ncc ncc = NccModels.create(sim, config.ncc(), memory, config.memory().peakBandwidthBytesPerS(), tensors,
                    reader::weightContent, calibration, stats);
            instrument.accept(ncc);
            Processor processor = new Processor(sim, config.processor(), ncc, tensors, stats);
            TimelineRecorder recorder = null;
            if (timeline != null) {
                recorder = new TimelineRecorder(label, timeline, maxTimelineEvents, tensors);
                processor.setListener(recorder);
                if (ncc instanceof io.nccsim.ncc.NccDriver d) {
                    d.setHardwareListener(recorder);
                }
                MemoryListener.attach(memory, recorder);
            }
            Pump pump = new Pump(sim, reader, processor, memory, label, progress,
                    1 + header.generatedTokens(), new LayerTimes(tensors));
            sim.scheduleAt(0, pump::next);
            sim.run();
            pump.closeStep();
            long end = sim.nowPs();
            if (recorder != null) {
                recorder.finish(end);
            }
            memory.finish(end);
            EnergyBreakdown energy = config.ncc().model() == NccConfig.Model.BYPASS
                    ? EnergyModel.account(config.energy(), end, processor.counters(), memory)
                    : EnergyModel.account(config.energy(), end, processor.counters(), memory,
                            ncc.counters().activity(end), config.ncc().design());
            return new RunResult(label, end, pump.prefillPs, pump.prefillTokens, pump.decodePs, pump.decodeTokens,
                    config.processor().clockHz(), processor.counters(), memory.counters(), ncc.counters(), energy,
                    stats, memory.details(), sim.executedActions(),
                    config.ncc().model() == NccConfig.Model.BYPASS ? java.util.Map.of()
                            : io.nccsim.energy.NccArea.of(config.energy().ncc(), config.ncc().design()).mm2ByBlock(),
                    ncc instanceof io.nccsim.ncc.NccDriver d
                            ? d.levels().decisions().stream().map(io.nccsim.ncc.adaptive.LevelDecision::describe).toList()
                            : List.of(),
                    memory.counters().series(end), pump.layers.result(), recorder);
        }
    }

    private boolean needsCalibration() {
        NccConfig n = config.ncc();
        return n.model() != NccConfig.Model.BYPASS && (n.level(DataClass.KV_CACHE).compressed()
                || n.level(DataClass.ACTIVATIONS).compressed());
    }

    /**
     * Symbol counts of the prefill step's writes, per data class: the calibration data the write-path tables are
     * built from before the run starts, as a deployed NCC would ship tables made on a calibration prompt. Decode
     * steps are then coded with tables that were not fitted to them.
     */
    private Map<DataClass, long[]> calibrate() {
        Map<DataClass, long[]> counts = new EnumMap<>(DataClass.class);
        try (TraceReader reader = TraceReader.open(tracePath)) {
            List<TensorInfo> tensors = reader.tensors();
            for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof StepEvent s && s.phase() == StepEvent.Phase.DECODE) {
                    break;
                }
                if (e instanceof OpEvent op) {
                    for (Access a : op.accesses()) {
                        if (!a.isRead() && a.histogram() != null) {
                            DataClass dc = tensors.get(a.tensorId()).role().dataClass();
                            long[] c = counts.computeIfAbsent(dc, k -> new long[a.histogram().length]);
                            if (c.length == a.histogram().length) {
                                for (int s = 0; s < c.length; s++) {
                                    c[s] += a.histogram()[s];
                                }
                            }
                        }
                    }
                }
            }
        }
        return counts;
    }

    /** Feeds events to the processor, one operation at a time, and times the steps. */
    private static final class Pump {
        private final Simulator sim;
        private final TraceReader reader;
        private final Processor processor;
        private final MemorySystem memory;
        private final String label;
        private final Progress progress;
        private final int totalSteps;
        final LayerTimes layers;
        private StepEvent step;
        private long stepStartPs;
        private int stepsDone;
        long prefillPs;
        int prefillTokens;
        long decodePs;
        int decodeTokens;

        Pump(Simulator sim, TraceReader reader, Processor processor, MemorySystem memory, String label,
             Progress progress, int totalSteps, LayerTimes layers) {
            this.sim = sim;
            this.reader = reader;
            this.processor = processor;
            this.memory = memory;
            this.label = label;
            this.progress = progress;
            this.totalSteps = totalSteps;
            this.layers = layers;
        }

        /** Runs when the operation before (if any) has ended: closes its books, starts the next one. */
        void next() {
            layers.ended(sim.nowPs(), dramBytes());
            TraceEvent e = reader.next();
            while (e instanceof StepEvent s) {
                closeStep();
                step = s;
                stepStartPs = sim.nowPs();
                boolean decode = s.phase() == StepEvent.Phase.DECODE;
                memory.beginStep(decode, stepsDone + 1 == totalSteps);
                e = reader.next();
            }
            if (e instanceof OpEvent op) {
                layers.started(op, sim.nowPs(), dramBytes());
                processor.execute(op, this::next);
            }
        }

        private long dramBytes() {
            return memory.counters().bytesRead() + memory.counters().bytesWritten();
        }

        void closeStep() {
            if (step == null) {
                return;
            }
            long ps = sim.nowPs() - stepStartPs;
            if (step.phase() == StepEvent.Phase.PREFILL) {
                prefillPs += ps;
                prefillTokens += step.tokens();
            } else {
                decodePs += ps;
                decodeTokens += step.tokens();
            }
            step = null;
            progress.update(label, ++stepsDone, totalSteps);
        }
    }
}
