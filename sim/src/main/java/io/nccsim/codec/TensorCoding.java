package io.nccsim.codec;

/**
 * What Huffman coding one tensor cost, bit by bit, in a {@link HuffmanPlan}.
 *
 * <p>Stored bits = payload + header + padding + table. Table bits are charged once per table, all of them to the
 * first tensor (in input order) that uses the table; the others sharing it carry 0.
 *
 * @param name             the tensor's name
 * @param layer            its layer index, or -1 if it belongs to none
 * @param table            index of its table in {@link HuffmanPlan#tables()}
 * @param symbolBits       bits per symbol as quantized (2, 3, 4 or 8)
 * @param symbols          symbols coded
 * @param rawBits          {@code symbolBits * symbols}: the packed size without entropy coding
 * @param shannonBits      Shannon bound of the whole tensor: entropy of its symbol counts times its symbols
 * @param blockShannonBits sum over blocks of each block's own Shannon bound (never above {@code shannonBits}: a
 *                         coder that adapts per block could approach it)
 * @param payloadBits      code-word bits of every block
 * @param headerBits       stream-offset header bits of every block
 * @param paddingBits      alignment bits of every block
 * @param tableBits        bits of the table, if this tensor is the first to use it, else 0
 * @param blockBytes       stored bytes of each block, in order (header, streams and padding included)
 * @param roundTripExact   true if decoding every stored block gave back exactly the tensor's symbols
 */
public record TensorCoding(String name, int layer, int table, int symbolBits, long symbols, long rawBits,
                           double shannonBits, double blockShannonBits, long payloadBits, long headerBits,
                           long paddingBits, long tableBits, int[] blockBytes, boolean roundTripExact) {
    public TensorCoding {
        blockBytes = blockBytes.clone();
    }

    @Override
    public int[] blockBytes() {
        return blockBytes.clone();
    }

    public int blocks() {
        return blockBytes.length;
    }

    /** What the multi-stream layout adds to the code words: headers and padding. */
    public long overheadBits() {
        return headerBits + paddingBits;
    }

    /** Bits of the stored blocks: payload and layout overhead, without the table. */
    public long blockBits() {
        return payloadBits + overheadBits();
    }

    /** Everything charged to this tensor: blocks and its share of table bits. */
    public long storedBits() {
        return blockBits() + tableBits;
    }

    /** Raw bits over stored bits (above 1 means the coding saves space). */
    public double compressionRatio() {
        return storedBits() == 0 ? 1 : (double) rawBits / storedBits();
    }
}
