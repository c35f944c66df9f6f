package io.nccsim.codec.learned;

import io.nccsim.codec.Entropy;
import io.nccsim.codec.HuffmanCode;

import java.util.Locale;

/**
 * Entropy-coded uniform scalar quantization with one step per tensor: the baseline that isolates what the learned
 * codec's transform adds. The tensor is divided by its fp32 RMS ({@link TensorScaling}, the learned codec's own side
 * information), every value is rounded to a multiple of {@code step} (in RMS units, no clipping), and the integers
 * are Huffman-coded with one code per tensor built from the tensor's own counts, under the learned codec's own
 * limits ({@link LatentHuffmanTables}): codes of at most 15 bits, at most 1023 bins coded directly (the window with
 * the most values), any other bin as an escape code followed by 16 raw bits.
 *
 * <p>A learned LINEAR level with k = n whose encoder is the identity is exactly this coder with per-dimension
 * tables from a prior; where the learned codec does better than this, its transform (or its prior) found structure
 * between the values of a block.
 *
 * <p>Bits per tensor: code words, escapes, the table (code lengths, 4 bits each, and a 4-byte range) and the
 * 32-bit scale.
 */
public final class UniformStepTensorCoder implements TensorCoder {
    public static final String METHOD = "uniform step + Huffman";

    private final double step;

    /** @param step the quantizer step in units of the tensor's RMS, positive */
    public UniformStepTensorCoder(double step) {
        if (!(step > 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("step " + step);
        }
        this.step = step;
    }

    public double step() {
        return step;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String setting() {
        return String.format(Locale.ROOT, "step %s", step);
    }

    @Override
    public long sharedBits() {
        return 0;
    }

    @Override
    public Coded code(SourceTensor t) {
        float scale = TensorScaling.rmsScale(t.values());
        float[] v = t.values();
        float[] out = new float[v.length];
        int[] bins = new int[v.length];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < v.length; i++) {
            long q = Math.round(Math.rint(v[i] / (double) scale / step));
            int b = (int) Math.max(LatentHuffmanTables.MIN_BIN, Math.min(LatentHuffmanTables.MAX_BIN, q));
            bins[i] = b;
            min = Math.min(min, b);
            max = Math.max(max, b);
            out[i] = (float) (b * step * scale);
        }
        if (v.length == 0) {
            return new Coded(out, TensorScaling.SCALE_BITS, TensorScaling.SCALE_BITS);
        }
        long[] counts = new long[max - min + 1];
        for (int b : bins) {
            counts[b - min]++;
        }
        // The window of at most MAX_BINS bins holding the most values is coded directly, the rest escaped.
        int width = Math.min(counts.length, LatentHuffmanTables.MAX_BINS);
        long windowSum = 0;
        for (int i = 0; i < width; i++) {
            windowSum += counts[i];
        }
        long best = windowSum;
        int bestStart = 0;
        for (int s = 1; s + width <= counts.length; s++) {
            windowSum += counts[s + width - 1] - counts[s - 1];
            if (windowSum > best) {
                best = windowSum;
                bestStart = s;
            }
        }
        long[] alphabet = new long[width + 1];
        System.arraycopy(counts, bestStart, alphabet, 0, width);
        long escapes = v.length - best;
        alphabet[width] = escapes;
        HuffmanCode code = HuffmanCode.build(alphabet, LatentHuffmanTables.MAX_CODE_LENGTH);
        long bits = escapes * LatentHuffmanTables.ESCAPE_PAYLOAD_BITS;
        for (int s = 0; s < alphabet.length; s++) {
            bits += alphabet[s] * code.length(s);
        }
        long side = 8 * (code.tableBytes() + LatentHuffmanTables.RANGE_HEADER_BYTES) + TensorScaling.SCALE_BITS;
        double ideal = Entropy.bitsPerSymbol(alphabet) * v.length
                + escapes * LatentHuffmanTables.ESCAPE_PAYLOAD_BITS + side;
        return new Coded(out, bits + side, ideal);
    }
}
