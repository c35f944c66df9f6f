package io.nccsim.driver;

import io.nccsim.cpu.ProcessorCounters;
import io.nccsim.dram.MemoryCounters;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Stats;
import io.nccsim.ncc.NccCounters;

/**
 * The outcome of replaying one trace on one configuration.
 *
 * @param label          "baseline" or "ncc"
 * @param simTimePs      from the first operation to the last write stored
 * @param prefillPs      time of the prefill step
 * @param prefillTokens  prompt tokens
 * @param decodePs       time of all decode steps together
 * @param decodeTokens   decode steps (generated tokens)
 * @param processorClockHz for converting stall time to processor cycles
 * @param cpu            processor activity
 * @param memory         DRAM traffic
 * @param ncc            NCC activity
 * @param energy         energy by component
 * @param stats          the statistics registry of the run (occupancies, latency distributions)
 * @param dram           the memory model's own facts (command counts, row-buffer outcomes, timing violations)
 * @param engineActions  discrete events executed (simulation work, not a result)
 * @param nccAreaMm2     the NCC's area per block, mm² (empty for the baseline: no NCC)
 * @param levelDecisions the level controller's switches, one line each, in time order
 * @param series         DRAM bytes read and written per window of time, counted when the memory accepted them
 * @param layers         processor time and DRAM bytes per layer, in layer order (-1 first)
 * @param timeline       what a {@code --timeline} window recorded, or null when none was asked for
 */
public record RunResult(String label, long simTimePs, long prefillPs, int prefillTokens, long decodePs,
                        int decodeTokens, double processorClockHz, ProcessorCounters cpu, MemoryCounters memory,
                        NccCounters ncc, EnergyBreakdown energy, Stats stats,
                        java.util.Map<String, Number> dram, long engineActions,
                        java.util.Map<String, Double> nccAreaMm2, java.util.List<String> levelDecisions,
                        io.nccsim.dram.ByteSeries.Snapshot series, java.util.List<LayerTime> layers,
                        io.nccsim.timeline.TimelineRecorder timeline) {

    /** A result without the time series, per-layer times or timeline (as before they existed). */
    public RunResult(String label, long simTimePs, long prefillPs, int prefillTokens, long decodePs,
                     int decodeTokens, double processorClockHz, ProcessorCounters cpu, MemoryCounters memory,
                     NccCounters ncc, EnergyBreakdown energy, Stats stats, java.util.Map<String, Number> dram,
                     long engineActions, java.util.Map<String, Double> nccAreaMm2,
                     java.util.List<String> levelDecisions) {
        this(label, simTimePs, prefillPs, prefillTokens, decodePs, decodeTokens, processorClockHz, cpu, memory, ncc,
                energy, stats, dram, engineActions, nccAreaMm2, levelDecisions, memory.series(simTimePs),
                java.util.List.of(), null);
    }

    public double simTimeS() {
        return simTimePs * 1e-12;
    }

    public double prefillS() {
        return prefillPs * 1e-12;
    }

    /** Mean time per generated token; 0 when the trace has no decode steps. */
    public double decodeMsPerToken() {
        return decodeTokens == 0 ? 0 : decodePs * 1e-9 / decodeTokens;
    }

    /** Decode throughput: generated tokens per second of decode time. */
    public double tokensPerS() {
        return decodePs == 0 ? 0 : decodeTokens / (decodePs * 1e-12);
    }

    /** Processor cycles spent waiting for the NCC to decode tiles whose DRAM transfer had finished. */
    public long nccStallCycles() {
        return cycles(cpu.stallNccPs());
    }

    public long cycles(long ps) {
        return Math.round(ps * 1e-12 * processorClockHz);
    }
}
