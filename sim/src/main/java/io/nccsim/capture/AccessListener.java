package io.nccsim.capture;

import io.nccsim.trace.TensorRole;

/**
 * Told by {@link LlamaEngine} of every weight read, activation read and write, and KV-cache read and write, in the
 * order the forward pass performs them: enough for a tracer to rebuild the memory traffic of inference.
 *
 * <p>An operation is one llama2.c-level kernel (RMSNorm, one matrix-vector product, RoPE, attention, a residual add,
 * the SwiGLU product). Each reports its activation reads, then its weight read, then its KV-cache accesses, then its
 * activation writes. What stays inside an operation (attention scores and their softmax, the RMSNorm sum) is not
 * reported: it is the operation's scratch, not traffic between operations.
 *
 * <p>One call to {@code forward(token, pos)} reports, in this order ({@code L} is the layer; names in quotes are the
 * activation names passed to {@link #onActivation}):
 * <ol>
 *   <li>{@link #onForwardStart}</li>
 *   <li>embedding: weight {@code tok_embeddings.weight} (one row, dim elements); write "residual"</li>
 *   <li>for each layer L:
 *     <ol>
 *       <li>attention RMSNorm: read "residual"; weight {@code attention_norm}; write "attn_in"</li>
 *       <li>q, k and v projections, each: read "attn_in"; weight {@code wq} / {@code wk} / {@code wv} (then, with
 *           attention biases, the bias {@code bq} / {@code bk} / {@code bv}); write "q" / "k" / "v". With a fused
 *           qkv matrix (Phi-3) this is one operation instead: read "attn_in"; weight {@code wqkv} (role
 *           {@link TensorRole#ATTN_QKV}; then its bias, if any); write "q", write "k", write "v"</li>
 *       <li>RoPE: read "q", read "k"; write "q", write "k"</li>
 *       <li>KV-cache append: read "k", read "v"; {@link #onKvWrite} at pos</li>
 *       <li>attention: read "q"; {@link #onKvRead} of positions 0 to pos; write "attn_out"</li>
 *       <li>output projection: read "attn_out"; weight {@code wo}; write "attn_proj"</li>
 *       <li>residual add: read "residual", read "attn_proj"; write "residual"</li>
 *       <li>feed-forward RMSNorm: read "residual"; weight {@code ffn_norm}; write "ffn_in"</li>
 *       <li>gate and up projections: read "ffn_in"; weight {@code w1}; write "gate"; then read "ffn_in"; weight
 *           {@code w3}; write "up". With a fused gate/up matrix (Phi-3) one operation instead: read "ffn_in";
 *           weight {@code w13} (role {@link TensorRole#MLP_GATE_UP}); write "gate", write "up"</li>
 *       <li>SwiGLU: read "gate", read "up"; write "ffn_act"</li>
 *       <li>down projection: read "ffn_act"; weight {@code w2}; write "ffn_out"</li>
 *       <li>residual add: read "residual", read "ffn_out"; write "residual"</li>
 *     </ol></li>
 *   <li>final RMSNorm: read "residual"; weight {@code norm.weight}; write "final_norm"</li>
 *   <li>classifier: read "final_norm"; weight {@code output.weight} (or, when shared, the whole
 *       {@code tok_embeddings.weight} under role {@link TensorRole#LM_HEAD}); write "logits"</li>
 *   <li>{@link #onForwardEnd}</li>
 * </ol>
 *
 * <p>A projection's bias is a weight tensor of its own (a vector, stored and traced as the model file has it) and
 * is reported as a second {@link #onWeightRead} of the same operation, right after its matrix and under the
 * matrix's role: the bias is part of the projection, and its bytes are read from DRAM like the matrix's. No other
 * operation reads two weights. Weight names are the model file's own (Meta's names above; GGUF's or Hugging
 * Face's for those files).
 *
 * <p>{@link BertEncoder} reports through the same interface, between {@link #onEncoderStart} and
 * {@link #onEncoderEnd} (its documentation lists the order). An encoder has no KV cache: its keys and values are
 * activations, and each activation array holds a whole batch of sequences, one row of the width per token.
 *
 * <p>Arrays passed to a listener are the engine's own buffers: valid only during the call, and never to be written.
 * Every method does nothing by default, so a listener overrides only what it needs.
 */
public interface AccessListener {
    /** The layer index of tensors and activations outside the decoder layers. */
    int NO_LAYER = -1;

    /** The listener that ignores everything. */
    AccessListener NONE = new AccessListener() {
    };

    /** A forward pass of {@code token} at position {@code pos} begins. */
    default void onForwardStart(int token, int pos) {
    }

    /**
     * The operation reads {@code elements} elements of the weight tensor {@code tensorName} (all of it, except for
     * the embedding lookup, which reads one row).
     */
    default void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
    }

    /** The operation reads ({@code write} false) or writes ({@code write} true) the activation {@code name}. */
    default void onActivation(String name, int layer, float[] values, boolean write) {
    }

    /**
     * The key and value vectors of {@code pos} (kvDim elements each, as computed: before any rounding the cache
     * applies) are stored.
     */
    default void onKvWrite(int layer, int pos, float[] k, float[] v) {
    }

    /** Attention reads the keys and values of positions {@code fromPos} through {@code toPos}, both included. */
    default void onKvRead(int layer, int fromPos, int toPos) {
    }

    /** The forward pass at {@code pos} has written its logits. */
    default void onForwardEnd(int pos) {
    }

    /**
     * An encoder pass begins over {@code sequences} sequences padded to {@code length} tokens each; activations
     * reported until {@link #onEncoderEnd} hold {@code sequences * length} rows.
     */
    default void onEncoderStart(int sequences, int length) {
    }

    /**
     * An encoder pass begins over the batch given as token ids, token type ids and attention mask, each
     * [sequences][length]: what a tracer needs to know which embedding rows are gathered and which tokens are real.
     * By default it reports {@link #onEncoderStart(int, int)}, which listeners that need only the shape override.
     */
    default void onEncoderStart(int[][] ids, int[][] typeIds, int[][] mask) {
        onEncoderStart(ids.length, ids[0].length);
    }

    /** The encoder pass is done: its last hidden states, and the sentence embeddings when asked for, are written. */
    default void onEncoderEnd() {
    }
}
