package io.nccsim.dram;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyCountsTest {
    /** The nearest-rank quantile of a sorted list: what the counts must give without keeping the list. */
    private static long reference(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Test
    void countsGiveWhatTheSortedListGives() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int round = 0; round < 40; round++) {
            LatencyCounts counts = new LatencyCounts();
            int n = 1 + rnd.nextInt(5000);
            int distinct = 1 + rnd.nextInt(round % 2 == 0 ? 8 : 3000); // few values (runs repeat) and many (growth)
            long[] values = new long[n];
            long last = 0;
            for (int i = 0; i < n; i++) {
                // runs of equal values, as a stream of reads gives, and jumps among the distinct ones
                values[i] = rnd.nextInt(4) == 0 || i == 0 ? 625L * rnd.nextInt(distinct) - 3000 : last;
                last = values[i];
                counts.add(values[i]);
            }
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            assertEquals(n, counts.size());
            for (double q : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1}) {
                assertEquals(reference(sorted, q), counts.quantile(q), "q " + q + " round " + round);
            }
            assertEquals((double) Arrays.stream(values).sum() / n, counts.mean(), 1e-9);
            assertArrayEquals(Arrays.copyOf(values, Math.min(n, LatencyCounts.FIRST)),
                    counts.first(LatencyCounts.FIRST));
            long[] unique = Arrays.stream(sorted).distinct().toArray();
            assertArrayEquals(unique, counts.distinctValues());
            long total = 0;
            for (long v : unique) {
                long c = Arrays.stream(values).filter(x -> x == v).count();
                assertEquals(c, counts.count(v), "count of " + v);
                total += c;
            }
            assertEquals(n, total);
            assertEquals(0, counts.count(1)); // not a multiple of 625 minus 3000
        }
    }

    @Test
    void clearForgetsEverythingAndEmptyIsZero() {
        LatencyCounts counts = new LatencyCounts();
        assertEquals(0, counts.quantile(0.5));
        assertEquals(0, counts.mean());
        for (int i = 0; i < 500; i++) {
            counts.add(i);
        }
        counts.clear();
        assertEquals(0, counts.size());
        assertEquals(0, counts.distinctValues().length);
        assertEquals(0, counts.count(7));
        counts.add(42);
        counts.add(42);
        counts.add(7);
        assertEquals(42, counts.quantile(1.0));
        assertEquals(7, counts.quantile(0.2));
        assertArrayEquals(new long[] {42, 42, 7}, counts.first(10));
        assertThrows(IllegalArgumentException.class, () -> counts.add(Long.MIN_VALUE));
    }
}
