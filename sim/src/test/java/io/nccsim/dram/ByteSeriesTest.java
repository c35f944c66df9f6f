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

    @Test
    void countersRecordAtAcceptance() {
        MemoryCounters c = new MemoryCounters();
        MemRequest r = new MemRequest(0, 64, false, io.nccsim.trace.TensorRole.DataClass.WEIGHTS, () -> { });
        r.markAccepted(3_000);
        c.record(r, 0);
        assertEquals(64, c.series(4_000).readBytes()[3]);
    }
}
