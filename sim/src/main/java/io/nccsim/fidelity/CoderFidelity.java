package io.nccsim.fidelity;

import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.codec.learned.TensorCoder;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.tokenizer.HfTokenizer;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model-output fidelity of {@link TensorCoder} settings: every weight matrix of the model through the coder and back
 * ({@link TensorCodedWeights}), then the project's fidelity measure against the model as stored: for a Llama-family
 * decoder {@link Fidelity} (top-1 next-token agreement, perplexity and KL on a fixed text, fp32 KV cache), for a BERT
 * encoder {@link EncoderFidelity} (cosine similarity of sentence embeddings).
 */
public final class CoderFidelity {
    /** The decoder's metrics, in report order. */
    public static final List<String> DECODER_METRICS = List.of("top1_agreement", "perplexity", "kl_mean_nats");
    /** The encoder's metrics, in report order. */
    public static final List<String> ENCODER_METRICS = List.of("cosine_mean", "cosine_min", "max_abs_diff");

    /**
     * One setting's fidelity.
     *
     * @param method        the coder's curve
     * @param setting       its point
     * @param bitsPerValue  bits per matrix element, as the rate-distortion tables count them
     * @param bitsPerWeight bits per element of the whole file (vectors at fp32)
     * @param metrics       by name ({@link #metricNames()}), in report order
     */
    public record Point(String method, String setting, double bitsPerValue, double bitsPerWeight,
                        Map<String, Double> metrics) {
        public Point {
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        public double metric(String name) {
            Double v = metrics.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
            }
            return v;
        }
    }

    private final Fidelity decoder;
    private final EncoderFidelity encoder;
    private final ModelFile model;
    private final Set<String> inOut;

    private CoderFidelity(Fidelity decoder, EncoderFidelity encoder, ModelFile model, Set<String> inOut) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.model = model;
        this.inOut = inOut;
    }

    /** A decoder: the reference runs now (see {@link Fidelity}). */
    public static CoderFidelity decoder(ModelFile file, LlamaConfig config, DecoderTokenizer tokenizer, int[] text,
                                        int continuationTokens) {
        return new CoderFidelity(new Fidelity(file, config, tokenizer, text, continuationTokens), null, file,
                Set.of());
    }

    /** An encoder: the reference embeds the sentences now (see {@link EncoderFidelity}). */
    public static CoderFidelity encoder(ModelFile file, HfTokenizer tokenizer, int heads, List<String> sentences) {
        EncoderFidelity e = new EncoderFidelity(file, tokenizer, heads, sentences);
        // The encoder runs the graph-named copy; its MatMul weights are still [in][out] under their new names.
        Set<String> inOut = new HashSet<>(OnnxWeightNames.linearWeightNames(file).values());
        return new CoderFidelity(null, e, e.model(), inOut);
    }

    public boolean isDecoder() {
        return decoder != null;
    }

    public List<String> metricNames() {
        return isDecoder() ? DECODER_METRICS : ENCODER_METRICS;
    }

    /** The reference against itself: the best each metric can be. */
    public Point reference() {
        if (isDecoder()) {
            return decoderPoint("reference", "fp32", 32, decoder.referenceRow());
        }
        return encoderPoint("reference", "fp32", 32, encoder.referenceRow());
    }

    /** Codes every matrix with {@code coder} and measures the model's outputs. */
    public Point run(TensorCoder coder) {
        TensorCodedWeights.Coded coded = TensorCodedWeights.apply(model, inOut, coder);
        String label = coder.method() + " " + coder.setting();
        if (isDecoder()) {
            return decoderPoint(coder.method(), coder.setting(), coded.bitsPerValue(),
                    decoder.run(label, coded.model()));
        }
        return encoderPoint(coder.method(), coder.setting(), coded.bitsPerValue(), encoder.run(label, coded.model()));
    }

    private static Point decoderPoint(String method, String setting, double bitsPerValue, FidelityRow r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("top1_agreement", r.top1Agreement());
        m.put("perplexity", r.perplexity());
        m.put("kl_mean_nats", r.meanKlNats());
        return new Point(method, setting, bitsPerValue, r.bitsPerWeight(), m);
    }

    private static Point encoderPoint(String method, String setting, double bitsPerValue, EncoderFidelityRow r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cosine_mean", r.meanCosine());
        m.put("cosine_min", r.minCosine());
        m.put("max_abs_diff", r.maxAbsDiff());
        return new Point(method, setting, bitsPerValue, r.bitsPerWeight(), m);
    }

    /**
     * {@code metric} of {@code method}'s points at {@code bitsPerValue}, between the two nearest points in bits:
     * linear, except perplexity, which is interpolated in its logarithm (the mean negative log-likelihood, the
     * quantity that moves smoothly with the error; perplexity itself can jump by orders of magnitude between two
     * bit widths); NaN outside the method's range of bits.
     */
    public static double metricAt(List<Point> points, String method, String metric, double bitsPerValue) {
        List<Point> curve = points.stream().filter(p -> p.method().equals(method))
                .sorted(java.util.Comparator.comparingDouble(Point::bitsPerValue)).toList();
        if (curve.isEmpty() || bitsPerValue < curve.get(0).bitsPerValue()
                || bitsPerValue > curve.get(curve.size() - 1).bitsPerValue()) {
            return Double.NaN;
        }
        for (int i = 0; i < curve.size(); i++) {
            Point hi = curve.get(i);
            if (bitsPerValue == hi.bitsPerValue()) {
                return hi.metric(metric);
            }
            if (bitsPerValue < hi.bitsPerValue()) {
                Point lo = curve.get(i - 1);
                double t = (bitsPerValue - lo.bitsPerValue()) / (hi.bitsPerValue() - lo.bitsPerValue());
                if (metric.equals("perplexity")) {
                    double a = Math.log(lo.metric(metric));
                    return Math.exp(a + t * (Math.log(hi.metric(metric)) - a));
                }
                return lo.metric(metric) + t * (hi.metric(metric) - lo.metric(metric));
            }
        }
        return Double.NaN;
    }
}
