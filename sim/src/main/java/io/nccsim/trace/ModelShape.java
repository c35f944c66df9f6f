package io.nccsim.trace;

/**
 * The architecture numbers of a transformer, as published in its config (see ../shared/reference/edge-boards.md).
 *
 * @param family      "llama" (decoder: Llama, Phi-3, Mistral, Qwen2, SmolLM) or "bert" (encoder)
 * @param layers      transformer blocks
 * @param hidden      model width (d_model)
 * @param ffn         feed-forward inner width
 * @param heads       attention (query) heads
 * @param kvHeads     key/value heads (grouped-query attention when fewer than heads)
 * @param headDim     width of one head
 * @param vocab       vocabulary size
 * @param tiedEmbeddings whether the output projection shares the token embedding
 * @param parameters  total parameter count
 */
public record ModelShape(String family, int layers, int hidden, int ffn, int heads, int kvHeads, int headDim,
                         int vocab, boolean tiedEmbeddings, long parameters) {
    public int kvDim() {
        return kvHeads * headDim;
    }

    public int qDim() {
        return heads * headDim;
    }
}
