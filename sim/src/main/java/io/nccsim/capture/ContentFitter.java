package io.nccsim.capture;

import io.nccsim.capture.ContentFits.Entry;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.TensorRole;
import org.apache.commons.math3.util.ResizableDoubleArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits value distributions ({@link DistributionFit}) to a real llama2.c model: its weights, pooled by tensor role
 * across layers, and what a run of it on a prompt computes (greedy decoding, fp32 weights as stored and an fp32 KV
 * cache, so the values are the model's own): the keys (after RoPE) and values its KV cache receives, and every
 * activation it writes. The fused roles a Phi-3 stores (attn_qkv, mlp_gate_up) are fitted to the pooled values of
 * the projections they fuse, which is what such a tensor would hold.
 */
public final class ContentFitter {
    private ContentFitter() {
    }

    /**
     * What to fit.
     *
     * @param model        a llama2.c checkpoint
     * @param tokenizer    its llama2.c tokenizer
     * @param prompt       the prompt of the run ("" starts from BOS alone)
     * @param maxNewTokens tokens to generate at most
     * @param producer     tool and version, for the fit file
     */
    public record Options(Path model, Path tokenizer, String prompt, int maxNewTokens, String producer) {
    }

    /** Fits everything; deterministic: the same model and options give the same fits. */
    public static ContentFits fit(Options o) {
        ModelFile file = ModelLoaders.load(o.model());
        LlamaConfig config = LlamaConfig.of(file);
        LlamaModel model = LlamaModel.of(file, config);
        int[] prompt = TraceCapture.encodePrompt(file, config, DecoderTokenizer.load(o.tokenizer(),
                config.vocabSize()), o.prompt());

        Map<String, ResizableDoubleArray> activations = new LinkedHashMap<>();
        ResizableDoubleArray keys = new ResizableDoubleArray();
        ResizableDoubleArray values = new ResizableDoubleArray();
        AccessListener recorder = new AccessListener() {
            @Override
            public void onActivation(String name, int layer, float[] x, boolean write) {
                if (write) {
                    add(activations.computeIfAbsent(name, n -> new ResizableDoubleArray()), x);
                }
            }

            @Override
            public void onKvWrite(int layer, int pos, float[] k, float[] v) {
                add(keys, k);
                add(values, v);
            }
        };
        Generation g = new Generator(new LlamaEngine(model, KvPrecision.FP32, recorder), Sampler.greedy())
                .generate(prompt, o.maxNewTokens());

        Map<String, Entry> kv = new LinkedHashMap<>();
        String positions = (prompt.length + g.generated().size() - 1) + " positions of " + config.layers() + " layers";
        kv.put(ContentFits.KEYS, entry("keys stored (after RoPE), " + positions, keys.getElements(), 0));
        kv.put(ContentFits.VALUES, entry("values stored, " + positions, values.getElements(), 0));
        Map<String, Entry> act = new LinkedHashMap<>();
        activations.forEach((name, x) -> act.put(name, entry("every write of '" + name + "'", x.getElements(), 0)));
        ContentFits.Source source = new ContentFits.Source(Path.of(file.name()).getFileName().toString(),
                file.sha256(), o.prompt(), prompt.length, g.generated().size(),
                "fp32 weights as stored, fp32 KV cache, greedy decoding", o.producer());
        return new ContentFits(source, weightFits(model), kv, act);
    }

    /** Every weight role's fit, the fused roles from the projections they fuse; norm gains are not fitted. */
    private static Map<TensorRole, Entry> weightFits(LlamaModel m) {
        Map<TensorRole, List<Weight>> byRole = new EnumMap<>(TensorRole.class);
        byRole.put(TensorRole.EMBEDDING, List.of(m.tokenEmbedding()));
        for (LlamaModel.LayerWeights l : m.layers()) {
            for (Weight w : List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w3(), l.w2())) {
                byRole.computeIfAbsent(w.role(), r -> new ArrayList<>()).add(w);
            }
        }
        byRole.put(TensorRole.LM_HEAD, List.of(m.classifier()));
        Map<TensorRole, Entry> fits = new EnumMap<>(TensorRole.class);
        byRole.forEach((role, ws) -> fits.put(role, weightEntry(role.id() + (role == TensorRole.LM_HEAD
                && m.config().sharedClassifier() ? ", the classifier: the token-embedding table (tied)" : ""), ws)));
        fits.put(TensorRole.ATTN_QKV, weightEntry("attn_q, attn_k and attn_v pooled, as a fused qkv tensor holds "
                + "them", concat(byRole, TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V)));
        fits.put(TensorRole.MLP_GATE_UP, weightEntry("mlp_gate and mlp_up pooled, as a fused gate_up tensor holds "
                + "them", concat(byRole, TensorRole.MLP_GATE, TensorRole.MLP_UP)));
        return fits;
    }

    private static List<Weight> concat(Map<TensorRole, List<Weight>> byRole, TensorRole... roles) {
        List<Weight> all = new ArrayList<>();
        for (TensorRole r : roles) {
            all.addAll(byRole.get(r));
        }
        return all;
    }

    private static Entry weightEntry(String what, List<Weight> tensors) {
        int cols = tensors.get(0).cols();
        ResizableDoubleArray x = new ResizableDoubleArray();
        for (Weight w : tensors) {
            if (w.cols() != cols) {
                throw new IllegalStateException(what + ": tensors of rows of " + cols + " and " + w.cols());
            }
            add(x, w.data());
        }
        return entry(what + " (" + tensors.size() + (tensors.size() == 1 ? " tensor, " : " tensors, ") + cols
                + " inputs per row)", x.getElements(), cols);
    }

    private static Entry entry(String data, double[] x, int fanIn) {
        DistributionFit.Result r = DistributionFit.fit(x);
        return new Entry(data, x.length, fanIn, r.best().family(), r.candidates());
    }

    private static void add(ResizableDoubleArray to, float[] x) {
        for (float v : x) {
            to.addElement(v);
        }
    }
}
