package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BitIoTest {

    /** Reference packing, one bit at a time, MSB first. */
    private static byte[] packBits(boolean[] bits, int n) {
        byte[] out = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++) {
            if (bits[i]) {
                out[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return out;
    }

    @Test
    void writerMatchesBitByBitPackingAndReaderReadsItBack() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 50; trial++) {
            int fields = rnd.nextInt(400);
            int[] values = new int[fields];
            int[] widths = new int[fields];
            boolean[] bits = new boolean[fields * 32];
            int n = 0;
            BitWriter w = new BitWriter(1);
            for (int f = 0; f < fields; f++) {
                widths[f] = rnd.nextInt(33);
                values[f] = widths[f] == 0 ? 0 : (int) (rnd.nextLong() >>> (64 - widths[f]));
                for (int b = widths[f] - 1; b >= 0; b--) {
                    bits[n++] = ((values[f] >>> b) & 1) != 0;
                }
                w.write(values[f], widths[f]);
            }
            assertEquals(n, w.bitLength());
            byte[] written = w.toByteArray();
            assertArrayEquals(packBits(bits, n), written);
            BitReader r = new BitReader(written);
            for (int f = 0; f < fields; f++) {
                assertEquals(values[f] & 0xFFFFFFFFL, r.read(widths[f]), "field " + f);
            }
            assertEquals(n, r.bitPosition());
            assertFalse(r.overrun());
        }
    }

    @Test
    void paddingFillsZerosToTheAlignment() {
        BitWriter w = new BitWriter();
        w.write(0b101, 3);
        assertEquals(29, w.padTo(4));
        assertEquals(0, w.padTo(4));
        w.write(1, 1);
        assertEquals(7, w.padTo(1));
        assertArrayEquals(new byte[] {(byte) 0xA0, 0, 0, 0, (byte) 0x80}, w.toByteArray());
    }

    @Test
    void readerOfASubRangeCountsBitsFromItsStartAndFlagsOverrun() {
        byte[] data = {(byte) 0xFF, (byte) 0x12, (byte) 0x34, (byte) 0xFF};
        BitReader r = new BitReader(data, 1, 3);
        r.refill();
        assertEquals(0x123, r.peek(12), "peeking consumes nothing");
        assertEquals(0x1234, r.read(16));
        assertEquals(8, r.absoluteBitPosition() - r.bitPosition());
        assertFalse(r.overrun());
        assertEquals(0, r.read(1), "bits past the end read as zero, not as the next byte");
        assertTrue(r.overrun());
    }

    @Test
    void longFieldsAndRangeChecks() {
        BitWriter w = new BitWriter();
        w.writeLong(0x1_2345_6789L, 33);
        BitReader r = new BitReader(w.toByteArray());
        assertEquals(1, r.read(1));
        assertEquals(0x2345_6789L, r.read(32));
        assertThrows(BadInputException.class, () -> w.writeLong(8, 3));
        assertThrows(BadInputException.class, () -> new BitReader(new byte[4], 3, 5));
    }
}
