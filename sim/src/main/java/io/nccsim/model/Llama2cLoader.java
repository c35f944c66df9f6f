package io.nccsim.model;

import io.nccsim.common.BadInputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * llama2.c's legacy (version 0) checkpoint: a header of 7 little-endian int32 (dim, hidden_dim, n_layers, n_heads,
 * n_kv_heads, vocab_size, seq_len; a negative vocab_size means the classifier is a separate tensor at the end), then
 * fp32 tensors in a fixed order: token embedding, then per kind every layer's copy (rms_att, wq, wk, wv, wo, rms_ffn,
 * w1, w2, w3), rms_final, two legacy RoPE tables [seq_len][head_size/2] that are skipped, and the classifier if it is
 * not shared. The format has no magic, so it is recognised by the {@code .bin} name and a header whose sizes add up
 * to the file's length exactly.
 *
 * <p>Tensors are named as Meta's Llama checkpoints name them ({@code tok_embeddings.weight},
 * {@code layers.3.attention.wq.weight}, {@code layers.3.feed_forward.w1.weight}, {@code norm.weight},
 * {@code output.weight}), one tensor per layer.
 */
public final class Llama2cLoader implements ModelLoader {
    private static final int HEADER_BYTES = 7 * 4;

    /** The checkpoint's hyper-parameters. */
    public record Header(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen,
                         boolean sharedClassifier) {
        public int headSize() {
            return dim / heads;
        }

        public int kvDim() {
            return dim * kvHeads / heads;
        }

        /** Bytes the whole file must have. */
        long fileBytes() {
            long layerFloats = 2L * dim + (long) dim * dim * 2 + 2L * kvDim() * dim + 3L * hiddenDim * dim;
            long floats = (long) vocabSize * dim + layers * layerFloats + dim + (long) seqLen * headSize();
            if (!sharedClassifier) {
                floats += (long) vocabSize * dim;
            }
            return HEADER_BYTES + 4 * floats;
        }
    }

    @Override
    public String format() {
        return "llama2c";
    }

    @Override
    public boolean recognizes(String fileName, byte[] head) {
        if (!fileName.endsWith(".bin") || head.length < HEADER_BYTES) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 7; i++) {
            if (i != 5 && b.getInt(4 * i) <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads and checks the header of {@code data}, whose name is {@code name}. */
    public static Header header(String name, ByteBuffer data) {
        if (data.limit() < HEADER_BYTES) {
            throw new BadInputException(name + ": " + data.limit() + " bytes is too short for a llama2.c checkpoint "
                    + "(its header alone is 28 bytes)");
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dim = b.getInt(0);
        int hidden = b.getInt(4);
        int layers = b.getInt(8);
        int heads = b.getInt(12);
        int kvHeads = b.getInt(16);
        int vocab = b.getInt(20);
        int seqLen = b.getInt(24);
        String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
        int[] values = {dim, hidden, layers, heads, kvHeads, Math.abs(vocab), seqLen};
        for (int i = 0; i < values.length; i++) {
            if (values[i] <= 0 || values[i] > (1 << 24)) {
                throw new BadInputException(name + ": byte " + 4 * i + ": header field " + names[i] + " = " + values[i]
                        + " is out of range; is this a llama2.c version-0 checkpoint?");
            }
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            throw new BadInputException(name + ": header: dim " + dim + ", n_heads " + heads + " and n_kv_heads "
                    + kvHeads + " do not make whole, even-sized heads");
        }
        Header h = new Header(dim, hidden, layers, heads, kvHeads, Math.abs(vocab), seqLen, vocab > 0);
        if (h.fileBytes() != data.limit()) {
            throw new BadInputException(name + ": the header (dim " + dim + ", hidden_dim " + hidden + ", n_layers "
                    + layers + ", vocab " + vocab + ", seq_len " + seqLen + ") needs a file of " + h.fileBytes()
                    + " bytes, but it has " + data.limit() + "; the file is truncated or not a llama2.c checkpoint");
        }
        return h;
    }

    @Override
    public ModelFile load(String name, ByteBuffer data, String sha256) {
        Header h = header(name, data);
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        b.position(HEADER_BYTES);
        List<TensorData> out = new ArrayList<>();
        out.add(read(b, "tok_embeddings.weight", h.vocabSize(), h.dim()));
        String[] kinds = {"attention_norm", "attention.wq", "attention.wk", "attention.wv", "attention.wo",
                "ffn_norm", "feed_forward.w1", "feed_forward.w2", "feed_forward.w3"};
        long[][] shapes = {{h.dim()}, {h.dim(), h.dim()}, {h.kvDim(), h.dim()}, {h.kvDim(), h.dim()},
                {h.dim(), h.dim()}, {h.dim()}, {h.hiddenDim(), h.dim()}, {h.dim(), h.hiddenDim()},
                {h.hiddenDim(), h.dim()}};
        List<List<TensorData>> perLayer = new ArrayList<>();
        for (int l = 0; l < h.layers(); l++) {
            perLayer.add(new ArrayList<>());
        }
        for (int k = 0; k < kinds.length; k++) {
            for (int l = 0; l < h.layers(); l++) {
                perLayer.get(l).add(read(b, "layers." + l + "." + kinds[k] + ".weight", shapes[k]));
            }
        }
        perLayer.forEach(out::addAll); // layer by layer, as a reader of the model expects them
        out.add(read(b, "norm.weight", h.dim()));
        b.position(b.position() + 4 * h.seqLen() * h.headSize()); // legacy freq_cis_real and _imag: unused
        if (!h.sharedClassifier()) {
            out.add(read(b, "output.weight", h.vocabSize(), h.dim()));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dim", h.dim());
        meta.put("hidden_dim", h.hiddenDim());
        meta.put("n_layers", h.layers());
        meta.put("n_heads", h.heads());
        meta.put("n_kv_heads", h.kvHeads());
        meta.put("vocab_size", h.vocabSize());
        meta.put("seq_len", h.seqLen());
        meta.put("shared_classifier", h.sharedClassifier());
        return new ModelFile(name, format(), sha256, meta, out);
    }

    private static TensorData read(ByteBuffer b, String name, long... shape) {
        float[] v = new float[(int) TensorData.elementsOf(shape)];
        b.asFloatBuffer().get(v);
        b.position(b.position() + 4 * v.length);
        return new TensorData(name, StorageType.F32, shape, v, null);
    }
}
