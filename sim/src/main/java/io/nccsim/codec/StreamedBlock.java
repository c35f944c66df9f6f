package io.nccsim.codec;

import java.util.Arrays;

/**
 * One block of symbols as {@link MultiStreamLayout} stores it, with where its bits went.
 *
 * <p>Every bit of {@code bytes} is exactly one of: header (the stream offsets), payload (code words) or padding
 * (zero fill up to the alignment, after the header and after each stream), so
 * {@code 8 * bytes.length == headerBits + payloadBits + paddingBits}.
 *
 * @param bytes             the stored block
 * @param symbols           symbols it holds
 * @param headerBits        bits of the stream offset header, without its padding
 * @param payloadBits       bits of code words, summed over the streams
 * @param paddingBits       zero bits that align the header and each stream
 * @param streamPayloadBits code-word bits of each stream; the longest sets how long the slowest lane decodes
 */
public record StreamedBlock(byte[] bytes, int symbols, long headerBits, long payloadBits, long paddingBits,
                            long[] streamPayloadBits) {
    public StreamedBlock {
        streamPayloadBits = streamPayloadBits.clone();
    }

    @Override
    public long[] streamPayloadBits() {
        return streamPayloadBits.clone();
    }

    /** What the layout costs beyond the code words themselves. */
    public long overheadBits() {
        return headerBits + paddingBits;
    }

    public long totalBits() {
        return 8L * bytes.length;
    }

    /** Code-word bits of the fullest stream. */
    public long maxStreamPayloadBits() {
        return Arrays.stream(streamPayloadBits).max().orElse(0);
    }
}
