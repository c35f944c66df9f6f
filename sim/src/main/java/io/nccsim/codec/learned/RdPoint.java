package io.nccsim.codec.learned;

/**
 * One point of a rate-distortion curve: a coding method at one setting, measured on a set of blocks.
 *
 * @param method       the method's name, the same for every point of one curve (e.g. "quant sym + Huffman")
 * @param bitsPerValue everything stored, per value: code words, tables, scales and zero points
 * @param mse          mean squared error of the reconstruction (weighted by the blocks' per-position weights
 *                     when the measurement says so)
 * @param sqnrDb       signal to noise, {@code 10 log10(sum x^2 / sum (x - x')^2)} in dB; +Infinity when exact
 */
public record RdPoint(String method, double bitsPerValue, double mse, double sqnrDb) {
}
