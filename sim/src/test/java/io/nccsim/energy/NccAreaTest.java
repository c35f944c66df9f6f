package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.ncc.NccDesign;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The NCC's area per block, against the hand computation in {@link NccFixtures#design()}. */
class NccAreaTest {

    @Test
    void areaPerBlockIsTheHandComputation() {
        NccArea.Breakdown a = NccArea.of(NccFixtures.params(), NccFixtures.design());
        assertEquals(List.of("front_end", "dma", "decoder", "encoder", "table_sram", "input_buffer", "output_buffer",
                "neural"), List.copyOf(a.mm2ByBlock().keySet()));
        assertEquals(0.005256, a.mm2("front_end"), 1e-15);
        assertEquals(0.01, a.mm2("dma"), 1e-15);
        assertEquals(0.012, a.mm2("decoder"), 1e-15);
        assertEquals(0.008, a.mm2("encoder"), 1e-15);
        assertEquals(0.004096, a.mm2("table_sram"), 1e-15);
        assertEquals(0.008192, a.mm2("input_buffer"), 1e-15);
        assertEquals(0.016384, a.mm2("output_buffer"), 1e-15);
        assertEquals(0.0016, a.mm2("neural"), 1e-15);
        assertEquals(NccFixtures.DESIGN_AREA_MM2, a.totalMm2(), 1e-15);
    }

    @Test
    void areaGrowsLinearlyWithSramBytes() {
        EnergyConfig.Ncc p = NccFixtures.params();
        double at0 = NccArea.of(p, NccFixtures.design(4, 2, 0)).totalMm2();
        double at8k = NccArea.of(p, NccFixtures.design(4, 2, 8192)).totalMm2();
        double at16k = NccArea.of(p, NccFixtures.design(4, 2, 16384)).totalMm2();
        assertEquals(at8k - at0, at16k - at8k, 1e-15);
        assertEquals(8192 * 8 * 0.25e-6, at8k - at0, 1e-15); // bytes x 8 bit x 0.25 um2
        assertEquals(0.0, NccArea.of(p, NccFixtures.design(4, 2, 0)).mm2("output_buffer"));
    }

    @Test
    void aBlockSizedZeroHasNoArea() {
        NccDesign none = new NccDesign(0, 2, 0, 2, 0, 1024, 0, 0, 0, 0, 1e9);
        NccArea.Breakdown a = NccArea.of(NccFixtures.params(), none);
        for (String block : List.of("decoder", "encoder", "table_sram", "input_buffer", "output_buffer", "neural")) {
            assertEquals(0.0, a.mm2(block), block);
        }
        // front end logic and DMA are in every NCC; an empty command queue adds nothing to the front end
        assertEquals(0.005 + 0.01, a.totalMm2(), 1e-15);
    }

    @Test
    void areaScalesByTheTableFactorBetweenNodes() {
        // 45 nm-relative areas: 32 nm 0.46, 7 nm 0.059
        double at32 = NccArea.of(NccFixtures.params(32, 32), NccFixtures.design()).totalMm2();
        double at7 = NccArea.of(NccFixtures.params(7, 32), NccFixtures.design()).totalMm2();
        assertEquals(at32 * 0.059 / 0.46, at7, 1e-15);
    }

    @Test
    void breakdownIsACopy() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("decoder", 1.0);
        NccArea.Breakdown b = new NccArea.Breakdown(m);
        m.put("encoder", 2.0);
        assertEquals(1.0, b.totalMm2());
        assertThrows(UnsupportedOperationException.class, () -> b.mm2ByBlock().put("x", 1.0));
    }
}
