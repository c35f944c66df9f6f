package io.nccsim.fidelity;

import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.capture.LlamaModel;
import io.nccsim.model.ModelFile;

import java.util.Locale;

/**
 * Judges codec settings on a Llama-family decoder by running it twice and comparing: the reference run uses the
 * weights as stored (fp32) with an fp32 KV cache; each test run uses the weights after the codec
 * ({@link WeightCodec}) with the KV cache at the setting's precision. Both evaluate the same tokens (teacher forcing)
 * and generate greedily from BOS; {@link FidelityRow#compare} turns the pair into metrics.
 *
 * <p>Everything is deterministic: the engine is bit-reproducible, greedy decoding has no randomness, and the codecs
 * are pure functions of the weights.
 */
public final class Fidelity {
    private final ModelFile model;
    private final LlamaConfig config;
    private final DecoderTokenizer tokenizer;
    private final int continuationTokens;
    private final DecoderRun reference;

    /**
     * A decoder run of one codec setting, with what the codec did to the weights and the comparison.
     *
     * @param spec  the setting
     * @param coded the model as the codec left it
     * @param run   the decoder run on it
     * @param row   the comparison with the reference
     */
    public record CodecRun(CodecSpec spec, CodedModel coded, DecoderRun run, FidelityRow row) {
    }

    /**
     * Runs the reference now.
     *
     * @param model              a Llama-family model file (see {@link LlamaModel#of(ModelFile)})
     * @param text               the evaluation tokens, BOS first, 2 .. the model's context long
     * @param continuationTokens greedy tokens to generate from BOS, 1 .. context - 1
     */
    public Fidelity(ModelFile model, int[] text, int continuationTokens) {
        this(model, LlamaConfig.of(model), null, text, continuationTokens);
    }

    /**
     * Runs the reference now, of a model under {@code config}, its continuation stopping at the end-of-text tokens
     * of {@code tokenizer} (llama2.c's when null).
     */
    public Fidelity(ModelFile model, LlamaConfig config, DecoderTokenizer tokenizer, int[] text,
                    int continuationTokens) {
        this.model = model;
        this.config = config;
        this.tokenizer = tokenizer;
        this.continuationTokens = continuationTokens;
        this.reference = DecoderRun.of(LlamaModel.of(model, config), KvPrecision.FP32, text, continuationTokens,
                tokenizer);
    }

    public DecoderRun referenceRun() {
        return reference;
    }

    /** The reference compared with itself: its perplexity and continuation, at fp32 size. */
    public FidelityRow referenceRow() {
        CodedModel asStored = WeightCodec.apply(model, CodecSpec.losslessSpec());
        return FidelityRow.compare("reference", kvId(KvPrecision.FP32), asStored.bitsPerWeight(), 0, reference,
                reference);
    }

    /** Codes the weights as {@code spec} says, runs the decoder on them and compares with the reference. */
    public CodecRun run(CodecSpec spec) {
        CodedModel coded = WeightCodec.apply(model, spec);
        DecoderRun run = DecoderRun.of(LlamaModel.of(coded.file(), config), spec.kv(), reference.text(),
                continuationTokens, tokenizer);
        FidelityRow row = FidelityRow.compare(spec.id(), kvId(spec.kv()), coded.bitsPerWeight(),
                coded.huffmanSymbols(), reference, run);
        return new CodecRun(spec, coded, run, row);
    }

    /**
     * Runs the decoder on weights another codec produced (the learned codec's levels and the baselines of
     * {@code nccsim codec eval}, through {@link TensorCodedWeights}), with an fp32 KV cache, and compares with the
     * reference; {@code label} names the setting in the row.
     */
    public FidelityRow run(String label, CodedModel coded) {
        DecoderRun run = DecoderRun.of(LlamaModel.of(coded.file(), config), KvPrecision.FP32, reference.text(),
                continuationTokens, tokenizer);
        return FidelityRow.compare(label, kvId(KvPrecision.FP32), coded.bitsPerWeight(), coded.huffmanSymbols(),
                reference, run);
    }

    private static String kvId(KvPrecision kv) {
        return kv.name().toLowerCase(Locale.ROOT);
    }
}
