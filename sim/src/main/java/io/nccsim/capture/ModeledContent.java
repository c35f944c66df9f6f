package io.nccsim.capture;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceWriter;
import io.nccsim.trace.WeightContent;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.text.StringEscapeUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The content of a shape-only trace, modeled from a fit file ({@link ContentFits}): weight symbols per block and
 * the symbols of every INT8 KV-cache write.
 *
 * <p><b>Weights.</b> A tensor's values follow its role's fitted distribution: the fitted family and shape (the
 * Student-t's degrees of freedom), with location and scale multiplied by sqrt(fan-in of the fit / fan-in of the
 * tensor), where the fan-in is a row's length (the inputs of each output). Trained weights keep roughly the scale
 * their initialization gives them, 1 / sqrt(fan-in), which keeps each output's variance independent of the width;
 * a wider model's weights are proportionally smaller. The symbols do not depend on this choice: absmax and min/max
 * quantizers divide every group by its own range, so the codes of scaled values are the same (up to the fp16
 * rounding of the scales); the scale only keeps the modeled values plausible. {@value #SAMPLE_VALUES} values are
 * drawn per role and row length (whole rows, so groups are as deployed), quantized by nccsim's {@link Quantizer}
 * under the deployed format, and their symbol frequencies are the {@link SymbolModel} from which each fine block's
 * counts are drawn. Under a per-tensor format the tensor's absmax (and min) is that of all its values, so the sample
 * carries the tensor's largest and smallest values, drawn from their exact distributions (the maximum of n values
 * is F^-1(U^(1/n))).
 *
 * <p><b>KV cache.</b> Keys and values follow the fits to what stories260K's cache received; head vectors of the
 * target's head size are drawn and rounded as the engine's INT8 cache rounds them ({@link KvCache#quantizeInt8}:
 * one scale per head vector, so again the scale of the values does not matter), and each write's counts are drawn
 * from the resulting frequencies.
 *
 * <p>Draws come from seeded generators, one per purpose, so the same fit file, target and seed give the same
 * content.
 */
final class ModeledContent {
    /** Values drawn to estimate each symbol distribution: enough for every frequency to a few 1e-4. */
    static final int SAMPLE_VALUES = 1 << 20;

    /**
     * A fit file as read.
     *
     * @param name   the path as given, for the trace's provenance
     * @param sha256 the file's sha256
     * @param fits   its contents
     */
    record FitFile(String name, String sha256, ContentFits fits) {
        static FitFile read(Path file, String name) {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("--fit " + file + ": no such fit file (looked in " + file.toAbsolutePath()
                        + "); make one with 'nccsim trace fit'");
            }
            try {
                String sha = ModelLoaders.sha256(ByteBuffer.wrap(Files.readAllBytes(file)));
                return new FitFile(name, sha, ContentFits.load(file));
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot read the fit file: " + e.getMessage(), e);
            }
        }
    }

    private final FitFile fit;
    private final CaptureLayout layout;
    private final WeightQuant quant;
    private final long seed;
    private final RandomGenerator sampleRng;
    private final RandomGenerator blockRng;
    private final RandomGenerator kvRng;
    private final Map<String, SymbolModel> weightSymbols = new HashMap<>();
    private final SymbolModel keySymbols;
    private final SymbolModel valueSymbols;

    /**
     * @param fit    the fits
     * @param layout the trace's tensors
     * @param quant  the weight format (integer formats get content)
     * @param seed   seed of every draw
     */
    ModeledContent(FitFile fit, CaptureLayout layout, WeightQuant quant, long seed) {
        this.fit = fit;
        this.layout = layout;
        this.quant = quant;
        this.seed = seed;
        this.sampleRng = new Well19937c(seed + 1);
        this.blockRng = new Well19937c(seed + 2);
        this.kvRng = new Well19937c(seed + 3);
        for (TensorInfo t : layout.quantizedWeights()) {
            fit.fits().weight(t.role(), fit.name()); // every role's fit is there before anything is written
        }
        boolean int8 = layout.kvPrecision() == KvPrecision.INT8;
        this.keySymbols = int8 ? kvSymbols(ContentFits.KEYS) : null;
        this.valueSymbols = int8 ? kvSymbols(ContentFits.VALUES) : null;
    }

    /** The symbol counts of every quantized weight tensor, block by block. */
    void writeWeightContent(TraceWriter w, int block) {
        for (TensorInfo t : layout.quantizedWeights()) {
            StoredWeight s = layout.weight(t.name());
            SymbolModel m = weightSymbols.computeIfAbsent(t.role().id() + " " + s.cols()
                    + (quant.groupSize() == WeightQuant.PER_TENSOR ? " " + s.rows() : ""), k -> weightSymbols(s));
            long elements = s.elements();
            int blocks = (int) ((elements + block - 1) / block);
            int[][] hist = new int[blocks][];
            for (int b = 0; b < blocks; b++) {
                hist[b] = m.drawCounts((int) Math.min(block, elements - (long) b * block), blockRng);
            }
            w.writeWeightContent(new WeightContent(t.id(), block, hist));
        }
    }

    /** The counts of INT8 cache writes, for the tracer; null unless the cache is INT8. */
    Tracer.KvSymbols kvSymbols() {
        return keySymbols == null ? null
                : (x, key) -> (key ? keySymbols : valueSymbols).drawCounts(x.length, kvRng);
    }

    /** The distribution of a {@code role} tensor's values whose rows hold {@code cols} elements. */
    ValueDistribution weightValues(TensorRole role, int cols) {
        ContentFits.Entry e = fit.fits().weight(role, fit.name());
        return e.distribution().scaled(StrictMath.sqrt((double) e.fanIn() / cols));
    }

    /** The symbol distribution of tensor {@code t}: {@link #SAMPLE_VALUES} values of its role quantized as deployed. */
    SymbolModel weightSymbols(StoredWeight t) {
        int cols = t.cols();
        int rows = Math.max(1, (SAMPLE_VALUES + cols - 1) / cols);
        ValueDistribution d = weightValues(t.role(), cols);
        RealDistribution values = d.distribution(sampleRng);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.sample();
        }
        boolean planted = quant.groupSize() == WeightQuant.PER_TENSOR && t.elements() > v.length;
        if (planted) {
            // The extremes of all the tensor's values, not just of the sample, set a per-tensor scale.
            v[0] = (float) (2 * d.location() - values.inverseCumulativeProbability(extremeTail(t.elements())));
            v[1] = (float) values.inverseCumulativeProbability(extremeTail(t.elements()));
        }
        QuantizedTensor q = Quantizer.quantize(v, rows, cols, quant);
        long[] counts = q.histogram();
        if (planted) {
            counts[q.symbol(0)]--;
            counts[q.symbol(1)]--;
        }
        return SymbolModel.ofCounts(counts);
    }

    /** The lower-tail probability of the smallest of {@code n} values: 1 - U^(1/n), computed without cancelling. */
    private double extremeTail(long n) {
        return -StrictMath.expm1(StrictMath.log(sampleRng.nextDouble()) / n);
    }

    private SymbolModel kvSymbols(String name) {
        int headSize = layout.config().headSize();
        RealDistribution values = fit.fits().kv(name, fit.name()).distribution().distribution(sampleRng);
        float[] x = new float[headSize];
        byte[] codes = new byte[headSize];
        long[] counts = new long[1 << KvPrecision.INT8.bitsPerElement()];
        for (int v = 0; v < SAMPLE_VALUES / headSize; v++) {
            for (int i = 0; i < headSize; i++) {
                x[i] = (float) values.sample();
            }
            KvCache.quantizeInt8(x, 0, headSize, codes, 0);
            for (byte c : codes) {
                counts[c + Tracer.INT8_SYMBOL_OFFSET]++;
            }
        }
        return SymbolModel.ofCounts(counts);
    }

    /** How the content was modeled, for the trace's provenance: the fit file, its source, every distribution used. */
    String describe(int block) {
        ContentFits.Source src = fit.fits().source();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Content modeled from value distributions "
                        + "fitted by maximum likelihood to %s (sha256 %s) in %s (sha256 %s)", src.model(),
                src.modelSha256(), fit.name(), fit.sha256()));
        List<TensorInfo> weights = layout.quantizedWeights();
        if (weights.isEmpty()) {
            sb.append(". Weights: ").append(quant.id()).append(", no content");
        } else {
            Map<TensorRole, String> roles = new EnumMap<>(TensorRole.class);
            for (TensorInfo t : weights) {
                roles.computeIfAbsent(t.role(), r -> {
                    ContentFits.Entry e = fit.fits().weight(r, fit.name());
                    return r.id() + " " + e.distribution().describe() + " at fan-in " + e.fanIn();
                });
            }
            sb.append(String.format(Locale.ROOT, ". Weights: per tensor role, %d values drawn from the role's fit to "
                    + "the real weights (its shape; its scale times sqrt(fan-in of the fit / the tensor's fan-in)) "
                    + "and quantized by nccsim's Quantizer as %s; each %d-element block's symbol counts drawn "
                    + "(multinomial, seed %d) from their frequencies: %s", SAMPLE_VALUES, quant.id(), block, seed,
                    String.join("; ", new ArrayList<>(roles.values()))));
        }
        if (keySymbols == null) {
            sb.append(". KV cache: ").append(layout.kvElementType().id()).append(", no content");
        } else {
            sb.append(String.format(Locale.ROOT, ". KV cache: int8, one fp32 scale per head vector; each write's "
                            + "symbol counts drawn (seed %d) from those of head vectors of %d values drawn from the "
                            + "fits to the keys (%s) and values (%s) the cache of %s received in a greedy run on "
                            + "\"%s\", rounded as the engine's cache rounds them", seed, layout.config().headSize(),
                    fit.fits().kv(ContentFits.KEYS, fit.name()).distribution().describe(),
                    fit.fits().kv(ContentFits.VALUES, fit.name()).distribution().describe(), src.model(),
                    StringEscapeUtils.escapeJava(src.prompt())));
        }
        return sb.toString();
    }
}
