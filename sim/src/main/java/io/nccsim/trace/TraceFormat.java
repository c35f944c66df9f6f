package io.nccsim.trace;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * Constants and small helpers shared by {@link TraceWriter} and {@link TraceReader}. The byte layout they implement
 * is specified in {@code traces/FORMAT.md}; keep the two in step.
 */
final class TraceFormat {
    private TraceFormat() {
    }

    /** The first 8 bytes of every trace. */
    static final byte[] MAGIC = "NCCTRACE".getBytes(StandardCharsets.US_ASCII);
    /** The only version this code reads and writes. */
    static final int VERSION = 1;
    /** Versions {@link TraceReader} accepts, for the error message. */
    static final String SUPPORTED_VERSIONS = "1";
    /** Magic, u16 version, u16 flags. */
    static final int PREAMBLE_BYTES = 12;
    /** Tag and u32 payload length in front of the payload. */
    static final int SECTION_HEADER_BYTES = 8;
    /** The u32 CRC32C after the payload. */
    static final int SECTION_TRAILER_BYTES = 4;

    /**
     * Hard cap on a section's payload. A reader buffers exactly one section, so this bounds its memory; it also
     * rejects a corrupted length field before trying to allocate gigabytes.
     */
    static final int MAX_PAYLOAD = 4 * 1024 * 1024;
    /**
     * Size a writer aims for when it cuts TENS, WCNT and EVNT payloads. Smaller than the cap so that an event that
     * does not fit into the current chunk still fits whole into the next one; 1 MiB keeps the CRC granularity fine
     * and the reader's buffer small while making the per-section overhead (16 bytes) negligible.
     */
    static final int DEFAULT_CHUNK_TARGET = 1024 * 1024;

    static final int TAG_HEAD = tag("HEAD");
    static final int TAG_TENS = tag("TENS");
    static final int TAG_WCNT = tag("WCNT");
    static final int TAG_EVNT = tag("EVNT");
    static final int TAG_END = tag("END ");

    /** Event type byte of a {@link StepEvent}. */
    static final int EVENT_STEP = 1;
    /** Event type byte of an {@link OpEvent}. */
    static final int EVENT_OP = 2;

    /** Low bits of an access's reference varint: {@code tensorId * 4 + flags}. */
    static final int ACCESS_WRITE = 1;
    static final int ACCESS_HISTOGRAM = 2;
    static final int ACCESS_FLAG_BITS = 2;

    /** The four tag bytes as a little-endian int, the way they appear when the header is read as u32. */
    static int tag(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length != 4) {
            throw new IllegalArgumentException("tag must be 4 ASCII characters: " + s);
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** Printable form of a tag read from a file, for error messages; non-printable bytes shown as \xNN. */
    static String tagName(int tag) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int c = (tag >>> (8 * i)) & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    static int varintLength(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** Elements per fine block and tensor size give the block count every WCNT of the tensor must agree on. */
    static long blockCount(long elements, int blockElements) {
        return (elements + blockElements - 1) / blockElements;
    }

    /**
     * The JSON mapper for the HEAD section: snake_case keys, and strict in every way that catches a header that
     * was hand-edited or written by an incompatible producer (unknown, missing, duplicate or null-for-primitive
     * fields, trailing garbage).
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.INDENT_OUTPUT)
            // Only record components are fields: a convenience like Provenance.isModeled() must not become a
            // JSON key that the strict reader would then reject as unknown.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .build();
}
