package io.nccsim.engine;

/**
 * A clock: converts between cycles of one component and the engine's picoseconds.
 *
 * <p>Processor, NCC and DRAM each run on their own clock. Periods are rarely whole picoseconds (921 MHz is
 * 1085.78 ps), so conversions round the exact product rather than accumulate a rounded period.
 */
public final class ClockDomain {
    private final String name;
    private final double frequencyHz;
    private final double periodPs;
    private final double cyclesPerPs;
    // A period of whole picoseconds (LPDDR4-3200's 625 ps, LPDDR5-6400's 1250 ps) converts in integer arithmetic,
    // which the DRAM model does several times per burst: exactly what the rounding of the double product gives,
    // since below 2^52 that product is exact. wholePeriodPs is 0 otherwise; wholeLimitCycles bounds the fast path.
    private final long wholePeriodPs;
    private final long wholeLimitCycles;

    public ClockDomain(String name, double frequencyHz) {
        if (!(frequencyHz > 0)) {
            throw new IllegalArgumentException(name + ": clock frequency must be positive");
        }
        this.name = name;
        this.frequencyHz = frequencyHz;
        this.periodPs = 1e12 / frequencyHz;
        this.cyclesPerPs = 1 / periodPs;
        boolean whole = periodPs >= 1 && periodPs < 0x1p31 && periodPs == Math.rint(periodPs);
        this.wholePeriodPs = whole ? (long) periodPs : 0;
        this.wholeLimitCycles = whole ? (1L << 52) / wholePeriodPs : 0;
    }

    public String name() {
        return name;
    }

    public double frequencyHz() {
        return frequencyHz;
    }

    public double periodPs() {
        return periodPs;
    }

    /** Duration of {@code cycles} cycles, in picoseconds (rounded to the nearest picosecond). */
    public long cyclesToPs(long cycles) {
        if (cycles >= 0 && cycles < wholeLimitCycles) {
            return cycles * wholePeriodPs;
        }
        double ps = cycles * periodPs;
        // Between 1 and 2^52, adding one half and truncating is exactly Math.round, and much cheaper: this is on
        // the DRAM model's hot path. Outside that range, Math.round's own care is needed.
        return (ps >= 1 || ps == 0) && ps < 0x1p52 ? (long) (ps + 0.5) : Math.round(ps);
    }

    /**
     * The first cycle whose edge ({@link #cyclesToPs}) is at or after {@code ps}: the cycle in which work that
     * arrives at {@code ps} can first be done. Exact against {@code cyclesToPs}, whatever the rounding of a period
     * that is not a whole number of picoseconds.
     */
    public long edgeCycle(long ps) {
        if (ps >= 0x1p52) { // beyond any simulated time (or "never"): no rounding to reconcile
            return (long) Math.ceil(ps / periodPs - 1e-9);
        }
        if (wholePeriodPs != 0) {
            return wholeEdgeCycle(ps);
        }
        // A first guess by multiplication (this is on the DRAM model's hot path), then made exact.
        long cycle = Math.max(0, (long) (ps * cyclesPerPs));
        while (cyclesToPs(cycle) < ps) {
            cycle++;
        }
        while (cycle > 0 && cyclesToPs(cycle - 1) >= ps) {
            cycle--;
        }
        return cycle;
    }

    /** {@link #edgeCycle} for a whole-picosecond period: the guess made exact with integer products. */
    private long wholeEdgeCycle(long ps) {
        if (ps <= 0) {
            return 0;
        }
        long cycle = (long) (ps * cyclesPerPs);
        while (cycle * wholePeriodPs < ps) {
            cycle++;
        }
        while (cycle > 0 && (cycle - 1) * wholePeriodPs >= ps) {
            cycle--;
        }
        return cycle;
    }

    /** Whole cycles elapsed in {@code ps} picoseconds (rounded down). */
    public long psToCycles(long ps) {
        return (long) Math.floor(ps / periodPs + 1e-9);
    }

    /** The first clock edge at or after {@code ps}: work started by this clock's logic begins on an edge. */
    public long nextEdgePs(long ps) {
        long cycle = (long) Math.ceil(ps / periodPs - 1e-9);
        return cyclesToPs(cycle);
    }
}
