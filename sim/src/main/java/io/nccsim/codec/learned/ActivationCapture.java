package io.nccsim.codec.learned;

import io.nccsim.capture.AccessListener;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.capture.LlamaEngine;
import io.nccsim.capture.LlamaModel;
import io.nccsim.capture.WritePathStudy;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.TensorRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real activations and KV-cache vectors of a llama2.c-style decoder (stories260K), recorded as fp32 while the
 * engine runs a text teacher-forced, as {@link WritePathStudy} records them (but before its int8 rounding: a block
 * codec is given the floats), and the per-input-channel activation statistics of every weight matrix.
 *
 * <p>What becomes a tensor: every activation vector the engine writes (the logits excepted: the classifier's
 * output is consumed by the sampler, as in WritePathStudy), grouped by activation name and layer into a matrix with
 * one row per vector written ({@code activation.q} of layer 2 holds the query vectors of every position, before and
 * after RoPE, since both are written), and the key and value vectors appended to the KV cache
 * ({@code kv_cache.k}, {@code kv_cache.v}, one row per position).
 *
 * <p>Statistics: the engine reports an operation's activation reads before its weight read, so the vector read
 * last before a matrix is read is the matrix's input; its squares are averaged per channel over the run
 * ({@link ChannelWeights}). The embedding lookup (no input vector) gets none; a tied classifier (stories260K's
 * {@code tok_embeddings.weight} as the LM head) gets the final norm's output, which is its input.
 */
public final class ActivationCapture {
    /** The default text: WritePathStudy's calibration story (170 tokens with stories260K's tokenizer). */
    public static final String DEFAULT_TEXT = WritePathStudy.CALIBRATION_TEXT;

    /**
     * What a run recorded.
     *
     * @param tensors       activation and KV-cache matrices, in the order first written
     * @param channelWeights input-channel statistics of every weight matrix read
     * @param positions     tokens run
     */
    public record Captured(List<SourceTensor> tensors, ChannelWeights channelWeights, int positions) {
        public Captured {
            tensors = List.copyOf(tensors);
        }
    }

    private ActivationCapture() {
    }

    /** Loads a llama2.c checkpoint and its tokenizer and runs {@code text} (at most the model's context). */
    public static Captured run(Path checkpoint, Path tokenizer, String text) {
        ModelFile file = ModelLoaders.load(checkpoint);
        LlamaModel m = LlamaModel.of(file);
        return run(file, Llama2cTokenizer.load(tokenizer, m.config().vocabSize()), text);
    }

    /** Runs {@code text} through {@code file}'s model, one token a position, from position 0. */
    public static Captured run(ModelFile file, Llama2cTokenizer tokenizer, String text) {
        String model = TensorSources.modelLabel(file.name());
        LlamaModel m = LlamaModel.of(file);
        Recorder recorder = new Recorder();
        LlamaEngine engine = new LlamaEngine(m, KvPrecision.FP32, recorder);
        int[] tokens = tokenizer.encode(text, true, false);
        int positions = Math.min(tokens.length, m.config().seqLen());
        for (int pos = 0; pos < positions; pos++) {
            engine.forward(tokens[pos], pos);
        }
        List<SourceTensor> tensors = new ArrayList<>();
        recorder.rows.forEach((key, rows) -> tensors.add(key.toTensor(model, rows)));
        Map<String, double[]> meanSquares = new LinkedHashMap<>();
        recorder.sumSquares.forEach((name, sum) -> {
            long n = recorder.vectors.get(name);
            double[] mean = new double[sum.length];
            for (int i = 0; i < sum.length; i++) {
                mean[i] = sum[i] / n;
            }
            meanSquares.put(model + "/" + name, mean);
        });
        return new Captured(tensors, new ChannelWeights(meanSquares), positions);
    }

    /** Where a captured vector goes: its tensor name, role and layer. */
    private record Slot(String name, TensorRole role, int layer) {
        SourceTensor toTensor(String model, List<float[]> rows) {
            int cols = rows.get(0).length;
            float[] v = new float[rows.size() * cols];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, v, r * cols, cols);
            }
            return new SourceTensor(model, name, role, layer, rows.size(), cols, v);
        }
    }

    private static final class Recorder implements AccessListener {
        final Map<Slot, List<float[]>> rows = new LinkedHashMap<>();
        final Map<String, double[]> sumSquares = new LinkedHashMap<>();
        final Map<String, Long> vectors = new LinkedHashMap<>();
        private float[] lastRead;

        @Override
        public void onActivation(String name, int layer, float[] values, boolean write) {
            if (write) {
                if (!name.equals("logits")) {
                    rows.computeIfAbsent(new Slot("activation." + name, TensorRole.ACTIVATION, layer),
                            k -> new ArrayList<>()).add(values.clone());
                }
            } else {
                lastRead = values.clone();
            }
        }

        @Override
        public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
            if (role == TensorRole.NORM || role == TensorRole.EMBEDDING || lastRead == null) {
                return;
            }
            // The first weight read after an input read is the matrix; a bias read right after it finds no input.
            double[] sum = sumSquares.computeIfAbsent(tensorName, k -> new double[lastRead.length]);
            if (sum.length == lastRead.length) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += (double) lastRead[i] * lastRead[i];
                }
                vectors.merge(tensorName, 1L, Long::sum);
            }
            lastRead = null;
        }

        @Override
        public void onKvWrite(int layer, int pos, float[] k, float[] v) {
            rows.computeIfAbsent(new Slot("kv_cache.k", TensorRole.KV_CACHE, layer), x -> new ArrayList<>())
                    .add(Arrays.copyOf(k, k.length));
            rows.computeIfAbsent(new Slot("kv_cache.v", TensorRole.KV_CACHE, layer), x -> new ArrayList<>())
                    .add(Arrays.copyOf(v, v.length));
        }
    }
}
