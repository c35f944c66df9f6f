package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.Access;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.ModelShape;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceWriter;
import io.nccsim.trace.WeightContent;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a trace for a model known only by its published shape: the forward pass of a Llama-family decoder
 * scheduled as a batched prefill of the prompt and then one decode step per generated token, every weight,
 * activation and KV-cache access in execution order, with modeled content.
 *
 * <p>The schedule is the one llama.cpp-style engines run at batch 1: per layer, RMSNorm, the q/k/v projections
 * (new keys and values appended to the KV cache), attention over the cache, the output projection with the
 * residual add, RMSNorm, the SwiGLU feed-forward and its residual add; then the final norm and the output
 * projection, for the last token only. Activations live in fp16 scratch buffers reused by every layer.
 *
 * <p>Content is modeled, never measured, and the header says how: weight symbols are drawn from the distribution
 * that Gaussian weights give under the deployed quantizer; KV-cache symbols from Student-t values under int8
 * quantization in groups of 32 (llama.cpp's q8_0 layout); token ids are uniform.
 */
public final class ModeledTraceGenerator {
    /** Elements per KV-cache quantization group (llama.cpp q8_0). */
    static final int KV_GROUP = 32;
    /** Degrees of freedom of the modeled KV-cache values: heavy-tailed, as keys and values are. */
    static final double KV_T_DOF = 5;
    /** Groups sampled to estimate a symbol distribution. */
    static final int SAMPLE_GROUPS = 4096;

    /**
     * @param archFile          where the architecture came from, recorded in the provenance
     * @param kvCache           "int8" or "fp16"
     * @param contentBlockElements fine block size of weight-content histograms
     */
    public record Options(ModelArch arch, String archFile, WeightQuant weights, String kvCache, int promptTokens,
                          int generatedTokens, long seed, int contentBlockElements, String producer) {
    }

    private final Options o;
    private final ModelShape s;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final RandomGenerator contentRng;
    private final RandomGenerator tokenRng;
    private final SymbolModel kvModel;
    private final int seqLen;
    // tensor ids
    private int embedding;
    private int outputNorm;
    private int lmHead;
    private int actX;
    private int actXb;
    private int actQ;
    private int actAtt;
    private int actHb;
    private int actHb2;
    private int actLogits;
    private final List<int[]> layerIds = new ArrayList<>();

    // index of each per-layer tensor in layerIds.get(layer)
    private static final int NORM_ATT = 0;
    private static final int WQ = 1; // or WQKV when fused
    private static final int WK = 2;
    private static final int WV = 3;
    private static final int WO = 4;
    private static final int NORM_FFN = 5;
    private static final int WGATE = 6; // or WGATE_UP when fused
    private static final int WUP = 7;
    private static final int WDOWN = 8;
    private static final int KCACHE = 9;
    private static final int VCACHE = 10;

    private ModeledTraceGenerator(Options o) {
        this.o = o;
        this.s = o.arch().shape();
        this.seqLen = o.promptTokens() + o.generatedTokens();
        this.contentRng = new Well19937c(o.seed());
        this.tokenRng = new Well19937c(o.seed() * 31 + 7);
        if (!o.kvCache().equals("int8") && !o.kvCache().equals("fp16")) {
            throw new BadInputException("--kv: '" + o.kvCache() + "' is not supported; expected int8 or fp16");
        }
        if (o.promptTokens() < 1 || o.generatedTokens() < 0) {
            throw new BadInputException("--prompt-tokens must be at least 1 and --generated-tokens at least 0");
        }
        if (seqLen > o.arch().maxSeqLen()) {
            throw new BadInputException("prompt plus generated tokens (" + seqLen + ") exceed the model's context of "
                    + o.arch().maxSeqLen() + " (max_seq_len in " + o.archFile() + ")");
        }
        this.kvModel = o.kvCache().equals("int8")
                ? SymbolModel.estimate(SymbolModel.studentT(new Well19937c(o.seed() + 1), KV_T_DOF), 8, KV_GROUP,
                true, SAMPLE_GROUPS)
                : null;
    }

    /** Generates the trace into {@code out}; on failure no file is left behind. */
    public static void generate(Options options, Path out) {
        new ModeledTraceGenerator(options).write(out);
    }

    private void write(Path out) {
        buildTensorTable();
        TraceHeader header = new TraceHeader(o.arch().name(), s, o.weights().id(), "fp16", o.kvCache(),
                o.promptTokens(), o.generatedTokens(), o.producer(), provenance(), o.contentBlockElements());
        TraceWriter w = new TraceWriter(out, header, tensors);
        boolean ok = false;
        try {
            writeWeightContent(w);
            int[] prompt = new int[o.promptTokens()];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = tokenRng.nextInt(s.vocab());
            }
            w.write(new StepEvent(StepEvent.Phase.PREFILL, 0, prompt.length));
            forward(w, prompt, 0);
            for (int t = 0; t < o.generatedTokens(); t++) {
                int pos = o.promptTokens() + t;
                w.write(new StepEvent(StepEvent.Phase.DECODE, pos, 1));
                forward(w, new int[] {tokenRng.nextInt(s.vocab())}, pos);
            }
            w.close();
            ok = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!ok) {
                w.abort();
            }
        }
    }

    private Provenance provenance() {
        String method = String.format(Locale.ROOT,
                "modeled by 'nccsim trace model' from the published architecture in %s (%s). Weight content: "
                        + "symbol counts per %d-element block drawn (multinomial, seed %d) from the distribution "
                        + "that i.i.d. Gaussian weights give under %s quantization; not fitted to real weights. "
                        + "KV cache: %s. Token ids: uniform random (seed %d). Activations: fp16, no content.",
                o.archFile(), o.arch().source(), o.contentBlockElements(), o.seed(), o.weights().id(),
                kvModel == null ? "fp16, no content"
                        : "int8 in groups of 32 (q8_0 layout), symbols drawn from Student-t(" + (int) KV_T_DOF
                        + ") values under absmax quantization",
                o.seed());
        return new Provenance(Provenance.MODELED, null, method);
    }

    // ---- tensor table ----

    private int add(String name, TensorRole role, int layer, List<Long> shape, ElementType type, long bytes,
                    long payload, int group) {
        int id = tensors.size();
        tensors.add(new TensorInfo(id, name, role, layer, shape, type, bytes, payload, group));
        return id;
    }

    private int weight(String name, TensorRole role, int layer, long rows, long cols) {
        WeightQuant q = o.weights();
        long payload = q.payloadBytes(rows, cols);
        long meta = q.metadataBytes(rows, cols);
        return add(name, role, layer, List.of(rows, cols), q.type(), payload + meta, payload,
                q.quantized() ? q.groupElements(rows, cols) : 0);
    }

    private int fp16(String name, TensorRole role, int layer, long rows, long cols) {
        long bytes = rows * cols * 2;
        return add(name, role, layer, rows == 1 ? List.of(cols) : List.of(rows, cols), ElementType.FP16, bytes,
                bytes, 0);
    }

    private int kvCache(String name, int layer) {
        long rows = seqLen;
        long cols = s.kvDim();
        if (kvModel == null) {
            return fp16(name, TensorRole.KV_CACHE, layer, rows, cols);
        }
        long payload = rows * cols;
        return add(name, TensorRole.KV_CACHE, layer, List.of(rows, cols), ElementType.INT8,
                payload + rows * kvRowMetaBytes(), payload, KV_GROUP);
    }

    private long kvRowMetaBytes() {
        return (s.kvDim() + KV_GROUP - 1) / KV_GROUP * 2L;
    }

    private void buildTensorTable() {
        long h = s.hidden();
        embedding = weight("token_embd.weight", TensorRole.EMBEDDING, -1, s.vocab(), h);
        for (int l = 0; l < s.layers(); l++) {
            int[] ids = new int[11];
            String p = "blk." + l + ".";
            ids[NORM_ATT] = fp16(p + "attn_norm.weight", TensorRole.NORM, l, 1, h);
            if (o.arch().fusedQkv()) {
                ids[WQ] = weight(p + "attn_qkv.weight", TensorRole.ATTN_QKV, l, s.qDim() + 2L * s.kvDim(), h);
                ids[WK] = -1;
                ids[WV] = -1;
            } else {
                ids[WQ] = weight(p + "attn_q.weight", TensorRole.ATTN_Q, l, s.qDim(), h);
                ids[WK] = weight(p + "attn_k.weight", TensorRole.ATTN_K, l, s.kvDim(), h);
                ids[WV] = weight(p + "attn_v.weight", TensorRole.ATTN_V, l, s.kvDim(), h);
            }
            ids[WO] = weight(p + "attn_output.weight", TensorRole.ATTN_O, l, h, s.qDim());
            ids[NORM_FFN] = fp16(p + "ffn_norm.weight", TensorRole.NORM, l, 1, h);
            if (o.arch().fusedGateUp()) {
                ids[WGATE] = weight(p + "ffn_gate_up.weight", TensorRole.MLP_GATE_UP, l, 2L * s.ffn(), h);
                ids[WUP] = -1;
            } else {
                ids[WGATE] = weight(p + "ffn_gate.weight", TensorRole.MLP_GATE, l, s.ffn(), h);
                ids[WUP] = weight(p + "ffn_up.weight", TensorRole.MLP_UP, l, s.ffn(), h);
            }
            ids[WDOWN] = weight(p + "ffn_down.weight", TensorRole.MLP_DOWN, l, h, s.ffn());
            ids[KCACHE] = kvCache(p + "k_cache", l);
            ids[VCACHE] = kvCache(p + "v_cache", l);
            layerIds.add(ids);
        }
        outputNorm = fp16("output_norm.weight", TensorRole.NORM, -1, 1, h);
        lmHead = s.tiedEmbeddings() ? embedding : weight("output.weight", TensorRole.LM_HEAD, -1, s.vocab(), h);
        int batch = o.promptTokens();
        actX = fp16("act.x", TensorRole.ACTIVATION, -1, batch, h);
        actXb = fp16("act.xb", TensorRole.ACTIVATION, -1, batch, h);
        actQ = fp16("act.q", TensorRole.ACTIVATION, -1, batch, s.qDim());
        actAtt = fp16("act.att", TensorRole.ACTIVATION, -1, batch, s.qDim());
        actHb = fp16("act.hb", TensorRole.ACTIVATION, -1, batch, s.ffn());
        actHb2 = fp16("act.hb2", TensorRole.ACTIVATION, -1, batch, s.ffn());
        actLogits = add("act.logits", TensorRole.ACTIVATION, -1, List.of((long) s.vocab()), ElementType.FP32,
                4L * s.vocab(), 4L * s.vocab(), 0);
    }

    // ---- content ----

    private void writeWeightContent(TraceWriter w) {
        WeightQuant q = o.weights();
        if (!q.quantized()) {
            return;
        }
        java.util.Map<Integer, SymbolModel> modelByGroup = new java.util.HashMap<>();
        for (TensorInfo t : tensors) {
            if (t.role().dataClass() != TensorRole.DataClass.WEIGHTS || !t.elementType().quantized()) {
                continue;
            }
            SymbolModel m = modelByGroup.computeIfAbsent(t.groupSize(), g -> SymbolModel.estimate(
                    SymbolModel.gaussian(new Well19937c(o.seed() + g)), q.type().bits(), Math.min(g, 1 << 16),
                    q.symmetric(), Math.max(16, SAMPLE_GROUPS * 128 / Math.max(1, Math.min(g, 1 << 16)))));
            long elements = t.elements();
            int block = o.contentBlockElements();
            int blocks = (int) ((elements + block - 1) / block);
            int[][] hist = new int[blocks][];
            for (int b = 0; b < blocks; b++) {
                int n = (int) Math.min(block, elements - (long) b * block);
                hist[b] = m.drawCounts(n, contentRng);
            }
            w.writeWeightContent(new WeightContent(t.id(), block, hist));
        }
    }

    // ---- the forward pass ----

    private static Access read(int tensor, long offset, long length) {
        return Access.read(tensor, offset, length);
    }

    private Access readAll(int tensor) {
        return Access.read(tensor, 0, tensors.get(tensor).bytes());
    }

    private static Access write(int tensor, long offset, long length) {
        return Access.write(tensor, offset, length, null);
    }

    private static long act(int tokens, long width) {
        return tokens * width * 2;
    }

    private void forward(TraceWriter w, int[] tokens, int pos) {
        int n = tokens.length;
        long h = s.hidden();
        // Embedding lookup: one row (and its scales) per token.
        List<Access> emb = new ArrayList<>();
        TensorInfo e = tensors.get(embedding);
        long rowPayload = o.weights().payloadBytes(1, h);
        long rowMeta = o.weights().metadataBytes(1, h);
        for (int t : tokens) {
            emb.add(read(embedding, t * rowPayload, rowPayload));
            if (rowMeta > 0 && o.weights().groupSize() != WeightQuant.PER_TENSOR) {
                emb.add(read(embedding, e.payloadBytes() + t * rowMeta, rowMeta));
            }
        }
        emb.add(write(actX, 0, act(n, h)));
        w.write(new OpEvent("embedding", -1, 0, emb));

        for (int l = 0; l < s.layers(); l++) {
            int[] ids = layerIds.get(l);
            w.write(new OpEvent("attn_norm", l, n * h,
                    List.of(read(actX, 0, act(n, h)), readAll(ids[NORM_ATT]), write(actXb, 0, act(n, h)))));
            if (o.arch().fusedQkv()) {
                List<Access> a = new ArrayList<>(List.of(read(actXb, 0, act(n, h)), readAll(ids[WQ]),
                        write(actQ, 0, act(n, s.qDim()))));
                a.addAll(kvWrite(ids[KCACHE], pos, n));
                a.addAll(kvWrite(ids[VCACHE], pos, n));
                w.write(new OpEvent("attn_qkv", l, n * h * (s.qDim() + 2L * s.kvDim()), a));
            } else {
                w.write(new OpEvent("attn_q", l, n * h * s.qDim(),
                        List.of(read(actXb, 0, act(n, h)), readAll(ids[WQ]), write(actQ, 0, act(n, s.qDim())))));
                List<Access> k = new ArrayList<>(List.of(read(actXb, 0, act(n, h)), readAll(ids[WK])));
                k.addAll(kvWrite(ids[KCACHE], pos, n));
                w.write(new OpEvent("attn_k", l, n * h * s.kvDim(), k));
                List<Access> v = new ArrayList<>(List.of(read(actXb, 0, act(n, h)), readAll(ids[WV])));
                v.addAll(kvWrite(ids[VCACHE], pos, n));
                w.write(new OpEvent("attn_v", l, n * h * s.kvDim(), v));
            }
            // Attention over positions 0..pos+n-1: QK^T and the weighted sum of V, causal within the batch.
            long ctxSum = (long) n * pos + (long) n * (n + 1) / 2;
            List<Access> att = new ArrayList<>();
            att.add(read(actQ, 0, act(n, s.qDim())));
            att.addAll(kvRead(ids[KCACHE], pos + n));
            att.addAll(kvRead(ids[VCACHE], pos + n));
            att.add(write(actAtt, 0, act(n, s.qDim())));
            w.write(new OpEvent("attention", l, 2 * ctxSum * s.qDim(), att));
            w.write(new OpEvent("attn_output", l, n * s.qDim() * h, List.of(read(actAtt, 0, act(n, s.qDim())),
                    readAll(ids[WO]), read(actX, 0, act(n, h)), write(actX, 0, act(n, h)))));
            w.write(new OpEvent("ffn_norm", l, n * h,
                    List.of(read(actX, 0, act(n, h)), readAll(ids[NORM_FFN]), write(actXb, 0, act(n, h)))));
            if (o.arch().fusedGateUp()) {
                w.write(new OpEvent("ffn_gate_up", l, n * h * 2L * s.ffn(), List.of(read(actXb, 0, act(n, h)),
                        readAll(ids[WGATE]), write(actHb, 0, act(n, s.ffn())), write(actHb2, 0, act(n, s.ffn())))));
            } else {
                w.write(new OpEvent("ffn_gate", l, n * h * s.ffn(), List.of(read(actXb, 0, act(n, h)),
                        readAll(ids[WGATE]), write(actHb, 0, act(n, s.ffn())))));
                w.write(new OpEvent("ffn_up", l, n * h * s.ffn(), List.of(read(actXb, 0, act(n, h)),
                        readAll(ids[WUP]), write(actHb2, 0, act(n, s.ffn())))));
            }
            w.write(new OpEvent("swiglu", l, (long) n * s.ffn(), List.of(read(actHb, 0, act(n, s.ffn())),
                    read(actHb2, 0, act(n, s.ffn())), write(actHb, 0, act(n, s.ffn())))));
            w.write(new OpEvent("ffn_down", l, n * s.ffn() * h, List.of(read(actHb, 0, act(n, s.ffn())),
                    readAll(ids[WDOWN]), read(actX, 0, act(n, h)), write(actX, 0, act(n, h)))));
        }
        // Logits for the last token only: that is all generation needs.
        long last = (long) (n - 1) * h * 2;
        w.write(new OpEvent("output_norm", -1, h, List.of(read(actX, last, h * 2), readAll(outputNorm),
                write(actXb, 0, h * 2))));
        w.write(new OpEvent("output", -1, h * s.vocab(), List.of(read(actXb, 0, h * 2), readAll(lmHead),
                write(actLogits, 0, 4L * s.vocab()))));
    }

    private List<Access> kvWrite(int cache, int pos, int n) {
        long kv = s.kvDim();
        if (kvModel == null) {
            return List.of(write(cache, pos * kv * 2, n * kv * 2));
        }
        TensorInfo t = tensors.get(cache);
        int[] hist = kvModel.drawCounts((int) (n * kv), contentRng);
        return List.of(Access.write(cache, pos * kv, n * kv, hist),
                write(cache, t.payloadBytes() + pos * kvRowMetaBytes(), n * kvRowMetaBytes()));
    }

    private List<Access> kvRead(int cache, int rows) {
        long kv = s.kvDim();
        if (kvModel == null) {
            return List.of(read(cache, 0, rows * kv * 2));
        }
        TensorInfo t = tensors.get(cache);
        return List.of(read(cache, 0, rows * kv), read(cache, t.payloadBytes(), rows * kvRowMetaBytes()));
    }
}
