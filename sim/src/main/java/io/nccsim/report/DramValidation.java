package io.nccsim.report;

import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.ModelArch;
import io.nccsim.capture.ShapeOnlyTrace;
import io.nccsim.codec.WeightQuant;
import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.MemoryModels;
import io.nccsim.dram.RequestReplay;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.TimingTable;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Progress;
import io.nccsim.driver.RunResult;
import io.nccsim.driver.Simulation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The DRAM model held against values derived by hand from its timing table, and its steady-state sampling held
 * against full detail: the content of reports/validation/dram.md. Everything in it is simulated by this run; the
 * "derived" column is arithmetic on the table, never a fitted number.
 */
public final class DramValidation {
    private final Path configFile;
    private final Path modelShape;
    private final StringBuilder md = new StringBuilder();

    public DramValidation(Path configFile, Path modelShape) {
        this.configFile = configFile;
        this.modelShape = modelShape;
    }

    /** Runs every check and returns the markdown report. {@code command} is the command that remakes it. */
    public String run(String command, Path scratch, Progress progress) {
        md.append("# DRAM model validation\n\n");
        md.append("Made by `").append(command).append("` (nccsim writes this file; do not edit by hand).\n\n");
        md.append("All numbers are simulated by nccsim's cycle-level LPDDR model (`memory.model=lpddr`) except the "
                + "*derived* column, which is arithmetic on the timing table (`io.nccsim.dram.TimingTables`).\n\n");
        for (int width : new int[] {32, 64}) {
            section(width);
        }
        sampling(scratch, progress);
        return md.toString();
    }

    private MemoryConfig memory(int busWidthBits, String... sets) {
        List<String> all = new ArrayList<>(List.of("memory.model=lpddr", "memory.bus_width_bits=" + busWidthBits,
                "memory.controller.check_timing=true"));
        all.addAll(List.of(sets));
        return SimConfig.load(configFile, all).memory();
    }

    private void section(int width) {
        MemoryConfig m = memory(width);
        TimingTable t = MemoryModels.timingTable(m);
        int channels = m.channels();
        int burstBytes = m.device().channelWidthBits() / 8 * t.burstLength();
        double tck = t.tCKps();
        double peak = m.peakBandwidthBytesPerS() / 1e9;
        md.append(String.format(Locale.ROOT, "## %s-%d, %d-bit bus (%d x %d-bit channels), %s\n\n",
                t.standard(), t.dataRateMtps(), width, channels, m.device().channelWidthBits(), configFile));
        md.append(String.format(Locale.ROOT, "Timing (tCK %.2f ps): nRCD %d, nRL %d, burst %d cycles (BL%d), nRPpb %d, "
                        + "nRAS %d, nRFCab %d, nREFI %d. One burst moves %d B.%n%n", tck, t.nRCD(), t.nRL(),
                t.burstCycles(), t.burstLength(), t.nRPpb(), t.nRAS(), t.nRFCab(), t.nREFI(), burstBytes));

        md.append("### Bandwidth (64-byte requests, issued as fast as the controller accepts them)\n\n");
        md.append("| workload | requests | nccsim GB/s | derived bound GB/s | nccsim / bound | row hits | "
                + "timing violations |\n|---|---|---|---|---|---|---|\n");
        double refreshBound = peak * (1 - (double) t.nRFCab() / t.nREFI());
        bandwidthRow("streaming reads", m, sequential(200_000, false), refreshBound,
                "peak less all-bank refresh: peak x (1 - nRFCab/nREFI)");
        // A random burst misses the row buffer: one activate per burst, and a rank takes an activate at most every
        // max(nRRD, nFAW/4) cycles, while the burst itself needs burstCycles of the data bus.
        double actBound = peak * Math.min(1.0, t.burstCycles() / Math.max(t.nRRD(), Math.ceil(t.nFAW() / 4.0)));
        String actWhat = String.format(Locale.ROOT, "one activate per burst: peak x burst / max(nRRD, nFAW/4) = peak x %d/%d",
                t.burstCycles(), (int) Math.max(t.nRRD(), Math.ceil(t.nFAW() / 4.0)));
        bandwidthRow("uniformly random reads", m, random(60_000, 0, 7), actBound, actWhat);
        bandwidthRow("random 2:1 read/write mix", m, random(60_000, 3, 11), actBound, actWhat);
        md.append(String.format(Locale.ROOT, "%nPeak %.2f GB/s = %d MT/s x %d bit / 8. Streaming stays under peak by "
                        + "the refresh share (nRFCab/nREFI = %.1f%%) and a little more: a row switch in one bank "
                        + "sometimes cannot be hidden behind the other banks' bursts. Random traffic misses the row "
                        + "buffer on almost every burst, so each burst needs an activate, and tRRD (%d cycles) and "
                        + "the four-activate window (tFAW = %d cycles) cap activates per rank: that bound is in the "
                        + "table; the rest of the gap is bank conflicts (tRC = %d cycles within one bank) and, for "
                        + "the mix, bus turnarounds (nRTW, write-to-read).%n%n", peak,
                t.dataRateMtps(), width, 100.0 * t.nRFCab() / t.nREFI(), t.nRRD(), t.nFAW(), t.nRC()));

        md.append("### Unloaded read latency (one burst, the memory otherwise idle)\n\n");
        md.append("| case | derived | nccsim (cycles) | nccsim (ns) | match |\n|---|---|---|---|---|\n");
        long hitCycles = t.nRL() + t.burstCycles();
        long closedCycles = t.nRCD() + hitCycles;
        long conflictCycles = t.nRPpb() + closedCycles;
        // one burst to a closed bank; then the next burst of that row (a hit); then another row of the same bank
        long rowStrideBursts = (long) channels * (m.device().columns() / t.burstLength()) * m.device().ranks()
                * t.banks();
        List<RequestTrace.Entry> probes = List.of(
                new RequestTrace.Entry(0, false, 0, 1),
                new RequestTrace.Entry((long) channels * burstBytes, false, 1000, 2),
                new RequestTrace.Entry(rowStrideBursts * burstBytes, false, 2000, 3));
        RequestReplay.Result r = RequestReplay.run(m, source("latency probes", probes), burstBytes);
        long[] lat = r.memory().activity().readLatencies().first(probes.size());
        latencyRow("closed bank: nRCD + nRL + burst", closedCycles, lat[0], tck);
        latencyRow("row hit: nRL + burst", hitCycles, lat[1], tck);
        latencyRow("row conflict: nRPpb + nRCD + nRL + burst", conflictCycles, lat[2], tck);
        md.append(String.format(Locale.ROOT, "%nLatency is measured from the request reaching the controller to its "
                + "last data beat. Each probe arrives on a clock edge with the memory idle and the previous row's "
                + "tRAS and tRTP long met, so nothing but the derived terms applies. Timing violations found by the "
                + "independent checker over these probes: %d.%n%n", r.memory().checker().violationCount()));
    }

    private void bandwidthRow(String name, MemoryConfig m, List<RequestTrace.Entry> requests, double boundGbps,
                              String boundWhat) {
        RequestReplay.Result r = RequestReplay.run(m, source(name, requests), 64);
        double gbps = r.bandwidthBytesPerS() / 1e9;
        var d = r.memory().details();
        long bursts = d.get("row_hits").longValue() + d.get("row_misses").longValue()
                + d.get("row_conflicts").longValue();
        md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f (%s) | %.1f%% | %.1f%% | %d |%n", name,
                r.requests(), gbps, boundGbps, boundWhat, 100 * gbps / boundGbps,
                100.0 * d.get("row_hits").longValue() / Math.max(1, bursts), r.memory().checker().violationCount()));
    }

    private void latencyRow(String name, long derivedCycles, long measuredPs, double tck) {
        double measuredCycles = measuredPs / tck;
        md.append(String.format(Locale.ROOT, "| %s | %d cycles = %.3f ns | %.0f | %.3f | %s |%n", name, derivedCycles,
                derivedCycles * tck / 1e3, measuredCycles, measuredPs / 1e3,
                Math.abs(measuredCycles - derivedCycles) < 1e-6 ? "exact" : "differs"));
    }

    /** Full detail against steady-state sampling on a modeled decoder trace short enough to simulate whole. */
    private void sampling(Path scratch, Progress progress) {
        ModelArch arch = ModelArch.load(modelShape);
        int prompt = 16;
        int generated = 64;
        Path trace = scratch.resolve("sampling-check.trace");
        Path fit = ShapeOnlyTrace.defaultFit(modelShape);
        ShapeOnlyTrace.generate(new ShapeOnlyTrace.Options(arch, modelShape.toString(), fit, fit.toString(),
                WeightQuant.parse("int4-g128-sym", "validation"),
                KvPrecision.INT8, prompt, generated, 1, 16384, "nccsim validate dram"), trace);
        SimConfig full = SimConfig.load(configFile, List.of("memory.model=lpddr", "memory.sampling.enabled=false"));
        SimConfig sampled = SimConfig.load(configFile, List.of("memory.model=lpddr", "memory.sampling.enabled=true"));
        long t0 = System.nanoTime();
        Comparison a = Simulation.compare(full, trace, progress);
        long t1 = System.nanoTime();
        Comparison b = Simulation.compare(sampled, trace, progress);
        long t2 = System.nanoTime();
        md.append("## Steady-state sampling against full detail\n\n");
        md.append(String.format(Locale.ROOT, "Trace: %s, %d prompt + %d generated tokens, int4-g128-sym weights, int8 "
                        + "KV cache (modeled content), on %s. Full detail simulates every DRAM command; sampling "
                        + "simulates the prefill and calibration decode steps in detail and fast-forwards the rest "
                        + "(`memory.sampling`: warm-up %d steps, period %d).%n%n", arch.name(), prompt, generated,
                configFile, sampled.memory().sampling().warmupSteps(), sampled.memory().sampling().period()));
        md.append("| run | metric | full detail | sampled | error |\n|---|---|---|---|---|\n");
        errorRows("baseline", a.baseline(), b.baseline());
        errorRows("ncc", a.ncc(), b.ncc());
        md.append(String.format(Locale.ROOT, "%nWall time on this machine, both runs: full detail %.1f s, sampled "
                        + "%.1f s (%.1fx). Detailed steps in the sampled run: %s of %d.%n", (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, (double) (t1 - t0) / Math.max(1, t2 - t1),
                b.baseline().dram().get("sampling_detailed_steps"), 1 + generated));
    }

    private void errorRows(String run, RunResult full, RunResult sampled) {
        row(run, "DRAM bytes", full.memory().bytesRead() + full.memory().bytesWritten(),
                sampled.memory().bytesRead() + sampled.memory().bytesWritten(), "%.0f");
        row(run, "simulated time (s)", full.simTimeS(), sampled.simTimeS(), "%.6f");
        row(run, "DRAM energy (J)", full.energy().component("dram"), sampled.energy().component("dram"), "%.6f");
        row(run, "total energy (J)", full.energy().total(), sampled.energy().total(), "%.6f");
    }

    private void row(String run, String metric, double full, double sampled, String fmt) {
        md.append(String.format(Locale.ROOT, "| %s | %s | " + fmt + " | " + fmt + " | %+.4f%% |%n", run, metric, full,
                sampled, full == 0 ? 0 : 100 * (sampled - full) / full));
    }

    private static List<RequestTrace.Entry> sequential(int n, boolean write) {
        List<RequestTrace.Entry> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(new RequestTrace.Entry(64L * i, write, 0, i + 1));
        }
        return l;
    }

    /** {@code n} requests at uniformly random 64-byte-aligned addresses in 2 GiB; every {@code writeEvery}-th a write. */
    private static List<RequestTrace.Entry> random(int n, int writeEvery, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<RequestTrace.Entry> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long a = (rnd.nextLong() & ((1L << 31) - 1)) & ~63L;
            l.add(new RequestTrace.Entry(a, writeEvery > 0 && i % writeEvery == 0, 0, i + 1));
        }
        return l;
    }

    private static RequestTrace.Source source(String name, List<RequestTrace.Entry> entries) {
        return new RequestTrace.Source() {
            private int next;

            @Override
            public RequestTrace.Entry next() {
                return next < entries.size() ? entries.get(next++) : null;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
