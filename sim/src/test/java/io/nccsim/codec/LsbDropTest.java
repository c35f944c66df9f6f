package io.nccsim.codec;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every expectation below is worked out by hand on alphabets of 4 or 8 symbols. */
class LsbDropTest {
    @Test
    void levelsTwoToFourDropOneToThreeBits() {
        assertEquals(0, LsbDrop.dropBitsOfLevel(0));
        assertEquals(0, LsbDrop.dropBitsOfLevel(1));
        assertEquals(1, LsbDrop.dropBitsOfLevel(2));
        assertEquals(2, LsbDrop.dropBitsOfLevel(3));
        assertEquals(3, LsbDrop.dropBitsOfLevel(4));
        assertThrows(IllegalArgumentException.class, () -> LsbDrop.dropBitsOfLevel(5));
    }

    @Test
    void histogramMergesNeighboursThatShareTheirHighBits() {
        long[] counts = {1, 2, 3, 4, 5, 6, 7, 8}; // a 3-bit alphabet
        assertArrayEquals(counts, LsbDrop.dropHistogram(counts, 0));
        assertArrayEquals(new long[] {3, 7, 11, 15}, LsbDrop.dropHistogram(counts, 1));
        assertArrayEquals(new long[] {10, 26}, LsbDrop.dropHistogram(counts, 2));
        assertArrayEquals(new int[] {3, 7, 11, 15}, LsbDrop.dropHistogram(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 1));
    }

    @Test
    void restoresTheUpperMiddleOfTheDroppedRange() {
        // d = 1: pairs {0,1} -> 1, {2,3} -> 3
        assertEquals(1, LsbDrop.reconstruct(0, 1));
        assertEquals(1, LsbDrop.reconstruct(1, 1));
        assertEquals(3, LsbDrop.reconstruct(2, 1));
        // d = 2: range 4..7 -> 4 + 2 = 6
        assertEquals(6, LsbDrop.reconstruct(5, 2));
        // d = 3: range 0..7 -> 4
        assertEquals(4, LsbDrop.reconstruct(7, 3));
        assertEquals(9, LsbDrop.reconstruct(9, 0));
    }

    @Test
    void withASymmetricZeroPointTheRestoredValuesAreSymmetricAboutZero() {
        // int4, zero point 8, d = 1: restored values -7, -5, ..., 5, 7
        Set<Integer> values = new TreeSet<>();
        for (int s = 0; s < 16; s++) {
            values.add(LsbDrop.reconstruct(s, 1) - 8);
        }
        assertEquals(Set.of(-7, -5, -3, -1, 1, 3, 5, 7), values);
    }

    @Test
    void meanSquaredErrorFromTheHistogram() {
        // 2-bit, d = 1: errors per symbol 0..3 are 1, 0, 1, 0 (squared)
        assertEquals(1.0, LsbDrop.meanSquaredError(new long[] {4, 0, 0, 0}, 1), 0);
        assertEquals(0.0, LsbDrop.meanSquaredError(new long[] {0, 5, 0, 2}, 1), 0);
        assertEquals(0.5, LsbDrop.meanSquaredError(new long[] {1, 1, 1, 1}, 1), 0); // (w^2 + 2)/12, w = 2
        // 3-bit, d = 2, uniform: squared errors 4, 1, 0, 1 per range of four -> 6/4 = (16 + 2)/12
        assertEquals(1.5, LsbDrop.meanSquaredError(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, 2), 0);
        // 3-bit, d = 2: three 0s (error 2) and one 3 (error -1): (3*4 + 1)/4
        assertEquals(3.25, LsbDrop.meanSquaredError(new long[] {3, 0, 0, 1, 0, 0, 0, 0}, 2), 0);
        assertEquals(0.0, LsbDrop.meanSquaredError(new long[] {3, 0, 0, 1, 0, 0, 0, 0}, 0), 0);
    }

    @Test
    void sqnrIsSignalPowerOverDropNoise() {
        // values -2, -1, 0, 1 once each: power (4 + 1 + 0 + 1)/4 = 1.5; noise 0.5 -> 10 log10 3
        assertEquals(10 * Math.log10(3), LsbDrop.sqnrDb(new long[] {1, 1, 1, 1}, 1, 2), 1e-12);
        assertEquals(4.7712, LsbDrop.sqnrDb(new long[] {1, 1, 1, 1}, 1, 2), 1e-4);
        assertEquals(Double.POSITIVE_INFINITY, LsbDrop.sqnrDb(new long[] {1, 1, 1, 1}, 0, 2));
    }

    @Test
    void refusesWhatHasNoMeaning() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> LsbDrop.dropHistogram(new long[] {1, 1, 1, 1}, 2)).getMessage();
        assertTrue(m.contains("0..1"), m); // the top bit of a 2-bit symbol is always kept
        assertThrows(IllegalArgumentException.class, () -> LsbDrop.dropHistogram(new long[] {1, 1, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> LsbDrop.meanSquaredError(new long[] {0, 0, 0, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> LsbDrop.meanSquaredError(new long[] {1, -1, 0, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> LsbDrop.dropHistogram(new long[] {1, 1}, -1));
    }
}
