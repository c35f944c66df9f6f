package io.nccsim.codec.quant;

import io.nccsim.codec.WeightQuant;

/**
 * The symmetric/asymmetric decision for one tensor, with what it rests on and what each choice would give, for
 * reports.
 *
 * @param tensor                the tensor's name
 * @param chosen                the resolved scheme
 * @param wastedResolutionBits  bits of resolution the symmetric grid would waste on this tensor's groups (0: every
 *                              group's range is centred on zero; 1: every group is of one sign); the decision
 *                              compares it with {@link SymmetryChooser#WASTE_THRESHOLD_BITS}
 * @param reason                one line saying why
 * @param symmetricCandidate    what symmetric quantization gives
 * @param asymmetricCandidate   what asymmetric quantization gives
 */
public record SymmetryChoice(String tensor, WeightQuant chosen, double wastedResolutionBits, String reason,
                             Candidate symmetricCandidate, Candidate asymmetricCandidate) {

    public boolean symmetric() {
        return chosen.symmetric();
    }

    /**
     * One way of quantizing the tensor, measured.
     *
     * @param quant                the scheme, e.g. "int4-g32-asym"
     * @param mse                  mean squared error against the original (unpruned) weights
     * @param maxAbsError          largest error of one weight
     * @param sqnrDb               signal-to-quantization-noise ratio, dB
     * @param entropyBitsPerWeight Shannon entropy of the symbols, bits per weight
     * @param codedBits            Huffman-coded payload plus its code table plus the fp16 scales and zero points
     * @param codedBitsPerWeight   {@code codedBits} per weight
     */
    public record Candidate(String quant, double mse, double maxAbsError, double sqnrDb, double entropyBitsPerWeight,
                            long codedBits, double codedBitsPerWeight) {
    }
}
