package io.nccsim.model;

import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TensorNamesTest {
    @Test
    void layersAcrossNamingSchemes() {
        assertEquals(3, TensorNames.layerOf("layers.3.attention.wq.weight"));
        assertEquals(12, TensorNames.layerOf("model.layers.12.self_attn.q_proj.weight"));
        assertEquals(0, TensorNames.layerOf("blk.0.attn_q.weight"));
        assertEquals(5, TensorNames.layerOf("encoder.layer.5.attention.self.query.weight"));
        assertEquals(-1, TensorNames.layerOf("tok_embeddings.weight"));
        assertEquals(-1, TensorNames.layerOf("onnx::MatMul_1234"));
        assertEquals(-1, TensorNames.layerOf("players.3.x")); // 'layers' must be a whole part
    }

    @Test
    void rolesAcrossNamingSchemes() {
        assertEquals(TensorRole.ATTN_Q, TensorNames.roleOf("layers.3.attention.wq.weight"));
        assertEquals(TensorRole.ATTN_K, TensorNames.roleOf("model.layers.1.self_attn.k_proj.weight"));
        assertEquals(TensorRole.ATTN_V, TensorNames.roleOf("blk.2.attn_v.weight"));
        assertEquals(TensorRole.ATTN_O, TensorNames.roleOf("layers.0.attention.wo.weight"));
        assertEquals(TensorRole.ATTN_O, TensorNames.roleOf("encoder.layer.0.attention.output.dense.weight"));
        assertEquals(TensorRole.MLP_GATE, TensorNames.roleOf("layers.4.feed_forward.w1.weight"));
        assertEquals(TensorRole.MLP_DOWN, TensorNames.roleOf("layers.4.feed_forward.w2.weight"));
        assertEquals(TensorRole.MLP_UP, TensorNames.roleOf("layers.4.feed_forward.w3.weight"));
        assertEquals(TensorRole.MLP_UP, TensorNames.roleOf("encoder.layer.1.intermediate.dense.weight"));
        assertEquals(TensorRole.MLP_DOWN, TensorNames.roleOf("encoder.layer.1.output.dense.weight"));
        assertEquals(TensorRole.MLP_GATE_UP, TensorNames.roleOf("model.layers.0.mlp.gate_up_proj.weight"));
        assertEquals(TensorRole.ATTN_QKV, TensorNames.roleOf("model.layers.0.self_attn.qkv_proj.weight"));
        assertEquals(TensorRole.NORM, TensorNames.roleOf("layers.0.attention_norm.weight"));
        assertEquals(TensorRole.NORM, TensorNames.roleOf("encoder.layer.0.output.LayerNorm.weight"));
        assertEquals(TensorRole.EMBEDDING, TensorNames.roleOf("tok_embeddings.weight"));
        assertEquals(TensorRole.EMBEDDING, TensorNames.roleOf("embeddings.word_embeddings.weight"));
        assertEquals(TensorRole.LM_HEAD, TensorNames.roleOf("output.weight"));
        assertNull(TensorNames.roleOf("onnx::MatMul_1234"));
    }
}
