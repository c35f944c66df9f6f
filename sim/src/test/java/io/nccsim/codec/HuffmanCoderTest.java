package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class HuffmanCoderTest {

    private static byte[] encode(byte[] symbols, HuffmanCode code) {
        BitWriter w = new BitWriter();
        new HuffmanEncoder(code).encode(symbols, 0, symbols.length, 1, w);
        return w.toByteArray();
    }

    private static byte[] decode(byte[] bits, int count, HuffmanCode code) {
        byte[] out = new byte[count];
        new HuffmanDecoder(code).decode(new BitReader(bits), count, out, 0, 1, "test stream");
        return out;
    }

    @Test
    void handWorkedCanonicalCode() {
        // Counts 5,2,1,1 give lengths 1,2,3,3 and canonical words 0, 10, 110, 111.
        HuffmanCode code = HuffmanCode.build(new long[] {5, 2, 1, 1}, 16);
        byte[] bits = encode(new byte[] {0, 1, 2, 3, 0}, code);
        // 0 10 110 111 0 -> 0101 1011 10(000000)
        assertArrayEquals(new byte[] {0x5B, (byte) 0x80}, bits);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 0}, decode(bits, 5, code));
    }

    @Test
    void roundTripsEveryAlphabetAndLengthLimit() {
        SplittableRandom rnd = new SplittableRandom(2024);
        int twoLevelCases = 0;
        for (int alphabet : new int[] {4, 8, 16, 256}) {
            for (int maxLength = 1; maxLength <= 16; maxLength++) {
                if (1L << maxLength < alphabet) {
                    continue; // this limit cannot give every symbol a code
                }
                // Strong skew so that long codes occur and the limit binds at small maxLength.
                byte[] symbols = SyntheticSymbols.geometric(rnd, 20_000 + rnd.nextInt(999), alphabet, 0.55);
                symbols[0] = (byte) (alphabet - 1); // every symbol present: the limit must hold the whole alphabet
                for (int s = 0; s < alphabet; s++) {
                    symbols[1 + s] = (byte) s;
                }
                long[] hist = SyntheticSymbols.histogram(symbols, 0, symbols.length, alphabet);
                HuffmanCode code = HuffmanCode.build(hist, maxLength);
                int longest = Arrays.stream(code.lengths()).max().orElse(0);
                assertTrue(longest <= maxLength);
                if (longest > HuffmanDecoder.DIRECT_BITS) {
                    twoLevelCases++;
                }
                BitWriter w = new BitWriter();
                new HuffmanEncoder(code).encode(symbols, 0, symbols.length, 1, w);
                assertEquals(SyntheticSymbols.codedBits(hist, code), w.bitLength(),
                        "alphabet " + alphabet + ", limit " + maxLength);
                byte[] bits = w.toByteArray();
                assertArrayEquals(symbols, decode(bits, symbols.length, code),
                        "alphabet " + alphabet + ", limit " + maxLength);
            }
        }
        assertTrue(twoLevelCases >= 3, "the two-level table was exercised in " + twoLevelCases + " cases");
    }

    @Test
    void stridedCodingVisitsEveryStrideThSymbol() {
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] symbols = SyntheticSymbols.geometric(rnd, 1001, 16, 0.7);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 1001, 16), 12);
        BitWriter w = new BitWriter();
        new HuffmanEncoder(code).encode(symbols, 2, 1001, 7, w);
        int count = (1001 - 2 + 6) / 7;
        byte[] out = new byte[1001];
        new HuffmanDecoder(code).decode(new BitReader(w.toByteArray()), count, out, 2, 7, "strided");
        for (int i = 0; i < 1001; i++) {
            assertEquals(i >= 2 && (i - 2) % 7 == 0 ? symbols[i] : 0, out[i], "index " + i);
        }
    }

    @Test
    void truncatedStreamIsRejectedWithItsBitOffset() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int maxLength : new int[] {8, 16}) {
            byte[] symbols = SyntheticSymbols.geometric(rnd, 5000, 256, 0.8);
            HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, 5000, 256), maxLength);
            byte[] bits = encode(symbols, code);
            byte[] cut = Arrays.copyOf(bits, bits.length - 2);
            BadInputException e = assertThrows(BadInputException.class, () -> decode(cut, symbols.length, code));
            assertTrue(e.getMessage().contains("bit offset " + 8L * cut.length), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void bitsNoCodeWordBeginsWithAreRejected() {
        // A lone symbol gets the one-bit word 0; a 1 bit is then no code word.
        HuffmanCode lone = HuffmanCode.build(new long[] {0, 0, 7, 0}, 4);
        byte[] bits = {0x01}; // seven zeros, then a one
        BadInputException e = assertThrows(BadInputException.class, () -> decode(bits, 8, lone));
        assertTrue(e.getMessage().contains("bit offset 7"), e.getMessage());
        assertArrayEquals(new byte[] {2, 2, 2, 2, 2, 2, 2}, decode(bits, 7, lone));
    }

    @Test
    void wordsLongerThanTheRootTableDecodeThroughTheSecondLevel() {
        long[] counts = new long[16];
        for (int s = 0; s < 16; s++) {
            counts[s] = 1L << s; // unrestricted Huffman would give lengths 1..15
        }
        HuffmanCode code = HuffmanCode.build(counts, 14);
        assertEquals(14, Arrays.stream(code.lengths()).max().orElse(0));
        HuffmanDecoder d = new HuffmanDecoder(code);
        assertTrue(d.tableEntries() > 1 << HuffmanDecoder.DIRECT_BITS, "a second level exists");
        assertTrue(d.tableEntries() < 1 << 14, "smaller than one direct table of 2^14 entries");
        byte[] ones = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] out = new byte[2];
        d.decode(new BitReader(ones), 2, out, 0, 1, "ones");
        int[] words = code.canonicalCodes();
        int[] lengths = code.lengths();
        // The all-ones word of the longest length is the last canonical code word.
        int last = -1;
        for (int s = 0; s < 16; s++) {
            if (lengths[s] == 14 && words[s] == (1 << 14) - 1) {
                last = s;
            }
        }
        assertTrue(last >= 0, "a complete code has an all-ones longest word");
        assertEquals(last, out[0]);
        assertEquals(last, out[1]);
    }

    @Test
    void symbolWithoutACodeCannotBeEncoded() {
        HuffmanCode code = HuffmanCode.build(new long[] {3, 0, 1, 1}, 8);
        BadInputException e = assertThrows(BadInputException.class, () -> encode(new byte[] {0, 2, 1}, code));
        assertTrue(e.getMessage().contains("symbol index 2"), e.getMessage());
        assertThrows(BadInputException.class, () -> encode(new byte[] {9}, code));
    }

    @Test
    void eachBlockCodesWithinOneBitPerSymbolOfItsShannonBound() {
        SplittableRandom rnd = new SplittableRandom(77);
        int block = 4096;
        int checkedWithLimit = 0;
        for (int trial = 0; trial < 6; trial++) {
            int bits = trial % 2 == 0 ? 4 : 8;
            byte[] symbols = SyntheticSymbols.laplacian(rnd, 5 * block + 123, bits, 0.3 + trial * 2.5);
            for (int from = 0; from < symbols.length; from += block) {
                int to = Math.min(symbols.length, from + block);
                long[] hist = SyntheticSymbols.histogram(symbols, from, to, 1 << bits);
                double shannon = Entropy.bitsPerSymbol(hist) * (to - from);
                // With 4096 symbols no code is deeper than ~17 bits, so a 30-bit limit is plain Huffman.
                HuffmanCode free = HuffmanCode.build(hist, 30);
                BitWriter w = new BitWriter();
                new HuffmanEncoder(free).encode(symbols, from, to, 1, w);
                assertEquals(ReferenceHuffman.bits(hist), w.bitLength());
                assertTrue(w.bitLength() >= shannon - 1e-6, "never below the entropy");
                assertTrue(w.bitLength() < shannon + (to - from), "within one bit per symbol");
                // The hardware limit: where it does not bind it must cost the same as the free code.
                HuffmanCode limited = HuffmanCode.build(hist, 12);
                long limitedBits = SyntheticSymbols.codedBits(hist, limited);
                if (Arrays.stream(free.lengths()).max().orElse(0) <= 12) {
                    assertEquals(w.bitLength(), limitedBits);
                    checkedWithLimit++;
                } else {
                    assertTrue(limitedBits >= w.bitLength());
                }
            }
        }
        assertTrue(checkedWithLimit > 0);
    }

    @Test
    void decodeThroughput() {
        // A measurement, not a requirement: printed for the record. Correctness of what was decoded is checked.
        SplittableRandom rnd = new SplittableRandom(1);
        byte[] symbols = SyntheticSymbols.laplacian(rnd, 4_000_000, 4, 1.5);
        HuffmanCode code = HuffmanCode.build(SyntheticSymbols.histogram(symbols, 0, symbols.length, 16), 12);
        byte[] bits = encode(symbols, code);
        HuffmanDecoder d = new HuffmanDecoder(code);
        byte[] out = new byte[symbols.length];
        double best = 0;
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            d.decode(new BitReader(bits), symbols.length, out, 0, 1, "bench");
            long t1 = System.nanoTime();
            best = Math.max(best, symbols.length / ((t1 - t0) / 1e9));
        }
        assertArrayEquals(symbols, out);
        System.out.printf("Huffman decode: %.1f M symbols/s (int4 Laplacian, %.2f bits/symbol)%n", best / 1e6,
                8.0 * bits.length / symbols.length);
    }
}
