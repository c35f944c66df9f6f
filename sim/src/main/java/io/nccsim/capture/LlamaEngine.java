package io.nccsim.capture;

import java.util.Arrays;
import java.util.Objects;

/**
 * The forward pass of a Llama-family decoder, one token at a time, in the manner of llama2.c's run.c: RMSNorm,
 * rotary position embedding, grouped-query attention over a KV cache, a SwiGLU feed-forward, a final RMSNorm and the
 * classifier. The variants of the family run as their weights are laid out ({@link LlamaConfig}): q/k/v biases
 * added after their products (Qwen2), q|k|v and gate|up each computed by one product with the fused matrix and
 * split (Phi-3), either RoPE pair layout, a tied or separate classifier. Every weight read, activation read and
 * write and KV-cache access is reported to an {@link AccessListener}, in execution order (the listener's
 * documentation lists it).
 *
 * <p>Arithmetic is fp32 throughout, as in run.c; only the KV cache may store keys and values at a lower
 * {@link KvPrecision}. Sums run in a fixed order and exp, pow, sin and cos come from {@link StrictMath}, whose
 * results the JVM specifies bit for bit, so the logits (and hence any trace made from them) are the same on every
 * machine. An engine holds the state of one sequence and is not thread-safe.
 *
 * <p><b>Shape-only runs.</b> An engine made by {@link #shapeOnly} runs the same schedule and makes exactly the same
 * listener calls, in the same order, as a real run, but skips the arithmetic of every kernel (each kernel's loops
 * carry the guard in their condition, so a kernel reads the same either way) and keeps no KV cache: it needs the
 * model's shapes, not its weights, so a tracer can record the access stream of a model whose weights are not here.
 * The activations it reports hold no meaningful values and its logits are zeros, so the tokens it runs must come
 * from elsewhere.
 */
public final class LlamaEngine {
    private final LlamaModel model;
    private final LlamaConfig c;
    private final KvPrecision kvPrecision;
    /** False for a shape-only run: every kernel reports its accesses and computes nothing. */
    private final boolean arithmetic;
    /** Null in a shape-only run. */
    private final KvCache cache;
    private final AccessListener listener;

    // Activation buffers, reused by every layer (run.c's RunState).
    private final float[] residual;
    private final float[] normed;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attnOut;
    private final float[] projected;
    private final float[] gate;
    private final float[] up;
    private final float[] logits;
    // Attention scratch: one head's scores over the context, and one cached key or value head vector.
    private final float[] scores;
    private final float[] cachedHead;
    // RoPE's rotation of pair i of a head at the current position: the same in every head and every layer.
    private final float[] ropeCos;
    private final float[] ropeSin;
    /**
     * Positions 0 .. filled-1 hold this sequence's keys and values; attention may only read those. Running a
     * position again (a rewind) makes the positions after it stale.
     */
    private int filled;

    public LlamaEngine(LlamaModel model, KvPrecision kvPrecision, AccessListener listener) {
        this(model, kvPrecision, listener, true);
    }

    /**
     * An engine that runs {@code model}'s schedule without arithmetic, reporting to {@code listener} every access
     * a real run with a {@code kvPrecision} cache would make; the model may be known by its shapes alone
     * ({@link LlamaModel#shapeOnly}).
     */
    public static LlamaEngine shapeOnly(LlamaModel model, KvPrecision kvPrecision, AccessListener listener) {
        return new LlamaEngine(model, kvPrecision, listener, false);
    }

    private LlamaEngine(LlamaModel model, KvPrecision kvPrecision, AccessListener listener, boolean arithmetic) {
        this.model = Objects.requireNonNull(model);
        if (arithmetic && !model.hasValues()) {
            throw new IllegalArgumentException(model.sourceName() + " is known by its shapes alone; it can only be "
                    + "run shape-only (LlamaEngine.shapeOnly)");
        }
        this.c = model.config();
        this.kvPrecision = Objects.requireNonNull(kvPrecision);
        this.arithmetic = arithmetic;
        this.cache = arithmetic ? new KvCache(c, kvPrecision) : null;
        this.listener = Objects.requireNonNull(listener);
        residual = new float[c.dim()];
        normed = new float[c.dim()];
        q = new float[c.dim()];
        k = new float[c.kvDim()];
        v = new float[c.kvDim()];
        attnOut = new float[c.dim()];
        projected = new float[c.dim()];
        gate = new float[c.hiddenDim()];
        up = new float[c.hiddenDim()];
        logits = new float[c.vocabSize()];
        scores = new float[c.seqLen()];
        cachedHead = new float[c.headSize()];
        ropeCos = new float[c.headSize() / 2];
        ropeSin = new float[c.headSize() / 2];
    }

    /** An engine with an fp32 KV cache and no listener. */
    public LlamaEngine(LlamaModel model) {
        this(model, KvPrecision.FP32, AccessListener.NONE);
    }

    public LlamaConfig config() {
        return c;
    }

    public KvPrecision kvPrecision() {
        return kvPrecision;
    }

    /**
     * Runs {@code token} at position {@code pos} and returns the logits of the next token (a fresh array). Positions
     * are filled in order: {@code pos} is the next one, or one already run (a rewind, as run.c allows), after which
     * the following positions must be run again before attention reads them.
     */
    public float[] forward(int token, int pos) {
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary 0.."
                    + (c.vocabSize() - 1));
        }
        if (pos < 0 || pos >= c.seqLen() || pos > filled) {
            throw new IllegalArgumentException("position " + pos + ": expected 0.." + Math.min(filled, c.seqLen() - 1)
                    + " (the context holds " + c.seqLen() + " positions, " + filled + " filled)");
        }
        listener.onForwardStart(token, pos);
        setRotation(pos);
        embed(token);
        for (int l = 0; l < c.layers(); l++) {
            LlamaModel.LayerWeights w = model.layers().get(l);
            // Attention block.
            rmsNorm(normed, "attn_in", w.attentionNorm(), l);
            if (w.wqkv() != null) {
                fusedQkv(w, l);
            } else {
                matmul(q, "q", normed, "attn_in", w.wq(), w.bq(), l);
                matmul(k, "k", normed, "attn_in", w.wk(), w.bk(), l);
                matmul(v, "v", normed, "attn_in", w.wv(), w.bv(), l);
            }
            rope(l);
            appendToCache(pos, l);
            attend(pos, l);
            matmul(projected, "attn_proj", attnOut, "attn_out", w.wo(), l);
            addToResidual(projected, "attn_proj", l);
            // Feed-forward block: w2(silu(w1 x) * w3 x).
            rmsNorm(normed, "ffn_in", w.ffnNorm(), l);
            if (w.w13() != null) {
                fusedGateUp(w.w13(), l);
            } else {
                matmul(gate, "gate", normed, "ffn_in", w.w1(), l);
                matmul(up, "up", normed, "ffn_in", w.w3(), l);
            }
            swiglu(l);
            matmul(projected, "ffn_out", gate, "ffn_act", w.w2(), l);
            addToResidual(projected, "ffn_out", l);
        }
        rmsNorm(normed, "final_norm", model.finalNorm(), AccessListener.NO_LAYER);
        matmul(logits, "logits", normed, "final_norm", model.classifier(), AccessListener.NO_LAYER);
        filled = pos + 1;
        listener.onForwardEnd(pos);
        return logits.clone();
    }

    private void embed(int token) {
        Weight table = model.tokenEmbedding();
        if (arithmetic) {
            System.arraycopy(table.data(), token * c.dim(), residual, 0, c.dim());
        }
        listener.onWeightRead(table.name(), AccessListener.NO_LAYER, table.role(), c.dim());
        listener.onActivation("residual", AccessListener.NO_LAYER, residual, true);
    }

    /** out = gain * residual / sqrt(mean(residual^2) + eps). */
    private void rmsNorm(float[] out, String outName, Weight gain, int layer) {
        listener.onActivation("residual", layer, residual, false);
        listener.onWeightRead(gain.name(), layer, gain.role(), gain.elements());
        float sumSquares = 0;
        for (int i = 0; arithmetic && i < residual.length; i++) {
            sumSquares += residual[i] * residual[i];
        }
        float inverseRms = (float) (1.0 / Math.sqrt(sumSquares / residual.length + c.normEps()));
        float[] g = gain.data();
        for (int i = 0; arithmetic && i < residual.length; i++) {
            out[i] = g[i] * (inverseRms * residual[i]);
        }
        listener.onActivation(outName, layer, out, true);
    }

    /** out = W in, with W [rows][cols] row-major. */
    private void matmul(float[] out, String outName, float[] in, String inName, Weight w, int layer) {
        matmul(out, outName, in, inName, w, null, layer);
    }

    /** out = W in + b; the bias, when there is one, is read right after the matrix and added to each row's sum. */
    private void matmul(float[] out, String outName, float[] in, String inName, Weight w, Weight bias, int layer) {
        listener.onActivation(inName, layer, in, false);
        readWeight(w, layer);
        readWeight(bias, layer);
        multiplyRows(w, 0, w.rows(), in, out);
        addBias(bias, 0, out);
        listener.onActivation(outName, layer, out, true);
    }

    /**
     * Phi-3's fused projection: one matrix-vector product with [q rows; k rows; v rows] (and its bias, if any),
     * split as it is written. Each row's sum is the one the separate projections compute, bit for bit.
     */
    private void fusedQkv(LlamaModel.LayerWeights w, int layer) {
        listener.onActivation("attn_in", layer, normed, false);
        readWeight(w.wqkv(), layer);
        readWeight(w.bqkv(), layer);
        multiplyRows(w.wqkv(), 0, c.dim(), normed, q);
        multiplyRows(w.wqkv(), c.dim(), c.kvDim(), normed, k);
        multiplyRows(w.wqkv(), c.dim() + c.kvDim(), c.kvDim(), normed, v);
        addBias(w.bqkv(), 0, q);
        addBias(w.bqkv(), c.dim(), k);
        addBias(w.bqkv(), c.dim() + c.kvDim(), v);
        listener.onActivation("q", layer, q, true);
        listener.onActivation("k", layer, k, true);
        listener.onActivation("v", layer, v, true);
    }

    /** Phi-3's fused feed-forward input: one product with [gate rows; up rows], split into "gate" and "up". */
    private void fusedGateUp(Weight w13, int layer) {
        listener.onActivation("ffn_in", layer, normed, false);
        readWeight(w13, layer);
        multiplyRows(w13, 0, c.hiddenDim(), normed, gate);
        multiplyRows(w13, c.hiddenDim(), c.hiddenDim(), normed, up);
        listener.onActivation("gate", layer, gate, true);
        listener.onActivation("up", layer, up, true);
    }

    private void readWeight(Weight w, int layer) {
        if (w != null) {
            listener.onWeightRead(w.name(), layer, w.role(), w.elements());
        }
    }

    /** out[0 .. rows) = rows {@code first .. first + rows} of W times in; each sum runs over the columns in order. */
    private void multiplyRows(Weight w, int first, int rows, float[] in, float[] out) {
        float[] m = w.data();
        int cols = w.cols();
        for (int r = 0; arithmetic && r < rows; r++) {
            float sum = 0;
            int base = (first + r) * cols;
            for (int j = 0; j < cols; j++) {
                sum += m[base + j] * in[j];
            }
            out[r] = sum;
        }
    }

    /** out[i] += bias[from + i], after the product, as transformers' Linear adds it. */
    private void addBias(Weight bias, int from, float[] out) {
        if (bias == null) {
            return;
        }
        float[] b = bias.data();
        for (int i = 0; arithmetic && i < out.length; i++) {
            out[i] += b[from + i];
        }
    }

    /**
     * Pair i of every head turns by pos * theta^(-2i / headSize), as in run.c; the angles are in fp32, as run.c
     * computes them. Which two elements form pair i is the checkpoint's {@link RopeLayout}: (2i, 2i+1) for Meta's
     * order, (i, i + headSize/2) for Hugging Face's.
     */
    private void setRotation(int pos) {
        int headSize = c.headSize();
        for (int pair = 0; arithmetic && pair < headSize / 2; pair++) {
            float frequency = (float) (1.0 / StrictMath.pow(c.ropeTheta(), 2 * pair / (double) headSize));
            float angle = pos * frequency;
            ropeCos[pair] = (float) StrictMath.cos(angle);
            ropeSin[pair] = (float) StrictMath.sin(angle);
        }
    }

    /** Rotates every query head and every key head by the position's angles. */
    private void rope(int layer) {
        listener.onActivation("q", layer, q, false);
        listener.onActivation("k", layer, k, false);
        int headSize = c.headSize();
        RopeLayout layout = c.ropeLayout();
        for (int head = 0; arithmetic && head < c.dim(); head += headSize) {
            for (int pair = 0; pair < headSize / 2; pair++) {
                int a = head + layout.first(pair, headSize);
                int b = head + layout.second(pair, headSize);
                rotate(q, a, b, ropeCos[pair], ropeSin[pair]);
                if (head < c.kvDim()) { // keys have fewer heads than queries under grouped-query attention
                    rotate(k, a, b, ropeCos[pair], ropeSin[pair]);
                }
            }
        }
        listener.onActivation("q", layer, q, true);
        listener.onActivation("k", layer, k, true);
    }

    private static void rotate(float[] x, int i, int j, float cos, float sin) {
        float a = x[i];
        float b = x[j];
        x[i] = a * cos - b * sin;
        x[j] = a * sin + b * cos;
    }

    private void appendToCache(int pos, int layer) {
        listener.onActivation("k", layer, k, false);
        listener.onActivation("v", layer, v, false);
        if (arithmetic) {
            cache.write(layer, pos, k, v);
        }
        listener.onKvWrite(layer, pos, k, v);
    }

    /**
     * For each query head: softmax(q . k_t / sqrt(headSize)) over positions 0..pos, then the weighted sum of the
     * values. Query head h reads key/value head h / queriesPerKvHead.
     */
    private void attend(int pos, int layer) {
        listener.onActivation("q", layer, q, false);
        listener.onKvRead(layer, 0, pos);
        int headSize = c.headSize();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        for (int h = 0; arithmetic && h < c.heads(); h++) {
            int qBase = h * headSize;
            int kvHead = h / c.queriesPerKvHead();
            for (int t = 0; t <= pos; t++) {
                cache.readKey(layer, t, kvHead, cachedHead);
                float dot = 0;
                for (int i = 0; i < headSize; i++) {
                    dot += q[qBase + i] * cachedHead[i];
                }
                scores[t] = dot * scale;
            }
            softmax(scores, pos + 1);
            Arrays.fill(attnOut, qBase, qBase + headSize, 0f);
            for (int t = 0; t <= pos; t++) {
                cache.readValue(layer, t, kvHead, cachedHead);
                float weight = scores[t];
                for (int i = 0; i < headSize; i++) {
                    attnOut[qBase + i] += weight * cachedHead[i];
                }
            }
        }
        listener.onActivation("attn_out", layer, attnOut, true);
    }

    /** In-place softmax of x[0..n), shifted by the maximum so exp never overflows. */
    private static void softmax(float[] x, int n) {
        float max = x[0];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, x[i]);
        }
        float sum = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (float) StrictMath.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < n; i++) {
            x[i] /= sum;
        }
    }

    private void addToResidual(float[] delta, String deltaName, int layer) {
        listener.onActivation("residual", layer, residual, false);
        listener.onActivation(deltaName, layer, delta, false);
        for (int i = 0; arithmetic && i < residual.length; i++) {
            residual[i] += delta[i];
        }
        listener.onActivation("residual", layer, residual, true);
    }

    /** gate = silu(gate) * up, where silu(x) = x / (1 + e^-x). The product goes on as "ffn_act". */
    private void swiglu(int layer) {
        listener.onActivation("gate", layer, gate, false);
        listener.onActivation("up", layer, up, false);
        for (int i = 0; arithmetic && i < gate.length; i++) {
            float g = gate[i];
            gate[i] = g * (float) (1.0 / (1.0 + StrictMath.exp(-g))) * up[i];
        }
        listener.onActivation("ffn_act", layer, gate, true);
    }
}
