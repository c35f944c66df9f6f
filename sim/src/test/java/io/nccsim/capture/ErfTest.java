package io.nccsim.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErfTest {
    @Test
    void agreesWithCommonsMathOverTheWholeRange() {
        double worst = 0;
        for (int i = -80_000; i <= 80_000; i += 7) {
            double x = i / 10_000.0;
            double expected = org.apache.commons.math3.special.Erf.erf(x);
            worst = Math.max(worst, Math.abs(Erf.erf(x) - expected));
        }
        assertTrue(worst < 4e-15, "largest difference " + worst);
    }

    @Test
    void isOddBoundedAndIncreasing() {
        assertEquals(0.0, Erf.erf(0.0));
        double previous = -1;
        for (int i = -70_000; i <= 70_000; i++) {
            double x = i / 10_000.0;
            double y = Erf.erf(x);
            assertEquals(-y, Erf.erf(-x), 0.0, "odd at " + x);
            assertTrue(y >= previous && Math.abs(y) <= 1, "monotone and within [-1, 1] at " + x);
            previous = y;
        }
        assertEquals(1.0, Erf.erf(6.5));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        // erf(x) ~ 2x/sqrt(pi) for tiny x: no series term may be lost or added
        assertEquals(2e-10 / Math.sqrt(Math.PI), Erf.erf(1e-10), 1e-25);
    }
}
