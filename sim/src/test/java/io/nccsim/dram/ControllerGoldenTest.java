package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.RequestTrace.Entry;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.TensorRole.DataClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The controller's decisions pinned down: for a set of workloads over every standard, both page policies, both
 * schedulers, both refresh modes and one to eight channels, a hash of every command (type, rank, bank group, bank,
 * row, column and cycle, per channel) and of every request's completion. The expected hashes were computed by the
 * controller as it was before its speed work (the code of commit de19601, this test's parent), so
 * an optimisation that changes any command or any completion time, even by one cycle, fails here. A deliberate
 * change of the model's behaviour changes them too: then recompute them (the failure message prints the new value)
 * and say why in the commit.
 *
 * <p>Each workload runs three ways that must agree: the direct replay loop, the replay with the timing checker on
 * (which also re-derives every scheduling decision the controller keeps), and the discrete-event engine with an
 * unrelated event every few nanoseconds, which cuts the controller's issuing into short horizons the way a full
 * simulation does.
 *
 * <p>The direct loop's read latencies are hashed as their exact distribution (each distinct latency with its count)
 * and the first {@link LatencyCounts#FIRST} in order, since that is what the controller keeps; those hashes were
 * recomputed when it stopped keeping every latency in order, after checking that the same hash taken from the
 * ordered list of the code before gave the same values for every case. The engine's hash still covers every
 * request's own times.
 */
class ControllerGoldenTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // LPDDR4, four channels (jetson_nano)
                c("jetson_nano", "stream-reads", 64, "955bc666c3cafaac 89c76ba97c6ebf75 ea1462fbaaf1e685"),
                c("jetson_nano", "random-reads", 64, "9eb90ba0bfdbc958 6987f28e087e632b 673c973a7dd21547"),
                c("jetson_nano", "random-mix-gaps", 64, "11e1492b11743bf9 ea0f7679469dfb61 6a3c3c5f4d555c95"),
                c("jetson_nano", "hot-rows-mix", 64, "57424436769699d2 ca2632a427bc9324 29c64a0e5402fec9"),
                c("jetson_nano", "streams3", 64, "8cac5d511b34d7f3 12c31b99e4ba6276 3c1264315a228eb1"),
                c("jetson_nano", "tiles-mix", 4096, "4c66e83a4e270b37 d9226f1bbb7dfc08 48ef8b51cdd42dd8"),
                c("jetson_nano", "random-mix-gaps", 64, "c2a9ba4ba337960e e3a3efec6090f919 a8653ba6de2df735",
                        "memory.controller.refresh=per_bank"),
                c("jetson_nano", "hot-rows-mix", 64, "21a24c1c19fb9e3b 20e07e051291d969 80bffd2587d6abfa",
                        "memory.controller.refresh=per_bank"),
                c("jetson_nano", "random-mix-gaps", 64, "d7501aae3f5bf20f 1a44071b6784c650 fd35032a1d27f26e",
                        "memory.controller.page_policy=closed", "memory.controller.scheduler=fcfs"),
                c("jetson_nano", "hot-rows-mix", 64, "6087a7fbaabfb2fa 5fce27d96e537a16 96838c1f15159279",
                        "memory.controller.page_policy=closed"),
                c("jetson_nano", "streams3", 64, "eb7169a1e11be80e 472d2c9ac20f24c cd797cc57ad27499",
                        "memory.controller.page_policy=closed"),
                c("jetson_nano", "hot-rows-mix", 64, "8124fc396b0de80 3e3a1ffa0303e24 2dcbe7e79ca337ea",
                        "memory.controller.scheduler=fcfs"),
                c("jetson_nano", "stream-writes-gaps", 64, "98693c3570f3bd73 66e3cbb7bab8e25b b7f0800e39c675b0",
                        "memory.controller.mapping=bank_xor"),
                c("jetson_nano", "write-heavy", 64, "467aed6e41b01ee9 696e836658abe898 2f448893e6d3d7eb"),
                // LPDDR4, one channel and two channels
                c("jetson_nano", "stream-reads", 64, "4047bcc3f97404ec 35256ba7d07be52 780abae513e293b5",
                        "memory.bus_width_bits=16"),
                c("jetson_nano", "random-mix-gaps", 64, "1d4de27879cba387 c52740f9c4984738 ee244496cec2124a",
                        "memory.bus_width_bits=16"),
                c("jetson_nano", "hot-rows-mix", 256, "e4731d771f5af0be a3e8772e4ad3f261 a00bfcf367d2fd87",
                        "memory.bus_width_bits=16", "memory.controller.refresh=per_bank"),
                c("jetson_nano", "stream-reads", 64, "782f18569ab04766 d6d94fbaa8f48881 26022998034d4f70",
                        "memory.bus_width_bits=16", "memory.controller.page_policy=closed"),
                c("rpi4", "stream-reads", 64, "d6b99d83dd29cd46 8f8be3ae5a3d7ef ba501c01416973a"),
                c("rpi4", "random-mix-gaps", 64, "977c09705c8683ee 497ad33eb66dc3e 5ebbff9eaaa5a9c3"),
                c("rpi4", "tiles-mix", 256, "f0c9751bf01ff2ff b4dcc68d01114269 e2512b3c5b96f6c7",
                        "memory.controller.scheduler=fcfs"),
                // LPDDR4X, two channels (rpi5)
                c("rpi5", "stream-reads", 64, "8f60e0909ed9da35 d0745baabf7faa5 9e3848f1ba24938"),
                c("rpi5", "random-mix-gaps", 64, "4a8e964b89ebc967 9642f8090befa4a2 148cc3aba4180f13",
                        "memory.controller.refresh=per_bank"),
                c("rpi5", "streams3", 64, "16ab425ad06f3c7f 30147db09dcefdbb 1e21796d71fabd7c",
                        "memory.controller.page_policy=closed", "memory.controller.refresh=per_bank"),
                // LPDDR5 with bank groups: eight channels (jetson_orin_nano), one and two
                c("jetson_orin_nano", "stream-reads", 64, "c296c2a65856e813 bba5ef397c078820 37d91e3f5c1e7d5a"),
                c("jetson_orin_nano", "random-mix-gaps", 64, "f4afc19bd2258d96 5d9b761c1b22b998 4be67440ec76c327"),
                c("jetson_orin_nano", "hot-rows-mix", 64, "3ac148b8f1c7a969 d135166801c96537 4a88a77300019518",
                        "memory.controller.refresh=per_bank"),
                c("jetson_orin_nano", "stream-reads", 64, "632a744959b732e 1beec85b72e63a1c 6cd3d7f870ca0f63",
                        "memory.bus_width_bits=16", "memory.controller.refresh=per_bank"),
                c("jetson_orin_nano", "random-mix-gaps", 64, "600a9cb563dcb574 d088b375baa354c8 d1b18b71b25e5d59",
                        "memory.bus_width_bits=16", "memory.controller.page_policy=closed"),
                c("jetson_orin_nano", "streams3", 64, "db0e7fb2709b64c3 b74b74cd9776b0f4 89f918691a999537",
                        "memory.bus_width_bits=32", "memory.controller.scheduler=fcfs"),
                c("jetson_orin_nano", "tiles-mix", 4096, "588eb00199d713e9 da96cfc94bb165cd dc76928d7671730d",
                        "memory.bus_width_bits=32", "memory.controller.mapping=bank_xor"));
    }

    /** A case: the hashes of its commands, of the direct loop's completions and of the engine's completions. */
    private static Arguments c(String board, String workload, int requestBytes, String hashes, String... sets) {
        String[] h = hashes.split(" ");
        return Arguments.of(board, workload, requestBytes, List.of(sets), h[0], h[1], h[2]);
    }

    @ParameterizedTest(name = "{0} {1} {2} B {3}")
    @MethodSource("cases")
    void commandsAndCompletionsAreUnchanged(String board, String workload, int requestBytes, List<String> sets,
                                            String commands, String directDone, String engineDone) {
        List<Entry> entries = workload(workload);
        MemoryConfig m = memory(board, sets, false);

        CommandHash direct = new CommandHash(m.channels());
        RequestReplay.Result d = RequestReplay.run(m, RequestReplayTest.source(entries), requestBytes, direct,
                RequestReplay.Driver.DIRECT);
        Hash done = new Hash();
        LatencyCounts latencies = d.memory().activity().readLatencies();
        for (long latency : latencies.distinctValues()) {
            done.add(latency);
            done.add(latencies.count(latency));
        }
        for (long latency : latencies.first(LatencyCounts.FIRST)) {
            done.add(latency);
        }
        done.add(d.endPs());
        done.add(d.lastCompletionPs());
        done.add(d.memory().details().toString().hashCode());

        CommandHash checked = new CommandHash(m.channels());
        RequestReplay.Result k = RequestReplay.run(memory(board, sets, true), RequestReplayTest.source(entries),
                requestBytes, checked, RequestReplay.Driver.DIRECT);

        CommandHash engine = new CommandHash(m.channels());
        long engineHash = engine(m, entries, requestBytes, engine);

        String actual = direct.value() + " " + done.hex() + " " + Long.toHexString(engineHash);
        assertEquals(commands + " " + directDone + " " + engineDone, actual,
                "commands, direct completions, engine completions");
        assertEquals(direct.value(), checked.value(), "commands with the timing checker on");
        assertEquals(0L, k.memory().checker().violationCount());
        assertEquals(direct.value(), engine.value(), "commands in the engine");
    }

    /**
     * The path {@link SampledMemory} takes: detailed traffic, a pause (refreshes due issued, books closed), a
     * fast-forwarded stretch the controller does not see, a resume (banks precharged, refresh phase kept), and
     * traffic again; three rounds.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pauseCases")
    void pausedAndResumedRunsAreUnchanged(String board, List<String> sets, String expected) {
        MemoryConfig m = memory(board, sets, false);
        Simulator sim = new Simulator();
        LpddrMemory mem = new LpddrMemory(sim, m, MemoryModels.timingTable(m), new Stats());
        CommandHash commands = new CommandHash(m.channels());
        mem.setCommandListener(commands);
        List<Entry> entries = workload("hot-rows-mix");
        List<MemRequest> requests = new ArrayList<>();
        long startPs = 0;
        for (int round = 0; round < 3; round++) {
            List<Entry> part = entries.subList(round * 1000, round * 1000 + 1000);
            long base = startPs;
            int[] next = new int[1];
            Runnable[] feed = new Runnable[1];
            feed[0] = () -> {
                while (next[0] < part.size()) {
                    Entry e = part.get(next[0]);
                    MemRequest r = new MemRequest(e.address(), 64, e.write(), DataClass.WEIGHTS, () -> { });
                    if (!mem.offer(r)) {
                        mem.whenSpace(feed[0]);
                        return;
                    }
                    requests.add(r);
                    next[0]++;
                }
            };
            sim.scheduleAt(base, feed[0]);
            sim.run();
            long pausePs = sim.nowPs() + 12_345;
            mem.pauseAt(pausePs);
            startPs = pausePs + 9_876_543; // the fast-forwarded stretch, several refresh intervals
            mem.resumeAt(startPs);
            sim.scheduleAt(startPs, () -> { });
            sim.run();
        }
        mem.finish(sim.nowPs() + 1_000_000);
        Hash h = new Hash();
        for (MemRequest r : requests) {
            h.add(r.acceptedPs());
            h.add(r.firstDataPs());
            h.add(r.completedPs());
        }
        h.add(mem.details().toString().hashCode());
        assertEquals(expected, commands.value() + " " + h.hex(), "commands, completions");
    }

    static Stream<Arguments> pauseCases() {
        return Stream.of(
                Arguments.of("jetson_nano", List.of(), "d86820e85f4abbbe 4d1bef01950dfd10"),
                Arguments.of("jetson_nano", List.of("memory.controller.refresh=per_bank"),
                        "d2631d627f7b41b0 f274f9e65a65d7f9"),
                Arguments.of("jetson_orin_nano", List.of("memory.bus_width_bits=32",
                        "memory.controller.page_policy=closed"), "39912b14dfec191f e765f756b3df55d4"));
    }

    private static MemoryConfig memory(String board, List<String> sets, boolean check) {
        List<String> all = new ArrayList<>(List.of("memory.model=lpddr", "memory.controller.check_timing=" + check));
        all.addAll(sets);
        return SimConfig.load(ProjectFiles.resolve("configs/" + board + ".yaml"), all).memory();
    }

    /**
     * Replays {@code entries} through {@link LpddrMemory} in the engine, each offered not before its cycle and
     * after the one before it, with a do-nothing event every 7 ns; returns a hash of every request's accept,
     * first-data and completion times, in trace order.
     */
    private static long engine(MemoryConfig m, List<Entry> entries, int requestBytes, CommandHash commands) {
        Simulator sim = new Simulator();
        LpddrMemory mem = new LpddrMemory(sim, m, MemoryModels.timingTable(m), new Stats());
        mem.setCommandListener(commands);
        double tCKps = mem.clock().periodPs();
        MemRequest[] requests = new MemRequest[entries.size()];
        int[] completed = new int[1];
        Runnable onDone = () -> completed[0]++;
        Runnable[] feed = new Runnable[1];
        int[] next = new int[1];
        feed[0] = () -> {
            while (next[0] < entries.size()) {
                Entry e = entries.get(next[0]);
                long atPs = mem.clock().cyclesToPs(e.cycle());
                if (atPs > sim.nowPs()) {
                    sim.scheduleAt(atPs, feed[0]);
                    return;
                }
                MemRequest r = new MemRequest(e.address(), requestBytes, e.write(), DataClass.WEIGHTS, onDone);
                if (!mem.offer(r)) {
                    mem.whenSpace(feed[0]);
                    return;
                }
                requests[next[0]++] = r;
            }
        };
        long tickPs = Math.round(7000 / tCKps) * (long) tCKps + 3; // off the DRAM clock's edges
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (completed[0] < entries.size()) {
                sim.scheduleAt(sim.nowPs() + tickPs, tick[0]);
            }
        };
        sim.scheduleAt(0, feed[0]);
        sim.scheduleAt(1, tick[0]);
        sim.run();
        assertEquals(entries.size(), completed[0], "requests completed in the engine");
        Hash h = new Hash();
        for (MemRequest r : requests) {
            h.add(r.acceptedPs());
            h.add(r.firstDataPs());
            h.add(r.completedPs());
        }
        return h.value;
    }

    /** A 64-bit hash of a sequence of longs (a multiply-xorshift mix: any changed, missing or extra value shows). */
    static final class Hash {
        long value = 0x6a09e667f3bcc908L;
        long count;

        void add(long v) {
            long h = (value ^ v) * 0x9e3779b97f4a7c15L;
            value = h ^ (h >>> 29);
            count++;
        }

        String hex() {
            return Long.toHexString(value);
        }
    }

    /** Hashes each channel's commands in the order they issue there, then the channels in order. */
    static final class CommandHash implements java.util.function.Consumer<DramCommand> {
        final Hash[] perChannel;

        CommandHash(int channels) {
            perChannel = new Hash[channels];
            for (int i = 0; i < channels; i++) {
                perChannel[i] = new Hash();
            }
        }

        @Override
        public void accept(DramCommand c) {
            Hash h = perChannel[c.channel()];
            h.add(c.cycle());
            h.add(c.type().ordinal());
            h.add(c.rank());
            h.add(c.bankGroup());
            h.add(c.bank());
            h.add(c.row());
            h.add(c.column());
        }

        String value() {
            Hash all = new Hash();
            for (Hash h : perChannel) {
                all.add(h.value);
                all.add(h.count);
            }
            return all.hex();
        }
    }

    /**
     * The request streams (about 3000 requests each): back-to-back streaming reads; uniformly random reads;
     * random reads and writes in bursts separated by idle gaps of several refresh intervals (refreshes fall due
     * with no traffic); a mix over a few hot rows per bank (row hits that FR-FCFS reorders, row conflicts); three
     * interleaved streams, two reading and one writing; large requests (tiles) reading and writing; streaming
     * writes with gaps; a write-heavy random mix that keeps the write queue draining.
     */
    static List<Entry> workload(String name) {
        List<Entry> entries = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(11);
        boolean gaps = name.endsWith("gaps");
        long cycle = 0;
        int n = 3000;
        long[] hotRows = new long[6];
        for (int i = 0; i < hotRows.length; i++) {
            hotRows[i] = (rnd.nextLong() & ((1L << 30) - 1)) & ~((1L << 16) - 1);
        }
        for (int i = 0; i < n; i++) {
            if (gaps && i % 500 == 0 && i > 0) {
                cycle += 5_000 + rnd.nextInt(20_000);
            } else if (gaps && i % 7 == 0) {
                cycle += rnd.nextInt(40);
            } else if (name.equals("hot-rows-mix") && i % 11 == 0) {
                cycle += rnd.nextInt(60);
            }
            long address;
            boolean write;
            switch (name) {
                case "stream-reads" -> {
                    address = 64L * i;
                    write = false;
                }
                case "stream-writes-gaps" -> {
                    address = (1L << 20) + 64L * i;
                    write = true;
                }
                case "random-reads" -> {
                    address = (rnd.nextLong() & ((1L << 31) - 1)) & ~63L;
                    write = false;
                }
                case "random-mix-gaps" -> {
                    address = (rnd.nextLong() & ((1L << 30) - 1)) & ~63L;
                    write = rnd.nextInt(3) == 0;
                }
                case "write-heavy" -> {
                    address = (rnd.nextLong() & ((1L << 28) - 1)) & ~63L;
                    write = rnd.nextInt(4) != 0;
                }
                case "hot-rows-mix" -> {
                    address = hotRows[rnd.nextInt(hotRows.length)] + (rnd.nextInt(1 << 16) & ~63);
                    write = rnd.nextInt(4) == 0;
                }
                case "streams3" -> {
                    int s = i % 3;
                    address = (s + 1) * (1L << 26) + 64L * (i / 3) * (s == 2 ? 1 : 2);
                    write = s == 2;
                }
                case "tiles-mix" -> {
                    address = (rnd.nextInt(1 << 14) * 4096L);
                    write = rnd.nextInt(5) == 0;
                }
                default -> throw new IllegalArgumentException(name);
            }
            entries.add(new Entry(address, write, cycle, i + 1));
        }
        return entries;
    }
}
