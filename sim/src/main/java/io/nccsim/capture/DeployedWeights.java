package io.nccsim.capture;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.QuantOptions;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.trace.ElementType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family model's weights as a device would hold them under a weight format, and the model the engine runs
 * from them, so that a capture's text and its trace both reflect the deployment rather than the fp32 checkpoint.
 *
 * <p>Under an integer format every projection matrix and the embedding table are quantized by the
 * {@link Quantizer} (plain: no pruning, no clipping search; an "auto" format lets each tensor choose its symmetry)
 * and the engine multiplies by their dequantized values; the vectors (RMSNorm gains and projection biases), which
 * deployments keep in floating point because there are few of them and they scale or shift whole rows, are stored
 * as fp16, and the engine uses them rounded to fp16. Under fp16 or bf16 every tensor is rounded to that type;
 * under fp32 nothing changes.
 */
public final class DeployedWeights {
    /** Plain post-training quantization: what a capture deploys (the options are for compression studies). */
    private static final Quantizer PLAIN = new Quantizer(QuantOptions.NONE);

    private final WeightQuant format;
    private final LlamaModel model;
    private final Map<String, StoredWeight> stored;

    private DeployedWeights(WeightQuant format, LlamaModel model, Map<String, StoredWeight> stored) {
        this.format = format;
        this.model = model;
        this.stored = Collections.unmodifiableMap(stored);
    }

    /** Deploys the Llama-family model in {@code file}, configured by its own format, under {@code format}. */
    public static DeployedWeights of(ModelFile file, WeightQuant format) {
        return of(file, LlamaConfig.of(file), format);
    }

    /** Deploys the Llama-family model in {@code file} under {@code config} and {@code format}. */
    public static DeployedWeights of(ModelFile file, LlamaConfig config, WeightQuant format) {
        LlamaModel original = LlamaModel.of(file, config);
        Map<String, StoredWeight> stored = new LinkedHashMap<>();
        Map<String, float[]> deployedValues = new LinkedHashMap<>();
        for (Weight w : distinctWeights(original)) {
            Deployed d = deploy(w, format, keptFloat(w));
            stored.put(w.name(), d.stored());
            deployedValues.put(w.name(), d.values());
        }
        List<TensorData> tensors = new ArrayList<>();
        for (TensorData t : file.tensors()) {
            float[] v = deployedValues.get(t.name());
            tensors.add(v == null ? t : new TensorData(t.name(), StorageType.F32, t.shape(), v, null));
        }
        ModelFile deployedFile = new ModelFile(file.name(), file.format(), file.sha256(), file.metadata(), tensors);
        return new DeployedWeights(format, LlamaModel.of(deployedFile, config), stored);
    }

    /** One weight as deployed: how it is stored, and the values the engine computes with. */
    record Deployed(StoredWeight stored, float[] values) {
    }

    /**
     * {@code w} deployed under {@code format}: quantized by the plain {@link Quantizer} and dequantized under an
     * integer format, unless {@code keepFloat} (vectors a deployment keeps in floating point, such as norm gains),
     * which are then stored as fp16; rounded to the type under fp16 or bf16; as it is under fp32.
     */
    static Deployed deploy(Weight w, WeightQuant format, boolean keepFloat) {
        if (keepFloat) {
            StoredWeight s = storedVector(w, format);
            return new Deployed(s, rounded(w.data(), s.type()));
        }
        if (format.quantized()) {
            QuantizedTensor q = PLAIN.quantize(w.name(), w.data(), w.rows(), w.cols(), format);
            return new Deployed(storedQuantized(w, q.quant(), q), Quantizer.dequantize(q));
        }
        return new Deployed(storedFloat(w, format), rounded(w.data(), format.type()));
    }

    /** A decoder keeps its vectors (RMSNorm gains, q/k/v biases) in floating point under every format. */
    private static boolean keptFloat(Weight w) {
        return w.rows() == 1;
    }

    /**
     * {@code model}'s weights as {@code format} would store them, sized from their shapes alone: the same tensors,
     * types, payload and metadata bytes as {@link #of} gives, without codes (none are computed, so the model may be
     * known by its shapes alone). An "auto" format needs real weights to choose each tensor's symmetry.
     */
    public static DeployedWeights shapeOnly(LlamaModel model, WeightQuant format) {
        if (format.auto()) {
            throw new IllegalArgumentException(format.id() + ": 'auto' chooses each tensor's symmetry from its "
                    + "weights, which a shape-only deployment does not have");
        }
        Map<String, StoredWeight> stored = new LinkedHashMap<>();
        for (Weight w : distinctWeights(model)) {
            stored.put(w.name(), keptFloat(w) ? storedVector(w, format)
                    : format.quantized() ? storedQuantized(w, format, null) : storedFloat(w, format));
        }
        return new DeployedWeights(format, model, stored);
    }

    /**
     * A vector kept in floating point: fp16 under an integer format (deployments keep the few gains and biases in
     * floating point), else the format's own type.
     */
    private static StoredWeight storedVector(Weight w, WeightQuant format) {
        ElementType type = format.quantized() ? ElementType.FP16 : format.type();
        return new StoredWeight(w.name(), w.role(), w.layer(), w.rows(), w.cols(), type,
                new WeightQuant(type, WeightQuant.PER_TENSOR, true), w.elements() * type.bits() / 8, 0, 0, null);
    }

    /**
     * A weight quantized under {@code quant} (its symmetry resolved), with its codes, or none when deployed by shape
     * alone: the packed codes, then an fp16 scale (and zero point) per group.
     */
    private static StoredWeight storedQuantized(Weight w, WeightQuant quant, QuantizedTensor codes) {
        return new StoredWeight(w.name(), w.role(), w.layer(), w.rows(), w.cols(), quant.type(), quant,
                quant.payloadBytes(w.rows(), w.cols()), quant.metadataBytes(w.rows(), w.cols()),
                quant.groupElements(w.rows(), w.cols()), codes);
    }

    /** A weight stored in a float format. */
    private static StoredWeight storedFloat(Weight w, WeightQuant format) {
        return new StoredWeight(w.name(), w.role(), w.layer(), w.rows(), w.cols(), format.type(), format,
                format.payloadBytes(w.rows(), w.cols()), 0, 0, null);
    }

    /**
     * Every weight tensor once, in the order of the forward pass: the embedding, each layer's tensors, the final
     * norm and, unless it shares the embedding table, the classifier.
     */
    static List<Weight> distinctWeights(LlamaModel m) {
        List<Weight> all = new ArrayList<>();
        all.add(m.tokenEmbedding());
        for (LlamaModel.LayerWeights l : m.layers()) {
            all.addAll(l.inReadOrder());
        }
        all.add(m.finalNorm());
        if (!m.config().sharedClassifier()) {
            all.add(m.classifier());
        }
        return all;
    }

    private static float[] rounded(float[] v, ElementType type) {
        return switch (type) {
            case FP32 -> v;
            case FP16 -> map(v, true);
            case BF16 -> map(v, false);
            default -> throw new IllegalArgumentException("not a float type: " + type);
        };
    }

    private static float[] map(float[] v, boolean fp16) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = fp16 ? Float16Bits.roundToFp16(v[i]) : Float16Bits.fromBf16(Float16Bits.toBf16(v[i]));
        }
        return out;
    }

    /** The format asked for (an "auto" format stays auto here; each tensor's {@link StoredWeight#quant()} says). */
    public WeightQuant format() {
        return format;
    }

    /** The model as deployed: the engine runs this. */
    public LlamaModel model() {
        return model;
    }

    /** Every stored tensor, in forward-pass order, by the model file's name. */
    public Map<String, StoredWeight> stored() {
        return stored;
    }

    /** The stored form of {@code name}; throws if the model has no such weight. */
    public StoredWeight stored(String name) {
        StoredWeight s = stored.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no weight tensor '" + name + "'");
        }
        return s;
    }
}
