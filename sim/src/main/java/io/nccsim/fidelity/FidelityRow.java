package io.nccsim.fidelity;

import io.nccsim.capture.Sampler;

import java.util.Arrays;

/**
 * How closely one codec setting's run follows the reference run: one row of the fidelity table.
 *
 * @param codec              the setting's canonical spelling ({@link CodecSpec#id()}), or "reference"
 * @param kv                 KV-cache precision of the run ("fp32", "fp16", "int8")
 * @param bitsPerWeight      stored bits per weight element over the whole model ({@link CodedModel#bitsPerWeight()})
 * @param positions          teacher-forced positions compared
 * @param top1Agreement      fraction of positions whose most likely next token is the reference's
 * @param perplexity         perplexity of the evaluation text under this run
 * @param meanKlNats         mean over positions of KL(reference || this run), nats
 * @param maxKlNats          largest per-position KL(reference || this run), nats
 * @param logitsIdentical    true if every logit at every position equals the reference's bit for bit
 * @param greedyTokens       tokens of this run's greedy continuation from BOS
 * @param firstDivergence    first index at which the greedy continuation differs from the reference's (including
 *                           one stopping before the other), or -1 if the two are the same
 * @param huffmanSymbols     weight symbols that went through the Huffman coder and came back equal (0 without it)
 */
public record FidelityRow(String codec, String kv, double bitsPerWeight, int positions, double top1Agreement,
                          double perplexity, double meanKlNats, double maxKlNats, boolean logitsIdentical,
                          int greedyTokens, int firstDivergence, long huffmanSymbols) {

    /** Compares {@code test} with {@code reference}, position by position, and their continuations. */
    public static FidelityRow compare(String codec, String kv, double bitsPerWeight, long huffmanSymbols,
                                      DecoderRun reference, DecoderRun test) {
        if (!Arrays.equals(reference.text(), test.text())) {
            throw new IllegalArgumentException("the runs evaluated different texts");
        }
        int n = reference.positions();
        int agree = 0;
        double klSum = 0;
        double klMax = 0;
        boolean identical = true;
        for (int p = 0; p < n; p++) {
            float[] r = reference.logitsAt(p);
            float[] t = test.logitsAt(p);
            if (Sampler.argmax(r) == Sampler.argmax(t)) {
                agree++;
            }
            double kl = NextTokenMath.klDivergence(r, t);
            klSum += kl;
            klMax = Math.max(klMax, kl);
            identical &= sameBits(r, t);
        }
        return new FidelityRow(codec, kv, bitsPerWeight, n, (double) agree / n, test.perplexity(), klSum / n, klMax,
                identical, test.continuation().length, firstDivergence(reference.continuation(), test.continuation()),
                huffmanSymbols);
    }

    /** The first index where {@code a} and {@code b} differ, the shorter length if one ends first, or -1. */
    static int firstDivergence(int[] a, int[] b) {
        return Arrays.mismatch(a, b); // its contract is exactly this
    }

    private static boolean sameBits(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return a.length == b.length;
    }

    /** True if the greedy continuation is token for token the reference's. */
    public boolean continuationUnchanged() {
        return firstDivergence < 0;
    }

    /** "unchanged" or "diverges at token N" (N counted from 0 after BOS). */
    public String greedyVerdict() {
        return continuationUnchanged() ? "unchanged" : "diverges at " + firstDivergence;
    }
}
