package io.nccsim.codec;

import io.nccsim.common.BadInputException;

/**
 * How a block of symbols is split into streams so that {@code streams} decoder lanes decode it in parallel, and how
 * the streams sit in the stored block.
 *
 * <p>A block is: a header of {@code streams} entries, entry k the byte offset (from the end of the header) where
 * stream k ends, zero-padded to {@code alignBytes}; then each stream's code words, each stream zero-padded to
 * {@code alignBytes} so that a lane's DMA can start on it directly. Stream k starts where stream k-1 ends. Storing
 * every stream's end, the last one included, makes a block self-delimiting: it costs the same as the start offsets
 * of streams 1..N-1 plus the per-block index entry that {@code ncc.BlockFormat} charges, and lets the decoder check
 * that the block is exactly as long as its streams.
 *
 * <p>Header entries are {@code offsetBits} wide, or, with {@link #AUTO_OFFSET_BITS}, just wide enough for the
 * largest offset a block of that many symbols could need (every symbol at the code's length limit): encoder and
 * decoder both know that bound, so the width itself is never stored.
 *
 * <p>The decoder accepts only the one encoding the encoder produces: header and stream padding must be zero and each
 * stream exactly as long as its symbols need. A corrupt block is a {@link BadInputException} naming the offset.
 *
 * @param split      how symbols are assigned to streams
 * @param streams    number of streams (decoder lanes), 1..{@value #MAX_STREAMS}
 * @param alignBytes alignment of the header end and of every stream end, a power of two 1..4096
 * @param offsetBits width of a header entry, 1..32, or {@link #AUTO_OFFSET_BITS}
 */
public record MultiStreamLayout(Split split, int streams, int alignBytes, int offsetBits) {
    /** Width of header entries sized from the block's largest possible offset. */
    public static final int AUTO_OFFSET_BITS = 0;
    public static final int MAX_STREAMS = 1024;

    /** How symbols are assigned to streams. */
    public enum Split {
        /** Stream k codes a contiguous run: symbols {@code [k*n/N, (k+1)*n/N)}, so lanes differ by at most one. */
        CHUNKED,
        /** Symbol i goes to stream {@code i mod N}: lanes together emit consecutive symbols, as a wide output wants. */
        INTERLEAVED
    }

    public MultiStreamLayout {
        if (split == null) {
            throw new BadInputException("multi-stream layout: split: expected CHUNKED or INTERLEAVED, found null");
        }
        if (streams < 1 || streams > MAX_STREAMS) {
            throw new BadInputException("multi-stream layout: streams: expected 1.." + MAX_STREAMS + ", found "
                    + streams);
        }
        if (alignBytes < 1 || alignBytes > 4096 || Integer.bitCount(alignBytes) != 1) {
            throw new BadInputException("multi-stream layout: align_bytes: expected a power of two 1..4096, found "
                    + alignBytes);
        }
        if (offsetBits < 0 || offsetBits > 32) {
            throw new BadInputException("multi-stream layout: offset_bits: expected 1..32 or 0 (auto), found "
                    + offsetBits);
        }
    }

    /** Byte-aligned streams with header entries sized to the block. */
    public static MultiStreamLayout of(int streams, Split split) {
        return new MultiStreamLayout(split, streams, 1, AUTO_OFFSET_BITS);
    }

    /** Encodes {@code symbols[from, to)} with {@code code} in a byte-aligned layout with auto-sized offsets. */
    public static byte[] encode(byte[] symbols, int from, int to, HuffmanCode code, int streams, Split split) {
        return of(streams, split).encode(symbols, from, to, new HuffmanEncoder(code)).bytes();
    }

    /** Decodes a block made by {@link #encode(byte[], int, int, HuffmanCode, int, Split)}. */
    public static byte[] decode(byte[] block, int symbols, HuffmanCode code, int streams, Split split) {
        byte[] out = new byte[symbols];
        of(streams, split).decode(block, 0, block.length, symbols, new HuffmanDecoder(code), out, 0);
        return out;
    }

    /** Symbols stream k holds in a block of {@code n}. */
    public int streamSymbols(int n, int k) {
        return split == Split.CHUNKED ? chunkStart(n, k + 1) - chunkStart(n, k) : (n - k + streams - 1) / streams;
    }

    private int chunkStart(int n, int k) {
        return (int) ((long) k * n / streams);
    }

    private int firstIndex(int n, int k) {
        return split == Split.CHUNKED ? chunkStart(n, k) : k;
    }

    private int stride() {
        return split == Split.CHUNKED ? 1 : streams;
    }

    /** Width of a header entry for a block of {@code n} symbols coded with at most {@code maxLength} bits each. */
    public int headerEntryBits(int n, int maxLength) {
        if (offsetBits != AUTO_OFFSET_BITS) {
            return offsetBits;
        }
        long largest = 0;
        for (int k = 0; k < streams; k++) {
            largest += alignUp((streamSymbols(n, k) * (long) maxLength + 7) / 8);
        }
        return Math.max(1, 64 - Long.numberOfLeadingZeros(largest));
    }

    /** Bytes of the header with its padding. */
    public int headerBytes(int n, int maxLength) {
        return (int) alignUp(((long) streams * headerEntryBits(n, maxLength) + 7) / 8);
    }

    private long alignUp(long bytes) {
        return (bytes + alignBytes - 1) & -(long) alignBytes;
    }

    /** Encodes {@code symbols[from, to)} as one block. */
    public StreamedBlock encode(byte[] symbols, int from, int to, HuffmanEncoder encoder) {
        if (from < 0 || to < from || to > symbols.length) {
            throw new BadInputException("multi-stream encode: expected a symbol range within 0.." + symbols.length
                    + ", found " + from + ".." + to);
        }
        int n = to - from;
        int maxLength = encoder.code().maxLength();
        int entryBits = headerEntryBits(n, maxLength);
        // Code lengths give every stream's size before a bit is written, so the header goes first in one pass.
        long[] streamBits = new long[streams];
        long[] ends = new long[streams];
        long end = 0;
        for (int k = 0; k < streams; k++) {
            int first = from + firstIndex(n, k);
            streamBits[k] = encoder.codedBits(symbols, first, first + span(n, k), stride());
            end += alignUp((streamBits[k] + 7) / 8);
            ends[k] = end;
        }
        int headerBytes = headerBytes(n, maxLength);
        long total = headerBytes + end;
        if (total > Integer.MAX_VALUE - 16) {
            throw new BadInputException("multi-stream encode: expected a block under 2 GiB, found " + total
                    + " bytes; use smaller blocks");
        }
        if (entryBits < 64 && (end >>> entryBits) != 0) {
            throw new BadInputException("multi-stream encode: offset_bits: expected entries wide enough for stream"
                    + " offset " + end + ", found " + entryBits + " bits; widen them or use smaller blocks");
        }
        BitWriter w = new BitWriter((int) total);
        for (long e : ends) {
            w.writeLong(e, entryBits);
        }
        long headerBits = (long) streams * entryBits;
        long padding = w.padTo(alignBytes);
        long payload = 0;
        for (int k = 0; k < streams; k++) {
            int first = from + firstIndex(n, k);
            encoder.encode(symbols, first, first + span(n, k), stride(), w);
            payload += streamBits[k];
            padding += w.padTo(alignBytes);
        }
        return new StreamedBlock(w.toByteArray(), n, headerBits, payload, padding, streamBits);
    }

    // The index range [first, first + span) with the layout's stride visits exactly stream k's symbols.
    private int span(int n, int k) {
        int count = streamSymbols(n, k);
        return count == 0 ? 0 : (count - 1) * stride() + 1;
    }

    /**
     * Decodes the block in {@code block[offset, offset + length)}, which must hold exactly {@code n} symbols, into
     * {@code out[outFrom, outFrom + n)}.
     */
    public void decode(byte[] block, int offset, int length, int n, HuffmanDecoder decoder, byte[] out,
                       int outFrom) {
        if (offset < 0 || length < 0 || offset + length > block.length) {
            throw new BadInputException("multi-stream decode: expected a block within 0.." + block.length
                    + " bytes, found " + offset + "+" + length);
        }
        int maxLength = decoder.code().maxLength();
        int entryBits = headerEntryBits(n, maxLength);
        int headerBytes = headerBytes(n, maxLength);
        if (length < headerBytes) {
            throw new BadInputException("multi-stream block at byte " + offset + ": expected a header of "
                    + headerBytes + " bytes, found only " + length + " bytes");
        }
        BitReader header = new BitReader(block, offset, offset + headerBytes);
        long[] ends = new long[streams];
        long previous = 0;
        for (int k = 0; k < streams; k++) {
            ends[k] = header.read(entryBits);
            if (ends[k] < previous || ends[k] % alignBytes != 0) {
                throw new BadInputException("multi-stream block at byte " + offset + ": header bit "
                        + (long) k * entryBits + ": expected stream " + k + " to end at a multiple of " + alignBytes
                        + " bytes, not before " + previous + ", found " + ends[k]);
            }
            previous = ends[k];
        }
        checkZero(header, header.bitLength() - header.bitPosition(), "header padding", offset);
        if (headerBytes + ends[streams - 1] != length) {
            throw new BadInputException("multi-stream block at byte " + offset + ": expected " + length
                    + " bytes as the block's size says, found a header and streams adding up to "
                    + (headerBytes + ends[streams - 1]));
        }
        long start = 0;
        for (int k = 0; k < streams; k++) {
            int from = offset + headerBytes + (int) start;
            int to = offset + headerBytes + (int) ends[k];
            BitReader in = new BitReader(block, from, to);
            int count = streamSymbols(n, k);
            decoder.decode(in, count, out, outFrom + firstIndex(n, k), stride(),
                    "multi-stream block at byte " + offset + ", stream " + k);
            long used = alignUp((in.bitPosition() + 7) / 8);
            if (used != to - from) {
                throw new BadInputException("multi-stream block at byte " + offset + ", stream " + k + ": bit offset "
                        + in.absoluteBitPosition() + ": expected the stream to end after " + used + " bytes for its "
                        + count + " symbols, found " + (to - from) + " bytes");
            }
            checkZero(in, in.bitLength() - in.bitPosition(), "stream " + k + " padding", offset);
            start = ends[k];
        }
    }

    private static void checkZero(BitReader in, long bits, String what, int offset) {
        for (long left = bits; left > 0; ) {
            long at = in.absoluteBitPosition();
            int take = (int) Math.min(32, left);
            if (in.read(take) != 0) {
                throw new BadInputException("multi-stream block at byte " + offset + ": bit offset " + at
                        + ": expected zero " + what + ", found set bits");
            }
            left -= take;
        }
    }
}
