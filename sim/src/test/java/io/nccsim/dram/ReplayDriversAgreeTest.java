package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct replay loop and the discrete-event engine drive the same controller; they must give the same commands
 * at the same cycles on every channel, and the same measurements. The workloads leave channels idle across
 * refresh intervals (the case where a controller that looked at the caller's time would differ), and cover each
 * standard, both refresh modes, both page policies and both schedulers.
 */
class ReplayDriversAgreeTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("jetson_nano", List.of(), "streaming"),
                Arguments.of("jetson_nano", List.of(), "random-mix-gaps"),
                Arguments.of("jetson_nano", List.of("memory.controller.refresh=per_bank"), "random-mix-gaps"),
                Arguments.of("jetson_nano", List.of("memory.controller.page_policy=closed",
                        "memory.controller.scheduler=fcfs"), "random-mix-gaps"),
                Arguments.of("jetson_nano", List.of("memory.controller.mapping=bank_xor"), "streaming-writes-gaps"),
                Arguments.of("rpi5", List.of("memory.controller.refresh=per_bank"), "random-mix-gaps"),
                Arguments.of("jetson_orin_nano", List.of(), "random-mix-gaps"),
                Arguments.of("jetson_orin_nano", List.of("memory.controller.refresh=per_bank"), "streaming"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void directLoopAndEngineIssueTheSameCommands(String board, List<String> sets, String workload) {
        List<String> all = new ArrayList<>(List.of("memory.controller.check_timing=true"));
        all.addAll(sets);
        MemoryConfig m = SimConfig.load(ProjectFiles.resolve("configs/" + board + ".yaml"), all).memory();
        List<Entry> entries = workload(workload);

        List<DramCommand> direct = new ArrayList<>();
        List<DramCommand> engine = new ArrayList<>();
        RequestReplay.Result d = RequestReplay.run(m, RequestReplayTest.source(entries), 64, direct::add,
                RequestReplay.Driver.DIRECT);
        RequestReplay.Result e = RequestReplay.run(m, RequestReplayTest.source(entries), 64, engine::add,
                RequestReplay.Driver.ENGINE);

        assertTrue(d.memory().activity().allBankRefreshes() + d.memory().activity().perBankRefreshes() > 0,
                "the workload is long enough to refresh");
        for (int ch = 0; ch < m.channels(); ch++) {
            assertEquals(onChannel(engine, ch), onChannel(direct, ch), "commands of channel " + ch);
        }
        assertEquals(e.requests(), d.requests());
        assertEquals(e.firstArrivalPs(), d.firstArrivalPs());
        assertEquals(e.lastCompletionPs(), d.lastCompletionPs());
        assertEquals(e.endPs(), d.endPs());
        assertEquals(e.readLatency(), d.readLatency());
        assertEquals(e.memory().details(), d.memory().details());
        assertEquals(total(e.energy()), total(d.energy()));
        assertEquals(0L, d.memory().checker().violationCount());
    }

    private static double total(EnergyBreakdown b) {
        return b.total();
    }

    private static List<DramCommand> onChannel(List<DramCommand> all, int channel) {
        return all.stream().filter(c -> c.channel() == channel).toList();
    }

    /**
     * Request streams: back-to-back streaming reads; random reads and writes in bursts separated by idle gaps
     * of several refresh intervals; streaming writes with gaps.
     */
    private static List<Entry> workload(String name) {
        List<Entry> entries = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(7);
        long cycle = 0;
        int n = 6000;
        for (int i = 0; i < n; i++) {
            boolean gaps = name.endsWith("gaps");
            if (gaps && i % 500 == 0 && i > 0) {
                cycle += 5_000 + rnd.nextInt(20_000); // idle: refreshes fall due with no traffic
            } else if (gaps && i % 7 == 0) {
                cycle += rnd.nextInt(40);
            }
            long address;
            boolean write;
            if (name.startsWith("random")) {
                address = (rnd.nextLong() & ((1L << 30) - 1)) & ~63L;
                write = rnd.nextInt(3) == 0;
            } else {
                address = 64L * i;
                write = name.contains("writes");
            }
            entries.add(new Entry(address, write, gaps ? cycle : 0, i + 1));
        }
        return entries;
    }
}
