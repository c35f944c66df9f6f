package io.nccsim.testutil;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A small byte-level BPE tokenizer.json in the layout of GPT-2, SmolLM and Qwen2 files, for tests that need one
 * covering every id of a small model's vocabulary: ids 0..255 are the 256 byte characters (GPT-2's byte-to-unicode
 * table), then the results of a few merges, then filler tokens, and the last two ids the special {@code <s>} and
 * {@code </s>}. No post-processor: a decoder finds its BOS by name, as for SmolLM and Qwen2.
 */
public final class ByteLevelTokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Merges for words like " ball", " had", "Lily". */
    public static final List<String> MERGES = List.of("l l", "Ġ b", "Ġb a", "Ġba ll", "Ġ h", "Ġh a", "Ġha d",
            "L i", "Li l", "Lil y");

    private ByteLevelTokenizerJson() {
    }

    /** GPT-2's visible character for byte {@code b}: printable Latin-1 bytes stand for themselves. */
    public static char charOf(int b) {
        int shifted = 0;
        for (int x = 0; x < 256; x++) {
            boolean visible = (x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF);
            if (x == b) {
                return visible ? (char) x : (char) (256 + shifted);
            }
            if (!visible) {
                shifted++;
            }
        }
        throw new IllegalArgumentException("not a byte: " + b);
    }

    /** Writes a tokenizer of exactly {@code vocabSize} ids (at least 256 + merges + 2) to {@code file}. */
    public static Path write(Path file, int vocabSize) throws IOException {
        return write(file, vocabSize, "<s>", "</s>", false);
    }

    /**
     * Writes a tokenizer whose last two ids are the special tokens {@code begin} and {@code end}; with
     * {@code templateBegin} its post-processor puts {@code begin} before every text, as Llama-3's does.
     */
    public static Path write(Path file, int vocabSize, String begin, String end, boolean templateBegin)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE").putNull("dropout").putNull("unk_token");
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(Character.toString(charOf(b)), b);
        }
        ArrayNode merges = model.putArray("merges");
        for (String m : MERGES) {
            merges.add(m);
            vocab.put(m.replace(" ", ""), vocab.size());
        }
        while (vocab.size() < vocabSize - 2) {
            vocab.put("<filler" + vocab.size() + ">", vocab.size());
        }
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", vocabSize - 2).put("content", begin).put("special", true);
        added.addObject().put("id", vocabSize - 1).put("content", end).put("special", true);
        if (templateBegin) {
            ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
            ArrayNode single = template.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", begin).put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            ObjectNode special = template.putObject("special_tokens").putObject(begin).put("id", begin);
            special.putArray("ids").add(vocabSize - 2);
            special.putArray("tokens").add(begin);
        } else {
            root.putNull("post_processor");
        }
        root.putObject("decoder").put("type", "ByteLevel");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }
}
