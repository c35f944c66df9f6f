package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Llama-family decoder's weights by role, taken from a model file whose tensors carry Meta's names
 * ({@code tok_embeddings.weight}, {@code layers.L.attention.wq.weight}, ..., {@code norm.weight},
 * {@code output.weight}) and checked, one by one, against the shapes the configuration calls for; or, for a model
 * whose weights are not here, the same tensors known by shape alone ({@link #shapeOnly}).
 *
 * @param config         the hyper-parameters the shapes were checked against
 * @param tokenEmbedding [vocab][dim]: one row per token
 * @param layers         the decoder layers, first to last
 * @param finalNorm      [dim]: the RMSNorm gain before the classifier
 * @param classifier     [vocab][dim]: {@code output.weight}, or the embedding table itself when it is shared
 * @param sourceName     the model file's name, for messages
 */
public record LlamaModel(LlamaConfig config, Weight tokenEmbedding, List<LayerWeights> layers, Weight finalNorm,
                         Weight classifier, String sourceName) {

    /**
     * One decoder layer's weights.
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
     */
    public record LayerWeights(Weight attentionNorm, Weight wq, Weight wk, Weight wv, Weight wo, Weight ffnNorm,
                               Weight w1, Weight w2, Weight w3) {
    }

    public LlamaModel {
        layers = List.copyOf(layers);
    }

    /** The model in {@code file}, configured by the file's own metadata. */
    public static LlamaModel of(ModelFile file) {
        return of(file, LlamaConfig.of(file));
    }

    /** The model in {@code file} under {@code config}; every tensor must be there with the shape the config gives. */
    public static LlamaModel of(ModelFile file, LlamaConfig config) {
        return build(config, file.name(), (name, role, layer, shape) -> take(file, name, role, layer, shape));
    }

    /**
     * The model {@code config} describes, its weights known by shape alone (no values): what a shape-only engine
     * run needs, for models whose weights are not here. {@code sourceName} names the configuration in messages.
     */
    public static LlamaModel shapeOnly(LlamaConfig config, String sourceName) {
        return build(config, sourceName, Weight::shapeOnly);
    }

    /** Where {@link #build} gets each tensor: from a model file, or by shape alone. */
    private interface TensorSource {
        Weight take(String name, TensorRole role, int layer, long... shape);
    }

    private static LlamaModel build(LlamaConfig config, String sourceName, TensorSource tensors) {
        String unsupported = config.attentionBias() ? "attention biases (Qwen2)"
                : config.fusedQkv() ? "a fused qkv projection (Phi-3)"
                : config.fusedGateUp() ? "a fused gate/up projection (Phi-3)" : null;
        if (unsupported != null) {
            throw new BadInputException(sourceName + ": the model uses " + unsupported
                    + ", which the inference engine does not run yet; expected a plain Llama layout");
        }
        int dim = config.dim();
        int kv = config.kvDim();
        int hidden = config.hiddenDim();
        Weight embedding = tensors.take("tok_embeddings.weight", TensorRole.EMBEDDING, AccessListener.NO_LAYER,
                config.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            String p = "layers." + l + ".";
            layers.add(new LayerWeights(
                    tensors.take(p + "attention_norm.weight", TensorRole.NORM, l, dim),
                    tensors.take(p + "attention.wq.weight", TensorRole.ATTN_Q, l, dim, dim),
                    tensors.take(p + "attention.wk.weight", TensorRole.ATTN_K, l, kv, dim),
                    tensors.take(p + "attention.wv.weight", TensorRole.ATTN_V, l, kv, dim),
                    tensors.take(p + "attention.wo.weight", TensorRole.ATTN_O, l, dim, dim),
                    tensors.take(p + "ffn_norm.weight", TensorRole.NORM, l, dim),
                    tensors.take(p + "feed_forward.w1.weight", TensorRole.MLP_GATE, l, hidden, dim),
                    tensors.take(p + "feed_forward.w2.weight", TensorRole.MLP_DOWN, l, dim, hidden),
                    tensors.take(p + "feed_forward.w3.weight", TensorRole.MLP_UP, l, hidden, dim)));
        }
        Weight norm = tensors.take("norm.weight", TensorRole.NORM, AccessListener.NO_LAYER, dim);
        Weight classifier = config.sharedClassifier() ? embedding.as(TensorRole.LM_HEAD)
                : tensors.take("output.weight", TensorRole.LM_HEAD, AccessListener.NO_LAYER, config.vocabSize(), dim);
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
            for (Weight w : List.of(l.attentionNorm, l.wq, l.wk, l.wv, l.wo, l.ffnNorm, l.w1, l.w2, l.w3)) {
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
