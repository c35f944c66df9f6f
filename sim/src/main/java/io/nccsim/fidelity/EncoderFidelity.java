package io.nccsim.fidelity;

import io.nccsim.capture.BertEncoder;
import io.nccsim.capture.BertModel;
import io.nccsim.capture.KvPrecision;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxDynamicQuantization;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.tokenizer.HfTokenizer;

import java.util.List;

/**
 * Judges codec settings on a BERT encoder (all-MiniLM-L6-v2) by embedding the same sentences twice and comparing:
 * the reference uses the weights as stored (fp32); each test run uses the weights after the codec
 * ({@link WeightCodec}: every matrix, the three embedding tables included, through the weight format and back;
 * biases and LayerNorm vectors as stored). {@link EncoderFidelityRow#compare} turns the pair into metrics.
 *
 * <p>Everything is deterministic: the encoder is bit-reproducible and the codecs are pure functions of the weights,
 * so the lossless setting gives the reference's embeddings bit for bit.
 */
public final class EncoderFidelity {
    /**
     * Sentences to embed when none are given: everyday English of varied length, written for nccsim (so they are in
     * no model's training set).
     */
    public static final List<String> BUILT_IN = List.of(
            "The cat slept on the warm windowsill all afternoon.",
            "Rain is expected tomorrow.",
            "She opened the old wooden box and found a bundle of letters tied with a faded blue ribbon.",
            "How far is the nearest train station from here?",
            "The committee postponed its decision until more data on traffic near the school was collected.",
            "Fresh bread smells wonderful.",
            "Water boils at a lower temperature on high mountains because the air pressure is lower.",
            "Please close the door quietly when you leave.");

    private final ModelFile model;
    private final HfTokenizer tokenizer;
    private final int heads;
    private final List<String> sentences;
    private final float[][] reference;

    /**
     * A run of one codec setting: what the codec did to the weights, the embeddings, and the comparison.
     *
     * @param spec       the setting
     * @param coded      the model as the codec left it
     * @param embeddings each sentence's embedding under the setting
     * @param row        the comparison with the reference
     */
    public record CodecRun(CodecSpec spec, CodedModel coded, float[][] embeddings, EncoderFidelityRow row) {
    }

    /**
     * Runs the reference now.
     *
     * @param model     a BERT encoder's model file ({@link BertModel#isEncoder})
     * @param tokenizer its tokenizer
     * @param heads     its attention heads
     * @param sentences the sentences to embed, at least one
     */
    public EncoderFidelity(ModelFile model, HfTokenizer tokenizer, int heads, List<String> sentences) {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("no sentence to embed");
        }
        if (OnnxDynamicQuantization.isQuantized(model)) {
            // The reference must be the fp32 weights the codecs start from (the command refuses such a file).
            throw new IllegalArgumentException(model.name() + " stores int8 weights already");
        }
        // Named from the graph once, so the coded copies (which carry no graph) keep the names the encoder needs.
        this.model = OnnxWeightNames.resolve(model);
        this.tokenizer = tokenizer;
        this.heads = heads;
        this.sentences = List.copyOf(sentences);
        this.reference = embed(this.model);
    }

    public List<String> sentences() {
        return sentences;
    }

    /** The reference embeddings, one per sentence. */
    public float[][] referenceEmbeddings() {
        return reference;
    }

    /** The reference compared with itself, at the size of the weights as stored. */
    public EncoderFidelityRow referenceRow() {
        CodedModel asStored = WeightCodec.apply(model, CodecSpec.losslessSpec());
        return EncoderFidelityRow.compare("reference", asStored.bitsPerWeight(), 0, reference, reference);
    }

    /**
     * Codes the weights as {@code spec} says, embeds the sentences with them and compares with the reference.
     *
     * @throws IllegalArgumentException if the setting asks for a KV cache, which an encoder does not have (the
     *                                  command refuses such a setting before any work)
     */
    public CodecRun run(CodecSpec spec) {
        if (spec.kv() != KvPrecision.FP32) {
            throw new IllegalArgumentException(spec.id() + ": an encoder has no KV cache");
        }
        CodedModel coded = WeightCodec.apply(model, spec);
        float[][] embeddings = embed(coded.file());
        EncoderFidelityRow row = EncoderFidelityRow.compare(spec.id(), coded.bitsPerWeight(), coded.huffmanSymbols(),
                reference, embeddings);
        return new CodecRun(spec, coded, embeddings, row);
    }

    /**
     * The model the encoder runs, its ONNX MatMul weights named from the graph (still stored {@code [in][out]}):
     * what a coded copy for {@link #run(String, CodedModel)} is made from.
     */
    public ModelFile model() {
        return model;
    }

    /**
     * Embeds the sentences with weights another codec produced from {@link #model()} (the learned codec's levels
     * and the baselines of {@code nccsim codec eval}) and compares with the reference; {@code label} names the
     * setting in the row.
     */
    public EncoderFidelityRow run(String label, CodedModel coded) {
        return EncoderFidelityRow.compare(label, coded.bitsPerWeight(), coded.huffmanSymbols(), reference,
                embed(coded.file()));
    }

    private float[][] embed(ModelFile file) {
        return new BertEncoder(BertModel.of(file, heads), tokenizer).embed(sentences);
    }
}
