package io.nccsim.ncc;

import io.nccsim.codec.HuffmanCode;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.WeightContent;

/**
 * One weight tensor as the NCC stores it: Huffman-coded with a table built from the tensor's own symbol counts
 * (weights are compressed offline, so the table fits them exactly), cut into independently decodable blocks of
 * {@code blockElements} elements. Block sizes come from the trace's content histograms, merged from the fine
 * content blocks; the quantization metadata (scales, zero points) stays uncompressed after the payload.
 */
public final class CompressedWeights {
    private final TensorInfo tensor;
    private final HuffmanCode code;
    private final int blockElements;
    private final long rawBlockBytes;
    private final long[] blockOffset; // stored offset of each block; blockOffset[n] is the stored payload size
    private final long[] blockSymbols;

    public CompressedWeights(TensorInfo tensor, WeightContent content, int blockElements, int maxCodeLength,
                             BlockFormat format) {
        this.tensor = tensor;
        int bits = tensor.elementType().bits();
        if (blockElements % content.blockElements() != 0) {
            throw new BadInputException("ncc.huffman.block_elements: " + blockElements
                    + " is not a multiple of the trace's content block of " + content.blockElements()
                    + " elements; choose a multiple so block sizes can be computed exactly");
        }
        if ((long) blockElements * bits % 8 != 0) {
            throw new BadInputException("ncc.huffman.block_elements: " + blockElements + " elements of "
                    + tensor.elementType().id() + " do not fill whole bytes; choose a multiple of 8");
        }
        this.blockElements = blockElements;
        this.rawBlockBytes = (long) blockElements * bits / 8;
        this.code = HuffmanCode.build(content.total(), maxCodeLength);
        int finePerBlock = blockElements / content.blockElements();
        int fine = content.blocks();
        int blocks = (fine + finePerBlock - 1) / finePerBlock;
        this.blockOffset = new long[blocks + 1];
        this.blockSymbols = new long[blocks];
        int[][] hist = content.histograms();
        for (int b = 0; b < blocks; b++) {
            long codedBits = 0;
            long symbols = 0;
            for (int f = b * finePerBlock; f < Math.min(fine, (b + 1) * finePerBlock); f++) {
                codedBits += code.codedBits(hist[f]);
                for (int c : hist[f]) {
                    symbols += c;
                }
            }
            blockSymbols[b] = symbols;
            blockOffset[b + 1] = blockOffset[b] + format.storedBytes(codedBits);
        }
    }

    public TensorInfo tensor() {
        return tensor;
    }

    public HuffmanCode code() {
        return code;
    }

    public int blockElements() {
        return blockElements;
    }

    public int blocks() {
        return blockSymbols.length;
    }

    /** Raw payload bytes of one full block. */
    public long rawBlockBytes() {
        return rawBlockBytes;
    }

    /** Index of the block holding raw payload byte {@code offset}. */
    public int blockOf(long payloadOffset) {
        return (int) (payloadOffset / rawBlockBytes);
    }

    public long storedOffset(int block) {
        return blockOffset[block];
    }

    public long storedBytes(int block) {
        return blockOffset[block + 1] - blockOffset[block];
    }

    public long symbols(int block) {
        return blockSymbols[block];
    }

    /** Stored payload bytes of the whole tensor, without the metadata. */
    public long storedPayloadBytes() {
        return blockOffset[blockSymbols.length];
    }

    /** Bytes the tensor occupies as stored: compressed payload plus raw metadata. */
    public long storedBytes() {
        return storedPayloadBytes() + tensor.metadataBytes();
    }
}
