package io.nccsim.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SimulatorTest {

    @Test
    void runsActionsInTimeOrderAndSameTimeActionsInSchedulingOrder() {
        Simulator sim = new Simulator();
        List<String> log = new ArrayList<>();
        sim.scheduleAt(300, () -> log.add("c@" + sim.nowPs()));
        sim.scheduleAt(100, () -> log.add("a@" + sim.nowPs()));
        for (int i = 0; i < 5; i++) {
            int k = i;
            sim.scheduleAt(200, () -> log.add("b" + k + "@" + sim.nowPs()));
        }
        sim.scheduleAt(100, () -> {
            log.add("a2@" + sim.nowPs());
            sim.scheduleIn(0, () -> log.add("a3@" + sim.nowPs())); // same time, scheduled later: runs after a2
        });
        sim.run();
        assertEquals(List.of("a@100", "a2@100", "a3@100", "b0@200", "b1@200", "b2@200", "b3@200", "b4@200", "c@300"),
                log);
        assertEquals(300, sim.nowPs());
        assertEquals(9, sim.executedActions());
    }

    @Test
    void keepsOrderUnderManyInterleavedInsertions() {
        // A heap bug shows up as an out-of-order pop somewhere in a long random sequence.
        Simulator sim = new Simulator();
        java.util.Random rnd = new java.util.Random(42);
        long[] last = {-1, -1};
        List<long[]> popped = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            long t = rnd.nextInt(1000);
            long seq = i;
            sim.scheduleAt(t, () -> popped.add(new long[] {sim.nowPs(), seq}));
        }
        sim.run();
        assertEquals(20000, popped.size());
        for (long[] p : popped) {
            assertTrue(p[0] > last[0] || (p[0] == last[0] && p[1] > last[1]), "out of order at " + p[0]);
            last = p;
        }
    }

    @Test
    void refusesToScheduleInThePast() {
        Simulator sim = new Simulator();
        sim.scheduleAt(500, () -> assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(499, () -> { })));
        sim.run();
        assertEquals(1, sim.executedActions());
    }

    @Test
    void runUntilStopsBeforeLaterActions() {
        Simulator sim = new Simulator();
        List<Long> seen = new ArrayList<>();
        for (long t : new long[] {10, 20, 30}) {
            sim.scheduleAt(t, () -> seen.add(sim.nowPs()));
        }
        sim.runUntil(20);
        assertEquals(List.of(10L, 20L), seen);
        assertFalse(sim.idle());
    }

    @Test
    void clockDomainConvertsWithoutAccumulatingRoundingError() {
        ClockDomain gpu = new ClockDomain("gpu", 921e6);
        assertEquals(1086, gpu.cyclesToPs(1));
        // 921 million cycles are exactly one second; a rounded period would drift by about 200 us.
        assertEquals(1_000_000_000_000L, gpu.cyclesToPs(921_000_000L));
        ClockDomain ghz = new ClockDomain("ncc", 1e9);
        assertEquals(2000, ghz.nextEdgePs(1001));
        assertEquals(1000, ghz.nextEdgePs(1000));
        assertEquals(3, ghz.psToCycles(3999));
    }

    @Test
    void creditsPushBackWhenExhaustedAndWakeWaitersInOrder() {
        Simulator sim = new Simulator();
        Stats stats = new Stats();
        Credits slots = new Credits(sim, "q", 2, false, stats);
        assertTrue(slots.tryAcquire(1));
        assertTrue(slots.tryAcquire(1));
        assertFalse(slots.tryAcquire(1), "no credit left: refused, nothing changes");
        assertEquals(2, slots.used());
        List<String> woken = new ArrayList<>();
        slots.whenAvailable(() -> woken.add("first:" + slots.tryAcquire(1)));
        slots.whenAvailable(() -> woken.add("second:" + slots.tryAcquire(1)));
        assertTrue(woken.isEmpty(), "waiters wait for a release");
        slots.release(1);
        assertEquals(List.of("first:true", "second:false"), woken, "the first waiter takes the freed credit");
        assertThrows(IllegalStateException.class, () -> slots.release(3));
    }

    @Test
    void oversizeRequestPassesAloneWhenAllowed() {
        Simulator sim = new Simulator();
        Credits buffer = new Credits(sim, "buf", 100, true, new Stats());
        assertTrue(buffer.tryAcquire(150), "an empty buffer streams an oversized tile");
        assertFalse(buffer.tryAcquire(1));
        buffer.release(150);
        Credits strict = new Credits(sim, "strict", 100, false, new Stats());
        assertFalse(strict.tryAcquire(150));
    }

    @Test
    void occupancyIsRecordedTimeWeighted() {
        Simulator sim = new Simulator();
        Stats stats = new Stats();
        Credits c = new Credits(sim, "buf", 10, false, stats);
        sim.scheduleAt(0, () -> c.tryAcquire(4));
        sim.scheduleAt(100, () -> c.release(4));
        sim.run();
        assertEquals(4 * 100 / 200.0, stats.gauges().get("buf.occupancy").mean(200), 1e-12);
        assertEquals(4, stats.gauges().get("buf.occupancy").max());
    }

    @Test
    void timeWeightedMeanWeighsLevelsByDuration() {
        TimeWeighted g = new TimeWeighted();
        g.set(0, 2);
        g.set(100, 4);
        assertEquals((2 * 100 + 4 * 300) / 400.0, g.mean(400), 1e-12);
        assertEquals(4, g.max());
    }
}
