package io.nccsim.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.GgufBuilder;
import io.nccsim.testutil.SafetensorsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a llama2.c checkpoint (Meta's tensor names and RoPE order) as the other formats and family variants lay
 * their weights out, for tests: Hugging Face safetensors with config.json (q/k rows permuted into transformers'
 * rotate-half order as its conversion script does; Phi-3's fused qkv_proj and gate_up_proj; Qwen2's biases; a
 * separate lm_head), and GGUF with llama.cpp's names and metadata.
 */
final class VariantCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelFile meta;
    private final LlamaConfig c;

    VariantCheckpoints(ModelFile llama2c) {
        this.meta = llama2c;
        this.c = LlamaConfig.of(llama2c);
    }

    LlamaConfig config() {
        return c;
    }

    float[] meta(String name) {
        TensorData t = meta.tensor(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return t.values();
    }

    /**
     * Rows of a q or k matrix (or bias) in Meta's interleaved order, reordered as transformers' conversion script
     * does for rotate-half: within each head, row 2i + j moves to j * headSize/2 + i.
     */
    float[] toHfOrder(float[] w, int heads) {
        int headSize = c.headSize();
        int cols = w.length / (heads * headSize);
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < headSize / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    int from = h * headSize + 2 * i + j;
                    int to = h * headSize + j * (headSize / 2) + i;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** What to write besides the plain Llama layout. */
    record Variant(String modelType, boolean fused, Map<String, float[]> biasesByLayerKind, float[] lmHead) {
        static Variant llama() {
            return new Variant("llama", false, Map.of(), null);
        }

        static Variant phi3() {
            return new Variant("phi3", true, Map.of(), null);
        }

        /** Qwen2 with bias vectors by "L.q" / "L.k" / "L.v" (HF row order); missing ones are zero. */
        static Variant qwen2(Map<String, float[]> biases) {
            return new Variant("qwen2", false, biases, null);
        }

        Variant withLmHead(float[] head) {
            return new Variant(modelType, fused, biasesByLayerKind, head);
        }
    }

    /** The model's tensors under Hugging Face names, in HF's q/k row order, laid out as {@code v} says. */
    Map<String, float[]> hfTensors(Variant v) {
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("model.embed_tokens.weight", meta("tok_embeddings.weight"));
        for (int l = 0; l < c.layers(); l++) {
            String m = "layers." + l + ".";
            String p = "model.layers." + l + ".";
            float[] q = toHfOrder(meta(m + "attention.wq.weight"), c.heads());
            float[] k = toHfOrder(meta(m + "attention.wk.weight"), c.kvHeads());
            float[] val = meta(m + "attention.wv.weight");
            t.put(p + "input_layernorm.weight", meta(m + "attention_norm.weight"));
            if (v.fused()) {
                t.put(p + "self_attn.qkv_proj.weight", concat(q, k, val));
            } else {
                t.put(p + "self_attn.q_proj.weight", q);
                t.put(p + "self_attn.k_proj.weight", k);
                t.put(p + "self_attn.v_proj.weight", val);
            }
            if (v.modelType().equals("qwen2")) {
                t.put(p + "self_attn.q_proj.bias", v.biasesByLayerKind().getOrDefault(l + ".q", new float[c.dim()]));
                t.put(p + "self_attn.k_proj.bias", v.biasesByLayerKind().getOrDefault(l + ".k", new float[c.kvDim()]));
                t.put(p + "self_attn.v_proj.bias", v.biasesByLayerKind().getOrDefault(l + ".v", new float[c.kvDim()]));
            }
            t.put(p + "self_attn.o_proj.weight", meta(m + "attention.wo.weight"));
            t.put(p + "post_attention_layernorm.weight", meta(m + "ffn_norm.weight"));
            float[] gate = meta(m + "feed_forward.w1.weight");
            float[] up = meta(m + "feed_forward.w3.weight");
            if (v.fused()) {
                t.put(p + "mlp.gate_up_proj.weight", concat(gate, up));
            } else {
                t.put(p + "mlp.gate_proj.weight", gate);
                t.put(p + "mlp.up_proj.weight", up);
            }
            t.put(p + "mlp.down_proj.weight", meta(m + "feed_forward.w2.weight"));
        }
        t.put("model.norm.weight", meta("norm.weight"));
        if (v.lmHead() != null) {
            t.put("lm_head.weight", v.lmHead());
        }
        return t;
    }

    /** The config.json transformers would write for this model and variant. */
    ObjectNode hfConfig(Variant v) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model_type", v.modelType());
        n.put("hidden_size", c.dim());
        n.put("intermediate_size", c.hiddenDim());
        n.put("num_hidden_layers", c.layers());
        n.put("num_attention_heads", c.heads());
        n.put("num_key_value_heads", c.kvHeads());
        n.put("vocab_size", c.vocabSize());
        n.put("max_position_embeddings", c.seqLen());
        n.put("rms_norm_eps", c.normEps());
        n.put("rope_theta", c.ropeTheta());
        n.put("hidden_act", "silu");
        n.put("tie_word_embeddings", v.lmHead() == null);
        n.putNull("rope_scaling");
        return n;
    }

    /** Writes {@code name}.safetensors and a config.json beside it into {@code dir}; returns the model file. */
    Path writeHf(Path dir, String name, Variant v) throws IOException {
        return writeHf(dir, name, hfTensors(v), hfConfig(v));
    }

    /** Writes the given tensors as {@code name}.safetensors and {@code config} as config.json beside it. */
    Path writeHf(Path dir, String name, Map<String, float[]> tensors, ObjectNode config) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(name + ".safetensors");
        List<SafetensorsBuilder.Tensor> shaped = new ArrayList<>();
        tensors.forEach((n, values) -> shaped.add(SafetensorsBuilder.f32(n, values, shapeOf(n, values))));
        Files.write(model, SafetensorsBuilder.file(null, shaped));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        return model;
    }

    /** [n] for vectors; [out][in] for matrices, whose input is the hidden width for down projections. */
    private long[] shapeOf(String name, float[] values) {
        if (name.endsWith(".bias") || name.contains("norm")) {
            return new long[]{values.length};
        }
        int cols = name.contains("down_proj") || name.contains("ffn_down") ? c.hiddenDim() : c.dim();
        return new long[]{values.length / cols, cols};
    }

    /**
     * A GGUF file with llama.cpp's names and metadata for architecture {@code arch}: "llama" in Meta's order (as
     * llama.cpp's converter writes it, having permuted HF's rows back), "phi3" from HF's order with fused qkv and
     * ffn_up = [gate; up]. A separate {@code output.weight} when {@code lmHead} is not null.
     */
    Path writeGguf(Path file, String arch, float[] lmHead) throws IOException {
        GgufBuilder g = new GgufBuilder().string("general.architecture", arch).string("general.name", "stories260K");
        String p = arch + ".";
        g.u32(p + "block_count", c.layers()).u32(p + "embedding_length", c.dim())
                .u32(p + "feed_forward_length", c.hiddenDim()).u32(p + "attention.head_count", c.heads())
                .u32(p + "attention.head_count_kv", c.kvHeads()).u32(p + "context_length", c.seqLen())
                .f32(p + "attention.layer_norm_rms_epsilon", c.normEps()).f32(p + "rope.freq_base", c.ropeTheta())
                .u32(p + "rope.dimension_count", c.headSize());
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("token_embd.weight", meta("tok_embeddings.weight"));
        for (int l = 0; l < c.layers(); l++) {
            String m = "layers." + l + ".";
            String b = "blk." + l + ".";
            t.put(b + "attn_norm.weight", meta(m + "attention_norm.weight"));
            if (arch.equals("phi3")) {
                t.put(b + "attn_qkv.weight", concat(toHfOrder(meta(m + "attention.wq.weight"), c.heads()),
                        toHfOrder(meta(m + "attention.wk.weight"), c.kvHeads()), meta(m + "attention.wv.weight")));
            } else {
                t.put(b + "attn_q.weight", meta(m + "attention.wq.weight"));
                t.put(b + "attn_k.weight", meta(m + "attention.wk.weight"));
                t.put(b + "attn_v.weight", meta(m + "attention.wv.weight"));
            }
            t.put(b + "attn_output.weight", meta(m + "attention.wo.weight"));
            t.put(b + "ffn_norm.weight", meta(m + "ffn_norm.weight"));
            if (arch.equals("phi3")) {
                t.put(b + "ffn_up.weight", concat(meta(m + "feed_forward.w1.weight"),
                        meta(m + "feed_forward.w3.weight")));
            } else {
                t.put(b + "ffn_gate.weight", meta(m + "feed_forward.w1.weight"));
                t.put(b + "ffn_up.weight", meta(m + "feed_forward.w3.weight"));
            }
            t.put(b + "ffn_down.weight", meta(m + "feed_forward.w2.weight"));
        }
        t.put("output_norm.weight", meta("norm.weight"));
        if (lmHead != null) {
            t.put("output.weight", lmHead);
        }
        t.forEach((n, values) -> g.f32Tensor(n, values, shapeOf(n, values)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, g.build());
    }
}
