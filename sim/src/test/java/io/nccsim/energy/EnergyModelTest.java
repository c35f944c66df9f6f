package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.cpu.ProcessorCounters;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemoryCounters;
import io.nccsim.dram.MemorySystem;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The whole-run account: processor and memory as before, the NCC through {@link NccEnergyModel}. */
class EnergyModelTest {

    /** A memory that did nothing but reports 1 nJ, to see that its energy lands in the account. */
    private static final MemorySystem MEMORY = new MemorySystem() {
        @Override
        public boolean offer(MemRequest request) {
            return false;
        }

        @Override
        public void whenSpace(Runnable waiter) {
        }

        @Override
        public MemoryCounters counters() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addEnergy(EnergyBreakdown energy, long simTimePs) {
            energy.add("dram", "background", 1e-9);
        }
    };

    private static final EnergyConfig CONFIG = new EnergyConfig(new EnergyConfig.Processor(1, 2),
            new EnergyConfig.Dram(0, 0, 0), NccFixtures.params());

    @Test
    void runWithAnNccAddsTheNccModelsItems() {
        EnergyBreakdown b = EnergyModel.account(CONFIG, 2_000_000, new ProcessorCounters(), MEMORY,
                NccFixtures.activity(), NccFixtures.design());
        assertEquals(2 * 2e-6, b.component("processor"), 1e-21); // static 2 W x 2 us, no MACs
        assertEquals(1e-9, b.component("dram"));
        EnergyBreakdown ncc = new EnergyBreakdown();
        NccEnergyModel.account(CONFIG.ncc(), NccFixtures.activity(), NccFixtures.design(), ncc);
        assertEquals(ncc.items().get("ncc"), b.items().get("ncc"));
        assertEquals(Map.of("processor", 0, "dram", 1, "ncc", 2).keySet(), b.items().keySet());
    }

    @Test
    void baselineRunHasNoNccComponent() {
        EnergyBreakdown b = EnergyModel.account(CONFIG, 2_000_000, new ProcessorCounters(), MEMORY);
        assertFalse(b.items().containsKey("ncc"));
        assertEquals(4e-6 + 1e-9, b.total(), 1e-21);
    }
}
