package io.nccsim.fidelity;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.NamedTensor;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.quant.QuantOptions;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.StorageType;
import io.nccsim.model.TensorData;
import io.nccsim.trace.ElementType;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes a model's weights through a {@link CodecSpec}'s weight format and back, as the processor would see them
 * after the NCC decompressed them: fp16 and bf16 round every element to nearest-even; integer formats quantize
 * (with pruning and the per-tensor symmetric/asymmetric choice, as the spec says), optionally Huffman-code the
 * symbols and decode them again ({@link HuffmanRoundTrip}), and dequantize.
 *
 * <p>Only weight matrices ({@link TensorData#isMatrix()}) are coded, the token embedding included (a tied classifier
 * is the same tensor, so it is coded too). One-dimensional tensors, the RMSNorm gains, stay fp32: they are a few
 * thousand elements, and deployments (llama.cpp among them) keep them in full precision.
 */
public final class WeightCodec {
    private WeightCodec() {
    }

    /**
     * The model as the codec leaves it.
     *
     * @throws BadInputException naming the model and tensor if a weight is not finite or overflows fp16, or a
     *                           group's scale does not fit fp16
     */
    public static CodedModel apply(ModelFile model, CodecSpec spec) {
        ElementType type = spec.weights().type();
        List<TensorData> out = new ArrayList<>();
        List<NamedTensor> quantized = new ArrayList<>();
        List<Integer> quantizedAt = new ArrayList<>();
        long parameters = 0;
        long storedBits = 0;
        int coded = 0;
        Quantizer quantizer = new Quantizer(QuantOptions.pruned(spec.pruneFraction()));
        for (TensorData t : model.tensors()) {
            parameters += t.elements();
            if (!t.isMatrix() || type == ElementType.FP32) {
                out.add(t);
                storedBits += 32 * t.elements();
                continue;
            }
            coded++;
            String where = model.name() + ": tensor '" + t.name() + "'";
            if (!type.quantized()) {
                out.add(withValues(t, rounded(where, t.values(), type)));
                storedBits += (long) type.bits() * t.elements();
                continue;
            }
            QuantizedTensor q = quantizer.quantize(where, t.values(), t.rows(), t.cols(), spec.weights());
            storedBits += 8 * q.metadataBytes();
            if (!spec.huffman()) {
                storedBits += 8 * q.payloadBytes();
            }
            quantizedAt.add(out.size());
            quantized.add(new NamedTensor(t.name(), q));
            out.add(null); // filled below, once the symbols have been through Huffman coding when asked
        }
        long huffmanSymbols = 0;
        List<NamedTensor> decoded = quantized;
        if (spec.huffman() && !quantized.isEmpty()) {
            HuffmanRoundTrip.Result r = HuffmanRoundTrip.run(quantized);
            decoded = r.decoded();
            storedBits += r.storedBits();
            huffmanSymbols = r.symbolsCompared();
        }
        for (int i = 0; i < decoded.size(); i++) {
            int at = quantizedAt.get(i);
            TensorData original = model.tensors().get(at);
            out.set(at, withValues(original, Quantizer.dequantize(decoded.get(i).tensor())));
        }
        ModelFile file = new ModelFile(model.name(), model.format(), model.sha256(), model.metadata(), out);
        return new CodedModel(file, coded, parameters, storedBits, huffmanSymbols);
    }

    /** The values as fp16 or bf16 would store them, back in fp32 (exactly: every 16-bit value is an fp32 one). */
    private static float[] rounded(String where, float[] values, ElementType type) {
        float[] r = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new BadInputException(where + ": element " + i + " is " + v + "; expected finite weights");
            }
            r[i] = type == ElementType.BF16 ? Float16Bits.fromBf16(Float16Bits.toBf16(v))
                    : Float16Bits.roundToFp16(v);
            if (Float.isInfinite(r[i])) {
                throw new BadInputException(where + ": element " + i + " = " + v + " overflows " + type.id()
                        + "; expected weights within its range");
            }
        }
        return r;
    }

    /** The tensor with decoded values, now plain fp32 elements (what the processor computes with). */
    private static TensorData withValues(TensorData t, float[] values) {
        return new TensorData(t.name(), StorageType.F32, t.shape(), values, null);
    }
}
