package io.nccsim.bench;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.codec.HuffmanDecoder;
import io.nccsim.codec.HuffmanEncoder;
import io.nccsim.codec.MultiStreamLayout;
import io.nccsim.codec.MultiStreamLayout.Split;
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

import java.util.SplittableRandom;

/**
 * Symbols per second of the bit-exact Huffman coder on one core, through the multi-stream block layout, for int4
 * (limit 12: one direct table) and int8 (limit 16: a two-level table) quantized-Laplacian symbols in blocks of
 * 16384. Run from the project root:
 *
 * <pre>mvn -q -Pbench package -DskipTests && java -cp sim/target/nccsim.jar org.openjdk.jmh.Main HuffmanBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class HuffmanBench {
    static final int BLOCKS = 64;
    static final int BLOCK_SYMBOLS = 16384;

    @Param({"4", "8"})
    public int bits;

    @Param({"1", "8"})
    public int streams;

    private byte[] symbols;
    private byte[][] blocks;
    private byte[] out;
    private MultiStreamLayout layout;
    private HuffmanEncoder encoder;
    private HuffmanDecoder decoder;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(1);
        int half = 1 << (bits - 1);
        double scale = bits == 4 ? 1.5 : 12;
        symbols = new byte[BLOCKS * BLOCK_SYMBOLS];
        long[] counts = new long[1 << bits];
        for (int i = 0; i < symbols.length; i++) {
            double u = rnd.nextDouble() - 0.5;
            long q = Math.round(-scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
            symbols[i] = (byte) (Math.max(-half, Math.min(half - 1, q)) + half);
            counts[symbols[i] & 0xFF]++;
        }
        HuffmanCode code = HuffmanCode.build(counts, bits == 4 ? 12 : 16);
        encoder = new HuffmanEncoder(code);
        decoder = new HuffmanDecoder(code);
        layout = MultiStreamLayout.of(streams, Split.INTERLEAVED);
        blocks = new byte[BLOCKS][];
        for (int b = 0; b < BLOCKS; b++) {
            blocks[b] = layout.encode(symbols, b * BLOCK_SYMBOLS, (b + 1) * BLOCK_SYMBOLS, encoder).bytes();
        }
        out = new byte[symbols.length];
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS * BLOCK_SYMBOLS)
    public long encode() {
        long bytes = 0;
        for (int b = 0; b < BLOCKS; b++) {
            bytes += layout.encode(symbols, b * BLOCK_SYMBOLS, (b + 1) * BLOCK_SYMBOLS, encoder).bytes().length;
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCKS * BLOCK_SYMBOLS)
    public byte[] decode() {
        for (int b = 0; b < BLOCKS; b++) {
            layout.decode(blocks[b], 0, blocks[b].length, BLOCK_SYMBOLS, decoder, out, b * BLOCK_SYMBOLS);
        }
        return out;
    }
}
