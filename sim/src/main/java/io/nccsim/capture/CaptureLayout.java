package io.nccsim.capture;

import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor table of a captured trace and where each of the engine's tensors lives in it: the weights as
 * deployed, each layer's key and value caches, and the activation buffers.
 *
 * <p>Weights keep the model file's names, so a trace's weight content can be traced back to the tensor it came
 * from. Activations are fp16 scratch buffers of one row per prompt token, reused by every layer; engine
 * activations that share a buffer in the engine (llama2.c's RunState) share a tensor here: the three RMSNorm outputs
 * are {@code act.xb}, both projections back to the residual width are {@code act.xb2}, the gate and its SwiGLU
 * product are {@code act.hb}. Logits are one fp32 row.
 *
 * <p>KV caches hold the positions the run fills. FP32 and FP16 store the elements; INT8 stores the codes, then one
 * fp32 scale per head vector (the engine's {@link KvCache} layout), so its quantization group is one head.
 */
public final class CaptureLayout implements KvCacheLayout {
    /** Bytes of an activation element in DRAM. */
    static final int ACTIVATION_BYTES = 2;

    /** Activation buffers: tensor name, then the engine's names for the activations it holds. */
    private static final String[][] BUFFERS = {
        {"act.x", "residual"},
        {"act.xb", "attn_in", "ffn_in", "final_norm"},
        {"act.q", "q"},
        {"act.k", "k"},
        {"act.v", "v"},
        {"act.att", "attn_out"},
        {"act.xb2", "attn_proj", "ffn_out"},
        {"act.hb", "gate", "ffn_act"},
        {"act.hb2", "up"},
    };
    /** The logits buffer's tensor name and the engine's name for the logits. */
    static final String LOGITS_TENSOR = "act.logits";
    static final String LOGITS = "logits";

    /** Where one engine activation is stored. */
    record Buffer(int tensorId, int width, long rowBytes, boolean perToken) {
    }

    private final LlamaConfig config;
    private final KvPrecision kv;
    private final int batchRows;
    private final int contextRows;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final Map<String, Integer> weightIds = new HashMap<>();
    private final Map<String, StoredWeight> weights = new HashMap<>();
    private final Map<String, Buffer> buffers = new HashMap<>();
    private final int[] keyCache;
    private final int[] valueCache;

    /**
     * @param deployed    the weights as stored
     * @param kv          how the KV cache stores keys and values
     * @param batchRows   rows of each activation buffer: the prompt's tokens, which prefill processes together
     * @param contextRows positions each KV cache holds: the prompt plus the generated tokens that were run
     */
    public CaptureLayout(DeployedWeights deployed, KvPrecision kv, int batchRows, int contextRows) {
        if (batchRows < 1 || contextRows < batchRows) {
            throw new IllegalArgumentException("batch of " + batchRows + " rows and context of " + contextRows
                    + ": expected 1 <= batch <= context");
        }
        this.config = deployed.model().config();
        this.kv = kv;
        this.batchRows = batchRows;
        this.contextRows = contextRows;
        this.keyCache = new int[config.layers()];
        this.valueCache = new int[config.layers()];
        for (StoredWeight w : deployed.stored().values()) {
            weightIds.put(w.name(), tensors.size());
            tensors.add(w.tensorInfo(tensors.size()));
            weights.put(w.name(), w);
            if (w.role() == TensorRole.MLP_DOWN) {
                // A layer's caches follow its last weight in the table.
                keyCache[w.layer()] = kvCache("layers." + w.layer() + ".k_cache", w.layer());
                valueCache[w.layer()] = kvCache("layers." + w.layer() + ".v_cache", w.layer());
            }
        }
        for (String[] b : BUFFERS) {
            int width = widthOf(b[0]);
            int id = add(b[0], TensorRole.ACTIVATION, AccessListener.NO_LAYER,
                    batchRows == 1 ? List.of((long) width) : List.of((long) batchRows, (long) width),
                    ElementType.FP16, (long) batchRows * width * ACTIVATION_BYTES,
                    (long) batchRows * width * ACTIVATION_BYTES, 0);
            for (int i = 1; i < b.length; i++) {
                buffers.put(b[i], new Buffer(id, width, (long) width * ACTIVATION_BYTES, true));
            }
        }
        // Generation needs the logits of the last token only, so one row serves prefill and decode alike.
        long logitsBytes = (long) config.vocabSize() * Float.BYTES;
        int logits = add(LOGITS_TENSOR, TensorRole.ACTIVATION, AccessListener.NO_LAYER,
                List.of((long) config.vocabSize()), ElementType.FP32, logitsBytes, logitsBytes, 0);
        buffers.put(LOGITS, new Buffer(logits, config.vocabSize(), logitsBytes, false));
    }

    private int widthOf(String buffer) {
        return switch (buffer) {
            case "act.k", "act.v" -> config.kvDim();
            case "act.hb", "act.hb2" -> config.hiddenDim();
            default -> config.dim();
        };
    }

    private int add(String name, TensorRole role, int layer, List<Long> shape, ElementType type, long bytes,
                    long payload, int group) {
        int id = tensors.size();
        tensors.add(new TensorInfo(id, name, role, layer, shape, type, bytes, payload, group));
        return id;
    }

    private int kvCache(String name, int layer) {
        long payload = (long) contextRows * kvRowPayloadBytes();
        long bytes = payload + (long) contextRows * kvRowScaleBytes();
        return add(name, TensorRole.KV_CACHE, layer, List.of((long) contextRows, (long) config.kvDim()),
                kvElementType(), bytes, payload, kv == KvPrecision.INT8 ? config.headSize() : 0);
    }

    /** The element type of the KV caches. */
    public ElementType kvElementType() {
        return switch (kv) {
            case FP32 -> ElementType.FP32;
            case FP16 -> ElementType.FP16;
            case INT8 -> ElementType.INT8;
        };
    }

    public KvPrecision kvPrecision() {
        return kv;
    }

    /** Bytes of one position's keys (or values) in a KV cache, without scales. */
    @Override
    public long kvRowPayloadBytes() {
        return (long) config.kvDim() * kv.bitsPerElement() / 8;
    }

    /** Bytes of one position's scales in a KV cache: one per head vector for INT8, none otherwise. */
    @Override
    public long kvRowScaleBytes() {
        return kv == KvPrecision.INT8 ? (long) config.kvHeads() * KvCache.INT8_SCALE_BYTES : 0;
    }

    public List<TensorInfo> tensors() {
        return List.copyOf(tensors);
    }

    /** The weight tensors stored as integer codes: those whose content a trace gives as symbol histograms. */
    public List<TensorInfo> quantizedWeights() {
        return tensors.stream().filter(t -> t.role().dataClass() == TensorRole.DataClass.WEIGHTS
                && t.elementType().quantized()).toList();
    }

    public LlamaConfig config() {
        return config;
    }

    /** Rows of each activation buffer: the prompt's tokens. */
    public int batchRows() {
        return batchRows;
    }

    /** Positions each KV cache holds. */
    @Override
    public int contextRows() {
        return contextRows;
    }

    /** The table id of weight {@code name} (the model file's name). */
    public int weightId(String name) {
        Integer id = weightIds.get(name);
        if (id == null) {
            throw new IllegalStateException("the engine read weight '" + name + "', which the tensor table lacks");
        }
        return id;
    }

    /** The stored form of weight {@code name}. */
    public StoredWeight weight(String name) {
        weightId(name);
        return weights.get(name);
    }

    /** The buffer holding the engine's activation {@code name}. */
    Buffer buffer(String name) {
        Buffer b = buffers.get(name);
        if (b == null) {
            throw new IllegalStateException("the engine reported activation '" + name
                    + "', which no activation buffer holds");
        }
        return b;
    }

    @Override
    public int keyCacheId(int layer) {
        return keyCache[layer];
    }

    @Override
    public int valueCacheId(int layer) {
        return valueCache[layer];
    }
}
