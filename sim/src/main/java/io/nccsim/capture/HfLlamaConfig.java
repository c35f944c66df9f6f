package io.nccsim.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.trace.ModelShape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Llama-family decoder's configuration from the Hugging Face {@code config.json} that goes with a safetensors
 * checkpoint, for {@code model_type} llama (SmolLM and TinyLlama are llama too), mistral, qwen2 and phi3.
 *
 * <p>Required: {@code hidden_size}, {@code intermediate_size}, {@code num_hidden_layers},
 * {@code num_attention_heads}, {@code vocab_size}, {@code max_position_embeddings}. Optional, with the defaults of
 * transformers' configuration classes: {@code num_key_value_heads} (= the attention heads), {@code rms_norm_eps}
 * (1e-6; phi3 1e-5), {@code rope_theta} (10000), {@code tie_word_embeddings} (false). Qwen2 always has q/k/v
 * biases; Phi-3 always stores {@code qkv_proj} and {@code gate_up_proj} fused. RoPE is always {@link
 * RopeLayout#NEOX}: transformers rotates halves, and its conversion script permutes Meta's q/k rows to match.
 *
 * <p>What the engine cannot honour is refused: another activation than silu, a {@code head_dim} other than
 * hidden_size / heads, {@code partial_rotary_factor} below 1, llama/mistral {@code attention_bias} (which also
 * biases o_proj) or {@code mlp_bias}, and any {@code rope_scaling} that changes the rotation at every position
 * (linear, llama3, yarn, longrope/su). Two settings are ignored because they cannot matter within the context the
 * engine runs: {@code rope_scaling} of type dynamic (NTK scaling starts only past max_position_embeddings, which
 * is the context here), and a sliding attention window (Mistral, Phi-3; Qwen2 when {@code use_sliding_window}),
 * since the context is limited to the window, inside which windowed and full attention see the same positions.
 */
final class HfLlamaConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2", "phi3");
    private static final float DEFAULT_EPS = 1e-6f;
    private static final float PHI3_DEFAULT_EPS = 1e-5f;
    private static final float DEFAULT_ROPE_THETA = 10000f;

    private final Path path;
    private final JsonNode root;

    private HfLlamaConfig(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    /** The {@code config.json} in the model file's folder (required for a safetensors decoder). */
    static Path besideModel(ModelFile file) {
        Path p = Path.of(file.name()).toAbsolutePath().resolveSibling("config.json");
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(file.name() + ": a safetensors model needs its Hugging Face config.json; "
                    + "none at " + p + "; put it beside the model or pass --config FILE");
        }
        return p;
    }

    static LlamaConfig of(ModelFile file, Path configJson) {
        return read(configJson).config(file);
    }

    static HfLlamaConfig read(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            throw new BadInputException(configJson + ": no such config.json");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(configJson));
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new BadInputException(configJson + ": " + where + "not valid JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("malformed") + ")", e);
        } catch (IOException e) {
            throw new BadInputException(configJson + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(configJson + ": the top level: expected a JSON object");
        }
        return new HfLlamaConfig(configJson, root);
    }

    private LlamaConfig config(ModelFile file) {
        String act = text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw bad("hidden_act", "'" + act + "': the engine's feed-forward is SwiGLU; expected silu");
        }
        if (root.hasNonNull("partial_rotary_factor") && number("partial_rotary_factor", 1f) != 1f) {
            throw bad("partial_rotary_factor", root.get("partial_rotary_factor") + ": RoPE over part of each head, "
                    + "which the engine does not run; expected 1");
        }
        if (!modelType().equals("qwen2") && bool("attention_bias", false)) {
            throw bad("attention_bias", "true biases o_proj as well as q/k/v, which the engine does not run; "
                    + "expected false");
        }
        if (bool("mlp_bias", false)) {
            throw bad("mlp_bias", "true: the engine's feed-forward has no biases; expected false");
        }
        checkRopeScaling();
        ModelArch a = arch();
        ModelShape s = a.shape();
        int context = a.slidingWindow() == 0 ? a.maxSeqLen() : Math.min(a.maxSeqLen(), a.slidingWindow());
        try {
            return new LlamaConfig(s.hidden(), s.ffn(), s.layers(), s.heads(), s.kvHeads(), s.vocab(), context,
                    a.normEps(), a.ropeTheta(), s.tiedEmbeddings(), a.attentionBias(), a.fusedQkv(), a.fusedGateUp(),
                    RopeLayout.NEOX);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(path + ": " + e.getMessage() + " (for " + file.name() + ")", e);
        }
    }

    /**
     * This config.json as a model known by its configuration alone: the shape and layout the engine schedules
     * ({@code model_type} phi3 fuses q/k/v and gate/up, qwen2 adds q/k/v biases), for a shape-only run. What changes
     * the arithmetic alone (RoPE scaling and layout, the activation) is checked only when the model is computed with
     * ({@link #of}), since a shape-only run computes nothing.
     */
    ModelArch arch() {
        String type = modelType();
        int dim = positive("hidden_size", null);
        int hidden = positive("intermediate_size", null);
        int layers = positive("num_hidden_layers", null);
        int heads = positive("num_attention_heads", null);
        int kvHeads = positive("num_key_value_heads", heads);
        int vocab = positive("vocab_size", null);
        int maxPositions = positive("max_position_embeddings", null);
        float eps = number("rms_norm_eps", type.equals("phi3") ? PHI3_DEFAULT_EPS : DEFAULT_EPS);
        float theta = number("rope_theta", DEFAULT_ROPE_THETA);
        boolean tied = bool("tie_word_embeddings", false);
        int headSize = dim % heads == 0 ? dim / heads : -1;
        if (root.hasNonNull("head_dim") && positive("head_dim", null) != headSize) {
            throw bad("head_dim", root.get("head_dim") + " is not hidden_size / num_attention_heads = " + dim + " / "
                    + heads + "; the engine runs heads of that width only");
        }
        int window = slidingWindow(type);
        boolean qwen2 = type.equals("qwen2");
        boolean phi3 = type.equals("phi3");
        String name = text("_name_or_path", folderName());
        return ModelArch.checked(path.toString(), new ModelArch(name,
                ModelArch.shape("llama", layers, dim, hidden, heads, kvHeads, vocab, tied), phi3, phi3, qwen2,
                maxPositions, eps, theta, window == Integer.MAX_VALUE ? 0 : window, "config.json of " + name));
    }

    private String modelType() {
        String type = text("model_type", null);
        if (!MODEL_TYPES.contains(type)) {
            throw bad("model_type", "'" + type + "' is not a model type the engine runs; expected one of "
                    + MODEL_TYPES);
        }
        return type;
    }

    /** The folder a config.json sits in names its model (as a Hugging Face download is laid out). */
    private String folderName() {
        Path p = path.toAbsolutePath().getParent();
        return p == null || p.getFileName() == null ? path.toString() : p.getFileName().toString();
    }

    private void checkRopeScaling() {
        JsonNode s = root.get("rope_scaling");
        if (s == null || s.isNull()) {
            return;
        }
        JsonNode t = s.hasNonNull("rope_type") ? s.get("rope_type") : s.get("type");
        String kind = t == null ? "" : t.asText();
        if (!kind.equals("default") && !kind.equals("dynamic")) {
            throw bad("rope_scaling", "type '" + kind + "' changes RoPE at every position, which the engine does "
                    + "not run; expected none (or default, or dynamic)");
        }
    }

    /** The attention window, when the model uses one; else no limit. */
    private int slidingWindow(String type) {
        boolean used = !type.equals("qwen2") || bool("use_sliding_window", false);
        if (!used || !root.hasNonNull("sliding_window")) {
            return Integer.MAX_VALUE;
        }
        return positive("sliding_window", null);
    }

    private String text(String field, String fallback) {
        JsonNode v = root.get(field);
        if ((v == null || v.isNull()) && fallback != null) {
            return fallback;
        }
        if (v == null || !v.isTextual()) {
            throw bad(field, "expected a string, found " + describe(v));
        }
        return v.textValue();
    }

    private int positive(String field, Integer fallback) {
        JsonNode v = root.get(field);
        if ((v == null || v.isNull()) && fallback != null) {
            return fallback;
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw bad(field, "expected a positive integer, found " + describe(v));
        }
        return v.intValue();
    }

    private float number(String field, float fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw bad(field, "expected a number, found " + describe(v));
        }
        return v.floatValue();
    }

    private boolean bool(String field, boolean fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw bad(field, "expected true or false, found " + describe(v));
        }
        return v.booleanValue();
    }

    private BadInputException bad(String field, String problem) {
        return new BadInputException(path + ": field '" + field + "': " + problem);
    }

    private static String describe(JsonNode v) {
        return v == null ? "nothing" : v.toString();
    }
}
