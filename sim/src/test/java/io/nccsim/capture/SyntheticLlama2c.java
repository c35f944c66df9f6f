package io.nccsim.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes small llama2.c version-0 checkpoints for tests, every element given by a rule over the tensor's Meta name
 * and the element's row and column, laid out in llama2.c's order (embedding; per kind, every layer's copy; final
 * norm; the two legacy RoPE tables; the separate classifier last).
 */
final class SyntheticLlama2c {
    /** The value of element (row, col) of the tensor called {@code name} (a vector has row 0). */
    interface Rule {
        float value(String name, int row, int col);
    }

    private SyntheticLlama2c() {
    }

    /** Seeded uniform weights in [-0.5, 0.5), with norm gains in [0.5, 1.5). */
    static Rule random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return (name, row, col) -> (float) (name.contains("norm") ? 0.5 + r.nextDouble() : r.nextDouble() - 0.5);
    }

    static Path write(Path file, LlamaConfig c, Rule rule) throws IOException {
        int dim = c.dim();
        int kv = c.kvDim();
        int hidden = c.hiddenDim();
        long floats = (long) c.vocabSize() * dim * (c.sharedClassifier() ? 1 : 2) + dim
                + c.layers() * (2L * dim + 2L * dim * dim + 2L * kv * dim + 3L * hidden * dim)
                + (long) c.seqLen() * c.headSize();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(28 + 4 * floats)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(dim).putInt(hidden).putInt(c.layers()).putInt(c.heads()).putInt(c.kvHeads())
                .putInt(c.sharedClassifier() ? c.vocabSize() : -c.vocabSize()).putInt(c.seqLen());
        put(b, rule, "tok_embeddings.weight", c.vocabSize(), dim);
        String[] kinds = {"attention_norm", "attention.wq", "attention.wk", "attention.wv", "attention.wo",
                "ffn_norm", "feed_forward.w1", "feed_forward.w2", "feed_forward.w3"};
        int[][] shapes = {{1, dim}, {dim, dim}, {kv, dim}, {kv, dim}, {dim, dim}, {1, dim}, {hidden, dim},
                {dim, hidden}, {hidden, dim}};
        for (int k = 0; k < kinds.length; k++) {
            for (int l = 0; l < c.layers(); l++) {
                put(b, rule, "layers." + l + "." + kinds[k] + ".weight", shapes[k][0], shapes[k][1]);
            }
        }
        put(b, rule, "norm.weight", 1, dim);
        b.position(b.position() + 4 * c.seqLen() * c.headSize()); // legacy RoPE tables, unused: zeros
        if (!c.sharedClassifier()) {
            put(b, rule, "output.weight", c.vocabSize(), dim);
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException("layout left " + b.remaining() + " bytes unwritten");
        }
        return Files.write(file, b.array());
    }

    private static void put(ByteBuffer b, Rule rule, String name, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                b.putFloat(rule.value(name, r, col));
            }
        }
    }
}
