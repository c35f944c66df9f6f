package io.nccsim.codec.learned;

/**
 * One coding method at one setting, applied to a whole tensor: what a reader of DRAM gets back and what storing it
 * cost. The learned levels and the baselines they are judged against are all tensor coders, so that the held-out
 * rate-distortion points and the model-output fidelity are measured by the same loop on the same values.
 *
 * <p>Tensors are {@link SourceTensor}s, {@code [out][in]} for weights (a row is an output channel), one row per
 * vector for captured data; every coder cuts its blocks along rows, so no block spans two rows.
 */
public interface TensorCoder {
    /** The curve this point belongs to, e.g. "learned", "quant sym + Huffman, g16". */
    String method();

    /** The point on the curve, e.g. "medium", "4 bits", "step 0.3". */
    String setting();

    /** Codes and decodes {@code t}: its values as decoded, and the bits stored for it alone. */
    Coded code(SourceTensor t);

    /**
     * Bits stored once for every tensor coded with this setting (a learned level's Huffman tables, which its
     * decoder holds whatever the tensor); 0 when each tensor carries its own.
     */
    long sharedBits();

    /**
     * A tensor as decoded.
     *
     * @param values    the decoded values, row-major like the tensor's
     * @param bits      bits stored for this tensor: code words, escapes, and its own tables, scales and zero points
     * @param idealBits what an ideal entropy coder would spend on the same symbols under the method's own model
     *                  (learned: -log2 P under the prior; others: NaN), with the same side information
     */
    record Coded(float[] values, long bits, double idealBits) {
    }
}
