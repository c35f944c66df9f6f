package io.nccsim.fidelity;

import io.nccsim.capture.AccessListener;
import io.nccsim.capture.Generation;
import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.Generator;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.LlamaEngine;
import io.nccsim.capture.LlamaModel;
import io.nccsim.capture.Sampler;

/**
 * What one decoder run produces that fidelity is judged on: the next-token logits at every position of a fixed text
 * fed in whatever the model would have chosen (teacher forcing), and the greedy continuation from BOS.
 *
 * @param text         the evaluated tokens, BOS first
 * @param logits       {@code logits[p]}: the logits after running {@code text[0..p]}, predicting {@code text[p+1]};
 *                     one row per position 0 .. text.length - 2
 * @param continuation greedy tokens generated from BOS alone
 * @param stop         why the continuation stopped
 */
public record DecoderRun(int[] text, float[][] logits, int[] continuation, Generation.Stop stop) {
    public DecoderRun {
        if (logits.length != text.length - 1) {
            throw new IllegalArgumentException(logits.length + " logit rows for " + text.length + " tokens");
        }
        text = text.clone();
        float[][] rows = new float[logits.length][];
        for (int p = 0; p < logits.length; p++) {
            rows[p] = logits[p].clone();
        }
        logits = rows;
        continuation = continuation.clone();
    }

    /**
     * Runs {@code model} with its KV cache at {@code kv}: the whole of {@code text} teacher-forced, then, in a fresh
     * engine, at most {@code continuationTokens} greedy tokens from BOS ({@code text[0]}), stopping at llama2.c's
     * BOS and EOS.
     *
     * @param text at least two tokens (a prediction needs a target), at most the model's context
     */
    public static DecoderRun of(LlamaModel model, KvPrecision kv, int[] text, int continuationTokens) {
        return of(model, kv, text, continuationTokens, null);
    }

    /**
     * As {@link #of(LlamaModel, KvPrecision, int[], int)}, the continuation stopping at the BOS and end-of-text
     * tokens of {@code tokenizer} (llama2.c's when null).
     */
    public static DecoderRun of(LlamaModel model, KvPrecision kv, int[] text, int continuationTokens,
                                DecoderTokenizer tokenizer) {
        int seqLen = model.config().seqLen();
        if (text.length < 2 || text.length > seqLen) {
            throw new IllegalArgumentException("text of " + text.length + " tokens: expected 2.." + seqLen);
        }
        if (continuationTokens < 1 || continuationTokens >= seqLen) {
            throw new IllegalArgumentException("continuation of " + continuationTokens + " tokens: expected 1.."
                    + (seqLen - 1));
        }
        LlamaEngine forced = new LlamaEngine(model, kv, AccessListener.NONE);
        float[][] logits = new float[text.length - 1][];
        for (int pos = 0; pos < text.length - 1; pos++) {
            logits[pos] = forced.forward(text[pos], pos);
        }
        LlamaEngine fresh = new LlamaEngine(model, kv, AccessListener.NONE);
        Generator greedy = tokenizer == null ? new Generator(fresh, Sampler.greedy())
                : new Generator(fresh, Sampler.greedy(), tokenizer);
        Generation g = greedy.generate(new int[]{text[0]}, continuationTokens);
        return new DecoderRun(text, logits, g.generatedTokens(), g.stop());
    }

    @Override
    public int[] text() {
        return text.clone();
    }

    @Override
    public float[][] logits() {
        float[][] copy = new float[logits.length][];
        for (int p = 0; p < logits.length; p++) {
            copy[p] = logits[p].clone();
        }
        return copy;
    }

    @Override
    public int[] continuation() {
        return continuation.clone();
    }

    /** Predicted positions: one per token after BOS. */
    public int positions() {
        return logits.length;
    }

    /** The logits at position {@code p} (a copy). */
    public float[] logitsAt(int p) {
        return logits[p].clone();
    }

    /** Each position's negative log-likelihood (nats) of the text's next token. */
    public double[] negativeLogLikelihoods() {
        double[] nll = new double[logits.length];
        for (int p = 0; p < logits.length; p++) {
            nll[p] = NextTokenMath.negativeLogLikelihood(logits[p], text[p + 1]);
        }
        return nll;
    }

    /** The perplexity of the text under this run. */
    public double perplexity() {
        return NextTokenMath.perplexity(negativeLogLikelihoods());
    }
}
