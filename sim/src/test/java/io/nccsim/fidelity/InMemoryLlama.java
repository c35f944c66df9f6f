package io.nccsim.fidelity;

import io.nccsim.capture.LlamaConfig;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small Llama-family model files built in memory for tests: Meta tensor names, the llama2.c metadata
 * {@link LlamaConfig#of(ModelFile)} reads, and every element given by a rule over the tensor's name and position.
 */
final class InMemoryLlama {
    /** The value of element (row, col) of the tensor called {@code name} (a vector has row 0). */
    interface Rule {
        float value(String name, int row, int col);
    }

    private InMemoryLlama() {
    }

    /** Seeded Gaussian weights of standard deviation 0.3 (peaked, like trained weights), norm gains 1 +- 0.1. */
    static Rule gaussian(long seed) {
        Random r = new Random(seed);
        return (name, row, col) -> (float) (name.contains("norm") ? 1 + 0.1 * r.nextGaussian()
                : 0.3 * r.nextGaussian());
    }

    static LlamaConfig config(int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen,
                              boolean shared) {
        return new LlamaConfig(dim, hidden, layers, heads, kvHeads, vocab, seqLen, LlamaConfig.LLAMA2C_NORM_EPS,
                LlamaConfig.LLAMA2C_ROPE_THETA, shared, false, false, false);
    }

    static ModelFile model(LlamaConfig c, Rule rule) {
        int dim = c.dim();
        int kv = c.kvDim();
        int hidden = c.hiddenDim();
        List<TensorData> tensors = new ArrayList<>();
        tensors.add(tensor(rule, "tok_embeddings.weight", c.vocabSize(), dim));
        for (int l = 0; l < c.layers(); l++) {
            String p = "layers." + l + ".";
            tensors.add(tensor(rule, p + "attention_norm.weight", dim));
            tensors.add(tensor(rule, p + "attention.wq.weight", dim, dim));
            tensors.add(tensor(rule, p + "attention.wk.weight", kv, dim));
            tensors.add(tensor(rule, p + "attention.wv.weight", kv, dim));
            tensors.add(tensor(rule, p + "attention.wo.weight", dim, dim));
            tensors.add(tensor(rule, p + "ffn_norm.weight", dim));
            tensors.add(tensor(rule, p + "feed_forward.w1.weight", hidden, dim));
            tensors.add(tensor(rule, p + "feed_forward.w2.weight", dim, hidden));
            tensors.add(tensor(rule, p + "feed_forward.w3.weight", hidden, dim));
        }
        tensors.add(tensor(rule, "norm.weight", dim));
        if (!c.sharedClassifier()) {
            tensors.add(tensor(rule, "output.weight", c.vocabSize(), dim));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("dim", dim);
        meta.put("hidden_dim", hidden);
        meta.put("n_layers", c.layers());
        meta.put("n_heads", c.heads());
        meta.put("n_kv_heads", c.kvHeads());
        meta.put("vocab_size", c.vocabSize());
        meta.put("seq_len", c.seqLen());
        meta.put("shared_classifier", c.sharedClassifier());
        return new ModelFile("in-memory.bin", "llama2c", "0".repeat(64), meta, tensors);
    }

    private static TensorData tensor(Rule rule, String name, long... shape) {
        int rows = shape.length == 1 ? 1 : (int) shape[0];
        int cols = (int) shape[shape.length - 1];
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                v[r * cols + col] = rule.value(name, r, col);
            }
        }
        return new TensorData(name, StorageType.F32, shape, v, null);
    }
}
