package io.nccsim.codec;

import io.nccsim.common.BadInputException;

/**
 * Quantized symbols packed at their bit width, as a processor without a compressor stores them, and the bytes the
 * general-purpose baseline compressors are given.
 *
 * <p>Packing is little-endian within bytes: symbol i occupies bits {@code [i*b, (i+1)*b)} of the stream, counting
 * from the least significant bit of byte 0. For int8 that is one symbol per byte; for int4 two per byte, the first in
 * the low nibble (as GGUF and most int4 kernels store them); int2 four per byte from the low bits up; int3 (and any
 * other width) a continuous bit stream whose symbols may straddle bytes. The last byte is zero-filled.
 */
public final class SymbolPacking {
    private SymbolPacking() {
    }

    /** The tensor's symbols packed at its bit width: {@link QuantizedTensor#payloadBytes()} bytes. */
    public static byte[] pack(QuantizedTensor tensor) {
        return pack(tensor.symbols(), tensor.bits());
    }

    /** {@code symbols}, each below {@code 2^bits}, packed at {@code bits} (1..8) bits each. */
    public static byte[] pack(byte[] symbols, int bits) {
        checkBits(bits);
        if (bits == 8) {
            return symbols.clone();
        }
        byte[] out = new byte[(int) (((long) symbols.length * bits + 7) / 8)];
        int limit = 1 << bits;
        long acc = 0; // pending bits, oldest in the low end
        int pending = 0;
        int at = 0;
        for (int i = 0; i < symbols.length; i++) {
            int s = symbols[i] & 0xFF;
            if (s >= limit) {
                throw new BadInputException("symbol packing: symbol index " + i + ": expected a " + bits
                        + "-bit symbol below " + limit + ", found " + s);
            }
            acc |= (long) s << pending;
            pending += bits;
            while (pending >= 8) {
                out[at++] = (byte) acc;
                acc >>>= 8;
                pending -= 8;
            }
        }
        if (pending > 0) {
            out[at] = (byte) acc;
        }
        return out;
    }

    /** The first {@code count} symbols of a packed stream. */
    public static byte[] unpack(byte[] packed, int bits, int count) {
        checkBits(bits);
        long needed = ((long) count * bits + 7) / 8;
        if (count < 0 || packed.length < needed) {
            throw new BadInputException("symbol packing: expected " + needed + " bytes for " + count + " symbols of "
                    + bits + " bits, found " + packed.length);
        }
        byte[] out = new byte[count];
        int mask = (1 << bits) - 1;
        long acc = 0;
        int have = 0;
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (have < bits) {
                acc |= (long) (packed[at++] & 0xFF) << have;
                have += 8;
            }
            out[i] = (byte) (acc & mask);
            acc >>>= bits;
            have -= bits;
        }
        return out;
    }

    private static void checkBits(int bits) {
        if (bits < 1 || bits > 8) {
            throw new BadInputException("symbol packing: expected a width of 1..8 bits, found " + bits);
        }
    }
}
