package io.nccsim.engine;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics registry: named counters and time-weighted gauges that components register once and update as
 * they run. Names are dotted like config keys ({@code ncc.decoder.busy_ps}); the registry reports them sorted by
 * name so that output order never depends on registration order.
 */
public final class Stats {
    private final Map<String, Counter> counters = new TreeMap<>();
    private final Map<String, TimeWeighted> gauges = new TreeMap<>();
    private final Map<String, Histogram> histograms = new TreeMap<>();

    public Counter counter(String name) {
        return counters.computeIfAbsent(name, n -> new Counter());
    }

    public TimeWeighted timeWeighted(String name) {
        return gauges.computeIfAbsent(name, n -> new TimeWeighted());
    }

    public Histogram histogram(String name) {
        return histograms.computeIfAbsent(name, n -> new Histogram());
    }

    public Map<String, Counter> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public Map<String, TimeWeighted> gauges() {
        return Collections.unmodifiableMap(gauges);
    }

    public Map<String, Histogram> histograms() {
        return Collections.unmodifiableMap(histograms);
    }

    /** A monotonically increasing count (events, bytes, cycles). */
    public static final class Counter {
        private long value;

        public void add(long n) {
            value += n;
        }

        public void increment() {
            value++;
        }

        public long value() {
            return value;
        }
    }
}
