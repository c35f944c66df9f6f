package io.nccsim.model;

import io.nccsim.common.BadInputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A little-endian cursor over a whole file that checks every read against the file's end, so a truncated or corrupt
 * file is one {@link BadInputException} naming the file and the byte offset, never an exception from deep inside.
 */
final class LeReader {
    private final String name;
    private final ByteBuffer b;
    private long pos;

    LeReader(String name, ByteBuffer data) {
        this.name = name;
        this.b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    long pos() {
        return pos;
    }

    void pos(long p) {
        pos = p;
    }

    long size() {
        return b.limit();
    }

    long remaining() {
        return b.limit() - pos;
    }

    /** An error at byte {@code at} of the file. */
    BadInputException error(long at, String message) {
        return new BadInputException(name + ": byte " + at + ": " + message);
    }

    /** Checks that {@code n} bytes for {@code what} are left. */
    void need(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw error(pos, what + " needs " + (n < 0 ? Long.toUnsignedString(n) : String.valueOf(n))
                    + " bytes but the file ends at byte " + b.limit() + " (truncated or corrupt)");
        }
    }

    int u8(String what) {
        need(1, what);
        return b.get((int) pos++) & 0xFF;
    }

    byte i8(String what) {
        need(1, what);
        return b.get((int) pos++);
    }

    int u16(String what) {
        return i16(what) & 0xFFFF;
    }

    short i16(String what) {
        need(2, what);
        short v = b.getShort((int) pos);
        pos += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = b.getInt((int) pos);
        pos += 4;
        return v;
    }

    long u32(String what) {
        return i32(what) & 0xFFFFFFFFL;
    }

    long i64(String what) {
        need(8, what);
        long v = b.getLong((int) pos);
        pos += 8;
        return v;
    }

    /** A u64 that is a size or count: one of 2^63 or more is an error, not a negative number. */
    long count(String what) {
        long at = pos;
        long v = i64(what);
        if (v < 0) {
            throw error(at, what + " is " + Long.toUnsignedString(v) + ", beyond any file (corrupt)");
        }
        return v;
    }

    float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    double f64(String what) {
        return Double.longBitsToDouble(i64(what));
    }

    /** A UTF-8 string of {@code length} bytes. */
    String utf8(long length, String what) {
        long at = pos;
        need(length, what);
        ByteBuffer s = b.duplicate().position((int) pos).limit((int) (pos + length));
        pos += length;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(s).toString();
        } catch (CharacterCodingException e) {
            throw error(at, what + " is not valid UTF-8");
        }
    }

    /** {@code length} bytes from {@code at} as a little-endian view (no copy). */
    ByteBuffer slice(long at, long length) {
        return b.duplicate().position((int) at).limit((int) (at + length)).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
