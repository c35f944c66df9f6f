package io.nccsim.bench;

import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.LpddrMemory;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemoryModels;
import io.nccsim.engine.Simulator;
import io.nccsim.engine.Stats;
import io.nccsim.trace.TensorRole.DataClass;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated 64-byte memory requests per second of the cycle-level LPDDR model on one core: streaming reads
 * (sequential addresses) and uniformly random reads, each replayed through the controller's front end with
 * back-pressure, as the simulator's hot loop runs them. Run from the project root:
 *
 * <pre>mvn -q -Pbench package -DskipTests && java -cp sim/target/nccsim.jar org.openjdk.jmh.Main DramBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class DramBench {
    static final int REQUESTS = 200_000;

    @Param({"configs/jetson_nano.yaml"})
    public String config;

    private MemoryConfig memory;
    private long[] randomAddresses;

    @Setup
    public void setup() {
        memory = SimConfig.load(Path.of(config), List.of("memory.model=lpddr")).memory();
        SplittableRandom rnd = new SplittableRandom(1);
        randomAddresses = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            randomAddresses[i] = (rnd.nextLong() & ((1L << 31) - 1)) & ~63L;
        }
    }

    /** Offers requests in order, waiting when the controller pushes back; returns the simulated end time. */
    private long replay(long[] addresses) {
        Simulator sim = new Simulator();
        LpddrMemory mem = new LpddrMemory(sim, memory, MemoryModels.timingTable(memory), new Stats());
        Feeder f = new Feeder(sim, mem, addresses);
        sim.scheduleAt(0, f::feed);
        sim.run();
        if (f.completed != addresses.length) {
            throw new IllegalStateException("lost requests: " + f.completed);
        }
        return sim.nowPs();
    }

    private static final class Feeder {
        final Simulator sim;
        final LpddrMemory mem;
        final long[] addresses;
        int next;
        int completed;

        Feeder(Simulator sim, LpddrMemory mem, long[] addresses) {
            this.sim = sim;
            this.mem = mem;
            this.addresses = addresses;
        }

        void feed() {
            while (next < addresses.length) {
                MemRequest r = new MemRequest(addresses[next], 64, false, DataClass.WEIGHTS, () -> completed++);
                if (!mem.offer(r)) {
                    mem.whenSpace(this::feed);
                    return;
                }
                next++;
            }
        }
    }

    private static long[] sequential() {
        long[] a = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            a[i] = 64L * i;
        }
        return a;
    }

    private final long[] streaming = sequential();

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long streamingReads() {
        return replay(streaming);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long randomReads() {
        return replay(randomAddresses);
    }
}
