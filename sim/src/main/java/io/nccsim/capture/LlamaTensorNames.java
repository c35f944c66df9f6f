package io.nccsim.capture;

import io.nccsim.model.ModelFile;

/**
 * How each format names a Llama-family decoder's tensors. Meta's names are llama2.c's (its loader gives them);
 * GGUF's are llama.cpp's ({@code blk.N.attn_q.weight}); Hugging Face's are transformers' state-dict keys
 * ({@code model.layers.N.self_attn.q_proj.weight}). Every format stores a projection as [out][in], row-major.
 */
enum LlamaTensorNames {
    META("tok_embeddings.weight", "layers.%d.", "norm.weight", "output.weight",
            "attention_norm.weight", "attention.wq", "attention.wk", "attention.wv", "attention.wqkv",
            "attention.wo.weight", "ffn_norm.weight", "feed_forward.w1.weight", "feed_forward.w3.weight",
            "feed_forward.w13.weight", "feed_forward.w2.weight"),
    GGUF("token_embd.weight", "blk.%d.", "output_norm.weight", "output.weight",
            "attn_norm.weight", "attn_q", "attn_k", "attn_v", "attn_qkv",
            "attn_output.weight", "ffn_norm.weight", "ffn_gate.weight", "ffn_up.weight",
            // llama.cpp's Phi-3 keeps the fused [gate; up] matrix under ffn_up, with no ffn_gate
            "ffn_up.weight", "ffn_down.weight"),
    HF("model.embed_tokens.weight", "model.layers.%d.", "model.norm.weight", "lm_head.weight",
            "input_layernorm.weight", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
            "self_attn.qkv_proj", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.gate_up_proj.weight", "mlp.down_proj.weight");

    final String embedding;
    private final String layerPrefix;
    final String finalNorm;
    final String classifier;
    private final String attentionNorm;
    /** q, k, v and fused qkv projections without their ".weight" / ".bias" suffix. */
    private final String q;
    private final String k;
    private final String v;
    private final String qkv;
    private final String o;
    private final String ffnNorm;
    private final String gate;
    private final String up;
    private final String gateUp;
    private final String down;

    LlamaTensorNames(String embedding, String layerPrefix, String finalNorm, String classifier, String attentionNorm,
                     String q, String k, String v, String qkv, String o, String ffnNorm, String gate, String up,
                     String gateUp, String down) {
        this.embedding = embedding;
        this.layerPrefix = layerPrefix;
        this.finalNorm = finalNorm;
        this.classifier = classifier;
        this.attentionNorm = attentionNorm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.qkv = qkv;
        this.o = o;
        this.ffnNorm = ffnNorm;
        this.gate = gate;
        this.up = up;
        this.gateUp = gateUp;
        this.down = down;
    }

    /** The scheme whose embedding table the file holds; Meta's when none matches (its message then names it). */
    static LlamaTensorNames of(ModelFile file) {
        for (LlamaTensorNames n : values()) {
            if (file.tensor(n.embedding) != null) {
                return n;
            }
        }
        return file.format().equals("gguf") ? GGUF : file.format().equals("safetensors") ? HF : META;
    }

    private String in(int layer, String name) {
        return String.format(java.util.Locale.ROOT, layerPrefix, layer) + name;
    }

    String attentionNorm(int layer) {
        return in(layer, attentionNorm);
    }

    String q(int layer, String suffix) {
        return in(layer, q + suffix);
    }

    String k(int layer, String suffix) {
        return in(layer, k + suffix);
    }

    String v(int layer, String suffix) {
        return in(layer, v + suffix);
    }

    String qkv(int layer, String suffix) {
        return in(layer, qkv + suffix);
    }

    String o(int layer) {
        return in(layer, o);
    }

    String ffnNorm(int layer) {
        return in(layer, ffnNorm);
    }

    String gate(int layer) {
        return in(layer, gate);
    }

    String up(int layer) {
        return in(layer, up);
    }

    String gateUp(int layer) {
        return in(layer, gateUp);
    }

    String down(int layer) {
        return in(layer, down);
    }
}
