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

    public ClockDomain(String name, double frequencyHz) {
        if (!(frequencyHz > 0)) {
            throw new IllegalArgumentException(name + ": clock frequency must be positive");
        }
        this.name = name;
        this.frequencyHz = frequencyHz;
        this.periodPs = 1e12 / frequencyHz;
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
        return Math.round(cycles * periodPs);
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
