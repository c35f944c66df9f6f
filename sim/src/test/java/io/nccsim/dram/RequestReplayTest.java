package io.nccsim.dram;

import io.nccsim.common.BadInputException;
import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The request replay against latencies derived by hand from the LPDDR4-3200 table (tCK 625 ps, nRCD 29, nRL 28,
 * a 32-byte burst (16-bit channel x BL16) is 8 cycles on the bus, nCCD 8, nRPpb 29), on one 16-bit channel of the
 * jetson_nano memory.
 */
class RequestReplayTest {

    /** jetson_nano's memory on one channel, cycle-level, checked. The config itself says memory.model=ideal. */
    static MemoryConfig oneChannel() {
        return SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"),
                List.of("memory.bus_width_bits=16", "memory.controller.check_timing=true")).memory();
    }

    static RequestTrace.Source source(List<Entry> entries) {
        Iterator<Entry> it = entries.iterator();
        return new RequestTrace.Source() {
            @Override
            public Entry next() {
                return it.hasNext() ? it.next() : null;
            }

            @Override
            public String name() {
                return "test.trace";
            }
        };
    }

    @Test
    void replayUsesTheCycleLevelModelWhateverTheConfigSays() {
        MemoryConfig m = SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"),
                List.of("memory.bus_width_bits=16", "memory.model=ideal")).memory();
        assertEquals(MemoryConfig.Model.IDEAL, m.model());
        RequestReplay.Result r = RequestReplay.run(m, source(List.of(new Entry(0, false, 0, 1))), 32);
        assertEquals(1, r.memory().activity().activates());
    }

    @Test
    void oneBurstReadOfAClosedBankTakes65Cycles() {
        List<DramCommand> commands = new ArrayList<>();
        RequestReplay.Result r = RequestReplay.run(oneChannel(), source(List.of(new Entry(0, false, 0, 1))), 32,
                commands::add);
        // ACT at 0, RD at 29 (nRCD), data in [57, 65).
        assertEquals(DramCommand.Type.ACT, commands.get(0).type());
        assertEquals(0, commands.get(0).cycle());
        assertEquals(DramCommand.Type.RD, commands.get(1).type());
        assertEquals(29, commands.get(1).cycle());
        assertEquals(65 * 625, r.readLatency().avgPs());
        assertEquals(65 * 625, r.readLatency().p50Ps());
        assertEquals(65 * 625, r.readLatency().p99Ps());
        assertEquals(0, r.firstArrivalPs());
        assertEquals(65 * 625, r.lastCompletionPs());
        assertEquals(32 / (65 * 625e-12), r.bandwidthBytesPerS(), 1e-3);
        assertEquals(0, r.memory().checker().violationCount());
    }

    @Test
    void aCacheLineIsTwoBurstsOnASixteenBitChannel() {
        RequestReplay.Result r = RequestReplay.run(oneChannel(), source(List.of(new Entry(0, false, 0, 1))), 64);
        // The second burst's RD follows the first by nCCD = 8: data ends at 65 + 8.
        assertEquals(73 * 625, r.readLatency().avgPs());
        assertEquals(2, r.memory().activity().readBursts());
        assertEquals(1, r.memory().activity().rowHits());
        assertEquals(1, r.memory().activity().rowMisses());
    }

    @Test
    void aRequestWithACycleIsNotIssuedBeforeItAndIsTimedFromThen() {
        List<DramCommand> commands = new ArrayList<>();
        RequestReplay.Result r = RequestReplay.run(oneChannel(), source(List.of(new Entry(0, false, 100, 1))), 32,
                commands::add);
        assertEquals(100, commands.get(0).cycle(), "ACT not before cycle 100");
        assertEquals(65 * 625, r.readLatency().avgPs(), "latency from arrival, not from time 0");
        assertEquals(100 * 625, r.firstArrivalPs());
        assertEquals(165 * 625, r.lastCompletionPs());
    }

    @Test
    void requestsGoInFileOrderEachNotBeforeItsCycle() {
        // Row hit asked for at cycle 100 (RD at 100, data ends 136); row conflict (bank 0, row 1) at cycle 200:
        // PRE 200, ACT 229, RD 258, data ends 294. The third line's cycle 50 is already past: it goes at once
        // after the second was accepted.
        List<DramCommand> commands = new ArrayList<>();
        RequestReplay.Result r = RequestReplay.run(oneChannel(), source(List.of(new Entry(0, false, 0, 1),
                new Entry(32, false, 100, 2), new Entry(16384, false, 200, 3), new Entry(64, true, 50, 4))), 32,
                commands::add);
        assertEquals(4, r.requests());
        assertEquals(3, r.reads());
        assertEquals(1, r.writes());
        assertEquals(128, r.bytes());
        DramActivity a = r.memory().activity();
        assertEquals(2, a.rowConflicts(), "the third read, and the write going back to row 0");
        LatencyCounts lat = a.readLatencies();
        assertEquals(3, lat.size());
        assertEquals((65 + 36 + 94) * 625 / 3.0, lat.mean(), 1e-6);
        DramCommand firstWrite = commands.stream().filter(c -> c.type().isWrite()).findFirst().orElseThrow();
        assertTrue(firstWrite.cycle() >= 200, "the write waited for the request before it: " + firstWrite);
        assertEquals(0, r.memory().checker().violationCount(), r.memory().checker().summary());
    }

    @Test
    void sequentialCacheLinesStreamNearPeakLessRefresh() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 16384; i++) {
            entries.add(new Entry(64L * i, false, 0, i + 1));
        }
        RequestReplay.Result r = RequestReplay.run(oneChannel(), source(entries), 64);
        double share = r.bandwidthBytesPerS() / 6.4e9;
        assertTrue(share > 0.85 && share < 1 - 448.0 / 6246, "share of peak " + share);
        assertEquals(16384L * 64, r.bytes());
        assertEquals(0, r.memory().checker().violationCount());
        assertTrue(r.energy().items().get("dram").keySet().containsAll(
                List.of("activate", "precharge", "read", "write", "refresh", "background")));
    }

    @Test
    void aCycleTooLargeToTimeIsTheUsersError() {
        String msg = assertThrows(BadInputException.class, () -> RequestReplay.run(oneChannel(),
                source(List.of(new Entry(0, false, Long.MAX_VALUE, 7))), 64)).getMessage();
        assertTrue(msg.startsWith("test.trace:7: cycle " + Long.MAX_VALUE + " is out of range"), msg);
    }
}
