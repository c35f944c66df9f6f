package io.nccsim.capture;

/**
 * Which elements of a head the rotary position embedding turns together. Both layouts turn pair {@code i} (of
 * {@code headSize / 2}) by {@code pos * theta^(-2i / headSize)}; they differ in where the pair's two elements sit.
 * A checkpoint's q and k rows are ordered for one layout, so the layout is a property of the file, not a choice:
 * running a file under the other layout gives a different (wrong) model.
 *
 * <ul>
 *   <li>{@link #INTERLEAVED}: elements {@code 2i} and {@code 2i+1}. Meta's original Llama code and llama2.c; and
 *       llama.cpp's LLAMA architecture in GGUF (its "NORM" rope type), whose converter permutes Hugging Face's q/k
 *       rows back into Meta's order (Llama, SmolLM, Mistral and TinyLlama GGUF files all use architecture
 *       {@code llama}).</li>
 *   <li>{@link #NEOX}: elements {@code i} and {@code i + headSize/2} ("rotate half", named after GPT-NeoX). Every
 *       Hugging Face transformers checkpoint of the Llama family (its conversion script permutes Meta's q/k rows
 *       into this order), and llama.cpp's {@code qwen2} and {@code phi3} architectures, whose converters keep
 *       Hugging Face's order.</li>
 * </ul>
 */
public enum RopeLayout {
    INTERLEAVED,
    NEOX;

    /** Index, within a head, of the first element of pair {@code pair}. */
    int first(int pair, int headSize) {
        return this == INTERLEAVED ? 2 * pair : pair;
    }

    /** Index, within a head, of the second element of pair {@code pair}. */
    int second(int pair, int headSize) {
        return this == INTERLEAVED ? 2 * pair + 1 : pair + headSize / 2;
    }

    /** The lower-case name used in messages and trace provenance. */
    public String id() {
        return this == INTERLEAVED ? "interleaved" : "neox";
    }
}
