package io.nccsim.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClockDomainTest {
    /**
     * Whole-picosecond periods (1600, 800 and 1000 MHz) take the integer path and must round the exact product;
     * the others take the double path. Both must find the first edge at or after a time, over the whole range of
     * simulated times and at the fast path's edge (2^52 ps).
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.6e9, 0.8e9, 1e9, 921e6, 2.1333e9})
    void conversionsAreExactOnBothPaths(double hz) {
        ClockDomain clock = new ClockDomain("c", hz);
        double period = 1e12 / hz;
        SplittableRandom rnd = new SplittableRandom(7);
        boolean whole = period == Math.rint(period);
        long limitCycles = (long) (0x1p52 / period);
        for (int i = 0; i < 200_000; i++) {
            long cycles = switch (i % 4) {
                case 0 -> rnd.nextLong(1 << 20);
                case 1 -> rnd.nextLong(limitCycles);
                default -> limitCycles - 4 + rnd.nextLong(8);
            };
            long exact = new java.math.BigDecimal(cycles).multiply(new java.math.BigDecimal(period))
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            // a whole period is exact; another is a rounded double itself, so far out its product may be 1 ps off
            assertEquals(exact, clock.cyclesToPs(cycles), whole ? 0 : 1, "cycles " + cycles);
            long ps = i % 2 == 0 ? rnd.nextLong(1L << 40) : rnd.nextLong(1L << 52);
            long edge = clock.edgeCycle(ps);
            assertTrue(clock.cyclesToPs(edge) >= ps, "edge of " + ps + " is not at or after it");
            assertTrue(edge == 0 || clock.cyclesToPs(edge - 1) < ps, "edge of " + ps + " is not the first");
        }
        assertEquals(0, clock.edgeCycle(0));
        assertEquals(0, clock.edgeCycle(-5));
        assertEquals(1, clock.edgeCycle(1));
    }
}
