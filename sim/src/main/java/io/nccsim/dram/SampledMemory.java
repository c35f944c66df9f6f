package io.nccsim.dram;

import io.nccsim.config.EnergyConfig;
import io.nccsim.config.MemoryConfig;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cycle-level memory with steady-state sampling ({@link MemoryConfig.Sampling}): detailed where the traffic
 * changes, fast-forwarded where it repeats.
 *
 * <p>The prefill and the first decode steps run on the detailed {@link LpddrMemory}. Each detailed decode step
 * calibrates a fast model: the bandwidth the memory delivered while it had work, the median latency a request saw
 * beyond its own transfer time, the DRAM's dynamic energy per byte and its static (background and refresh) power.
 * Later decode steps run on an {@link IdealMemory} with those figures, except every {@code period}-th and the last,
 * which run in detail again, so a drift (the KV cache grows every step) is caught. Steps switch only at step
 * boundaries, where no request is in flight. The error against a full detailed run is measured by
 * {@code nccsim validate dram} and by the tests.
 */
public final class SampledMemory implements MemorySystem {
    private final Simulator sim;
    private final LpddrMemory detailed;
    private final MemoryConfig.Sampling policy;
    private final int queueDepth;
    private final MemoryCounters counters = new MemoryCounters();
    private MemorySystem current;
    private IdealMemory fast;
    // calibration from the last detailed decode step
    private double bandwidthBytesPerPs;
    private long latencyPs;
    private double dynamicJPerByte;
    private double staticW;
    // the step being run
    private boolean stepDetailed = true;
    private boolean stepIsDecode;
    private long stepStartPs;
    private long stepBytes;
    private long busyStartPs;
    private long busyPs;
    private int outstanding;
    private final LatencyCounts idleFirstDataPs = new LatencyCounts();
    private long busyPeriods;
    private Map<String, Double> energyAtStepStart = Map.of();
    private long fastBytes;
    private long fastTimePs;
    private double fastEnergyJ;
    private int detailedSteps;
    private int fastSteps;
    private int decodeIndex = -1;
    private MemoryListener listener; // null when nobody listens

    public SampledMemory(Simulator sim, LpddrMemory detailed, MemoryConfig config) {
        this.sim = sim;
        this.detailed = detailed;
        this.policy = config.sampling();
        this.queueDepth = config.controller().requestQueue();
        this.current = detailed;
    }

    /** Sends the detailed controller's commands, the fast model's requests and the fast steps to {@code l}. */
    void setListener(MemoryListener l) {
        this.listener = l;
        TimingTable t = detailed.timing();
        detailed.setCommandListener(l == null ? null : c -> l.command(c, t));
        if (fast != null) {
            fast.setListener(l);
        }
    }

    @Override
    public void beginStep(boolean decode, boolean last) {
        long now = sim.nowPs();
        endStep(now);
        if (decode) {
            decodeIndex++;
        }
        boolean wantDetail = !decode || decodeIndex < policy.warmupSteps() || decodeIndex % policy.period() == 0
                || last || bandwidthBytesPerPs <= 0;
        if (outstanding > 0) {
            wantDetail = stepDetailed; // never switch with requests in flight
        }
        if (wantDetail && !stepDetailed) {
            detailed.resumeAt(now);
        } else if (!wantDetail && stepDetailed) {
            detailed.pauseAt(now);
            fast = new IdealMemory(sim, bandwidthBytesPerPs * 1e12, latencyPs, queueDepth,
                    new EnergyConfig.Dram(0, 0, 0), new Stats());
            fast.setListener(listener);
        }
        stepDetailed = wantDetail;
        stepIsDecode = decode;
        current = wantDetail ? detailed : fast;
        stepStartPs = now;
        stepBytes = 0;
        busyPs = 0;
        busyPeriods = 0;
        idleFirstDataPs.clear();
        energyAtStepStart = detailedEnergyItems(now);
        if (wantDetail) {
            detailedSteps++;
        } else {
            fastSteps++;
        }
    }

    private Map<String, Double> detailedEnergyItems(long nowPs) {
        if (!stepDetailed) {
            return Map.of();
        }
        detailed.accountTo(nowPs);
        EnergyBreakdown b = new EnergyBreakdown();
        detailed.addEnergy(b, nowPs);
        return b.items().getOrDefault("dram", Map.of());
    }

    private static double delta(Map<String, Double> end, Map<String, Double> start, String... items) {
        double d = 0;
        for (String i : items) {
            d += end.getOrDefault(i, 0.0) - start.getOrDefault(i, 0.0);
        }
        return d;
    }

    /** Closes the step in progress: a detailed decode step recalibrates, a fast one adds its energy. */
    private void endStep(long now) {
        long duration = now - stepStartPs;
        if (listener != null && !stepDetailed && duration > 0) {
            listener.fastForwarded(stepStartPs, now);
        }
        if (duration <= 0 || stepBytes == 0) {
            return;
        }
        if (stepDetailed && stepIsDecode && busyPs > 0) {
            // The fast model is a FIFO bus: a busy period of back-to-back requests lasts one latency plus the
            // transfer of all their bytes. The latency is the time to first data of requests that found the
            // memory idle (no queueing in it); the bandwidth is what remains of the busy time.
            latencyPs = idleFirstDataPs.size() == 0 ? 0 : idleFirstDataPs.quantile(0.5);
            long transferPs = Math.max(1, busyPs - latencyPs * busyPeriods);
            bandwidthBytesPerPs = (double) stepBytes / transferPs;
            Map<String, Double> end = detailedEnergyItems(now);
            // Static power from the standby and refresh energy, dynamic energy per byte from the commands.
            staticW = delta(end, energyAtStepStart, "background", "refresh") / (duration * 1e-12);
            dynamicJPerByte = delta(end, energyAtStepStart, "activate", "precharge", "read", "write") / stepBytes;
        } else if (!stepDetailed) {
            fastBytes += stepBytes;
            fastTimePs += duration;
            fastEnergyJ += dynamicJPerByte * stepBytes + staticW * duration * 1e-12;
        }
    }

    @Override
    public boolean offer(MemRequest r) {
        MemRequest[] inner = new MemRequest[1];
        boolean[] arrivedIdle = {outstanding == 0};
        inner[0] = new MemRequest(r.address(), r.bytes(), r.isWrite(), r.dataClass(), () -> {
            long now = sim.nowPs();
            r.markFirstData(inner[0].firstDataPs());
            if (stepDetailed && stepIsDecode && arrivedIdle[0]) {
                idleFirstDataPs.add(inner[0].firstDataPs() - inner[0].acceptedPs());
            }
            if (--outstanding == 0) {
                busyPs += now - busyStartPs;
            }
            r.complete(now);
        });
        if (!current.offer(inner[0])) {
            return false;
        }
        long now = sim.nowPs();
        r.markAccepted(now);
        if (outstanding++ == 0) {
            busyStartPs = now;
            busyPeriods++;
        }
        stepBytes += r.bytes();
        counters.record(r, 0);
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        current.whenSpace(waiter);
    }

    @Override
    public MemoryCounters counters() {
        return counters;
    }

    @Override
    public void finish(long endPs) {
        endStep(endPs);
        stepBytes = 0;
        stepStartPs = endPs;
        if (stepDetailed) {
            detailed.finish(endPs);
        } else {
            detailed.finish(detailed.pausedAtPs());
        }
    }

    @Override
    public void addEnergy(EnergyBreakdown energy, long simTimePs) {
        detailed.addEnergy(energy, simTimePs);
        energy.add("dram", "fast_forwarded", fastEnergyJ);
    }

    @Override
    public Map<String, Number> details() {
        Map<String, Number> d = new LinkedHashMap<>(detailed.details());
        d.put("sampling_detailed_steps", detailedSteps);
        d.put("sampling_fast_steps", fastSteps);
        d.put("sampling_fast_bytes", fastBytes);
        d.put("sampling_fast_time_s", fastTimePs * 1e-12);
        d.put("sampling_bandwidth_gb_s", bandwidthBytesPerPs * 1e12 / 1e9);
        d.put("sampling_latency_ns", latencyPs / 1e3);
        return d;
    }
}
