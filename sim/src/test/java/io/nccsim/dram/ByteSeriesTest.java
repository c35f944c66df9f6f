package io.nccsim.dram;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ByteSeriesTest {
    @Test
    void shortRunsKeepOneNanosecondWindows() {
        ByteSeries s = new ByteSeries();
        s.add(0, 64, false);
        s.add(999, 32, false);   // still window 0 (0..1 ns)
        s.add(1_000, 16, true);  // window 1
        ByteSeries.Snapshot snap = s.snapshot(1_500);
        assertEquals(1_000, snap.windowPs());
        assertArrayEquals(new long[] {96, 0}, snap.readBytes());
        assertArrayEquals(new long[] {0, 16}, snap.writtenBytes());
    }

    @Test
    void windowsWidenTenfoldAndMergeTheirBytes() {
        ByteSeries s = new ByteSeries();
        s.add(1_500, 10, false);          // 1 ns window 1
        s.add(19_999, 20, false);         // 1 ns window 19
        s.add(2_000_000 * 1000L, 5, true); // 2 ms: beyond 2000 windows of 1 ns and of 10 ns ... of 100 ns
        ByteSeries.Snapshot snap = s.snapshot(2_000_000 * 1000L + 1);
        // 2 ms + 1 ps over at most 2000 windows: 1 us is too fine (2001 windows), 10 us gives 201.
        assertEquals(10_000_000, snap.windowPs());
        assertEquals(201, snap.readBytes().length);
        assertEquals(30, snap.readBytes()[0], "both reads fall in the first 10 us");
        assertEquals(5, snap.writtenBytes()[200]);
        assertEquals(30, Arrays.stream(snap.readBytes()).sum());
    }

    @Test
    void theRunEndAloneCanWidenTheWindow() {
        ByteSeries s = new ByteSeries();
        s.add(0, 1, false);
        ByteSeries.Snapshot snap = s.snapshot(5_000_000); // 5 us: 5000 windows of 1 ns are too many
        assertEquals(10_000, snap.windowPs());
        assertEquals(500, snap.readBytes().length);
    }

    /**
     * The series remembers the window of the last request; times that go back (a write completing before an
     * earlier read's window), jump far ahead (widening the windows) or repeat must still land where a division
     * puts them. The reference here divides every time, with the window the series ends with.
     */
    @Test
    void rememberedWindowGivesWhatADivisionGives() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        ByteSeries s = new ByteSeries();
        long[] at = new long[5_000];
        long t = 0;
        for (int i = 0; i < at.length; i++) {
            int step = rnd.nextInt(1000);
            t = step < 100 ? Math.max(0, t - rnd.nextLong(50_000)) // back in time
                    : step < 103 ? t + rnd.nextLong(20_000_000L) // far ahead: the windows widen
                    : t + rnd.nextLong(2_000); // the common case: a little later, often the same window
            at[i] = t;
            s.add(t, i + 1, (i & 1) == 1);
        }
        long end = Arrays.stream(at).max().orElseThrow() + 1;
        ByteSeries.Snapshot snap = s.snapshot(end);
        long[] read = new long[snap.readBytes().length];
        long[] written = new long[snap.writtenBytes().length];
        for (int i = 0; i < at.length; i++) {
            int w = (int) (at[i] / snap.windowPs());
            if ((i & 1) == 1) {
                written[w] += i + 1;
            } else {
                read[w] += i + 1;
            }
        }
        assertTrue(snap.windowPs() > 1_000, "the test must have widened the windows: " + snap.windowPs());
        assertArrayEquals(read, snap.readBytes());
        assertArrayEquals(written, snap.writtenBytes());
    }

    @Test
    void countersRecordAtAcceptance() {
        MemoryCounters c = new MemoryCounters();
        MemRequest r = new MemRequest(0, 64, false, io.nccsim.trace.TensorRole.DataClass.WEIGHTS, () -> { });
        r.markAccepted(3_000);
        c.record(r, 0);
        assertEquals(64, c.series(4_000).readBytes()[3]);
    }
}
