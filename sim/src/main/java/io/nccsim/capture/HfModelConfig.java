package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.tokenizer.JsonField;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json} of a Llama-family decoder, read as a {@link ModelArch}. The fields read are
 * those of transformers' LlamaConfig, MistralConfig, Phi3Config and Qwen2Config: {@code hidden_size},
 * {@code intermediate_size}, {@code num_hidden_layers}, {@code num_attention_heads}, {@code num_key_value_heads}
 * (absent: as many as the attention heads, transformers' default), {@code vocab_size},
 * {@code max_position_embeddings}, {@code rms_norm_eps}, {@code rope_theta}, {@code tie_word_embeddings} (absent:
 * false, those classes' default), {@code sliding_window} (absent or null: none), {@code head_dim} (when present it
 * must be hidden_size / num_attention_heads) and {@code model_type}, which names the layout: {@code llama} and
 * {@code mistral} are plain, {@code phi3} fuses q/k/v and gate/up, {@code qwen2} adds q/k/v biases. Other fields
 * (rope_scaling among them, which changes RoPE's angles but no access) are ignored.
 */
final class HfModelConfig {
    private HfModelConfig() {
    }

    static ModelArch load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the model config: " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes);
    }

    /** The architecture in the config.json text {@code json}; {@code name} names the file in messages. */
    static ModelArch parse(String name, byte[] json) {
        JsonField root = JsonField.parse(name, json, "a config.json object");
        JsonField typeField = root.get("model_type");
        String type = typeField.text();
        boolean phi3 = type.equals("phi3");
        boolean qwen2 = type.equals("qwen2");
        if (!phi3 && !qwen2 && !type.equals("llama") && !type.equals("mistral")) {
            throw typeField.problem("'" + type + "' is not a Llama-family decoder the engine runs; expected llama, "
                    + "mistral, phi3 or qwen2");
        }
        int hidden = positive(root, "hidden_size");
        int ffn = positive(root, "intermediate_size");
        int layers = positive(root, "num_hidden_layers");
        int heads = positive(root, "num_attention_heads");
        int kvHeads = root.get("num_key_value_heads").isNull() ? heads : positive(root, "num_key_value_heads");
        int vocab = positive(root, "vocab_size");
        int maxSeq = positive(root, "max_position_embeddings");
        double eps = positiveNumber(root, "rms_norm_eps");
        double theta = positiveNumber(root, "rope_theta");
        boolean tied = root.get("tie_word_embeddings").bool(false);
        int window = root.get("sliding_window").isNull() ? 0 : positive(root, "sliding_window");
        JsonField headDim = root.get("head_dim");
        if (!headDim.isNull() && (long) headDim.integer() * heads != hidden) {
            throw headDim.problem(headDim.integer() + " x " + heads + " heads is not hidden_size " + hidden
                    + "; the engine splits hidden_size into the heads");
        }
        String source = "config.json of " + root.get("_name_or_path").text(name);
        return ModelArch.checked(name, new ModelArch(root.get("_name_or_path").text(modelName(name)),
                ModelArch.shape("llama", layers, hidden, ffn, heads, kvHeads, vocab, tied), phi3, phi3, qwen2,
                maxSeq, (float) eps, (float) theta, window, source));
    }

    private static int positive(JsonField root, String key) {
        JsonField f = root.get(key);
        int v = f.integer();
        if (v < 1) {
            throw f.error("a positive integer");
        }
        return v;
    }

    private static double positiveNumber(JsonField root, String key) {
        JsonField f = root.get(key);
        double v = f.number();
        if (!(v > 0) || Double.isInfinite(v)) {
            throw f.error("a positive number");
        }
        return v;
    }

    /** The folder a config.json sits in names its model (as a Hugging Face download is laid out). */
    private static String modelName(String file) {
        Path p = Path.of(file).toAbsolutePath().getParent();
        return p == null || p.getFileName() == null ? file : p.getFileName().toString();
    }
}
