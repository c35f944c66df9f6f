package io.nccsim.dram;

import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The direct replay's completion queue: earliest first, first in first out among equal times, whatever the order. */
class CompletionQueueTest {

    private static MemRequest request(long address) {
        return new MemRequest(address, 64, false, DataClass.WEIGHTS, () -> { });
    }

    @Test
    void givesTheEarliestFirstAndEqualTimesInTheOrderQueued() {
        CompletionQueue q = new CompletionQueue();
        MemRequest a = request(0);
        MemRequest b = request(64);
        MemRequest c = request(128);
        MemRequest d = request(192);
        q.add(300, a);
        q.add(100, b); // a write finishing before an earlier read: walks back over it
        q.add(300, c); // same time as a: after it
        q.add(200, d);
        assertEquals(100, q.peekTimePs());
        assertSame(b, q.poll());
        assertSame(d, q.poll());
        assertSame(a, q.poll());
        assertSame(c, q.poll());
        assertEquals(Long.MAX_VALUE, q.peekTimePs());
        assertThrows(IllegalStateException.class, q::poll);
    }

    @Test
    void keepsItsOrderAcrossTheRingsEndAndWhenItGrows() {
        CompletionQueue q = new CompletionQueue();
        List<MemRequest> expected = new ArrayList<>();
        // Push the head round the ring first, then fill past the first capacity (64) in a scrambled order.
        for (int i = 0; i < 50; i++) {
            q.add(i, request(i));
            q.poll();
        }
        long[] times = new long[200];
        for (int i = 0; i < times.length; i++) {
            times[i] = 1000 + (i * 37L) % 200; // a permutation of 1000..1199
        }
        MemRequest[] byTime = new MemRequest[200];
        for (long t : times) {
            MemRequest r = request(t);
            byTime[(int) (t - 1000)] = r;
            q.add(t, r);
        }
        for (MemRequest r : byTime) {
            expected.add(r);
        }
        assertEquals(200, q.size());
        for (int i = 0; i < 200; i++) {
            assertEquals(1000 + i, q.peekTimePs());
            assertSame(expected.get(i), q.poll());
        }
    }

    @Test
    void onlyACompletedRequestIsReused() {
        MemRequest r = request(0);
        assertThrows(IllegalStateException.class, () -> r.reuse(64, 64, true));
        r.markAccepted(5);
        r.complete(10);
        r.reuse(4096, 128, true);
        assertEquals(4096, r.address());
        assertEquals(128, r.bytes());
        assertEquals(true, r.isWrite());
        assertEquals(-1, r.acceptedPs());
        assertEquals(-1, r.completedPs());
        assertEquals(-1, r.firstDataPs());
    }
}
