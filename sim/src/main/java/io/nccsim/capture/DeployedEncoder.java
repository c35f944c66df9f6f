package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.trace.TensorRole;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT encoder's weights as a device would hold them under a weight format, and the encoder model that computes
 * with them, so that a capture's embeddings and its trace both reflect the deployment rather than the fp32 file.
 *
 * <p>Each weight is deployed as {@link DeployedWeights#deploy} does a decoder's: under an integer format the
 * projection matrices and the three embedding tables are quantized by the plain quantizer, in the layout the model
 * file stores them (an ONNX export's {@code [in][out]}, so a per-channel scale belongs to one input row), and the
 * encoder multiplies by their dequantized values; vectors (the projections' biases and the LayerNorm gains and
 * biases, a few thousand elements that scale or shift whole rows) are stored as fp16, as the decoder's norm gains
 * are.
 */
public final class DeployedEncoder {
    private final WeightQuant format;
    private final BertModel model;
    private final Map<String, StoredWeight> stored;

    private DeployedEncoder(WeightQuant format, BertModel model, Map<String, StoredWeight> stored) {
        this.format = format;
        this.model = model;
        this.stored = Collections.unmodifiableMap(stored);
    }

    /** Deploys {@code original} under {@code format}. */
    public static DeployedEncoder of(BertModel original, WeightQuant format) {
        Map<String, StoredWeight> stored = new LinkedHashMap<>();
        Map<String, Weight> deployed = new LinkedHashMap<>();
        for (Weight w : original.weights()) {
            DeployedWeights.Deployed d = DeployedWeights.deploy(w, format,
                    w.role() == TensorRole.NORM || w.rows() == 1);
            stored.put(w.name(), d.stored());
            deployed.put(w.name(), new Weight(w.name(), w.role(), w.layer(), w.rows(), w.cols(), d.values()));
        }
        return new DeployedEncoder(format, original.withWeights(w -> deployed.get(w.name())), stored);
    }

    /** The format asked for. */
    public WeightQuant format() {
        return format;
    }

    /** The encoder as deployed: it computes with these values. */
    public BertModel model() {
        return model;
    }

    /** Every stored tensor, in the order the encoder first reads it, by the model's name for it. */
    public Map<String, StoredWeight> stored() {
        return stored;
    }
}
