package io.nccsim.codec;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.*;

class LayerNamesTest {
    @Test
    void findsTheLayerInTheUsualNamingSchemes() {
        assertEquals(OptionalInt.of(3), LayerNames.layerOf("layers.3.attention.wq.weight"));
        assertEquals(OptionalInt.of(12), LayerNames.layerOf("model.layers.12.self_attn.q_proj.weight"));
        assertEquals(OptionalInt.of(3), LayerNames.layerOf("blk.3.attn_q"));
        assertEquals(OptionalInt.of(0), LayerNames.layerOf("blk.0.ffn_down.weight"));
        assertEquals(OptionalInt.of(7), LayerNames.layerOf("transformer.h.7.attn.c_attn.weight"));
        assertEquals(OptionalInt.of(5), LayerNames.layerOf("encoder.layer.5.attention.self.query.weight"));
        assertEquals(OptionalInt.of(2), LayerNames.layerOf("blocks.2"));
    }

    @Test
    void tensorsOutsideTheLayersHaveNone() {
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("tok_embeddings.weight"));
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("output.weight"));
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("token_embd.weight"));
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("layers_norm.weight"));
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("blk.x.attn_q"));
        assertEquals(OptionalInt.empty(), LayerNames.layerOf("myblk.3.attn"), "blk must be a whole component");
    }
}
