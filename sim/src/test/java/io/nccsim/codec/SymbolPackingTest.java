package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SymbolPackingTest {
    @Test
    void handPackedExamples() {
        assertArrayEquals(new byte[] {0x21, 0x43, 0x05}, SymbolPacking.pack(new byte[] {1, 2, 3, 4, 5}, 4),
                "int4: two per byte, low nibble first");
        assertArrayEquals(new byte[] {0x39, 0x03}, SymbolPacking.pack(new byte[] {1, 2, 3, 0, 3}, 2),
                "int2: four per byte from the low bits");
        // int3: 7 in bits 0-2, 0 in bits 3-5, 5 in bits 6-8 -> 0b01_000_111, then 0b1.
        assertArrayEquals(new byte[] {0x47, 0x01}, SymbolPacking.pack(new byte[] {7, 0, 5}, 3));
        assertArrayEquals(new byte[] {(byte) 200, 7}, SymbolPacking.pack(new byte[] {(byte) 200, 7}, 8));
    }

    @Test
    void roundTripsEveryWidthAndSizesToThePayload() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int bits = 1; bits <= 8; bits++) {
            for (int n : new int[] {0, 1, 7, 8, 9, 1001}) {
                byte[] symbols = new byte[n];
                for (int i = 0; i < n; i++) {
                    symbols[i] = (byte) rnd.nextInt(1 << bits);
                }
                byte[] packed = SymbolPacking.pack(symbols, bits);
                assertEquals(((long) n * bits + 7) / 8, packed.length);
                assertArrayEquals(symbols, SymbolPacking.unpack(packed, bits, n), bits + " bits, n=" + n);
            }
        }
        QuantizedTensor t = new QuantizedTensor(3, 64, new WeightQuant(ElementType.INT3, 64, true),
                SyntheticSymbols.laplacian(rnd, 192, 3, 1), new float[3], null);
        assertEquals(t.payloadBytes(), SymbolPacking.pack(t).length);
    }

    @Test
    void symbolsTooWideForTheWidthAreRefused() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SymbolPacking.pack(new byte[] {1, 2, 16}, 4));
        assertTrue(e.getMessage().contains("symbol index 2"), e.getMessage());
        assertThrows(BadInputException.class, () -> SymbolPacking.unpack(new byte[1], 4, 3));
        assertThrows(BadInputException.class, () -> SymbolPacking.pack(new byte[1], 9));
    }
}
