package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.OnnxDynamicQuantization;
import io.nccsim.tokenizer.HfTokenizer;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.ModelShape;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Captures a trace from a real encoder run: deploys a BERT encoder's weights (all-MiniLM-L6-v2's ONNX file) under a
 * weight format, embeds a fixed list of sentences with the {@link BertEncoder} computing with those deployed
 * weights, and writes what that run did to memory as a trace whose content is captured: the quantizer's real
 * weight symbols. {@link EncoderTracer} says how the run maps onto the trace format.
 *
 * <p>The encoder's batching is planned first ({@link BertEncoder#batches}), so that the header and the buffer
 * sizes are known before the one traced run; the same plan is then run.
 */
public final class EncoderCapture {
    private EncoderCapture() {
    }

    /**
     * What to capture.
     *
     * @param sentences            the sentences to embed, at least one
     * @param sentencesSource      where they came from ("--prompt" or a file), for the header
     * @param weights              the weight format the encoder is deployed in
     * @param heads                the model's attention heads (its config's num_attention_heads)
     * @param contentBlockElements fine block size of the weight-content histograms
     * @param producer             tool and version, for the header
     */
    public record Options(List<String> sentences, String sentencesSource, WeightQuant weights, int heads,
                          int contentBlockElements, String producer) {
        public Options {
            sentences = List.copyOf(sentences);
            if (sentences.isEmpty()) {
                throw new BadInputException(sentencesSource + ": no sentence to embed; expected at least one "
                        + "(one per line in a file)");
            }
            if (heads < 1) {
                throw new BadInputException("--heads " + heads + ": expected at least 1");
            }
            if (contentBlockElements < 1) {
                throw new BadInputException("--content-block " + contentBlockElements + ": expected at least 1");
            }
        }
    }

    /**
     * What was captured.
     *
     * @param embeddings    each sentence's embedding, in the order given, as the deployed encoder computed it
     * @param batches       encoder passes
     * @param tokens        real tokens of all sentences ([CLS] and [SEP] included)
     * @param rows          rows computed: each batch's sequences times its padded length (the step's tokens)
     * @param traceBytes    size of the trace file
     * @param encodeSeconds wall time of the traced encoder run alone
     * @param seconds       wall time of the whole capture after loading: deploying, the run and writing
     */
    public record Result(float[][] embeddings, int batches, int tokens, int rows, long traceBytes,
                         double encodeSeconds, double seconds) {
    }

    /** Captures into {@code out}; on failure no file is left there (an existing file is left as it was). */
    public static Result capture(ModelFile file, HfTokenizer tokenizer, Options o, Path out) {
        long start = System.nanoTime();
        if (OnnxDynamicQuantization.isQuantized(file)) {
            throw new BadInputException(file.name() + ": stores int8 weights already (onnxruntime's dynamic "
                    + "quantization); a capture deploys the fp32 weights in the --weights format: give the fp32 file "
                    + "(all-minilm-l6-v2.onnx for MiniLM)");
        }
        BertModel original = BertModel.of(file, o.heads());
        DeployedEncoder deployed = DeployedEncoder.of(original, o.weights());
        List<BertEncoder.Batch> plan = new BertEncoder(deployed.model(), tokenizer).batches(o.sentences());
        int rows = 0;
        int tokens = 0;
        int maxRows = 0;
        int maxSequences = 0;
        for (BertEncoder.Batch b : plan) {
            rows += b.rows();
            tokens += b.tokens();
            maxRows = Math.max(maxRows, b.rows());
            maxSequences = Math.max(maxSequences, b.sequences());
        }
        EncoderLayout layout = new EncoderLayout(deployed, maxRows, maxSequences);
        BertConfig c = original.config();
        TraceHeader header = new TraceHeader(TraceCapture.modelName(file),
                new ModelShape("bert", c.layers(), c.hidden(), c.intermediate(), c.heads(), c.heads(), c.headSize(),
                        c.vocabSize(), false, original.parameters()),
                o.weights().id(), "fp16", "none", rows, 0, o.producer(),
                new Provenance(Provenance.CAPTURED, file.sha256(), method(file, o, plan.size(), tokens, rows)),
                o.contentBlockElements());
        float[][][] embeddings = new float[1][][];
        long[] encodeNanos = new long[1];
        int totalRows = rows;
        try {
            TraceWriter.writeTo(out, header, layout.tensors(), w -> {
                TraceCapture.writeWeightContent(w, layout.tensors(), layout::weight, o.contentBlockElements());
                EncoderTracer tracer = new EncoderTracer(layout, totalRows, w::write);
                long t0 = System.nanoTime();
                embeddings[0] = new BertEncoder(deployed.model(), tokenizer, tracer).embedBatches(plan);
                encodeNanos[0] = System.nanoTime() - t0;
                tracer.finish();
            });
            return new Result(embeddings[0], plan.size(), tokens, rows, Files.size(out), encodeNanos[0] / 1e9,
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the trace: " + e.getMessage(), e);
        }
    }

    /**
     * CRC-32 of every value's fp32 bits, little-endian, row after row: a short fingerprint of a run's embeddings, to
     * print and compare.
     */
    public static long crc32(float[][] rows) {
        CRC32 crc = new CRC32();
        ByteBuffer b = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float v : row) {
                b.clear();
                b.putFloat(v);
                crc.update(b.array());
            }
        }
        return crc.getValue();
    }

    private static String method(ModelFile file, Options o, int batches, int tokens, int rows) {
        String weights = o.weights().quantized()
                ? "quantized " + o.weights().id() + " by nccsim's Quantizer in the file's [in][out] layout (the "
                + "encoder multiplies by the dequantized values; biases and LayerNorm vectors fp16); weight content: "
                + "histograms of the real codes"
                : o.weights().id() + (o.weights().type() == ElementType.FP32 ? " as in the file"
                : " (the encoder uses the rounded values)") + ", no content";
        return String.format(Locale.ROOT, "captured by 'nccsim capture' from nccsim's BertEncoder (BERT encoder, "
                        + "fp32 arithmetic, mean pooling and L2 normalization) running %s (sha256 of the ONNX file "
                        + "itself, also when it is read from inside a jar); weights %s; %d sentences from %s, %d "
                        + "tokens, run as %d batches padded to %d rows, traced as one prefill step over those rows; "
                        + "no KV cache; activations fp16 buffers, no content",
                Path.of(file.name()).getFileName(), weights, o.sentences().size(), o.sentencesSource(), tokens,
                batches, rows);
    }
}
