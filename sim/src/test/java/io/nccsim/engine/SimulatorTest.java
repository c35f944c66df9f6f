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
    void boundedQueuePushesBackWhenFullAndWakesWaitersInOrder() {
        Simulator sim = new Simulator();
        Stats stats = new Stats();
        BoundedQueue<Integer> q = new BoundedQueue<>(sim, "q", 2, stats);
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertFalse(q.offer(3), "a full queue refuses");
        assertEquals(2, q.size());
        List<String> woken = new ArrayList<>();
        q.whenSpace(() -> woken.add("first:" + q.offer(3)));
        q.whenSpace(() -> woken.add("second:" + q.offer(4)));
        assertTrue(woken.isEmpty(), "waiters wait while the queue is full");
        assertEquals(1, q.poll());
        assertEquals(List.of("first:true"), woken, "one freed slot wakes one waiter, which refills it");
        assertEquals(2, q.poll());
        assertEquals(List.of("first:true", "second:true"), woken);
        assertEquals(3, q.poll());
        assertEquals(4, q.poll());
        assertNull(q.poll());
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
