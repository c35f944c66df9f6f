package io.nccsim.codec;

import io.nccsim.common.BadInputException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads bits most-significant first from a byte range, the counterpart of {@link BitWriter}.
 *
 * <p>The reader keeps up to 64 bits in a left-aligned buffer. While at least eight bytes remain it refills with one
 * big-endian 8-byte load, topping the buffer up to 56..63 bits, so a table-driven decoder can peek a code of up to
 * 56 bits without testing the end of the data; near the end it refills byte by byte and feeds zero bits past the
 * end. Reading past the end is not an error in itself ({@link #peek} shows the zeros); {@link #overrun()} tells the
 * caller, who knows what the bits were for, so it can say so.
 */
public final class BitReader {
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private final int startByte;
    private final int endByte;
    private int pos; // next byte to load
    private long window; // valid bits left-aligned; bits below the valid ones are zero or correct later stream bits
    private int valid; // number of valid bits in window

    /** A reader of {@code data[startByte, endByte)}. */
    public BitReader(byte[] data, int startByte, int endByte) {
        if (startByte < 0 || endByte < startByte || endByte > data.length) {
            throw new BadInputException("BitReader: expected a byte range within 0.." + data.length + ", found "
                    + startByte + ".." + endByte);
        }
        this.data = data;
        this.startByte = startByte;
        this.endByte = endByte;
        this.pos = startByte;
    }

    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    /**
     * Makes at least 56 bits available to {@link #peek} (zeros past the end). Decoders call it once per few symbols.
     */
    public void refill() {
        if (pos + 8 <= endByte) {
            // Or-ing bits already present is harmless: they are the same stream bits.
            window |= (long) BIG_ENDIAN_LONG.get(data, pos) >>> valid;
            int took = (63 - valid) >>> 3;
            pos += took;
            valid += took << 3;
        } else {
            while (valid <= 56) {
                if (pos < endByte) {
                    window |= (data[pos] & 0xFFL) << (56 - valid);
                }
                pos++; // past the end the bytes read as zero; pos keeps counting so bitPosition stays right
                valid += 8;
            }
        }
    }

    /** Bits available without a refill. */
    public int available() {
        return valid;
    }

    /** The next {@code bits} bits (1..56, at most {@link #available()}), without consuming them. */
    public int peek(int bits) {
        return (int) (window >>> (64 - bits));
    }

    /** The whole 64-bit window, next bit in bit 63 (for lookups that index by the top bits). */
    public long window() {
        return window;
    }

    /** Consumes {@code bits} bits (at most {@link #available()}). */
    public void skip(int bits) {
        window <<= bits;
        valid -= bits;
    }

    /** Reads {@code bits} bits (0..32) as an unsigned value. */
    public long read(int bits) {
        if (bits == 0) {
            return 0;
        }
        if (valid < bits) {
            refill();
        }
        long v = window >>> (64 - bits);
        skip(bits);
        return v;
    }

    /** Bits consumed since the start of the range. */
    public long bitPosition() {
        return 8L * (pos - startByte) - valid;
    }

    /** Bit offset of the read position within the whole array (what error messages name). */
    public long absoluteBitPosition() {
        return 8L * startByte + bitPosition();
    }

    /** Bit offset of the end of the range within the whole array. */
    public long absoluteEndBit() {
        return 8L * endByte;
    }

    /** Bits in the range. */
    public long bitLength() {
        return 8L * (endByte - startByte);
    }

    /** True if more bits were consumed than the range holds. */
    public boolean overrun() {
        return bitPosition() > bitLength();
    }
}
