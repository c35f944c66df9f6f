package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.tokenizer.HfTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Hugging Face tokenizer.json serving a decoder. tokenizer.json does not say which token begins or ends a text
 * (tokenizer_config.json and generation_config.json do), so they are found as the families name them:
 * <ul>
 *   <li>BOS: the special token the file's post-processor puts before a text (Llama-2's {@code <s>}, Llama-3's
 *       {@code <|begin_of_text|>}); without one (Qwen2, SmolLM), the first of {@code <s>},
 *       {@code <|begin_of_text|>}, {@code <|endoftext|>} the vocabulary holds, which is what generation from no
 *       input starts with in those families;</li>
 *   <li>EOS: every one of {@code </s>}, {@code <|end_of_text|>}, {@code <|eot_id|>}, {@code <|endoftext|>},
 *       {@code <|im_end|>}, {@code <|end|>} the vocabulary holds.</li>
 * </ul>
 * A prompt is BOS followed by the text's tokens without the post-processor's other special tokens.
 */
final class HfDecoderTokenizer implements DecoderTokenizer {
    private static final List<String> BOS_NAMES = List.of("<s>", "<|begin_of_text|>", "<|endoftext|>");
    private static final List<String> EOS_NAMES = List.of("</s>", "<|end_of_text|>", "<|eot_id|>", "<|endoftext|>",
            "<|im_end|>", "<|end|>");

    private final HfTokenizer tokenizer;
    private final int bos;
    private final Set<Integer> eos;

    private HfDecoderTokenizer(HfTokenizer tokenizer, int bos, Set<Integer> eos) {
        this.tokenizer = tokenizer;
        this.bos = bos;
        this.eos = Set.copyOf(eos);
    }

    static HfDecoderTokenizer of(HfTokenizer t) {
        int[] framing = t.encode("", true).ids();
        int bos = framing.length > 0 && t.isSpecial(framing[0]) ? framing[0] : -1;
        for (int i = 0; bos < 0 && i < BOS_NAMES.size(); i++) {
            bos = t.idOf(BOS_NAMES.get(i));
        }
        if (bos < 0) {
            throw new BadInputException(t.name() + ": no begin-of-sequence token: the post-processor adds none and "
                    + "the vocabulary has none of " + BOS_NAMES + "; expected a decoder's tokenizer.json");
        }
        Set<Integer> eos = new HashSet<>();
        for (String name : EOS_NAMES) {
            if (t.idOf(name) >= 0) {
                eos.add(t.idOf(name));
            }
        }
        return new HfDecoderTokenizer(t, bos, eos);
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public Set<Integer> eos() {
        return eos;
    }

    @Override
    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    @Override
    public int[] encodePrompt(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(bos);
        for (int id : tokenizer.encode(text, false).ids()) {
            ids.add(id);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Ids past the tokenizer's vocabulary (rows an embedding table is padded with) print as nothing. */
    @Override
    public String decode(int[] tokens) {
        return tokenizer.decode(Arrays.stream(tokens).filter(id -> id >= 0 && id < vocabSize()).toArray());
    }

    @Override
    public String toString() {
        return tokenizer.toString();
    }
}
