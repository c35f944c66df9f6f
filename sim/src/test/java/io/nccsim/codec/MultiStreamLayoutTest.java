package io.nccsim.codec;

import io.nccsim.codec.MultiStreamLayout.Split;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class MultiStreamLayoutTest {
    private static final int[] SIZES = {0, 1, 2, 7, 31, 33, 257, 4099};

    private static byte[] decode(MultiStreamLayout layout, StreamedBlock block, HuffmanCode code) {
        byte[] out = new byte[block.symbols()];
        layout.decode(block.bytes(), 0, block.bytes().length, block.symbols(), new HuffmanDecoder(code), out, 0);
        return out;
    }

    /** Symbols stream k holds, picked out independently of the layout's own index arithmetic. */
    private static long[] streamHistogram(byte[] symbols, int n, int streams, int k, Split split, int alphabet) {
        long[] h = new long[alphabet];
        for (int i = 0; i < n; i++) {
            boolean mine = split == Split.INTERLEAVED ? i % streams == k : chunkOf(i, n, streams) == k;
            if (mine) {
                h[symbols[i] & 0xFF]++;
            }
        }
        return h;
    }

    // Stream k of a chunked block covers [floor(k*n/N), floor((k+1)*n/N)): find k by search, not by inversion.
    private static int chunkOf(int i, int n, int streams) {
        for (int k = 0; k < streams; k++) {
            if ((long) (k + 1) * n / streams > i) {
                return k;
            }
        }
        throw new AssertionError();
    }

    @Test
    void roundTripsAndAccountsEveryBitForOneTo32Streams() {
        SplittableRandom rnd = new SplittableRandom(31);
        byte[] symbols = SyntheticSymbols.laplacian(rnd, 4099, 4, 1.2);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, symbols.length, 16), 12);
        HuffmanEncoder enc = new HuffmanEncoder(code);
        for (Split split : Split.values()) {
            for (int streams = 1; streams <= 32; streams++) {
                for (int align : new int[] {1, 4}) {
                    MultiStreamLayout layout = new MultiStreamLayout(split, streams, align,
                            MultiStreamLayout.AUTO_OFFSET_BITS);
                    for (int n : SIZES) {
                        int from = (symbols.length - n) / 3; // an odd, nonzero start where possible
                        StreamedBlock b = layout.encode(symbols, from, from + n, enc);
                        String where = split + " N=" + streams + " align=" + align + " n=" + n;
                        assertArrayEquals(Arrays.copyOfRange(symbols, from, from + n), decode(layout, b, code), where);
                        long payload = 0;
                        long padding = 0;
                        long[] perStream = b.streamPayloadBits();
                        byte[] window = Arrays.copyOfRange(symbols, from, from + n);
                        for (int k = 0; k < streams; k++) {
                            long bits = SyntheticSymbols.codedBits(
                                    streamHistogram(window, n, streams, k, split, 16), code);
                            assertEquals(bits, perStream[k], where + " stream " + k);
                            payload += bits;
                            padding += (8L * align - bits % (8L * align)) % (8L * align);
                        }
                        int entryBits = layout.headerEntryBits(n, code.maxLength());
                        long headerBits = (long) streams * entryBits;
                        padding += (8L * align - headerBits % (8L * align)) % (8L * align);
                        assertEquals(payload, b.payloadBits(), where);
                        assertEquals(headerBits, b.headerBits(), where);
                        assertEquals(padding, b.paddingBits(), where);
                        assertEquals(8L * b.bytes().length, b.headerBits() + b.payloadBits() + b.paddingBits(),
                                where);
                        assertEquals(0, b.bytes().length % align, where);
                    }
                }
            }
        }
    }

    @Test
    void autoOffsetsAreSizedFromTheLargestPossibleBlock() {
        MultiStreamLayout layout = MultiStreamLayout.of(4, Split.CHUNKED);
        // 16384 symbols at up to 12 bits: 4 streams of 4096 x 12 bits = 6144 bytes each, 24576 in all: 15 bits.
        assertEquals(15, layout.headerEntryBits(16384, 12));
        assertEquals((4 * 15 + 7) / 8, layout.headerBytes(16384, 12));
        assertEquals(32, new MultiStreamLayout(Split.CHUNKED, 4, 1, 32).headerEntryBits(16384, 12));
        assertEquals(1, layout.headerEntryBits(0, 12), "an empty block still has its header of zero offsets");
    }

    @Test
    void headerEntriesAreTheStreamEnds() {
        byte[] symbols = {0, 1, 2, 3, 0, 0, 0, 1};
        HuffmanCode code = HuffmanCode.build(new long[] {4, 2, 1, 1}, 8); // lengths 1,2,3,3
        MultiStreamLayout layout = new MultiStreamLayout(Split.CHUNKED, 2, 1, 8);
        StreamedBlock b = layout.encode(symbols, 0, 8, new HuffmanEncoder(code));
        // Stream 0: 0 1 2 3 -> 1+2+3+3 = 9 bits = 2 bytes; stream 1: 0 0 0 1 -> 5 bits = 1 byte.
        assertArrayEquals(new byte[] {2, 3, 0b0101_1011, (byte) 0b1000_0000, (byte) 0b0001_0000}, b.bytes());
    }

    @Test
    void oneSymbolAlphabetAndFixedWidthOffsetsRoundTrip() {
        byte[] symbols = new byte[1000];
        Arrays.fill(symbols, (byte) 5);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 1000, 16), 12);
        for (int offsetBits : new int[] {16, 32}) {
            for (Split split : Split.values()) {
                MultiStreamLayout layout = new MultiStreamLayout(split, 3, 4, offsetBits);
                StreamedBlock b = layout.encode(symbols, 0, 999, new HuffmanEncoder(code));
                assertEquals(999, b.payloadBits(), "one bit per symbol");
                assertArrayEquals(Arrays.copyOf(symbols, 999), decode(layout, b, code));
            }
        }
    }

    @Test
    void staticConvenienceRoundTrips() {
        byte[] symbols = SyntheticSymbols.geometric(new SplittableRandom(3), 777, 256, 0.9);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 777, 256), 16);
        byte[] block = MultiStreamLayout.encode(symbols, 0, 777, code, 8, Split.INTERLEAVED);
        assertArrayEquals(symbols, MultiStreamLayout.decode(block, 777, code, 8, Split.INTERLEAVED));
    }

    @Test
    void offsetsTooNarrowForTheBlockAreRefused() {
        byte[] symbols = SyntheticSymbols.geometric(new SplittableRandom(4), 5000, 256, 0.99);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 5000, 256), 16);
        MultiStreamLayout narrow = new MultiStreamLayout(Split.CHUNKED, 2, 1, 8);
        BadInputException e = assertThrows(BadInputException.class,
                () -> narrow.encode(symbols, 0, 5000, new HuffmanEncoder(code)));
        assertTrue(e.getMessage().contains("offset_bits"), e.getMessage());
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(BadInputException.class, () -> new MultiStreamLayout(Split.CHUNKED, 0, 1, 0));
        assertThrows(BadInputException.class, () -> new MultiStreamLayout(Split.CHUNKED, 4, 3, 0));
        assertThrows(BadInputException.class, () -> new MultiStreamLayout(Split.CHUNKED, 4, 1, 33));
    }

    private static StreamedBlock sample(MultiStreamLayout layout, HuffmanCode[] codeOut) {
        byte[] symbols = SyntheticSymbols.laplacian(new SplittableRandom(8), 3000, 8, 4);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 3000, 256), 14);
        codeOut[0] = code;
        return layout.encode(symbols, 0, 3000, new HuffmanEncoder(code));
    }

    @Test
    void truncatedOrLengthenedBlocksAreRejected() {
        MultiStreamLayout layout = new MultiStreamLayout(Split.INTERLEAVED, 4, 4, 0);
        HuffmanCode[] code = new HuffmanCode[1];
        StreamedBlock b = sample(layout, code);
        HuffmanDecoder d = new HuffmanDecoder(code[0]);
        byte[] out = new byte[3000];
        for (int len : new int[] {0, 3, b.bytes().length - 4, b.bytes().length - 1}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> layout.decode(b.bytes(), 0, len, 3000, d, out, 0), "length " + len);
            assertFalse(e.getMessage().contains("\n"));
        }
        byte[] longer = Arrays.copyOf(b.bytes(), b.bytes().length + 4);
        assertThrows(BadInputException.class, () -> layout.decode(longer, 0, longer.length, 3000, d, out, 0));
        // The symbol count comes from outside (the block size); a count the block cannot hold runs off its end.
        // (One more symbol may still fit in a stream's zero padding, as zeros are the shortest word.)
        assertThrows(BadInputException.class, () -> layout.decode(b.bytes(), 0, b.bytes().length, 3100, d,
                new byte[3100], 0), "more symbols than the block holds");
    }

    @Test
    void garbageAndBitFlipsAreRejectedOrDecodeWithoutCrashing() {
        MultiStreamLayout layout = new MultiStreamLayout(Split.CHUNKED, 4, 1, 0);
        HuffmanCode[] code = new HuffmanCode[1];
        StreamedBlock b = sample(layout, code);
        HuffmanDecoder d = new HuffmanDecoder(code[0]);
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] out = new byte[3000];
        for (int trial = 0; trial < 200; trial++) {
            byte[] garbage = new byte[b.bytes().length];
            rnd.nextBytes(garbage);
            assertThrows(BadInputException.class, () -> layout.decode(garbage, 0, garbage.length, 3000, d, out, 0));
        }
        byte[] clean = decode(layout, b, code[0]);
        int rejected = 0;
        int flips = 8 * b.bytes().length;
        for (int bit = 0; bit < flips; bit += 7) {
            byte[] flipped = b.bytes().clone();
            flipped[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            try {
                layout.decode(flipped, 0, flipped.length, 3000, d, out, 0);
                // Only the encoder's own output passes every check, so a block that decodes is the encoding of what
                // it decoded to: a different block cannot decode to the same symbols.
                assertFalse(Arrays.equals(clean, out), "a flip of bit " + bit + " must change something");
            } catch (BadInputException e) {
                rejected++;
            }
        }
        // Huffman codes resynchronise after a flipped bit, so only flips that move a stream's end across a byte, set
        // a padding bit or break the header are caught; the layout has no checksum. Some must be caught.
        assertTrue(rejected > 0, rejected + " of " + (flips / 7) + " flips rejected");
    }
}
