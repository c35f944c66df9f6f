package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.ncc.NccActivity;
import io.nccsim.ncc.NccDesign;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The NCC's energy per block, against sums worked out by hand (parameters and counts in {@link NccFixtures}). */
class NccEnergyModelTest {
    private static final double PJ = 1e-12;

    private static Map<String, Double> items(EnergyConfig.Ncc params, NccActivity a, NccDesign d) {
        EnergyBreakdown b = new EnergyBreakdown();
        NccEnergyModel.account(params, a, d, b);
        return b.items().get("ncc");
    }

    @Test
    void knownActivityAtTheReferenceNodeIsTheHandSum() {
        Map<String, Double> e = items(NccFixtures.params(), NccFixtures.activity(), NccFixtures.design());
        assertEquals(List.of("front_end", "dma", "decoder", "table_lookup", "encoder", "table_sram", "data_sram",
                "neural", "leakage"), List.copyOf(e.keySet()), "one item per block, in report order");
        assertEquals(100 * 10 * PJ, e.get("front_end"), 1e-24);               // 100 commands x 10 pJ
        assertEquals(12_000 * 1 * PJ, e.get("dma"), 1e-24);                   // (10000 + 2000) B x 1 pJ/B
        assertEquals(8_000 * 15 * PJ, e.get("decoder"), 1e-24);               // 8000 symbols x 15 pJ
        assertEquals(4_000 * 4 * PJ, e.get("table_lookup"), 1e-24);           // 4000 lookups x 4 pJ
        assertEquals(1_000 * 20 * PJ, e.get("encoder"), 1e-24);               // 1000 symbols x 20 pJ
        assertEquals(1_638.4 * PJ, e.get("table_sram"), 1e-24);               // 2048 B x 8 x 0.1 pJ/bit
        assertEquals((8_000 + 14_400) * PJ, e.get("data_sram"), 1e-24);       // 20000 x 8 x 0.05 + 18000 x 8 x 0.1
        assertEquals(5_000 * 0.5 * PJ, e.get("neural"), 1e-24);               // 5000 MACs x 0.5 pJ
        assertEquals(0.01 * NccFixtures.DESIGN_AREA_MM2 * 1e-6, e.get("leakage"), 1e-24); // W/mm2 x mm2 x 1 us
        double total = e.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(195_538.4 * PJ + 655.28 * PJ, total, 1e-21);
    }

    /** Stillmaker and Baas's energy polynomial at the nominal supply {@code TechnologyScaling} documents. */
    private static double energy(double a, double b, double c, double vdd) {
        return a * vdd * vdd + b * vdd + c;
    }

    @Test
    void scalingToAnotherNodeMultipliesDynamicEnergyByTheDocumentedFactor() {
        // 32 nm (PTM HP, 0.9 V) to 16 nm (ITRS HP, 0.85 V), both tabulated.
        double factor = energy(0.2958, -0.1241, 0.03024, 0.85) / energy(0.8367, -0.4341, 0.1701, 0.9);
        assertEquals(0.3029, factor, 1e-4, "the hand-computed factor itself");
        Map<String, Double> ref = items(NccFixtures.params(32, 32), NccFixtures.activity(), NccFixtures.design());
        Map<String, Double> at16 = items(NccFixtures.params(16, 32), NccFixtures.activity(), NccFixtures.design());
        for (String item : List.of("front_end", "dma", "decoder", "table_lookup", "encoder", "table_sram",
                "data_sram", "neural")) {
            assertEquals(ref.get(item) * factor, at16.get(item), ref.get(item) * 1e-12, item);
        }
        // leakage follows area (45 nm-relative areas 0.19 at 16 nm, 0.46 at 32 nm), not the energy factor
        assertEquals(ref.get("leakage") * 0.19 / 0.46, at16.get("leakage"), 1e-24);
    }

    @Test
    void shippedNodesScaleByTheFactorsTheirFilesQuote() {
        // 28 nm is interpolated: log E linear in log node between 32 and 20 nm (20 nm: ITRS HP at 0.9 V).
        double e32 = energy(0.8367, -0.4341, 0.1701, 0.9);
        double e20 = energy(0.373, -0.1582, 0.04104, 0.9);
        double t = Math.log(32.0 / 28) / Math.log(32.0 / 20);
        double e28 = e32 * Math.pow(e20 / e32, t);
        double e7 = energy(0.1776, -0.09097, 0.02447, 0.7);
        Map<String, Double> at28 = items(NccFixtures.params(28, 28), NccFixtures.activity(), NccFixtures.design());
        Map<String, Double> at7 = items(NccFixtures.params(7, 28), NccFixtures.activity(), NccFixtures.design());
        assertEquals(e7 / e28, at7.get("decoder") / at28.get("decoder"), 1e-12);
        assertEquals(0.132, e7 / e28, 5e-4, "ncc_7nm.yaml says x0.132");
    }

    @Test
    void aDesignWithoutDecoderLanesHasNoDecoderLeakage() {
        NccActivity a = NccFixtures.activityWithoutDecoding();
        Map<String, Double> with = items(NccFixtures.params(), a, NccFixtures.design(4, 2, 8192));
        Map<String, Double> without = items(NccFixtures.params(), a, NccFixtures.design(0, 2, 8192));
        // 4 lanes x 0.003 mm2 x 0.01 W/mm2 x 1 us
        assertEquals(4 * 0.003 * 0.01 * 1e-6, with.get("leakage") - without.get("leakage"), 1e-24);
        assertEquals(0.0, without.get("decoder"));
        assertEquals(0.0, without.get("table_lookup"));
    }

    @Test
    void leakageIsDensityTimesAreaTimesTime() {
        NccActivity oneUs = NccFixtures.activity();
        NccActivity threeUs = new NccActivity(100, 10_000, 2_000, 8_000, 1_000, 4_000, 2_048, 20_000, 18_000,
                5_000, 3_000_000);
        EnergyConfig.Ncc p = NccFixtures.params();
        NccDesign d = NccFixtures.design();
        double areaMm2 = NccArea.of(p, d).totalMm2();
        assertEquals(NccFixtures.DESIGN_AREA_MM2, areaMm2, 1e-15);
        assertEquals(0.01 * areaMm2 * 3e-6, items(p, threeUs, d).get("leakage"), 1e-24);
        assertEquals(3 * items(p, oneUs, d).get("leakage"), items(p, threeUs, d).get("leakage"), 1e-24);
        // and nothing else depends on time
        assertEquals(items(p, oneUs, d).get("decoder"), items(p, threeUs, d).get("decoder"));
    }

    @Test
    void workInABlockTheDesignDoesNotHaveIsABugNotEnergy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> items(NccFixtures.params(),
                NccFixtures.activity(), NccFixtures.design(0, 2, 8192)));
        assertTrue(e.getMessage().contains("no decoder lanes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> items(NccFixtures.params(),
                NccFixtures.activity(), NccFixtures.design(4, 0, 8192)));
    }

    @Test
    void itemsAddToWhatIsAlreadyInTheBreakdown() {
        EnergyBreakdown b = new EnergyBreakdown();
        b.add("processor", "mac", 1e-9);
        NccEnergyModel.account(NccFixtures.params(), NccFixtures.activity(), NccFixtures.design(), b);
        NccEnergyModel.account(NccFixtures.params(), NccFixtures.activity(), NccFixtures.design(), b);
        assertEquals(1e-9, b.component("processor"));
        assertEquals(2 * 8_000 * 15 * PJ, b.items().get("ncc").get("decoder"), 1e-24);
    }
}
