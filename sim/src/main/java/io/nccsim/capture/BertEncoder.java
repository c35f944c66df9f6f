package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.tokenizer.Encoding;
import io.nccsim.tokenizer.HfTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A BERT encoder and the sentence-embedding pipeline of sentence-transformers' all-MiniLM-L6-v2: tokens to
 * hidden states, hidden states to one unit-length vector per sentence.
 *
 * <p>The pass, for a batch of sequences padded to one length with an attention mask:
 * <ol>
 *   <li>embeddings: word + token type, then + position; LayerNorm;</li>
 *   <li>each layer: query, key and value projections; per head, softmax(q · k / sqrt(head size)) over the
 *       sequence's unmasked positions, times the values; the output projection; add to the layer's input and
 *       LayerNorm; the feed-forward (intermediate projection, GELU in its exact erf form, output projection); add
 *       and LayerNorm;</li>
 *   <li>for a sentence embedding: the mean of the last hidden states over the unmasked tokens, scaled to unit
 *       length.</li>
 * </ol>
 * Masked (padding) keys take no part in attention at all, so a sentence's result does not depend on what it is
 * batched with, bit for bit.
 *
 * <p>Arithmetic is fp32, as in the ONNX graph, except that LayerNorm statistics, softmax sums, GELU and pooling run
 * in double and are rounded once. Sums run in a fixed order and exp and erf come from {@link StrictMath} and
 * {@link Erf}, so the output is the same on every machine.
 *
 * <p>A dynamically quantized file (all-MiniLM-L6-v2's int8 "-q" export) runs its projections as its graph does
 * ({@link DynamicInt8Linear}: uint8 activations with one scale per input tensor, int8 weights, integer sums); the
 * rest as above. Its activation scales come from the whole batch, so there, as in onnxruntime, a sentence's result
 * depends on what it is batched with; embed one sentence at a time to compare with a run of one.
 *
 * <p>Reported to the {@link AccessListener}, in order ({@code L} is the layer; activations hold every row of the
 * batch):
 * <ol>
 *   <li>{@link AccessListener#onEncoderStart(int[][], int[][], int[][])} with the batch's ids, type ids and mask</li>
 *   <li>embeddings: weights {@code word_embeddings} and {@code token_type_embeddings} (one row per token) and
 *       {@code position_embeddings} (one row per position); write "embeddings"; LayerNorm: read "embeddings";
 *       weights {@code embeddings.LayerNorm} gain and bias; write "hidden"</li>
 *   <li>for each layer L:
 *     <ol>
 *       <li>query, key and value, each: read "hidden"; weight and bias; write "q" / "k" / "v"</li>
 *       <li>attention: read "q", "k", "v"; write "context"</li>
 *       <li>output projection: read "context"; weight and bias; write "attn_out"</li>
 *       <li>add and LayerNorm: read "hidden", read "attn_out"; gain and bias; write "hidden"</li>
 *       <li>intermediate projection: read "hidden"; weight and bias; write "ffn_up"</li>
 *       <li>GELU: read "ffn_up"; write "ffn_act"</li>
 *       <li>output projection: read "ffn_act"; weight and bias; write "ffn_out"</li>
 *       <li>add and LayerNorm: read "hidden", read "ffn_out"; gain and bias; write "hidden"</li>
 *     </ol></li>
 *   <li>sentence embeddings only: mean pooling and normalization: read "hidden"; write "sentence_embedding" (one
 *       row of hidden per sequence)</li>
 *   <li>{@link AccessListener#onEncoderEnd}</li>
 * </ol>
 * Weights are reported with their elements read: whole matrices and vectors, and the gathered rows of the embedding
 * tables. An encoder is stateless between calls, but it is not meant to be shared between threads while its
 * listener is.
 */
public final class BertEncoder {
    /** Sentences {@link #embed(List)} runs together, sharing one pass over the weights. */
    private static final int SENTENCES_PER_BATCH = 16;
    /** sentence-transformers' guards: the least token count and vector length it divides by. */
    private static final double MIN_TOKEN_COUNT = 1e-9;
    private static final double MIN_NORM = 1e-12;
    private static final double SQRT_2 = StrictMath.sqrt(2);
    /** Rows of a weight matrix multiplied into every activation row before moving on: they stay in cache. */
    private static final int WEIGHT_ROWS_PER_BLOCK = 32;
    /** Activation rows a block of weight rows is applied to at a time: their outputs stay in cache. */
    private static final int ROWS_PER_TILE = 16;

    private final BertModel model;
    private final BertConfig c;
    private final HfTokenizer tokenizer;
    private final AccessListener listener;

    public BertEncoder(BertModel model, HfTokenizer tokenizer, AccessListener listener) {
        this.model = Objects.requireNonNull(model);
        this.c = model.config();
        this.tokenizer = Objects.requireNonNull(tokenizer);
        this.listener = Objects.requireNonNull(listener);
        if (tokenizer.vocabSize() > c.vocabSize()) {
            throw new BadInputException(tokenizer.name() + ": the tokenizer has " + tokenizer.vocabSize()
                    + " tokens, but the encoder's word-embedding table in " + model.sourceName() + " has "
                    + c.vocabSize() + " rows; expected a tokenizer made for this model");
        }
    }

    /** An encoder that reports to no listener. */
    public BertEncoder(BertModel model, HfTokenizer tokenizer) {
        this(model, tokenizer, AccessListener.NONE);
    }

    public BertConfig config() {
        return c;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** The sentence embedding of {@code sentence}: {@code hidden} values, unit length. */
    public float[] embed(String sentence) {
        return embed(List.of(sentence))[0];
    }

    /**
     * The sentence embedding of each sentence, in order. Sentences of similar token counts are batched together,
     * so that little work goes into padding; the result of each is the same as on its own.
     */
    public float[][] embed(List<String> sentences) {
        return embedBatches(batches(sentences));
    }

    /**
     * The sentences of one encoder pass, padded to one length (padding keeps id 0, type 0, mask 0).
     *
     * @param sentences the index of each row's sentence in the list given to {@link #batches}
     * @param ids       token ids, [sequences][length]
     * @param typeIds   token type ids, [sequences][length]
     * @param mask      1 for a real token, 0 for padding, [sequences][length]
     */
    public record Batch(int[] sentences, int[][] ids, int[][] typeIds, int[][] mask) {
        public int sequences() {
            return ids.length;
        }

        public int length() {
            return ids[0].length;
        }

        /** Rows the pass computes: every position of every sequence, padding included. */
        public int rows() {
            return sequences() * length();
        }

        /** Real (unpadded) tokens. */
        public int tokens() {
            int n = 0;
            for (int[] m : mask) {
                for (int v : m) {
                    n += v;
                }
            }
            return n;
        }
    }

    /**
     * How {@link #embed(List)} runs {@code sentences}: tokenized, sorted by token count, and cut into batches of at
     * most {@value #SENTENCES_PER_BATCH}, each padded to its longest sentence.
     *
     * @throws BadInputException if a sentence has more tokens than the model has positions
     */
    public List<Batch> batches(List<String> sentences) {
        List<Encoding> encodings = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            Encoding e = tokenizer.encode(sentences.get(i));
            if (e.length() > c.maxPositions()) {
                throw new BadInputException("sentence " + i + ": " + e.length() + " tokens; expected at most "
                        + c.maxPositions() + ", the positions " + model.sourceName() + " has embeddings for");
            }
            encodings.add(e);
        }
        Integer[] byLength = new Integer[sentences.size()];
        for (int i = 0; i < byLength.length; i++) {
            byLength[i] = i;
        }
        Arrays.sort(byLength, Comparator.comparingInt(i -> encodings.get(i).length()));
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < byLength.length; from += SENTENCES_PER_BATCH) {
            int size = Math.min(SENTENCES_PER_BATCH, byLength.length - from);
            int length = encodings.get(byLength[from + size - 1]).length();
            int[] which = new int[size];
            int[][] ids = new int[size][length];
            int[][] types = new int[size][length];
            int[][] mask = new int[size][length];
            for (int b = 0; b < size; b++) {
                which[b] = byLength[from + b];
                Encoding e = encodings.get(which[b]);
                System.arraycopy(e.ids(), 0, ids[b], 0, e.length());
                System.arraycopy(e.typeIds(), 0, types[b], 0, e.length());
                Arrays.fill(mask[b], 0, e.length(), 1); // padding keeps id 0, type 0, mask 0
            }
            batches.add(new Batch(which, ids, types, mask));
        }
        return batches;
    }

    /**
     * The sentence embeddings of {@code batches}, one pass each, in the order of the sentences they came from:
     * {@code result[i]} is sentence {@code i} of the list {@link #batches} was given.
     */
    public float[][] embedBatches(List<Batch> batches) {
        int count = 0;
        for (Batch b : batches) {
            count += b.sequences();
        }
        float[][] out = new float[count][];
        for (Batch batch : batches) {
            float[][] pooled = sentenceEmbeddings(batch.ids(), batch.typeIds(), batch.mask());
            for (int b = 0; b < pooled.length; b++) {
                out[batch.sentences()[b]] = pooled[b];
            }
        }
        return out;
    }

    /**
     * The sentence embeddings of a batch given as token ids, token type ids and attention mask, each
     * [sequences][length] (1 in the mask for a real token, 0 for padding).
     */
    public float[][] sentenceEmbeddings(int[][] ids, int[][] typeIds, int[][] attentionMask) {
        float[] hidden = forward(ids, typeIds, attentionMask);
        float[][] pooled = meanPoolAndNormalize(hidden, attentionMask);
        listener.onEncoderEnd();
        return pooled;
    }

    /**
     * The last hidden states of a batch, [sequences][length][hidden], as the ONNX model's {@code last_hidden_state}
     * output. Rows of padding positions are computed as BERT computes them (they attend to the real tokens) and
     * mean nothing.
     */
    public float[][][] lastHiddenStates(int[][] ids, int[][] typeIds, int[][] attentionMask) {
        float[] hidden = forward(ids, typeIds, attentionMask);
        listener.onEncoderEnd();
        int length = ids[0].length;
        float[][][] out = new float[ids.length][length][c.hidden()];
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < length; t++) {
                System.arraycopy(hidden, (b * length + t) * c.hidden(), out[b][t], 0, c.hidden());
            }
        }
        return out;
    }

    // ---- the pass ----

    private float[] forward(int[][] ids, int[][] typeIds, int[][] mask) {
        int length = checkBatch(ids, typeIds, mask);
        int rows = ids.length * length;
        int h = c.hidden();
        listener.onEncoderStart(ids, typeIds, mask);
        float[] hidden = embeddings(ids, typeIds, length);
        float[] q = new float[rows * h];
        float[] k = new float[rows * h];
        float[] v = new float[rows * h];
        float[] context = new float[rows * h];
        float[] projected = new float[rows * h];
        float[] ffn = new float[rows * c.intermediate()];
        for (int l = 0; l < c.layers(); l++) {
            BertModel.Layer w = model.layers().get(l);
            linear(hidden, "hidden", w.query(), q, "q", rows, l);
            linear(hidden, "hidden", w.key(), k, "k", rows, l);
            linear(hidden, "hidden", w.value(), v, "v", rows, l);
            attend(q, k, v, context, mask, length, l);
            linear(context, "context", w.attentionOutput(), projected, "attn_out", rows, l);
            addAndNorm(hidden, projected, "attn_out", w.attentionNorm(), rows, l);
            linear(hidden, "hidden", w.intermediate(), ffn, "ffn_up", rows, l);
            gelu(ffn, l);
            linear(ffn, "ffn_act", w.output(), projected, "ffn_out", rows, l);
            addAndNorm(hidden, projected, "ffn_out", w.outputNorm(), rows, l);
        }
        return hidden;
    }

    /** Checks a batch's shape and values; returns its length. */
    private int checkBatch(int[][] ids, int[][] typeIds, int[][] mask) {
        if (ids.length == 0 || ids.length != typeIds.length || ids.length != mask.length) {
            throw new IllegalArgumentException("a batch needs at least one sequence and as many type-id and mask "
                    + "rows as id rows: " + ids.length + ", " + typeIds.length + ", " + mask.length);
        }
        int length = ids[0].length;
        if (length == 0 || length > c.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + length + ": expected 1.." + c.maxPositions());
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != length || typeIds[b].length != length || mask[b].length != length) {
                throw new IllegalArgumentException("sequence " + b + ": expected ids, type ids and mask of length "
                        + length + " (pad the batch to one length)");
            }
            boolean any = false;
            for (int t = 0; t < length; t++) {
                if (ids[b][t] < 0 || ids[b][t] >= c.vocabSize() || typeIds[b][t] < 0
                        || typeIds[b][t] >= c.typeVocab() || (mask[b][t] != 0 && mask[b][t] != 1)) {
                    throw new IllegalArgumentException("sequence " + b + ", position " + t + ": token " + ids[b][t]
                            + " (expected 0.." + (c.vocabSize() - 1) + "), type " + typeIds[b][t] + " (expected 0.."
                            + (c.typeVocab() - 1) + "), mask " + mask[b][t] + " (expected 0 or 1)");
                }
                any |= mask[b][t] == 1;
            }
            if (!any) {
                throw new IllegalArgumentException("sequence " + b + " is all padding; expected at least one token "
                        + "with mask 1");
            }
        }
        return length;
    }

    /** (word + token type) + position, in the graph's order, then LayerNorm. */
    private float[] embeddings(int[][] ids, int[][] typeIds, int length) {
        int h = c.hidden();
        int rows = ids.length * length;
        float[] word = model.wordEmbedding().data();
        float[] type = model.tokenTypeEmbedding().data();
        float[] position = model.positionEmbedding().data();
        float[] x = new float[rows * h];
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < length; t++) {
                int out = (b * length + t) * h;
                int w = ids[b][t] * h;
                int ty = typeIds[b][t] * h;
                int p = t * h;
                for (int i = 0; i < h; i++) {
                    x[out + i] = (word[w + i] + type[ty + i]) + position[p + i];
                }
            }
        }
        listener.onWeightRead(model.wordEmbedding().name(), AccessListener.NO_LAYER, model.wordEmbedding().role(),
                (long) rows * h);
        listener.onWeightRead(model.tokenTypeEmbedding().name(), AccessListener.NO_LAYER,
                model.tokenTypeEmbedding().role(), (long) rows * h);
        listener.onWeightRead(model.positionEmbedding().name(), AccessListener.NO_LAYER,
                model.positionEmbedding().role(), (long) length * h);
        listener.onActivation("embeddings", AccessListener.NO_LAYER, x, true);
        listener.onActivation("embeddings", AccessListener.NO_LAYER, x, false);
        reportNorm(model.embeddingNorm(), AccessListener.NO_LAYER);
        layerNorm(x, model.embeddingNorm(), rows);
        listener.onActivation("hidden", AccessListener.NO_LAYER, x, true);
        return x;
    }

    /**
     * out = in · W + b for every row; each output sums its products in input order. A dynamically quantized file's
     * projection runs as its graph computes it instead ({@link DynamicInt8Linear}).
     */
    private void linear(float[] in, String inName, BertModel.Linear p, float[] out, String outName, int rows,
                        int layer) {
        listener.onActivation(inName, layer, in, false);
        listener.onWeightRead(p.weight().name(), layer, p.weight().role(), p.weight().elements());
        listener.onWeightRead(p.bias().name(), layer, p.bias().role(), p.bias().elements());
        if (p.int8() != null) {
            p.int8().apply(in, rows, p.bias().data(), out);
            listener.onActivation(outName, layer, out, true);
            return;
        }
        int k = p.in();
        int n = p.out();
        float[] w = p.weight().data();
        Arrays.fill(out, 0, rows * n, 0f);
        // A block of weight rows is applied to a tile of activation rows before the next block is fetched, so that
        // both stay in cache; the sum of each output still runs over the inputs in order, so tiling changes speed,
        // not bits.
        for (int r0 = 0; r0 < rows; r0 += ROWS_PER_TILE) {
            int r1 = Math.min(rows, r0 + ROWS_PER_TILE);
            for (int k0 = 0; k0 < k; k0 += WEIGHT_ROWS_PER_BLOCK) {
                accumulate(in, w, out, r0, r1, k0, Math.min(k, k0 + WEIGHT_ROWS_PER_BLOCK), k, n);
            }
        }
        float[] bias = p.bias().data();
        for (int r = 0; r < rows; r++) {
            int outBase = r * n;
            for (int j = 0; j < n; j++) {
                out[outBase + j] += bias[j];
            }
        }
        listener.onActivation(outName, layer, out, true);
    }

    /** out[r] += in[r][k0..k1) · W[k0..k1) for rows r0..r1, adding the products in input order. */
    private static void accumulate(float[] in, float[] w, float[] out, int r0, int r1, int k0, int k1, int k,
                                   int n) {
        for (int r = r0; r < r1; r++) {
            int inBase = r * k;
            int outBase = r * n;
            int kk = k0;
            // Four inputs per sweep over the output row (fewer loads and stores of it); the additions still
            // happen one input after another.
            for (; kk + 3 < k1; kk += 4) {
                float a0 = in[inBase + kk];
                float a1 = in[inBase + kk + 1];
                float a2 = in[inBase + kk + 2];
                float a3 = in[inBase + kk + 3];
                int w0 = kk * n;
                int w1 = w0 + n;
                int w2 = w1 + n;
                int w3 = w2 + n;
                for (int j = 0; j < n; j++) {
                    out[outBase + j] = (((out[outBase + j] + a0 * w[w0 + j]) + a1 * w[w1 + j])
                            + a2 * w[w2 + j]) + a3 * w[w3 + j];
                }
            }
            for (; kk < k1; kk++) {
                float a = in[inBase + kk];
                int wBase = kk * n;
                for (int j = 0; j < n; j++) {
                    out[outBase + j] += a * w[wBase + j];
                }
            }
        }
    }

    /**
     * Scaled dot-product attention, head by head, within each sequence: the keys of padding positions are left
     * out of the softmax entirely (the ONNX graph adds the most negative float to their scores, which gives them
     * weight exactly 0 as well).
     */
    private void attend(float[] q, float[] k, float[] v, float[] context, int[][] mask, int length, int layer) {
        listener.onActivation("q", layer, q, false);
        listener.onActivation("k", layer, k, false);
        listener.onActivation("v", layer, v, false);
        int h = c.hidden();
        int headSize = c.headSize();
        float scale = (float) Math.sqrt(headSize);
        float[] scores = new float[length];
        Arrays.fill(context, 0f);
        for (int b = 0; b < mask.length; b++) {
            int seqBase = b * length * h;
            for (int head = 0; head < c.heads(); head++) {
                int headBase = seqBase + head * headSize;
                for (int i = 0; i < length; i++) {
                    int qBase = headBase + i * h;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < length; j++) {
                        if (mask[b][j] == 0) {
                            continue;
                        }
                        int kBase = headBase + j * h;
                        float dot = 0;
                        for (int d = 0; d < headSize; d++) {
                            dot += q[qBase + d] * k[kBase + d];
                        }
                        scores[j] = dot / scale;
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < length; j++) {
                        if (mask[b][j] != 0) {
                            double e = StrictMath.exp(scores[j] - max);
                            scores[j] = (float) e;
                            sum += e;
                        }
                    }
                    for (int j = 0; j < length; j++) {
                        if (mask[b][j] == 0) {
                            continue;
                        }
                        float weight = (float) (scores[j] / sum);
                        int vBase = headBase + j * h;
                        for (int d = 0; d < headSize; d++) {
                            context[qBase + d] += weight * v[vBase + d];
                        }
                    }
                }
            }
        }
        listener.onActivation("context", layer, context, true);
    }

    /** hidden = LayerNorm(hidden + delta), row by row. */
    private void addAndNorm(float[] hidden, float[] delta, String deltaName, BertModel.Norm norm, int rows,
                            int layer) {
        listener.onActivation("hidden", layer, hidden, false);
        listener.onActivation(deltaName, layer, delta, false);
        reportNorm(norm, layer);
        int n = rows * c.hidden();
        for (int i = 0; i < n; i++) {
            hidden[i] = delta[i] + hidden[i];
        }
        layerNorm(hidden, norm, rows);
        listener.onActivation("hidden", layer, hidden, true);
    }

    private void reportNorm(BertModel.Norm norm, int layer) {
        listener.onWeightRead(norm.gain().name(), layer, norm.gain().role(), norm.gain().elements());
        listener.onWeightRead(norm.bias().name(), layer, norm.bias().role(), norm.bias().elements());
    }

    /** In place, each row: (x - mean) / sqrt(variance + eps) * gain + bias, the statistics in double. */
    private void layerNorm(float[] x, BertModel.Norm norm, int rows) {
        int h = c.hidden();
        float[] gain = norm.gain().data();
        float[] bias = norm.bias().data();
        for (int r = 0; r < rows; r++) {
            int base = r * h;
            double sum = 0;
            for (int i = 0; i < h; i++) {
                sum += x[base + i];
            }
            double mean = sum / h;
            double squares = 0;
            for (int i = 0; i < h; i++) {
                double d = x[base + i] - mean;
                squares += d * d;
            }
            double inverseStd = 1 / Math.sqrt(squares / h + c.normEps());
            for (int i = 0; i < h; i++) {
                x[base + i] = (float) ((x[base + i] - mean) * inverseStd * gain[i] + bias[i]);
            }
        }
    }

    /** In place: x/2 * (1 + erf(x / sqrt 2)), BERT's exact GELU. */
    private void gelu(float[] x, int layer) {
        listener.onActivation("ffn_up", layer, x, false);
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            x[i] = (float) (a * 0.5 * (1 + Erf.erf(a / SQRT_2)));
        }
        listener.onActivation("ffn_act", layer, x, true);
    }

    /**
     * Per sequence: the mean of the unmasked rows, divided by its length (sentence-transformers' Pooling and
     * Normalize modules, with their guards against dividing by zero).
     */
    private float[][] meanPoolAndNormalize(float[] hidden, int[][] mask) {
        listener.onActivation("hidden", AccessListener.NO_LAYER, hidden, false);
        int h = c.hidden();
        int length = mask[0].length;
        float[][] out = new float[mask.length][h];
        float[] flat = new float[mask.length * h];
        for (int b = 0; b < mask.length; b++) {
            double[] sum = new double[h];
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b][t] == 0) {
                    continue;
                }
                count++;
                int base = (b * length + t) * h;
                for (int i = 0; i < h; i++) {
                    sum[i] += hidden[base + i];
                }
            }
            double squares = 0;
            for (int i = 0; i < h; i++) {
                sum[i] /= Math.max(count, MIN_TOKEN_COUNT);
                squares += sum[i] * sum[i];
            }
            double norm = Math.max(Math.sqrt(squares), MIN_NORM);
            for (int i = 0; i < h; i++) {
                out[b][i] = (float) (sum[i] / norm);
            }
            System.arraycopy(out[b], 0, flat, b * h, h);
        }
        listener.onActivation("sentence_embedding", AccessListener.NO_LAYER, flat, true);
        return out;
    }
}
