package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Llama-family decoder's weights by role, taken from a model file under whichever naming scheme it uses (Meta's,
 * llama.cpp's GGUF names or Hugging Face's: {@link LlamaTensorNames}) and checked, one by one, against the shapes
 * the configuration calls for. Projections are [out][in] row-major in every format (GGUF lists dimensions
 * innermost first; its loader turns them round). For a model whose weights are not here, the same tensors can be
 * known by shape alone ({@link #shapeOnly}).
 *
 * @param config         the hyper-parameters the shapes were checked against
 * @param tokenEmbedding [vocab][dim]: one row per token
 * @param layers         the decoder layers, first to last
 * @param finalNorm      [dim]: the RMSNorm gain before the classifier
 * @param classifier     [vocab][dim]: the output matrix, or the embedding table itself when it is shared
 * @param sourceName     the model file's name, for messages
 */
public record LlamaModel(LlamaConfig config, Weight tokenEmbedding, List<LayerWeights> layers, Weight finalNorm,
                         Weight classifier, String sourceName) {

    /**
     * One decoder layer's weights. Each projection is either separate or fused, as the configuration says: the
     * separate ones are null when fused, the fused one null when separate; biases are null without
     * {@link LlamaConfig#attentionBias()}.
     *
     * @param attentionNorm [dim] RMSNorm gain before attention
     * @param wq            [dim][dim] query projection
     * @param wk            [kvDim][dim] key projection
     * @param wv            [kvDim][dim] value projection
     * @param wo            [dim][dim] attention output projection
     * @param ffnNorm       [dim] RMSNorm gain before the feed-forward
     * @param w1            [hidden][dim] gate projection (through SiLU)
     * @param w2            [dim][hidden] down projection
     * @param w3            [hidden][dim] up projection
     * @param wqkv          [dim + 2 kvDim][dim] fused q|k|v projection (Phi-3)
     * @param bq            [dim] query bias (Qwen2)
     * @param bk            [kvDim] key bias
     * @param bv            [kvDim] value bias
     * @param bqkv          [dim + 2 kvDim] bias of the fused projection
     * @param w13           [2 hidden][dim] fused gate|up projection (Phi-3)
     */
    public record LayerWeights(Weight attentionNorm, Weight wq, Weight wk, Weight wv, Weight wo, Weight ffnNorm,
                               Weight w1, Weight w2, Weight w3, Weight wqkv, Weight bq, Weight bk, Weight bv,
                               Weight bqkv, Weight w13) {
        /** A plain Llama layer: separate projections, no biases. */
        public LayerWeights(Weight attentionNorm, Weight wq, Weight wk, Weight wv, Weight wo, Weight ffnNorm,
                            Weight w1, Weight w2, Weight w3) {
            this(attentionNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, null, null, null, null, null, null);
        }

        /** Every tensor of the layer, in the order the forward pass reads them. */
        public List<Weight> inReadOrder() {
            List<Weight> all = new ArrayList<>();
            all.add(attentionNorm);
            for (Weight w : wqkv != null ? new Weight[]{wqkv, bqkv} : new Weight[]{wq, bq, wk, bk, wv, bv}) {
                if (w != null) {
                    all.add(w);
                }
            }
            all.add(wo);
            all.add(ffnNorm);
            all.addAll(w13 != null ? List.of(w13) : List.of(w1, w3));
            all.add(w2);
            return all;
        }
    }

    public LlamaModel {
        layers = List.copyOf(layers);
    }

    /** The model in {@code file}, configured by what the file's format carries ({@link LlamaConfig#of}). */
    public static LlamaModel of(ModelFile file) {
        return of(file, LlamaConfig.of(file));
    }

    /** The model in {@code file} under {@code config}; every tensor must be there with the shape the config gives. */
    public static LlamaModel of(ModelFile file, LlamaConfig config) {
        return build(config, file.name(), LlamaTensorNames.of(file),
                (name, role, layer, shape) -> take(file, name, role, layer, shape));
    }

    /**
     * The model {@code config} describes, its weights known by shape alone (no values, Meta's names): what a
     * shape-only engine run needs, for models whose weights are not here. {@code sourceName} names the
     * configuration in messages.
     */
    public static LlamaModel shapeOnly(LlamaConfig config, String sourceName) {
        return build(config, sourceName, LlamaTensorNames.META, Weight::shapeOnly);
    }

    /** Where {@link #build} gets each tensor: from a model file, or by shape alone. */
    private interface TensorSource {
        Weight take(String name, TensorRole role, int layer, long... shape);
    }

    private static LlamaModel build(LlamaConfig config, String sourceName, LlamaTensorNames n,
                                    TensorSource tensors) {
        int dim = config.dim();
        int kv = config.kvDim();
        int hidden = config.hiddenDim();
        Weight embedding = tensors.take(n.embedding, TensorRole.EMBEDDING, AccessListener.NO_LAYER,
                config.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            boolean bias = config.attentionBias();
            Weight attnNorm = tensors.take(n.attentionNorm(l), TensorRole.NORM, l, dim);
            Weight wq = null;
            Weight wk = null;
            Weight wv = null;
            Weight wqkv = null;
            Weight bq = null;
            Weight bk = null;
            Weight bv = null;
            Weight bqkv = null;
            if (config.fusedQkv()) {
                wqkv = tensors.take(n.qkv(l, ".weight"), TensorRole.ATTN_QKV, l, dim + 2L * kv, dim);
                bqkv = bias ? tensors.take(n.qkv(l, ".bias"), TensorRole.ATTN_QKV, l, dim + 2L * kv) : null;
            } else {
                wq = tensors.take(n.q(l, ".weight"), TensorRole.ATTN_Q, l, dim, dim);
                wk = tensors.take(n.k(l, ".weight"), TensorRole.ATTN_K, l, kv, dim);
                wv = tensors.take(n.v(l, ".weight"), TensorRole.ATTN_V, l, kv, dim);
                if (bias) {
                    bq = tensors.take(n.q(l, ".bias"), TensorRole.ATTN_Q, l, dim);
                    bk = tensors.take(n.k(l, ".bias"), TensorRole.ATTN_K, l, kv);
                    bv = tensors.take(n.v(l, ".bias"), TensorRole.ATTN_V, l, kv);
                }
            }
            Weight wo = tensors.take(n.o(l), TensorRole.ATTN_O, l, dim, dim);
            Weight ffnNorm = tensors.take(n.ffnNorm(l), TensorRole.NORM, l, dim);
            Weight w13 = config.fusedGateUp()
                    ? tensors.take(n.gateUp(l), TensorRole.MLP_GATE_UP, l, 2L * hidden, dim) : null;
            Weight w1 = w13 == null ? tensors.take(n.gate(l), TensorRole.MLP_GATE, l, hidden, dim) : null;
            Weight w3 = w13 == null ? tensors.take(n.up(l), TensorRole.MLP_UP, l, hidden, dim) : null;
            Weight w2 = tensors.take(n.down(l), TensorRole.MLP_DOWN, l, dim, hidden);
            layers.add(new LayerWeights(attnNorm, wq, wk, wv, wo, ffnNorm, w1, w2, w3, wqkv, bq, bk, bv, bqkv, w13));
        }
        Weight norm = tensors.take(n.finalNorm, TensorRole.NORM, AccessListener.NO_LAYER, dim);
        Weight classifier = config.sharedClassifier() ? embedding.as(TensorRole.LM_HEAD)
                : tensors.take(n.classifier, TensorRole.LM_HEAD, AccessListener.NO_LAYER, config.vocabSize(), dim);
        return new LlamaModel(config, embedding, layers, norm, classifier, sourceName);
    }

    /** False when the weights are known by shape alone: the model can be run shape-only, not computed with. */
    public boolean hasValues() {
        return tokenEmbedding.hasValues();
    }

    /**
     * Weight elements stored: every distinct tensor once (a shared classifier is the embedding table, counted
     * once).
     */
    public long parameters() {
        long n = tokenEmbedding.elements() + finalNorm.elements();
        for (LayerWeights l : layers) {
            for (Weight w : l.inReadOrder()) {
                n += w.elements();
            }
        }
        return config.sharedClassifier() ? n : n + classifier.elements();
    }

    private static Weight take(ModelFile file, String name, TensorRole role, int layer, long... shape) {
        TensorData t = file.tensor(name);
        if (t == null) {
            throw new BadInputException(file.name() + ": no tensor '" + name + "'; expected it with shape "
                    + Arrays.toString(shape) + " in a Llama-family model");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new BadInputException(file.name() + ": tensor '" + name + "': expected shape "
                    + Arrays.toString(shape) + " from the model's configuration, found " + Arrays.toString(t.shape()));
        }
        int rows = shape.length == 1 ? 1 : (int) shape[0];
        return new Weight(name, role, layer, rows, (int) shape[shape.length - 1], t.values());
    }
}
