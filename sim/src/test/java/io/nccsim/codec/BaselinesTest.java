package io.nccsim.codec;

import io.nccsim.codec.baseline.BaselineSizes;
import io.nccsim.codec.baseline.DeflateBaseline;
import io.nccsim.codec.baseline.ZstdBaseline;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BaselinesTest {
    private static byte[] packedLaplacian(long seed, int n, int bits, double scale) {
        return SymbolPacking.pack(SyntheticSymbols.laplacian(new SplittableRandom(seed), n, bits, scale), bits);
    }

    @Test
    void deflateRoundTripsAndShrinksLowEntropyData() {
        for (int bits : new int[] {2, 3, 4, 8}) {
            byte[] packed = packedLaplacian(bits, 50_000, bits, 0.6);
            byte[] deflated = DeflateBaseline.compress(packed);
            assertArrayEquals(packed, DeflateBaseline.decompress(deflated, packed.length), bits + " bits");
            assertTrue(deflated.length < packed.length, bits + " bits: " + deflated.length + " >= " + packed.length);
        }
        byte[] none = DeflateBaseline.compress(new byte[0]);
        assertEquals(0, DeflateBaseline.decompress(none, 0).length);
    }

    @Test
    void deflateRejectsCorruptOrMisSizedData() {
        byte[] packed = packedLaplacian(1, 20_000, 4, 1.5);
        byte[] deflated = DeflateBaseline.compress(packed);
        byte[] cut = Arrays.copyOf(deflated, deflated.length / 2);
        assertThrows(BadInputException.class, () -> DeflateBaseline.decompress(cut, packed.length));
        assertThrows(BadInputException.class, () -> DeflateBaseline.decompress(deflated, packed.length - 1));
        assertThrows(BadInputException.class, () -> DeflateBaseline.decompress(deflated, packed.length + 1));
        byte[] garbage = new byte[200];
        new SplittableRandom(3).nextBytes(garbage);
        garbage[0] = (byte) 0xFF; // block type 3 is reserved: never valid DEFLATE
        assertThrows(BadInputException.class, () -> DeflateBaseline.decompress(garbage, 1000));
    }

    @Test
    void zstdLoadsOnLinuxX86AndRoundTrips() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch");
        if (os.startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertTrue(ZstdBaseline.available(), ZstdBaseline.unavailableReason());
        }
        assumeTrue(ZstdBaseline.available(), "zstd not available here: " + ZstdBaseline.unavailableReason());
        byte[] packed = packedLaplacian(2, 50_000, 4, 0.6);
        for (int level : new int[] {ZstdBaseline.DEFAULT_LEVEL, ZstdBaseline.STRONG_LEVEL}) {
            byte[] z = ZstdBaseline.compress(packed, level);
            assertTrue(z.length < packed.length);
            assertArrayEquals(packed, ZstdBaseline.decompress(z, packed.length), "level " + level);
        }
        byte[] z = ZstdBaseline.compress(packed, 3);
        byte[] corrupt = Arrays.copyOf(z, z.length - 10);
        assertThrows(BadInputException.class, () -> ZstdBaseline.decompress(corrupt, packed.length));
    }

    @Test
    void baselineSizesOfATensorAreThoseOfItsPackedSymbols() {
        byte[] symbols = SyntheticSymbols.laplacian(new SplittableRandom(4), 128 * 96, 4, 1.2);
        QuantizedTensor t = new QuantizedTensor(128, 96, new WeightQuant(ElementType.INT4, 32, true), symbols,
                new float[128 * 3], null);
        BaselineSizes b = BaselineSizes.measure(t);
        assertTrue(b.roundTripExact());
        assertEquals(t.payloadBytes(), b.packedBytes());
        assertEquals(DeflateBaseline.compress(SymbolPacking.pack(t)).length, b.deflateBytes());
        assertEquals(ZstdBaseline.available(), b.zstd19Bytes().isPresent());
        if (ZstdBaseline.available()) {
            assertEquals(ZstdBaseline.compress(SymbolPacking.pack(t), 19).length, b.zstd19Bytes().getAsLong());
            assertEquals("", b.zstdNote());
        } else {
            assertEquals("n/a", BaselineSizes.show(b.zstd3Bytes()));
        }
    }
}
