package io.nccsim.dram;

import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.engine.Simulator;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The recording decorator reports accepted requests only, with their time, and passes everything else through. */
class RecordingMemoryTest {

    /** A memory that refuses every other offer and remembers what it was told. */
    static final class Fake implements MemorySystem {
        final MemoryCounters counters = new MemoryCounters();
        final List<String> calls = new ArrayList<>();
        int offers;

        @Override
        public boolean offer(MemRequest request) {
            return offers++ % 2 == 1;
        }

        @Override
        public void whenSpace(Runnable waiter) {
            calls.add("whenSpace");
            waiter.run();
        }

        @Override
        public MemoryCounters counters() {
            return counters;
        }

        @Override
        public void beginStep(boolean decode, boolean last) {
            calls.add("beginStep " + decode + " " + last);
        }

        @Override
        public void finish(long endPs) {
            calls.add("finish " + endPs);
        }

        @Override
        public Map<String, Number> details() {
            return Map.of("x", 1);
        }

        @Override
        public void addEnergy(EnergyBreakdown energy, long simTimePs) {
            energy.add("dram", "read", simTimePs);
        }
    }

    @Test
    void reportsWhatIsAcceptedAndPassesEverythingThrough() {
        Simulator sim = new Simulator();
        Fake fake = new Fake();
        List<String> seen = new ArrayList<>();
        RecordingMemory m = new RecordingMemory(sim, fake, (r, ps) -> seen.add(r.address() + "@" + ps));
        sim.scheduleAt(500, () -> {
            MemRequest r = new MemRequest(0x40, 64, false, DataClass.WEIGHTS, () -> { });
            assertFalse(m.offer(r), "refused offers are passed back");
            m.whenSpace(() -> assertTrue(m.offer(r)));
        });
        sim.run();
        assertEquals(List.of("64@500"), seen, "one report, for the accepted offer");
        m.beginStep(true, false);
        m.finish(9);
        assertEquals(List.of("whenSpace", "beginStep true false", "finish 9"), fake.calls);
        assertSame(fake.counters, m.counters());
        assertEquals(Map.of("x", 1), m.details());
        EnergyBreakdown e = new EnergyBreakdown();
        m.addEnergy(e, 7);
        assertEquals(7.0, e.total());
        assertSame(fake, m.delegate());
    }
}
