package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxDynamicQuantization;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.model.TensorData;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A BERT encoder's weights by role, taken from a model file whose tensors carry Hugging Face's BERT names
 * ({@code embeddings.word_embeddings.weight}, {@code encoder.layer.L.attention.self.query.weight}, ...,
 * optionally under a {@code bert.} prefix), each checked against the shape the configuration calls for.
 *
 * <p>Every matrix is held input-major, {@code [in][out]}, as an ONNX MatMul stores it, so that a projection is
 * {@code out = in · W + b}. An ONNX export is read as it is, after {@link OnnxWeightNames} has named its
 * {@code onnx::MatMul_N} weights from the graph; any other format stores PyTorch's {@code [out][in]}, which is
 * transposed once here.
 *
 * @param config             the hyper-parameters the shapes were checked against
 * @param wordEmbedding      [vocab][hidden]
 * @param positionEmbedding  [maxPositions][hidden]
 * @param tokenTypeEmbedding [typeVocab][hidden]
 * @param embeddingNorm      the LayerNorm after the three embeddings are summed
 * @param layers             the encoder layers, first to last
 * @param sourceName         the model file's name, for messages
 */
public record BertModel(BertConfig config, Weight wordEmbedding, Weight positionEmbedding, Weight tokenTypeEmbedding,
                        Norm embeddingNorm, List<Layer> layers, String sourceName) {

    public BertModel {
        layers = List.copyOf(layers);
    }

    /**
     * A projection: {@code out = in · weight + bias}, weight [in][out], bias one row of out.
     *
     * @param weight the weight's values (for a dynamically quantized file, dequantized as its graph's scales say)
     * @param bias   the bias
     * @param int8   for a dynamically quantized file, the projection as its graph computes it, in integers; null
     *               for a float one
     */
    public record Linear(Weight weight, Weight bias, DynamicInt8Linear int8) {
        /** A float projection. */
        public Linear(Weight weight, Weight bias) {
            this(weight, bias, null);
        }

        public int in() {
            return weight.rows();
        }

        public int out() {
            return weight.cols();
        }
    }

    /** A LayerNorm's gain and bias, one row of hidden each. */
    public record Norm(Weight gain, Weight bias) {
    }

    /**
     * One encoder layer: self-attention (query, key, value, output projection), add and LayerNorm, the feed-forward
     * pair (intermediate, output) with GELU between, add and LayerNorm.
     */
    public record Layer(Linear query, Linear key, Linear value, Linear attentionOutput, Norm attentionNorm,
                        Linear intermediate, Linear output, Norm outputNorm) {
    }

    /**
     * The encoder in {@code file}. Every size comes from the weights' shapes except the number of attention heads,
     * which they cannot show (any split of the hidden width into equal heads fits the same matrices): it is the
     * model's {@code num_attention_heads}, 12 for all-MiniLM-L6-v2. LayerNorm's epsilon is BERT's 1e-12.
     */
    public static BertModel of(ModelFile file, int heads) {
        boolean onnx = file.format().equals("onnx");
        // A dynamically quantized export is read through its graph: fp32 names and dequantized values, and the
        // integer form of each projection, which the encoder then computes with as onnxruntime does.
        OnnxDynamicQuantization.Result int8 = onnx && OnnxDynamicQuantization.isQuantized(file)
                ? OnnxDynamicQuantization.read(file) : null;
        ModelFile f = onnx ? OnnxWeightNames.resolve(int8 != null ? int8.file() : file) : file;
        String p = f.tensor("embeddings.word_embeddings.weight") == null
                && f.tensor("bert.embeddings.word_embeddings.weight") != null ? "bert." : "";
        TensorData word = f.tensor(p + "embeddings.word_embeddings.weight");
        if (word == null || word.shape().length != 2) {
            throw new BadInputException(f.name() + ": " + (word == null ? "no tensor '" + p
                    + "embeddings.word_embeddings.weight'" : "tensor '" + word.name() + "' has shape "
                    + Arrays.toString(word.shape())) + "; expected a [vocab, hidden] word-embedding table, as every "
                    + "BERT encoder has");
        }
        int vocab = word.rows();
        int hidden = word.cols();
        int positions = rowsOf(f, p + "embeddings.position_embeddings.weight", hidden);
        int types = rowsOf(f, p + "embeddings.token_type_embeddings.weight", hidden);
        int layerCount = 0;
        while (f.tensor(p + "encoder.layer." + layerCount + ".attention.self.query.bias") != null) {
            layerCount++;
        }
        if (layerCount == 0) {
            throw new BadInputException(f.name() + ": no tensor '" + p + "encoder.layer.0.attention.self.query.bias'; "
                    + "expected encoder layers numbered from 0");
        }
        TensorData up = f.tensor(p + "encoder.layer.0.intermediate.dense.bias");
        if (up == null || up.shape().length != 1) {
            throw new BadInputException(f.name() + ": " + (up == null ? "no tensor '" + p
                    + "encoder.layer.0.intermediate.dense.bias'" : "tensor '" + up.name() + "' has shape "
                    + Arrays.toString(up.shape())) + "; expected the feed-forward bias, one row");
        }
        BertConfig config;
        try {
            config = new BertConfig(hidden, heads, layerCount, (int) up.elements(), vocab, positions, types,
                    BertConfig.BERT_NORM_EPS);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(f.name() + ": " + e.getMessage(), e);
        }
        Loader l = new Loader(f, p, !onnx, int8 == null ? Map.of() : int8.projections());
        int ffn = config.intermediate();
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            String n = "encoder.layer." + i + ".";
            layers.add(new Layer(
                    l.linear(n + "attention.self.query", TensorRole.ATTN_Q, i, hidden, hidden),
                    l.linear(n + "attention.self.key", TensorRole.ATTN_K, i, hidden, hidden),
                    l.linear(n + "attention.self.value", TensorRole.ATTN_V, i, hidden, hidden),
                    l.linear(n + "attention.output.dense", TensorRole.ATTN_O, i, hidden, hidden),
                    l.norm(n + "attention.output.LayerNorm", i, hidden),
                    l.linear(n + "intermediate.dense", TensorRole.MLP_UP, i, hidden, ffn),
                    l.linear(n + "output.dense", TensorRole.MLP_DOWN, i, ffn, hidden),
                    l.norm(n + "output.LayerNorm", i, hidden)));
        }
        return new BertModel(config,
                l.table("embeddings.word_embeddings.weight", vocab, hidden),
                l.table("embeddings.position_embeddings.weight", positions, hidden),
                l.table("embeddings.token_type_embeddings.weight", types, hidden),
                l.norm("embeddings.LayerNorm", AccessListener.NO_LAYER, hidden), layers, f.name());
    }

    /**
     * Every weight tensor once, in the order the encoder first reads it: the word, token-type and position
     * embeddings, the embedding LayerNorm, then each layer's projections (weight, bias) and LayerNorms in pass order.
     */
    public List<Weight> weights() {
        List<Weight> all = new ArrayList<>(List.of(wordEmbedding, tokenTypeEmbedding, positionEmbedding,
                embeddingNorm.gain(), embeddingNorm.bias()));
        for (Layer l : layers) {
            for (Linear x : List.of(l.query, l.key, l.value, l.attentionOutput)) {
                all.add(x.weight());
                all.add(x.bias());
            }
            all.add(l.attentionNorm.gain());
            all.add(l.attentionNorm.bias());
            for (Linear x : List.of(l.intermediate, l.output)) {
                all.add(x.weight());
                all.add(x.bias());
            }
            all.add(l.outputNorm.gain());
            all.add(l.outputNorm.bias());
        }
        return all;
    }

    /** Weight elements stored, every tensor once. */
    public long parameters() {
        long n = 0;
        for (Weight w : weights()) {
            n += w.elements();
        }
        return n;
    }

    /**
     * The same encoder with every weight replaced by what {@code f} makes of it (same name, role and shape), e.g.
     * the weights as a deployment stores them. The projections are float ones: the new values are what the
     * encoder computes with, so a dynamically quantized file's integer form is left behind.
     */
    BertModel withWeights(UnaryOperator<Weight> f) {
        UnaryOperator<Weight> checked = w -> {
            Weight r = f.apply(w);
            if (!r.name().equals(w.name()) || r.role() != w.role() || r.rows() != w.rows() || r.cols() != w.cols()) {
                throw new IllegalArgumentException("weight " + w + " replaced by " + r + "; expected the same tensor");
            }
            return r;
        };
        List<Layer> mapped = new ArrayList<>();
        for (Layer l : layers) {
            mapped.add(new Layer(map(l.query, checked), map(l.key, checked), map(l.value, checked),
                    map(l.attentionOutput, checked), map(l.attentionNorm, checked), map(l.intermediate, checked),
                    map(l.output, checked), map(l.outputNorm, checked)));
        }
        return new BertModel(config, checked.apply(wordEmbedding), checked.apply(positionEmbedding),
                checked.apply(tokenTypeEmbedding), map(embeddingNorm, checked), mapped, sourceName);
    }

    private static Linear map(Linear x, UnaryOperator<Weight> f) {
        return new Linear(f.apply(x.weight()), f.apply(x.bias()));
    }

    private static Norm map(Norm x, UnaryOperator<Weight> f) {
        return new Norm(f.apply(x.gain()), f.apply(x.bias()));
    }

    /**
     * True when {@code file} holds a BERT encoder, as {@link #of} reads one: a word-embedding table under BERT's
     * name (an ONNX export's or a PyTorch checkpoint's, optionally under {@code bert.}; with {@code _quantized}
     * after it in a dynamically quantized export). Decoders have none.
     */
    public static boolean isEncoder(ModelFile file) {
        for (String prefix : new String[]{"", "bert."}) {
            for (String suffix : new String[]{"", "_quantized"}) {
                if (file.tensor(prefix + "embeddings.word_embeddings.weight" + suffix) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int rowsOf(ModelFile f, String name, int hidden) {
        TensorData t = f.tensor(name);
        if (t == null || t.shape().length != 2 || t.cols() != hidden) {
            throw new BadInputException(f.name() + ": " + (t == null ? "no tensor '" + name + "'"
                    : "tensor '" + name + "' has shape " + Arrays.toString(t.shape())) + "; expected [rows, "
                    + hidden + "] (the word embeddings' width)");
        }
        return t.rows();
    }

    /** Takes tensors by name, checks their shapes and turns PyTorch's [out][in] matrices input-major. */
    private record Loader(ModelFile file, String prefix, boolean outputMajor,
                          Map<String, OnnxDynamicQuantization.Projection> int8) {
        Linear linear(String stem, TensorRole role, int layer, int in, int out) {
            Weight w;
            if (outputMajor) {
                TensorData t = take(stem + ".weight", out, in);
                w = new Weight(t.name(), role, layer, in, out, transpose(t.values(), out, in));
            } else {
                TensorData t = take(stem + ".weight", in, out);
                w = new Weight(t.name(), role, layer, in, out, t.values());
            }
            TensorData b = take(stem + ".bias", out);
            OnnxDynamicQuantization.Projection q = int8.get(prefix + stem + ".weight");
            return new Linear(w, new Weight(b.name(), role, layer, 1, out, b.values()),
                    q == null ? null : new DynamicInt8Linear(q));
        }

        Norm norm(String stem, int layer, int width) {
            TensorData g = take(stem + ".weight", width);
            TensorData b = take(stem + ".bias", width);
            return new Norm(new Weight(g.name(), TensorRole.NORM, layer, 1, width, g.values()),
                    new Weight(b.name(), TensorRole.NORM, layer, 1, width, b.values()));
        }

        Weight table(String name, int rows, int cols) {
            TensorData t = take(name, rows, cols);
            return new Weight(t.name(), TensorRole.EMBEDDING, AccessListener.NO_LAYER, rows, cols, t.values());
        }

        private TensorData take(String name, long... shape) {
            TensorData t = file.tensor(prefix + name);
            if (t == null) {
                throw new BadInputException(file.name() + ": no tensor '" + prefix + name + "'; expected it with shape "
                        + Arrays.toString(shape) + " in a BERT encoder");
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new BadInputException(file.name() + ": tensor '" + t.name() + "': expected shape "
                        + Arrays.toString(shape) + " from the encoder's sizes, found " + Arrays.toString(t.shape()));
            }
            return t;
        }

        private static float[] transpose(float[] m, int rows, int cols) {
            float[] t = new float[m.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = m[r * cols + c];
                }
            }
            return t;
        }
    }
}
