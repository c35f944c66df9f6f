package io.nccsim.codec;

import io.nccsim.common.BadInputException;

import java.util.Arrays;

/**
 * Writes bits most-significant first into a growing byte array: the first bit written is bit 7 of byte 0.
 *
 * <p>Bits collect in a 64-bit accumulator and leave it four bytes at a time, so a code word costs a shift, an or and
 * a rarely taken branch; this is the encoder's inner loop for tens of millions of symbols.
 */
public final class BitWriter {
    private byte[] buf;
    private int bytes; // whole bytes already moved out of the accumulator
    private long acc; // the low accBits bits are pending, oldest first from the top
    private int accBits; // always < 32 between calls

    public BitWriter() {
        this(256);
    }

    public BitWriter(int initialBytes) {
        buf = new byte[Math.max(16, initialBytes)];
    }

    /**
     * Appends the low {@code bits} bits of {@code value}, most significant first. {@code bits} is 0..32; higher bits
     * of {@code value} must be zero (a code word is right-aligned, so this holds for canonical codes).
     */
    public void write(int value, int bits) {
        acc = (acc << bits) | (value & 0xFFFFFFFFL);
        accBits += bits;
        if (accBits >= 32) {
            flush32();
        }
    }

    /** Appends the low {@code bits} bits (0..64) of {@code value}, most significant first, checking its range. */
    public void writeLong(long value, int bits) {
        if (bits < 0 || bits > 64 || (bits < 64 && (value >>> bits) != 0)) {
            throw new BadInputException("BitWriter.writeLong: expected a value of " + bits + " bits, found " + value);
        }
        if (bits > 32) {
            write((int) (value >>> 32), bits - 32);
            write((int) value, 32);
        } else {
            write((int) value, bits);
        }
    }

    private void flush32() {
        ensure(4);
        int shift = accBits - 32;
        int word = (int) (acc >>> shift);
        buf[bytes] = (byte) (word >>> 24);
        buf[bytes + 1] = (byte) (word >>> 16);
        buf[bytes + 2] = (byte) (word >>> 8);
        buf[bytes + 3] = (byte) word;
        bytes += 4;
        accBits = shift;
        acc &= (1L << shift) - 1;
    }

    private void ensure(int more) {
        if (bytes + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bytes + more));
        }
    }

    /** Bits written so far. */
    public long bitLength() {
        return 8L * bytes + accBits;
    }

    /**
     * Writes zero bits up to the next multiple of {@code alignBytes} bytes (counted from the start of this writer)
     * and returns how many bits that took.
     */
    public int padTo(int alignBytes) {
        long alignBits = 8L * alignBytes;
        long pad = (alignBits - bitLength() % alignBits) % alignBits;
        for (long left = pad; left > 0; ) {
            int n = (int) Math.min(32, left);
            write(0, n);
            left -= n;
        }
        return (int) pad;
    }

    /** The bits written so far, the last byte filled with zero bits if it is partial. */
    public byte[] toByteArray() {
        byte[] out = Arrays.copyOf(buf, (int) ((bitLength() + 7) / 8));
        int pending = accBits;
        long a = acc;
        int at = bytes;
        while (pending > 0) {
            int take = Math.min(8, pending);
            pending -= take;
            int b = (int) ((a >>> pending) & ((1 << take) - 1));
            out[at++] = (byte) (b << (8 - take));
        }
        return out;
    }

    /** Forgets everything written, keeping the buffer for reuse. */
    public void reset() {
        bytes = 0;
        acc = 0;
        accBits = 0;
    }
}
