package io.nccsim.codec.learned;

/**
 * A trained codec measured on a set of blocks: every block encoded to integer latents, coded, decoded.
 *
 * @param blocks                 blocks measured
 * @param values                 values measured (blocks x n)
 * @param bitsPerValueIdeal      mean -log2 P(bin) under the learned prior, per value
 * @param bitsPerValueHuffman    mean bits of the actual per-dimension Huffman codes (escapes included), per value
 * @param tableBitsPerValue      the code tables' bits spread over these values (a separate overhead)
 * @param mse                    mean squared error in the data's own units
 * @param signalPower            mean square of the data
 * @param sqnrDb                 10 log10(signalPower / mse); capped by an MSE floor of 1e-300 so that it is finite
 * @param weightedNormalisedMse  the training distortion: position-weighted MSE over the codec's stored scale squared
 * @param escapes                latent values outside their table's range, coded as escape + 16 raw bits
 */
public record CodecEvaluation(int blocks, long values, double bitsPerValueIdeal, double bitsPerValueHuffman,
                              double tableBitsPerValue, double mse, double signalPower, double sqnrDb,
                              double weightedNormalisedMse, long escapes) {

    /** Huffman bits per value with the tables' bits spread over the measured values: what DRAM holds. */
    public double bitsPerValueWithTables() {
        return bitsPerValueHuffman + tableBitsPerValue;
    }
}
