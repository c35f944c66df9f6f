package io.nccsim.trace;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of one quantized weight tensor, summarised as symbol histograms of consecutive fine blocks.
 *
 * <p>Block {@code b} covers elements {@code [b*blockElements, min((b+1)*blockElements, elements))}: every block is
 * full but the last. A coarser block is the merge (bin-wise sum) of consecutive fine blocks, so any block size that
 * is a multiple of {@code blockElements} can be priced exactly.
 *
 * @param tensorId      row of the tensor table
 * @param blockElements elements per fine block (the header's contentBlockElements)
 * @param histograms    {@code histograms[b][s]}: how often symbol {@code s} occurs in block {@code b}
 */
public record WeightContent(int tensorId, int blockElements, int[][] histograms) {
    public WeightContent {
        Objects.requireNonNull(histograms, "histograms");
        if (blockElements <= 0) {
            throw new IllegalArgumentException("blockElements must be positive");
        }
    }

    public int blocks() {
        return histograms.length;
    }

    public int alphabetSize() {
        return histograms.length == 0 ? 0 : histograms[0].length;
    }

    /** The histogram of the whole tensor. */
    public long[] total() {
        long[] t = new long[alphabetSize()];
        for (int[] h : histograms) {
            for (int s = 0; s < h.length; s++) {
                t[s] += h[s];
            }
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightContent w && tensorId == w.tensorId && blockElements == w.blockElements
                && Arrays.deepEquals(histograms, w.histograms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensorId, blockElements) * 31 + Arrays.deepHashCode(histograms);
    }

    @Override
    public String toString() {
        return "WeightContent[tensor " + tensorId + ", " + histograms.length + " blocks of " + blockElements + "]";
    }
}
