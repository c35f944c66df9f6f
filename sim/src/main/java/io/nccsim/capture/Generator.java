package io.nccsim.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a prompt through a {@link LlamaEngine} and then lets it write: each chosen token is run at the next position,
 * as llama2.c's generate loop does, until enough tokens are out, the model chooses an end-of-text token or BOS, or
 * the context is full.
 */
public final class Generator {
    private final LlamaEngine engine;
    private final Sampler sampler;
    private final int bos;
    private final Set<Integer> eos;

    /** A generator that stops at llama2.c's BOS and EOS. */
    public Generator(LlamaEngine engine, Sampler sampler) {
        this(engine, sampler, Llama2cTokenizer.BOS, Set.of(Llama2cTokenizer.EOS));
    }

    /** A generator that stops at the BOS and end-of-text tokens of {@code tokenizer}. */
    public Generator(LlamaEngine engine, Sampler sampler, DecoderTokenizer tokenizer) {
        this(engine, sampler, tokenizer.bos(), tokenizer.eos());
    }

    private Generator(LlamaEngine engine, Sampler sampler, int bos, Set<Integer> eos) {
        this.engine = engine;
        this.sampler = sampler;
        this.bos = bos;
        this.eos = Set.copyOf(eos);
    }

    /**
     * Runs {@code prompt} from position 0 (it usually starts with BOS) and generates at most
     * {@code maxNewTokens} tokens after it.
     */
    public Generation generate(int[] prompt, int maxNewTokens) {
        int seqLen = engine.config().seqLen();
        if (prompt.length == 0 || prompt.length > seqLen) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens: expected 1.." + seqLen);
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max new tokens " + maxNewTokens + ": expected >= 0");
        }
        List<Integer> promptList = new ArrayList<>();
        for (int t : prompt) {
            promptList.add(t);
        }
        List<Integer> out = new ArrayList<>();
        if (maxNewTokens == 0) {
            return new Generation(promptList, out, Generation.Stop.MAX_TOKENS);
        }
        float[] logits = null;
        for (int pos = 0; pos < prompt.length; pos++) {
            logits = engine.forward(prompt[pos], pos);
        }
        int pos = prompt.length - 1;
        while (true) {
            int next = sampler.next(logits);
            if (eos.contains(next)) { // before BOS: Qwen2's <|endoftext|> is both
                return new Generation(promptList, out, Generation.Stop.EOS);
            }
            if (next == bos) {
                return new Generation(promptList, out, Generation.Stop.BOS);
            }
            out.add(next);
            if (out.size() == maxNewTokens) {
                return new Generation(promptList, out, Generation.Stop.MAX_TOKENS);
            }
            if (pos + 1 == seqLen) {
                return new Generation(promptList, out, Generation.Stop.CONTEXT_FULL);
            }
            pos++;
            logits = engine.forward(next, pos);
        }
    }
}
