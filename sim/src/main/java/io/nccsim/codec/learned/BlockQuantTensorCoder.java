package io.nccsim.codec.learned;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;

import java.util.Locale;

/**
 * The quantization + Huffman baseline as a {@link TensorCoder}, by exactly {@link QuantHuffmanBaseline}'s rules
 * (a test holds the two to the same bits and error): groups of {@code group} values along each row (the row's last
 * group shorter when the row is not a multiple), each quantized by {@link UniformBlockQuantizer} with its own fp16
 * scale (and a 16-bit zero point when asymmetric), then one length-limited Huffman code per tensor built from the
 * tensor's own symbols, its table charged to the tensor. A group as long as the row is per-channel quantization.
 */
public final class BlockQuantTensorCoder implements TensorCoder {
    private final int bits;
    private final boolean symmetric;
    private final int group;
    private final int maxCodeLength;

    /**
     * @param bits          2..8
     * @param symmetric     symmetric or asymmetric
     * @param group         values per group (scale), at least 1; a group never spans two rows
     * @param maxCodeLength the Huffman code-length limit (the compress command's default is 12)
     */
    public BlockQuantTensorCoder(int bits, boolean symmetric, int group, int maxCodeLength) {
        if (group < 1) {
            throw new IllegalArgumentException("group " + group);
        }
        new UniformBlockQuantizer(bits, symmetric); // checks the width
        if (maxCodeLength < bits || maxCodeLength > 30) {
            throw new IllegalArgumentException("code length limit " + maxCodeLength + " for " + bits + "-bit symbols");
        }
        this.bits = bits;
        this.symmetric = symmetric;
        this.group = group;
        this.maxCodeLength = maxCodeLength;
    }

    /** The curve's name, e.g. {@code quant sym + Huffman, g16}. */
    public static String method(boolean symmetric, int group) {
        return (symmetric ? QuantHuffmanBaseline.SYM_HUFFMAN : QuantHuffmanBaseline.ASYM_HUFFMAN) + ", g" + group;
    }

    @Override
    public String method() {
        return method(symmetric, group);
    }

    @Override
    public String setting() {
        return String.format(Locale.ROOT, "%d bits", bits);
    }

    public int bits() {
        return bits;
    }

    public int group() {
        return group;
    }

    public boolean symmetric() {
        return symmetric;
    }

    @Override
    public long sharedBits() {
        return 0;
    }

    @Override
    public Coded code(SourceTensor t) {
        UniformBlockQuantizer q = new UniformBlockQuantizer(bits, symmetric);
        long[] histogram = new long[q.alphabetSize()];
        float[] v = t.values();
        float[] out = new float[v.length];
        int[] symbols = new int[group];
        double[] recon = new double[group];
        long blocks = 0;
        for (int r = 0; r < t.rows(); r++) {
            int rowStart = r * t.cols();
            for (int c0 = 0; c0 < t.cols(); c0 += group) {
                int len = Math.min(group, t.cols() - c0);
                double[] block = new double[len];
                for (int j = 0; j < len; j++) {
                    block[j] = v[rowStart + c0 + j];
                }
                q.quantize(block, symbols, recon);
                for (int j = 0; j < len; j++) {
                    histogram[symbols[j]]++;
                    out[rowStart + c0 + j] = (float) recon[j];
                }
                blocks++;
            }
        }
        HuffmanCode code = HuffmanCode.build(histogram, maxCodeLength);
        long codeBits = 0;
        long symbolCount = 0;
        for (int s = 0; s < histogram.length; s++) {
            codeBits += histogram[s] * code.length(s);
            symbolCount += histogram[s];
        }
        long side = blocks * (QuantHuffmanBaseline.SCALE_BITS + (symmetric ? 0 : QuantHuffmanBaseline.ZERO_POINT_BITS));
        double entropy = symbolCount == 0 ? 0 : Entropy.bitsPerSymbol(histogram) * symbolCount;
        return new Coded(out, codeBits + 8 * code.tableBytes() + side, entropy + side);
    }
}
