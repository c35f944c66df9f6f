package io.nccsim.capture;

/**
 * The hyper-parameters of a BERT encoder (all-MiniLM-L6-v2: hidden 384, 12 heads of 32, 6 layers, feed-forward
 * 1536, vocabulary 30522, 512 positions, 2 token types).
 *
 * @param hidden       width of the hidden states
 * @param heads        attention heads; each has {@code hidden / heads} dimensions
 * @param layers       encoder layers
 * @param intermediate width of the feed-forward layer
 * @param vocabSize    rows of the word-embedding table
 * @param maxPositions rows of the position-embedding table: the longest sequence the encoder takes
 * @param typeVocab    rows of the token-type (segment) table
 * @param normEps      the epsilon every LayerNorm adds to the variance
 */
public record BertConfig(int hidden, int heads, int layers, int intermediate, int vocabSize, int maxPositions,
                         int typeVocab, double normEps) {
    /** BERT's layer_norm_eps, which MiniLM keeps and the weights cannot show. */
    public static final double BERT_NORM_EPS = 1e-12;
    /**
     * all-MiniLM-L6-v2's num_attention_heads (its config.json): the weights cannot show it, so the commands take it
     * as {@code --heads}, with this default.
     */
    public static final int MINILM_HEADS = 12;

    public BertConfig {
        if (hidden <= 0 || heads <= 0 || layers <= 0 || intermediate <= 0 || vocabSize <= 0 || maxPositions <= 0
                || typeVocab <= 0) {
            throw new IllegalArgumentException("every size must be positive: hidden " + hidden + ", heads " + heads
                    + ", layers " + layers + ", intermediate " + intermediate + ", vocab " + vocabSize
                    + ", positions " + maxPositions + ", token types " + typeVocab);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " does not split into " + heads
                    + " equal heads");
        }
        if (!(normEps > 0) || Double.isInfinite(normEps)) {
            throw new IllegalArgumentException("LayerNorm epsilon " + normEps + " must be positive and finite");
        }
    }

    /** Dimensions of one attention head. */
    public int headSize() {
        return hidden / heads;
    }
}
