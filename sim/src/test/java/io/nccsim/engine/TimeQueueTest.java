package io.nccsim.engine;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The event queue against java.util.PriorityQueue ordered by (time, order of adding), over random traffic. */
class TimeQueueTest {
    private record Item(long timePs, long order) {
    }

    @Test
    void takesItemsInTimeOrderAndFirstInFirstOutAmongEqualTimes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 40; round++) {
            TimeQueue<Item> q = new TimeQueue<>();
            PriorityQueue<Item> ref = new PriorityQueue<>(
                    Comparator.comparingLong(Item::timePs).thenComparingLong(Item::order));
            long now = 0;
            long order = 0;
            // Few distinct times in some rounds (many ties), a wide spread in others; sizes from empty to past the
            // first growth (1024), so that every depth and a partly filled last group of children occur.
            int spread = round % 3 == 0 ? 4 : 1_000_000;
            int target = 1 + rnd.nextInt(round < 20 ? 64 : 5000);
            for (int step = 0; step < 20_000; step++) {
                boolean add = ref.isEmpty() || (ref.size() < target ? rnd.nextInt(4) != 0 : rnd.nextInt(4) == 0);
                if (add) {
                    Item it = new Item(now + rnd.nextInt(spread), order++);
                    q.add(it.timePs(), it);
                    ref.add(it);
                } else {
                    assertEquals(ref.peek().timePs(), q.peekTimePs(), "round " + round + " step " + step);
                    Item expected = ref.poll();
                    assertSame(expected, q.poll(), "round " + round + " step " + step);
                    now = expected.timePs(); // as the engine: nothing is added before the present
                }
                assertEquals(ref.size(), q.size());
            }
            while (!ref.isEmpty()) {
                assertSame(ref.poll(), q.poll());
            }
            assertTrue(q.isEmpty());
            assertEquals(Long.MAX_VALUE, q.peekTimePs());
        }
        assertThrows(IllegalStateException.class, () -> new TimeQueue<Item>().poll());
    }
}
