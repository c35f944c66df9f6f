package io.nccsim.codec;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class HuffmanCodeTest {
    private static long cost(HuffmanCode code, long[] counts) {
        long bits = 0;
        for (int s = 0; s < counts.length; s++) {
            bits += counts[s] * code.length(s);
        }
        return bits;
    }

    private static double kraft(HuffmanCode code) {
        double k = 0;
        for (int len : code.lengths()) {
            if (len > 0) {
                k += Math.pow(2, -len);
            }
        }
        return k;
    }

    @Test
    void matchesUnrestrictedHuffmanWhenTheLimitDoesNotBind() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(255);
            long[] counts = new long[n];
            for (int s = 0; s < n; s++) {
                counts[s] = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(1000);
            }
            counts[0] = 1 + counts[0];
            counts[1] = 1 + counts[1];
            HuffmanCode code = HuffmanCode.build(counts, 30);
            assertEquals(ReferenceHuffman.bits(counts), cost(code, counts), "trial " + trial);
            assertEquals(1.0, kraft(code), 1e-12, "a Huffman code is complete");
        }
    }

    @Test
    void respectsTheLengthLimitOnSkewedCountsAtSomeCost() {
        // Fibonacci counts force an unrestricted Huffman code as deep as the alphabet is long.
        long[] counts = new long[20];
        counts[0] = 1;
        counts[1] = 1;
        for (int i = 2; i < counts.length; i++) {
            counts[i] = counts[i - 1] + counts[i - 2];
        }
        HuffmanCode free = HuffmanCode.build(counts, 30);
        assertEquals(19, java.util.Arrays.stream(free.lengths()).max().getAsInt());
        HuffmanCode limited = HuffmanCode.build(counts, 8);
        assertTrue(java.util.Arrays.stream(limited.lengths()).max().getAsInt() <= 8);
        assertTrue(kraft(limited) <= 1.0 + 1e-12, "the limited code is still a prefix code");
        assertTrue(cost(limited, counts) > cost(free, counts), "the limit costs bits here");
        // and no code within the limit does better: compare with exhaustive small case below
    }

    @Test
    void lengthLimitedCodeIsOptimalOnASmallCaseCheckedByExhaustion() {
        long[] counts = {1, 1, 2, 4, 8, 16};
        int limit = 3;
        HuffmanCode code = HuffmanCode.build(counts, limit);
        long best = Long.MAX_VALUE;
        int n = counts.length;
        int[] len = new int[n];
        // every assignment of lengths 1..limit that satisfies Kraft
        for (int mask = 0; mask < Math.pow(limit, n); mask++) {
            int m = mask;
            double k = 0;
            long c = 0;
            for (int s = 0; s < n; s++) {
                len[s] = 1 + m % limit;
                m /= limit;
                k += Math.pow(2, -len[s]);
                c += counts[s] * len[s];
            }
            if (k <= 1.0 + 1e-12) {
                best = Math.min(best, c);
            }
        }
        assertEquals(best, cost(code, counts));
    }

    @Test
    void aLoneSymbolGetsOneBitAndUnusedSymbolsNone() {
        long[] counts = new long[16];
        counts[5] = 1000;
        HuffmanCode code = HuffmanCode.build(counts, 12);
        assertEquals(1, code.length(5));
        assertEquals(0, code.length(4));
        assertEquals(1000, code.codedBits(new int[] {0, 0, 0, 0, 0, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> code.codedBits(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0}));
        assertFalse(code.covers(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    }

    @Test
    void rejectsAnAlphabetTooLargeForTheLimit() {
        long[] counts = new long[300];
        java.util.Arrays.fill(counts, 1);
        assertThrows(IllegalArgumentException.class, () -> HuffmanCode.build(counts, 8));
    }

    @Test
    void canonicalCodesArePrefixFreeAndOrderedByLength() {
        long[] counts = {50, 20, 20, 5, 3, 1, 1, 0};
        HuffmanCode code = HuffmanCode.build(counts, 12);
        int[] codes = code.canonicalCodes();
        int[] lens = code.lengths();
        for (int a = 0; a < counts.length; a++) {
            for (int b = 0; b < counts.length; b++) {
                if (a == b || lens[a] == 0 || lens[b] == 0 || lens[a] > lens[b]) {
                    continue;
                }
                int prefixOfB = codes[b] >>> (lens[b] - lens[a]);
                assertNotEquals(codes[a], prefixOfB, "code of " + a + " is a prefix of code of " + b);
            }
        }
        assertEquals(0, codes[0], "the shortest code of the lowest symbol is all zeros");
    }

    @Test
    void tableBytesCountFourBitsPerSymbolUpToLength15() {
        assertEquals(8, HuffmanCode.build(new long[16], 12).tableBytes());
        assertEquals(128, HuffmanCode.build(new long[256], 12).tableBytes());
        assertEquals(160, HuffmanCode.build(new long[256], 16).tableBytes());
    }

    @Test
    void entropyOfUniformAndDegenerateDistributions() {
        assertEquals(4.0, Entropy.bitsPerSymbol(new long[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}), 1e-12);
        assertEquals(0.0, Entropy.bitsPerSymbol(new long[] {0, 7, 0}), 1e-12);
        assertEquals(1.5, Entropy.bitsPerSymbol(new int[] {2, 1, 1}), 1e-12);
    }
}
