package io.nccsim.capture;

import java.util.List;

/**
 * What a {@link Generator} produced: the prompt it ran, the tokens it chose after it (without the token that
 * stopped it), and why it stopped.
 *
 * @param prompt    the prompt tokens, each run through the model
 * @param generated the chosen tokens, in order
 * @param stop      why generation ended
 */
public record Generation(List<Integer> prompt, List<Integer> generated, Stop stop) {
    /** Why generation ended. */
    public enum Stop {
        /** The requested number of new tokens was reached. */
        MAX_TOKENS,
        /** The model chose EOS. */
        EOS,
        /** The model chose BOS, which in llama2.c's stories marks the start of the next one. */
        BOS,
        /**
         * The KV cache has no position left: the last token was chosen from the last position's logits and is
         * output, but never run.
         */
        CONTEXT_FULL
    }

    public Generation {
        prompt = List.copyOf(prompt);
        generated = List.copyOf(generated);
    }

    /** The generated tokens as an array. */
    public int[] generatedTokens() {
        return generated.stream().mapToInt(Integer::intValue).toArray();
    }
}
