package io.nccsim.driver;

import io.nccsim.config.SimConfig;
import io.nccsim.cpu.Processor;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemoryModels;
import io.nccsim.dram.MemorySystem;
import io.nccsim.dram.RecordingMemory;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.ncc.Ncc;
import io.nccsim.ncc.NccModels;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;

import java.nio.file.Path;
import java.util.Map;

/**
 * The memory-request stream of a trace's baseline run (NCC bypassed) on a board: the same pieces
 * {@link Simulation} builds (memory of the config's model, bypass NCC, processor, one operation at a time, step
 * boundaries announced to the memory), with the memory wrapped in a {@link RecordingMemory} that hands every
 * accepted request to a sink. The run can stop early, after a number of steps or when the sink has had enough: no
 * new operation starts, the ones under way finish.
 */
public final class RequestCapture {
    private RequestCapture() {
    }

    /** Receives each request the memory accepts, with the time it was accepted. */
    @FunctionalInterface
    public interface Sink {
        /** @return false when no further requests are wanted (the run then winds down) */
        boolean accept(MemRequest request, long acceptedPs);
    }

    /**
     * @param header       the trace's header
     * @param requests     requests the memory accepted (all reported to the sink, also after it said stop)
     * @param steps        steps of the trace run (prefill and decode steps begun)
     * @param endPs        simulated time at the end of the run
     * @param stoppedEarly whether the sink asked to stop before the steps ran out
     */
    public record Result(TraceHeader header, long requests, int steps, long endPs, boolean stoppedEarly) {
    }

    /**
     * Runs the baseline of {@code trace} on {@code config} (its NCC bypassed), handing every memory request to
     * {@code sink}.
     *
     * @param maxSteps run only the first {@code maxSteps} steps of the trace; 0 or less for all of them
     */
    public static Result run(SimConfig config, Path trace, int maxSteps, Sink sink) {
        SimConfig baseline = config.withNccBypassed();
        try (TraceReader reader = TraceReader.open(trace)) {
            Simulator sim = new Simulator();
            Stats stats = new Stats();
            MemorySystem inner = MemoryModels.create(sim, baseline.memory(), baseline.energy().dram(), stats);
            long[] count = new long[1];
            boolean[] stop = new boolean[1];
            RecordingMemory memory = new RecordingMemory(sim, inner, (r, ps) -> {
                count[0]++;
                if (!sink.accept(r, ps)) {
                    stop[0] = true;
                }
            });
            Ncc ncc = NccModels.create(sim, baseline.ncc(), memory, baseline.memory().peakBandwidthBytesPerS(),
                    reader.tensors(), reader::weightContent,
                    Map.of(), stats);
            Processor processor = new Processor(sim, baseline.processor(), ncc, reader.tensors(), stats);
            int traceSteps = 1 + reader.header().generatedTokens();
            int lastStep = maxSteps > 0 ? Math.min(maxSteps, traceSteps) : traceSteps;
            Pump pump = new Pump(reader, processor, memory, maxSteps, lastStep, stop);
            sim.scheduleAt(0, pump::next);
            sim.run();
            memory.finish(sim.nowPs());
            return new Result(reader.header(), count[0], pump.steps, sim.nowPs(), stop[0]);
        }
    }

    /** Feeds operations to the processor one at a time until the trace, the steps or the sink's interest end. */
    private static final class Pump {
        private final TraceReader reader;
        private final Processor processor;
        private final MemorySystem memory;
        private final int maxSteps;
        private final int lastStep;
        private final boolean[] stop;
        int steps;

        Pump(TraceReader reader, Processor processor, MemorySystem memory, int maxSteps, int lastStep,
             boolean[] stop) {
            this.reader = reader;
            this.processor = processor;
            this.memory = memory;
            this.maxSteps = maxSteps;
            this.lastStep = lastStep;
            this.stop = stop;
        }

        void next() {
            if (stop[0]) {
                return;
            }
            TraceEvent e = reader.next();
            while (e instanceof StepEvent s) {
                if (maxSteps > 0 && steps == maxSteps) {
                    return;
                }
                steps++;
                // As Simulation does: a model that samples steady-state steps (SampledMemory) switches here.
                memory.beginStep(s.phase() == StepEvent.Phase.DECODE, steps == lastStep);
                e = reader.next();
            }
            if (e instanceof OpEvent op) {
                processor.execute(op, this::next);
            }
        }
    }
}
