package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;

import java.util.List;
import java.util.Map;

/**
 * A Llama-family decoder's configuration from a GGUF file's metadata, as llama.cpp's loader reads it: the
 * architecture in {@code general.architecture}, then the keys under that prefix ({@code llama.block_count},
 * {@code qwen2.embedding_length}, {@code phi3.attention.head_count_kv}, ...).
 *
 * <p>Architectures run: {@code llama} (Llama, SmolLM, Mistral and TinyLlama convert to it; interleaved RoPE, the
 * converter having permuted q/k back to Meta's order), {@code qwen2} (q/k/v biases; NEOX RoPE) and {@code phi3}
 * (fused {@code attn_qkv} and {@code ffn_up} holding gate then up; NEOX RoPE). Which variant flags apply is read
 * from the tensors present ({@code blk.0.attn_q.bias}, {@code blk.0.attn_qkv.weight}, no {@code blk.0.ffn_gate}),
 * so a file is run as it is laid out; a missing {@code output.weight} means the classifier is the embedding table,
 * as llama.cpp falls back to it.
 *
 * <p>What the engine cannot honour is refused: experts (Mixtral converts to {@code llama} with
 * {@code expert_count}), RoPE over part of a head ({@code rope.dimension_count} below the head size), RoPE scaling
 * (a {@code rope.scaling.type} other than none, Llama-3.1's {@code rope_freqs} tensor, Phi-3-128k's LongRoPE
 * factor tensors), since each changes the rotation at every position. A sliding attention window is honoured by
 * limiting the context to the window: within it, windowed and full attention see the same positions.
 */
final class GgufLlamaConfig {
    private static final List<String> ARCHITECTURES = List.of("llama", "qwen2", "phi3");
    /** llama.cpp's default when {@code rope.freq_base} is absent. */
    private static final float DEFAULT_ROPE_THETA = 10000f;
    private static final String GGUF_OUTPUT = "output.weight";

    private GgufLlamaConfig() {
    }

    static LlamaConfig of(ModelFile file) {
        Map<String, Object> m = file.metadata();
        Object archValue = m.get("general.architecture");
        if (!(archValue instanceof String arch)) {
            throw bad(file, "general.architecture", "expected the architecture name (one of " + ARCHITECTURES
                    + "), found " + describe(archValue));
        }
        if (!ARCHITECTURES.contains(arch)) {
            throw bad(file, "general.architecture", "'" + arch + "' is not a Llama-family architecture the engine "
                    + "runs; expected one of " + ARCHITECTURES);
        }
        String p = arch + ".";
        if (m.get(p + "expert_count") instanceof Number n && n.longValue() > 0) {
            throw bad(file, p + "expert_count", n + " experts: a mixture-of-experts feed-forward, which the engine "
                    + "does not run; expected a dense model");
        }
        int dim = positive(file, p + "embedding_length", null);
        int hidden = positive(file, p + "feed_forward_length", null);
        int layers = positive(file, p + "block_count", null);
        int heads = positive(file, p + "attention.head_count", null);
        int kvHeads = positive(file, p + "attention.head_count_kv", heads);
        int context = positive(file, p + "context_length", null);
        int window = positive(file, p + "attention.sliding_window", Integer.MAX_VALUE);
        float eps = number(file, p + "attention.layer_norm_rms_epsilon", null);
        float theta = number(file, p + "rope.freq_base", DEFAULT_ROPE_THETA);
        int headSize = heads > 0 && dim % heads == 0 ? dim / heads : 0;
        int ropeDims = positive(file, p + "rope.dimension_count", headSize);
        if (ropeDims != headSize) {
            throw bad(file, p + "rope.dimension_count", ropeDims + " rotated elements per head of " + headSize
                    + ": partial RoPE, which the engine does not run; expected the whole head");
        }
        int keyLength = positive(file, p + "attention.key_length", headSize);
        if (keyLength != headSize) {
            throw bad(file, p + "attention.key_length", keyLength + ": heads wider or narrower than embedding_length"
                    + " / head_count = " + headSize + ", which the engine does not run");
        }
        Object scaling = m.get(p + "rope.scaling.type");
        if (scaling != null && !"none".equals(scaling)) {
            throw bad(file, p + "rope.scaling.type", "'" + scaling + "' scales RoPE at every position, which the "
                    + "engine does not run; expected none");
        }
        for (String t : List.of("rope_freqs.weight", "rope_factors_long.weight", "rope_factors_short.weight")) {
            if (file.tensor(t) != null) {
                throw new BadInputException(file.name() + ": tensor '" + t + "': scaled RoPE frequencies (Llama-3.1 "
                        + "or LongRoPE), which the engine does not run; expected plain RoPE");
            }
        }
        boolean tied = file.tensor(GGUF_OUTPUT) == null;
        boolean bias = file.tensor("blk.0.attn_q.bias") != null || file.tensor("blk.0.attn_qkv.bias") != null;
        boolean fusedQkv = file.tensor("blk.0.attn_qkv.weight") != null;
        // Phi-3's converter writes gate and up as one ffn_up; in the other architectures a missing ffn_gate is an
        // incomplete file, which LlamaModel reports by name.
        boolean fusedGateUp = arch.equals("phi3") && file.tensor("blk.0.ffn_gate.weight") == null;
        RopeLayout rope = arch.equals("llama") ? RopeLayout.INTERLEAVED : RopeLayout.NEOX;
        try {
            return new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocabSize(file, p), Math.min(context, window),
                    eps, theta, tied, bias, fusedQkv, fusedGateUp, rope);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file.name() + ": metadata '" + p + "*': " + e.getMessage(), e);
        }
    }

    /** The vocabulary: {@code <arch>.vocab_size}, else the token list's length, else the embedding table's rows. */
    private static int vocabSize(ModelFile file, String prefix) {
        if (file.metadata().containsKey(prefix + "vocab_size")) {
            return positive(file, prefix + "vocab_size", null);
        }
        if (file.metadata().get("tokenizer.ggml.tokens") instanceof List<?> tokens && !tokens.isEmpty()) {
            return tokens.size();
        }
        TensorData embedding = file.tensor("token_embd.weight");
        if (embedding == null || embedding.shape().length != 2) {
            throw new BadInputException(file.name() + ": no tokenizer.ggml.tokens and no 2-d tensor "
                    + "'token_embd.weight': expected one of them to give the vocabulary size");
        }
        return (int) embedding.shape()[0];
    }

    private static int positive(ModelFile file, String key, Integer fallback) {
        Object v = file.metadata().get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() <= 0
                || ((Number) v).longValue() > Integer.MAX_VALUE) {
            throw bad(file, key, "expected a positive integer, found " + describe(v));
        }
        return ((Number) v).intValue();
    }

    private static float number(ModelFile file, String key, Float fallback) {
        Object v = file.metadata().get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Float || v instanceof Double)) {
            throw bad(file, key, "expected a float, found " + describe(v));
        }
        return ((Number) v).floatValue();
    }

    private static BadInputException bad(ModelFile file, String key, String problem) {
        return new BadInputException(file.name() + ": metadata '" + key + "': " + problem);
    }

    private static String describe(Object v) {
        return v == null ? "nothing" : v.getClass().getSimpleName() + " " + v;
    }
}
