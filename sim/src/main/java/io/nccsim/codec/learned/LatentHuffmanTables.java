package io.nccsim.codec.learned;

import io.nccsim.codec.HuffmanCode;

/**
 * The real entropy code of the latents: one length-limited canonical Huffman code per latent dimension, built from
 * the learned prior's pmf (not from counts of the data), because the decoder's tables are fixed when the codec is
 * made, as the NCC's table SRAM holds them.
 *
 * <p>Dimension j codes the bins {@code low[j] .. low[j] + bins[j] - 1} directly; any other bin is coded as the
 * escape symbol (the last of the alphabet) followed by the bin in {@link #ESCAPE_PAYLOAD_BITS} raw bits. The range
 * is the bins that occurred in the training latents, clipped to {@link #MAX_BINS} bins where the prior has the most
 * mass. Every symbol of the alphabet gets a code (a count of at least 1), so any latent can be coded.
 *
 * <p>A table costs its code lengths ({@link HuffmanCode#tableBytes()}: 4 bits per symbol for codes of at most 15
 * bits) plus {@link #RANGE_HEADER_BYTES} for its range.
 */
final class LatentHuffmanTables {
    /** ASSUMPTION: 15-bit codes, the same limit as DEFLATE's; a 2^15-entry worst-case lookup is never built. */
    static final int MAX_CODE_LENGTH = 15;
    /** ASSUMPTION: 1023 bins + escape per dimension; wider latents than that are rare and cost an escape each. */
    static final int MAX_BINS = 1023;
    /** Escaped bins are sent as 16-bit two's complement; {@link TrainedBlockCodec#encode} clamps to that range. */
    static final int ESCAPE_PAYLOAD_BITS = 16;
    static final int MIN_BIN = -(1 << (ESCAPE_PAYLOAD_BITS - 1));
    static final int MAX_BIN = (1 << (ESCAPE_PAYLOAD_BITS - 1)) - 1;
    /** ASSUMPTION: the first bin and the alphabet size, 16 bits each. */
    static final int RANGE_HEADER_BYTES = 4;
    /** Pmf values become integer counts at this resolution; every symbol gets at least 1. */
    private static final double COUNT_SCALE = 0x1p32;

    private final int[] low;
    private final int[] bins;
    private final HuffmanCode[] codes;

    private LatentHuffmanTables(int[] low, int[] bins, HuffmanCode[] codes) {
        this.low = low;
        this.bins = bins;
        this.codes = codes;
    }

    /**
     * Builds the tables from the prior (parameters {@code p}) and the range of bins seen per dimension in the
     * training latents ({@code minBin[j] <= maxBin[j]}).
     */
    static LatentHuffmanTables build(LogisticMixturePrior prior, double[] p, double step, long[] minBin,
                                     long[] maxBin) {
        int k = prior.dims;
        int[] low = new int[k];
        int[] bins = new int[k];
        HuffmanCode[] codes = new HuffmanCode[k];
        for (int j = 0; j < k; j++) {
            long lo = Math.max(MIN_BIN, minBin[j]);
            long hi = Math.min(MAX_BIN, maxBin[j]);
            if (hi < lo) {
                hi = lo;
            }
            if (hi - lo + 1 > MAX_BINS) {
                lo = heaviestWindow(prior, p, j, step, lo, hi);
                hi = lo + MAX_BINS - 1;
            }
            low[j] = (int) lo;
            bins[j] = (int) (hi - lo + 1);
            long[] counts = new long[bins[j] + 1];
            for (int b = 0; b < bins[j]; b++) {
                double mass = prior.binProbability(p, j, (lo + b) * step, step);
                counts[b] = Math.max(1L, Math.round(mass * COUNT_SCALE));
            }
            double tail = prior.cdf(p, j, (lo - 0.5) * step) + (1 - prior.cdf(p, j, (hi + 0.5) * step));
            counts[bins[j]] = Math.max(1L, Math.round(Math.max(0, tail) * COUNT_SCALE));
            codes[j] = HuffmanCode.build(counts, MAX_CODE_LENGTH);
        }
        return new LatentHuffmanTables(low, bins, codes);
    }

    /** The first bin of the MAX_BINS-wide window inside [lo, hi] that holds the most prior mass. */
    private static long heaviestWindow(LogisticMixturePrior prior, double[] p, int j, double step, long lo,
                                       long hi) {
        long best = lo;
        double bestMass = -1;
        for (long a = lo; a + MAX_BINS - 1 <= hi; a++) {
            double mass = prior.cdf(p, j, (a + MAX_BINS - 0.5) * step) - prior.cdf(p, j, (a - 0.5) * step);
            if (mass > bestMass) {
                bestMass = mass;
                best = a;
            }
        }
        return best;
    }

    /** True if bin q of dimension j is outside the table's range and costs an escape. */
    boolean isEscape(int j, int q) {
        return q < low[j] || q >= low[j] + bins[j];
    }

    /** Coded bits of one latent value of dimension j. */
    int bits(int j, int q) {
        if (isEscape(j, q)) {
            return codes[j].length(bins[j]) + ESCAPE_PAYLOAD_BITS;
        }
        return codes[j].length(q - low[j]);
    }

    /** Coded bits of a whole latent vector. */
    long bits(int[] latent) {
        long total = 0;
        for (int j = 0; j < latent.length; j++) {
            total += bits(j, latent[j]);
        }
        return total;
    }

    /** Bytes the decoder must hold for all k tables: code lengths and ranges. */
    long tableBytes() {
        long total = 0;
        for (HuffmanCode c : codes) {
            total += c.tableBytes() + RANGE_HEADER_BYTES;
        }
        return total;
    }

    int low(int j) {
        return low[j];
    }

    int bins(int j) {
        return bins[j];
    }

    HuffmanCode code(int j) {
        return codes[j];
    }
}
