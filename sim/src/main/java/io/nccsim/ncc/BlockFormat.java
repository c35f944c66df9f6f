package io.nccsim.ncc;

import io.nccsim.config.NccConfig;
import io.nccsim.dram.AddressMap;

/**
 * The stored size of one independently decodable compressed block.
 *
 * <p>A block holds its symbols split over {@code streams} streams (one per group of decoder lanes, so lanes decode
 * in parallel), a small header with the start offset of every stream but the first, and padding so that the next
 * block starts on a DRAM burst boundary and can be fetched on its own. Each stream ends on a byte boundary; the
 * size counts the worst case of that padding (one byte per extra stream): the exact split of bits over streams
 * needs the data itself, and the codec's bit-exact encoder takes over this estimate.
 */
public final class BlockFormat {
    private final int streams;
    private final int streamOffsetBytes;
    private final long alignBytes;

    public BlockFormat(NccConfig.Huffman h) {
        this(h.streams(), h.indexEntryBytes(), h.blockAlignBytes());
    }

    public BlockFormat(int streams, int streamOffsetBytes, long alignBytes) {
        this.streams = streams;
        this.streamOffsetBytes = streamOffsetBytes;
        this.alignBytes = alignBytes;
    }

    /** Bytes a block of {@code codedBits} Huffman-coded bits occupies in DRAM. */
    public long storedBytes(long codedBits) {
        long extraStreams = streams - 1L;
        long bytes = (codedBits + 7) / 8 + extraStreams + extraStreams * streamOffsetBytes;
        return AddressMap.alignUp(Math.max(1, bytes), alignBytes);
    }
}
