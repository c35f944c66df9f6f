package io.nccsim.codec;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the transformer layer a tensor belongs to from its name, as the common checkpoint formats write it:
 * {@code layers.3.attention.wq.weight} (Meta, llama2.c), {@code model.layers.3.self_attn.q_proj.weight} (Hugging
 * Face), {@code blk.3.attn_q.weight} (GGUF), {@code transformer.h.3.attn.c_attn.weight} (GPT-2),
 * {@code encoder.layer.3.attention.self.query.weight} (BERT) and {@code blocks.3....}.
 */
public final class LayerNames {
    // The layer number is a whole name component right after one of the usual container names.
    private static final Pattern LAYER =
            Pattern.compile("(?:^|[./_])(?:layers|layer|blk|blocks|block|h)[./_](\\d{1,6})(?=[./_]|$)");

    private LayerNames() {
    }

    /** The layer index in {@code name}, or empty for a tensor outside the layers. */
    public static OptionalInt layerOf(String name) {
        Matcher m = LAYER.matcher(name);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
