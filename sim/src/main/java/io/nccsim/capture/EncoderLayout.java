package io.nccsim.capture;

import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor table of a captured encoder trace and where each of {@link BertEncoder}'s tensors lives in it: the
 * weights as deployed (the model's names, in the order the encoder first reads them), then the activation buffers.
 * There is no KV cache: an encoder's keys and values are activations of the pass that makes them.
 *
 * <p>Activations are fp16 buffers of one row per token of the largest batch (sequences times padded length),
 * reused by every layer and every batch; engine activations that share an array in the encoder share a tensor here:
 * the summed embeddings and the hidden states are {@code act.hidden}, both projections back to the hidden width
 * are {@code act.proj}, the feed-forward's intermediate values and their GELU are {@code act.ffn}. The sentence
 * embeddings, the model's output, are one fp32 row per sequence, as a decoder's logits are fp32.
 */
public final class EncoderLayout {
    /** Activation buffers: tensor name, then the encoder's names for the activations it holds. */
    private static final String[][] BUFFERS = {
        {"act.hidden", "embeddings", "hidden"},
        {"act.q", "q"},
        {"act.k", "k"},
        {"act.v", "v"},
        {"act.context", "context"},
        {"act.proj", "attn_out", "ffn_out"},
        {"act.ffn", "ffn_up", "ffn_act"},
    };
    static final String EMBEDDINGS_TENSOR = "act.sentence_embedding";
    static final String EMBEDDINGS = "sentence_embedding";

    private final BertConfig config;
    private final BertModel model;
    private final int batchRows;
    private final int batchSequences;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private final Map<String, Integer> weightIds = new HashMap<>();
    private final Map<String, StoredWeight> weights = new HashMap<>();
    private final Map<String, CaptureLayout.Buffer> buffers = new HashMap<>();

    /**
     * @param deployed       the weights as stored
     * @param batchRows      rows of each per-token activation buffer: the most rows (sequences times padded
     *                       length) of any batch the encoder runs
     * @param batchSequences rows of the sentence-embedding buffer: the most sequences of any batch
     */
    public EncoderLayout(DeployedEncoder deployed, int batchRows, int batchSequences) {
        if (batchSequences < 1 || batchRows < batchSequences) {
            throw new IllegalArgumentException("batches of " + batchRows + " rows and " + batchSequences
                    + " sequences: expected 1 <= sequences <= rows");
        }
        this.model = deployed.model();
        this.config = model.config();
        this.batchRows = batchRows;
        this.batchSequences = batchSequences;
        for (StoredWeight w : deployed.stored().values()) {
            weightIds.put(w.name(), tensors.size());
            tensors.add(w.tensorInfo(tensors.size()));
            weights.put(w.name(), w);
        }
        for (String[] b : BUFFERS) {
            int width = b[0].equals("act.ffn") ? config.intermediate() : config.hidden();
            long rowBytes = (long) width * CaptureLayout.ACTIVATION_BYTES;
            int id = add(b[0], batchRows, width, ElementType.FP16, rowBytes);
            for (int i = 1; i < b.length; i++) {
                buffers.put(b[i], new CaptureLayout.Buffer(id, width, rowBytes, true));
            }
        }
        long rowBytes = (long) config.hidden() * Float.BYTES;
        int id = add(EMBEDDINGS_TENSOR, batchSequences, config.hidden(), ElementType.FP32, rowBytes);
        buffers.put(EMBEDDINGS, new CaptureLayout.Buffer(id, config.hidden(), rowBytes, false));
    }

    private int add(String name, int rows, int width, ElementType type, long rowBytes) {
        int id = tensors.size();
        long bytes = rows * rowBytes;
        tensors.add(new TensorInfo(id, name, TensorRole.ACTIVATION, AccessListener.NO_LAYER,
                rows == 1 ? List.of((long) width) : List.of((long) rows, (long) width), type, bytes, bytes, 0));
        return id;
    }

    public List<TensorInfo> tensors() {
        return List.copyOf(tensors);
    }

    public BertConfig config() {
        return config;
    }

    /** Rows of the per-token activation buffers. */
    public int batchRows() {
        return batchRows;
    }

    /** Rows of the sentence-embedding buffer. */
    public int batchSequences() {
        return batchSequences;
    }

    /** The table id of weight {@code name}. */
    public int weightId(String name) {
        Integer id = weightIds.get(name);
        if (id == null) {
            throw new IllegalStateException("the encoder read weight '" + name + "', which the tensor table lacks");
        }
        return id;
    }

    /** The stored form of weight {@code name}. */
    public StoredWeight weight(String name) {
        weightId(name);
        return weights.get(name);
    }

    /** Which of the three embedding tables {@code name} is, or null for any other weight. */
    EmbeddingTable embeddingTable(String name) {
        if (name.equals(model.wordEmbedding().name())) {
            return EmbeddingTable.WORD;
        }
        if (name.equals(model.tokenTypeEmbedding().name())) {
            return EmbeddingTable.TOKEN_TYPE;
        }
        if (name.equals(model.positionEmbedding().name())) {
            return EmbeddingTable.POSITION;
        }
        return null;
    }

    /** The lookup tables of a BERT encoder, by what indexes them. */
    enum EmbeddingTable { WORD, TOKEN_TYPE, POSITION }

    /** The buffer holding the encoder's activation {@code name}. */
    CaptureLayout.Buffer buffer(String name) {
        CaptureLayout.Buffer b = buffers.get(name);
        if (b == null) {
            throw new IllegalStateException("the encoder reported activation '" + name
                    + "', which no activation buffer holds");
        }
        return b;
    }
}
