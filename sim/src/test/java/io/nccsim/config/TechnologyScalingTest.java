package io.nccsim.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Stillmaker and Baas's scaling, checked against values worked out by hand from their coefficients. */
class TechnologyScalingTest {

    @Test
    void tabulatedNodesUseTheEnergyPolynomialAtTheirSupply() {
        // 45 nm HP at 1.0 V: 1.018 - 0.3107 + 0.1539 = 0.8612; 7 nm HP at 0.7 V: 0.087024 - 0.063679 + 0.02447
        assertEquals((0.1776 * 0.49 - 0.09097 * 0.7 + 0.02447) / 0.8612, TechnologyScaling.energyScale(45, 7), 1e-12);
        assertEquals(0.059, TechnologyScaling.areaScale(45, 7), 1e-15);
        assertEquals(1 / 0.059, TechnologyScaling.areaScale(7, 45), 1e-9);
    }

    @Test
    void nodesBetweenTabulatedOnesAreInterpolatedGeometrically() {
        // 28 nm between 32 (0.46) and 20 nm (0.21): log area linear in log node
        double t = Math.log(32.0 / 28) / Math.log(32.0 / 20);
        assertEquals(Math.pow(0.21 / 0.46, t), TechnologyScaling.areaScale(32, 28), 1e-12);
        // a tabulated node interpolates to itself, and scaling there and back is the identity
        assertEquals(1.0, TechnologyScaling.energyScale(28, 28));
        assertEquals(1.0, TechnologyScaling.energyScale(28, 12) * TechnologyScaling.energyScale(12, 28), 1e-12);
    }

    @Test
    void energyAndAreaFallMonotonicallyWithTheNode() {
        double lastEnergy = Double.POSITIVE_INFINITY;
        double lastArea = Double.POSITIVE_INFINITY;
        for (int nm = TechnologyScaling.MAX_NODE_NM; nm >= TechnologyScaling.MIN_NODE_NM; nm--) {
            double e = TechnologyScaling.energyScale(45, nm);
            double a = TechnologyScaling.areaScale(45, nm);
            assertTrue(e < lastEnergy && a < lastArea, nm + " nm");
            lastEnergy = e;
            lastArea = a;
        }
    }

    @Test
    void nodesOutsideTheTableAreRefused() {
        assertFalse(TechnologyScaling.covers(5));
        assertFalse(TechnologyScaling.covers(250));
        assertTrue(TechnologyScaling.covers(7));
        assertThrows(IllegalArgumentException.class, () -> TechnologyScaling.energyScale(28, 5));
        assertThrows(IllegalArgumentException.class, () -> TechnologyScaling.areaScale(200, 28));
    }
}
