package io.nccsim.model;

import io.nccsim.codec.LayerNames;
import io.nccsim.trace.TensorRole;

import java.util.Locale;

/**
 * What a tensor's name says about it: its layer and its role, across the naming schemes of the formats nccsim reads:
 * Meta/llama2.c ({@code layers.3.attention.wq.weight}), Hugging Face decoders
 * ({@code model.layers.3.self_attn.q_proj.weight}, {@code mlp.gate_up_proj}), GGUF ({@code blk.3.attn_q.weight},
 * {@code ffn_gate}) and BERT encoders ({@code encoder.layer.3.attention.self.query.weight},
 * {@code intermediate.dense}, {@code output.dense}).
 *
 * <p>Names that carry no hint (an ONNX export's {@code onnx::MatMul_1234}) have no role; callers show them as
 * "other" rather than guess.
 */
public final class TensorNames {
    private TensorNames() {
    }

    /** The layer index in {@code name}, or -1 when the tensor belongs to no layer (embeddings, final norm). */
    public static int layerOf(String name) {
        return LayerNames.layerOf(name).orElse(-1);
    }

    /** The tensor's role, or null when its name gives none. */
    public static TensorRole roleOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("norm") || n.contains("layernorm") || n.endsWith("ln_f.weight")) {
            return TensorRole.NORM;
        }
        if (n.contains("embed") || n.contains("token_embd") || n.contains("wte")) {
            return TensorRole.EMBEDDING;
        }
        if (n.startsWith("output.") || n.contains("lm_head") || n.equals("output.weight")) {
            return TensorRole.LM_HEAD;
        }
        if (has(n, "wq", "q_proj", "attn_q", "attention.self.query")) {
            return TensorRole.ATTN_Q;
        }
        if (has(n, "wk", "k_proj", "attn_k", "attention.self.key")) {
            return TensorRole.ATTN_K;
        }
        if (has(n, "wv", "v_proj", "attn_v", "attention.self.value")) {
            return TensorRole.ATTN_V;
        }
        if (has(n, "qkv_proj", "attn_qkv", "c_attn")) {
            return TensorRole.ATTN_QKV;
        }
        if (has(n, "wo", "o_proj", "attn_output", "attention.output.dense")) {
            return TensorRole.ATTN_O;
        }
        if (has(n, "gate_up_proj")) {
            return TensorRole.MLP_GATE_UP;
        }
        if (has(n, "w1", "gate_proj", "ffn_gate")) {
            return TensorRole.MLP_GATE;
        }
        if (has(n, "w3", "up_proj", "ffn_up", "intermediate.dense")) {
            return TensorRole.MLP_UP;
        }
        if (has(n, "w2", "down_proj", "ffn_down") || (n.contains("output.dense") && n.contains("layer"))) {
            return TensorRole.MLP_DOWN;
        }
        return null;
    }

    /** True if one of the dot-, slash- or underscore-separated parts of {@code n} spells one of {@code parts}. */
    private static boolean has(String n, String... parts) {
        for (String p : parts) {
            int i = n.indexOf(p);
            while (i >= 0) {
                boolean startOk = i == 0 || n.charAt(i - 1) == '.' || n.charAt(i - 1) == '/';
                int end = i + p.length();
                boolean endOk = end == n.length() || n.charAt(end) == '.' || n.charAt(end) == '/';
                if (startOk && endOk) {
                    return true;
                }
                i = n.indexOf(p, i + 1);
            }
        }
        return false;
    }
}
