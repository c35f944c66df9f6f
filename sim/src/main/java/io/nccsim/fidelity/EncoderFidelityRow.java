package io.nccsim.fidelity;

/**
 * How closely one codec setting's sentence embeddings follow the reference's: one row of an encoder's fidelity
 * table.
 *
 * @param codec          the setting's canonical spelling ({@link CodecSpec#id()}), or "reference"
 * @param bitsPerWeight  stored bits per weight element over the whole model ({@link CodedModel#bitsPerWeight()})
 * @param sentences      sentences compared
 * @param meanCosine     mean over sentences of the cosine similarity between this run's embedding and the
 *                       reference's
 * @param minCosine      the lowest of those cosines
 * @param maxAbsDiff     the largest absolute difference of any embedding element from the reference's
 * @param identical      true if every element of every embedding equals the reference's bit for bit
 * @param huffmanSymbols weight symbols that went through the Huffman coder and came back equal (0 without it)
 */
public record EncoderFidelityRow(String codec, double bitsPerWeight, int sentences, double meanCosine,
                                 double minCosine, double maxAbsDiff, boolean identical, long huffmanSymbols) {

    /** Compares the embeddings {@code test} with {@code reference}, sentence by sentence. */
    public static EncoderFidelityRow compare(String codec, double bitsPerWeight, long huffmanSymbols,
                                             float[][] reference, float[][] test) {
        if (reference.length != test.length || reference.length == 0) {
            throw new IllegalArgumentException(reference.length + " reference embeddings, " + test.length
                    + " to compare; expected the same number, at least one");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double maxDiff = 0;
        boolean identical = true;
        for (int s = 0; s < reference.length; s++) {
            float[] r = reference[s];
            float[] t = test[s];
            if (r.length != t.length) {
                throw new IllegalArgumentException("sentence " + s + ": embeddings of " + r.length + " and "
                        + t.length + " values");
            }
            double cos = cosine(r, t);
            sum += cos;
            min = Math.min(min, cos);
            for (int i = 0; i < r.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs((double) r[i] - t[i]));
                identical &= Float.floatToRawIntBits(r[i]) == Float.floatToRawIntBits(t[i]);
            }
        }
        return new EncoderFidelityRow(codec, bitsPerWeight, reference.length, sum / reference.length, min, maxDiff,
                identical, huffmanSymbols);
    }

    /** a · b / (|a| |b|), in double; 0 when either is the zero vector. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa * bb);
    }
}
