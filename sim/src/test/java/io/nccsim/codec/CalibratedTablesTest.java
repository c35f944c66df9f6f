package io.nccsim.codec;

import io.nccsim.codec.MultiStreamLayout.Split;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class CalibratedTablesTest {
    private static final int BLOCK = 4096;

    /** Histograms of consecutive blocks of int8 Laplacian symbols, cycling through the given scales. */
    private static List<long[]> calibration(SplittableRandom rnd, int blocks, double... scales) {
        List<long[]> out = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            byte[] s = SyntheticSymbols.laplacian(rnd, BLOCK, 8, scales[b % scales.length]);
            out.add(SyntheticSymbols.histogram(s, 0, BLOCK, 256));
        }
        return out;
    }

    @Test
    void everySymbolHasACodeSoUnseenSymbolsStillCode() {
        SplittableRandom rnd = new SplittableRandom(1);
        List<long[]> calib = calibration(rnd, 8, 1.0);
        long[] total = new long[256];
        for (long[] h : calib) {
            for (int s = 0; s < 256; s++) {
                total[s] += h[s];
            }
        }
        assertEquals(0, total[0], "the calibration never saw the extremes");
        assertEquals(0, total[255]);
        HuffmanCode table = CalibratedTables.calibrate(calib, 1, 16, 0).tables().get(0);
        for (int s = 0; s < 256; s++) {
            assertTrue(table.length(s) >= 1 && table.length(s) <= 16, "symbol " + s);
        }
        byte[] data = SyntheticSymbols.laplacian(rnd, 5000, 8, 40); // mostly symbols the calibration never saw
        MultiStreamLayout layout = MultiStreamLayout.of(4, Split.INTERLEAVED);
        StreamedBlock b = layout.encode(data, 0, data.length, new HuffmanEncoder(table));
        byte[] back = new byte[data.length];
        layout.decode(b.bytes(), 0, b.bytes().length, data.length, new HuffmanDecoder(table), back, 0);
        assertArrayEquals(data, back);
        assertEquals(SyntheticSymbols.codedBits(SyntheticSymbols.histogram(data, 0, data.length, 256), table),
                b.payloadBits());
    }

    @Test
    void driftToAWiderDistributionHasAPositiveMismatchCost() {
        SplittableRandom rnd = new SplittableRandom(2);
        CalibratedTables tables = CalibratedTables.calibrate(calibration(rnd, 32, 3.0), 1, 16, 7);
        byte[] same = SyntheticSymbols.laplacian(rnd, 16 * BLOCK, 8, 3.0);
        byte[] drifted = SyntheticSymbols.laplacian(rnd, 16 * BLOCK, 8, 8.0);
        CalibrationCost onSame = tables.cost(same, BLOCK);
        CalibrationCost onDrift = tables.cost(drifted, BLOCK);
        // With one calibrated table the fitted table can only do better: the mismatch is never negative.
        assertTrue(onSame.mismatchPercent() >= 0);
        assertTrue(onDrift.mismatchPercent() > 0);
        assertTrue(onDrift.mismatchPercent() > onSame.mismatchPercent(), onDrift + " vs " + onSame);
        assertTrue(onDrift.blockMismatchPercent() >= onDrift.mismatchPercent(), "per-block tables fit better still");
        assertEquals(16, onDrift.blocks());
        assertEquals(0, onDrift.selectorBits());
        long independent = SyntheticSymbols.codedBits(SyntheticSymbols.histogram(drifted, 0, drifted.length, 256),
                tables.tables().get(0));
        assertEquals(independent, onDrift.payloadBits());
        System.out.printf("Calibration mismatch: %.2f%% on same-scale data, %.2f%% after a drift of scale 3 -> 8%n",
                onSame.mismatchPercent(), onDrift.mismatchPercent());
    }

    @Test
    void fourTablesDoNoWorseThanOneOnTheCalibrationData() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<long[]> calib = calibration(rnd, 48, 0.6, 2.0, 6.0, 20.0);
        CalibratedTables one = CalibratedTables.calibrate(calib, 1, 16, 11);
        CalibratedTables four = CalibratedTables.calibrate(calib, 4, 16, 11);
        assertEquals(4, four.tables().size());
        long oneBits = one.codedBits(calib);
        long fourBits = four.codedBits(calib);
        assertTrue(fourBits <= oneBits, fourBits + " > " + oneBits);
        System.out.printf("Calibration data of four scales: %.3f bits/symbol with K=1, %.3f with K=4%n",
                (double) oneBits / (48 * BLOCK), (double) fourBits / (48 * BLOCK));
        // With four scales in the data, the four tables are used, and they divide the blocks among them.
        int[] use = new int[4];
        for (long[] h : calib) {
            use[four.choose(h).table()]++;
        }
        assertTrue(Arrays.stream(use).allMatch(u -> u > 0), Arrays.toString(use));
        assertEquals(48L * 2, fourBits - calib.stream().mapToLong(h -> four.choose(h).codedBits()).sum(),
                "two selector bits per block");
    }

    @Test
    void theChosenTableIsTheCheapest() {
        SplittableRandom rnd = new SplittableRandom(4);
        CalibratedTables t = CalibratedTables.calibrate(calibration(rnd, 12, 0.5, 4, 12), 3, 14, 5);
        for (long[] block : calibration(rnd, 20, 1, 3, 7, 15)) {
            CalibratedTables.Choice c = t.choose(block);
            for (int j = 0; j < t.tables().size(); j++) {
                long bits = SyntheticSymbols.codedBits(block, t.tables().get(j));
                assertTrue(c.codedBits() <= bits);
                if (j == c.table()) {
                    assertEquals(bits, c.codedBits());
                }
            }
        }
    }

    @Test
    void selectorBitsAreCeilLog2K() {
        List<long[]> calib = calibration(new SplittableRandom(5), 8, 1, 2, 4, 8, 16);
        int[] expected = {0, 1, 2, 2, 3};
        for (int k = 1; k <= 5; k++) {
            CalibratedTables t = CalibratedTables.calibrate(calib, k, 16, 0);
            assertEquals(expected[k - 1], t.selectorBits(), "K=" + k);
            byte[] data = SyntheticSymbols.laplacian(new SplittableRandom(k), 3 * BLOCK + 5, 8, 5);
            CalibrationCost c = t.cost(data, BLOCK);
            assertEquals(4, c.blocks());
            assertEquals(4L * expected[k - 1], c.selectorBits());
            assertEquals(4, Arrays.stream(c.tableUse()).sum());
        }
    }

    @Test
    void calibrationIsDeterministicForASeed() {
        List<long[]> calib = calibration(new SplittableRandom(6), 20, 0.7, 3, 9, 25);
        CalibratedTables a = CalibratedTables.calibrate(calib, 4, 16, 42);
        CalibratedTables b = CalibratedTables.calibrate(calib, 4, 16, 42);
        for (int j = 0; j < 4; j++) {
            assertArrayEquals(a.tables().get(j).lengths(), b.tables().get(j).lengths());
        }
    }

    @Test
    void badParametersAreRefused() {
        List<long[]> calib = calibration(new SplittableRandom(7), 3, 2);
        assertThrows(BadInputException.class, () -> CalibratedTables.calibrate(calib, 0, 16, 0));
        BadInputException e = assertThrows(BadInputException.class,
                () -> CalibratedTables.calibrate(calib, 4, 16, 0));
        assertTrue(e.getMessage().contains("found 4"), e.getMessage());
        assertThrows(BadInputException.class, () -> CalibratedTables.calibrate(calib, 1, 7, 0),
                "7 bits cannot give 256 symbols a code each");
        assertThrows(BadInputException.class, () -> CalibratedTables.calibrate(List.of(), 1, 16, 0));
        assertThrows(BadInputException.class,
                () -> CalibratedTables.calibrate(List.of(new long[256], new long[16]), 1, 16, 0));
        CalibratedTables small = CalibratedTables.calibrate(List.of(new long[] {5, 1, 1, 1}), 1, 4, 0);
        assertThrows(BadInputException.class, () -> small.cost(new byte[] {0, 4}, 16), "symbol 4 of 4");
    }
}
