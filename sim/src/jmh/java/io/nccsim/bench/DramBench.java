package io.nccsim.bench;

import io.nccsim.config.MemoryConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.LpddrMemory;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemoryModels;
import io.nccsim.dram.RequestReplay;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.RequestTraceReader;
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

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated 64-byte memory requests per second of the cycle-level LPDDR model on one core: streaming reads
 * (sequential addresses) and uniformly random reads, each replayed through the controller's front end with
 * back-pressure. Two drivers: the direct replay loop of {@code nccsim dram} ({@link RequestReplay.Driver#DIRECT},
 * the benchmarks without a suffix), and the discrete-event engine with {@link LpddrMemory}, as a full simulation
 * drives the memory ({@code ...InEngine}); a test holds both to the same commands. {@code streamingReadsFromText}
 * replays the streaming reads parsed from DRAMSim3 text, as {@code nccsim dram} does from a file. Run from the
 * project root:
 *
 * <pre>mvn -q -Pbench package -DskipTests && java -cp sim/target/nccsim.jar org.openjdk.jmh.Main DramBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
// Five warm-up iterations: on a busy 2-core machine the JIT needs three or four before the controller's code is
// compiled, and a measured iteration still warming up understates it.
@Warmup(iterations = 5, time = 2)
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

    // The streaming requests as DRAMSim3 text, as nccsim dram reads them from a file.
    private final byte[] streamingText = dramsim3Text(streaming);

    private static byte[] dramsim3Text(long[] addresses) {
        StringBuilder sb = new StringBuilder();
        for (long a : addresses) {
            sb.append("0x").append(Long.toHexString(a)).append(" READ 0\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The direct replay loop over the same requests; returns the simulated end time. */
    private long direct(long[] addresses) {
        RequestReplay.Result r = RequestReplay.run(memory, source(addresses), 64, null, RequestReplay.Driver.DIRECT);
        if (r.requests() != addresses.length) {
            throw new IllegalStateException("lost requests: " + r.requests());
        }
        return r.endPs();
    }

    private static RequestTrace.Source source(long[] addresses) {
        return new RequestTrace.Source() {
            int next;

            @Override
            public RequestTrace.Entry next() {
                return next < addresses.length ? new RequestTrace.Entry(addresses[next], false, 0, ++next) : null;
            }

            @Override
            public String name() {
                return "bench";
            }
        };
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long streamingReads() {
        return direct(streaming);
    }

    /** Streaming reads parsed from DRAMSim3 text on the way in, as {@code nccsim dram --requests FILE} replays. */
    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long streamingReadsFromText() {
        try (RequestTraceReader reader = RequestTraceReader.of(new ByteArrayInputStream(streamingText), "bench",
                RequestTrace.Format.DRAMSIM3)) {
            RequestReplay.Result r = RequestReplay.run(memory, reader, 64, null, RequestReplay.Driver.DIRECT);
            if (r.requests() != REQUESTS) {
                throw new IllegalStateException("lost requests: " + r.requests());
            }
            return r.endPs();
        }
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long randomReads() {
        return direct(randomAddresses);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long streamingReadsInEngine() {
        return replay(streaming);
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long randomReadsInEngine() {
        return replay(randomAddresses);
    }
}
