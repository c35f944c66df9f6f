package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.trace.ModelShape;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.TensorInfo;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceWriter;
import io.nccsim.trace.WeightContent;
import org.apache.commons.text.StringEscapeUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;

/**
 * Captures a trace from a real run: deploys a Llama-family model's weights (a llama2.c checkpoint, a GGUF file, or
 * safetensors with its config.json) under a weight format, generates text from a
 * prompt with the {@link LlamaEngine} running those deployed weights, and writes what that inference did to memory
 * as a trace whose content is captured: the quantizer's real weight symbols and the KV-cache codes actually stored.
 *
 * <p>The header, written first, states the number of decode steps, which only the run reveals (the model may end
 * its text early). So the generation runs twice: once plain, to learn its length and text, then again traced. The
 * engine and sampler are deterministic, and the traced run is checked to choose the same tokens, so the trace is
 * the record of the run whose text is returned.
 */
public final class TraceCapture {
    private TraceCapture() {
    }

    /**
     * What to capture.
     *
     * @param model                a llama2.c checkpoint, GGUF file or safetensors file
     * @param config               the Hugging Face config.json of a safetensors model; null for the one beside it
     *                             (other formats carry their own configuration)
     * @param tokenizer            its tokenizer: llama2.c tokenizer.bin or Hugging Face tokenizer.json
     * @param prompt               the prompt text ("" starts from BOS alone)
     * @param maxNewTokens         the most tokens to generate (at least 1)
     * @param weights              the weight format the model is deployed in
     * @param kv                   how the KV cache stores keys and values
     * @param temperature          0 for greedy decoding, else sampling temperature
     * @param topP                 nucleus for sampling (0 or 1: none)
     * @param seed                 the sampler's seed
     * @param contentBlockElements fine block size of the weight-content histograms
     * @param producer             tool and version, for the header
     */
    public record Options(Path model, Path config, Path tokenizer, String prompt, int maxNewTokens, WeightQuant weights,
                          KvPrecision kv, double temperature, double topP, long seed, int contentBlockElements,
                          String producer) {
        public Options {
            if (maxNewTokens < 1) {
                throw new BadInputException("--max-new-tokens " + maxNewTokens + ": expected at least 1");
            }
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new BadInputException("--temperature " + temperature + ": expected a finite number >= 0");
            }
            if (!(topP >= 0 && topP <= 1)) {
                throw new BadInputException("--top-p " + topP + ": expected 0..1");
            }
            if (contentBlockElements < 1) {
                throw new BadInputException("--content-block " + contentBlockElements + ": expected at least 1");
            }
        }
    }

    /**
     * What was captured.
     *
     * @param generation     the prompt tokens (BOS first) and the tokens generated
     * @param text           the prompt and the generated text, as llama2.c prints them
     * @param decodeSteps    forward passes after the prompt (the last generated token is output, not run)
     * @param forwardPasses  forward passes of the traced run: prompt tokens plus decode steps
     * @param traceBytes     size of the trace file
     * @param seconds        wall time of the whole capture: loading, deploying, both runs and writing
     */
    public record Result(Generation generation, String text, int decodeSteps, int forwardPasses, long traceBytes,
                         double seconds) {
    }

    /** Captures into {@code out}; on failure no file is left there (an existing file is left as it was). */
    public static Result capture(Options o, Path out) {
        return capture(o, ModelLoaders.load(o.model()), out);
    }

    /**
     * Captures from {@code file}, already loaded from {@link Options#model()}, into {@code out}; the seconds
     * reported count from this call.
     */
    public static Result capture(Options o, ModelFile file, Path out) {
        long start = System.nanoTime();
        LlamaConfig config = LlamaConfig.of(file, o.config());
        DecoderTokenizer tokenizer = DecoderTokenizer.load(o.tokenizer(), config.vocabSize());
        int[] prompt = encodePrompt(file, config, tokenizer, o.prompt());
        DeployedWeights deployed = DeployedWeights.of(file, config, o.weights());

        int[] passes = {0};
        AccessListener counter = new AccessListener() {
            @Override
            public void onForwardStart(int token, int pos) {
                passes[0]++;
            }
        };
        Generation planned = generate(deployed, o, counter, tokenizer, prompt);
        int decodeSteps = passes[0] - prompt.length;

        CaptureLayout layout = new CaptureLayout(deployed, o.kv(), prompt.length, prompt.length + decodeSteps);
        TraceHeader header = new TraceHeader(modelName(file), shape(deployed.model()), o.weights().id(), "fp16",
                layout.kvElementType().id(), prompt.length, decodeSteps, o.producer(),
                new Provenance(Provenance.CAPTURED, file.sha256(), method(file, config, o, prompt.length)),
                o.contentBlockElements());
        try {
            TraceWriter.writeTo(out, header, layout.tensors(), w -> {
                writeWeightContent(w, layout.tensors(), layout::weight, o.contentBlockElements());
                Tracer tracer = new Tracer(layout, prompt.length, w::write);
                Generation traced = generate(deployed, o, tracer, tokenizer, prompt);
                tracer.finish();
                if (!traced.equals(planned) || tracer.decodeSteps() != decodeSteps) {
                    throw new IllegalStateException("the traced run chose different tokens from the first run: "
                            + traced.generated() + " vs " + planned.generated());
                }
            });
            long bytes = Files.size(out);
            String text = tokenizer.decode(concat(Arrays.copyOfRange(prompt, 1, prompt.length),
                    planned.generatedTokens()));
            return new Result(planned, text, decodeSteps, passes[0], bytes, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the trace: " + e.getMessage(), e);
        }
    }

    /** The tokens of {@code prompt}, BOS first; it must fit in the model's context. */
    static int[] encodePrompt(ModelFile file, LlamaConfig config, DecoderTokenizer tokenizer, String prompt) {
        int[] tokens = tokenizer.encodePrompt(prompt);
        if (tokens.length > config.seqLen()) {
            throw new BadInputException("--prompt: " + tokens.length + " tokens (with BOS); expected at most the "
                    + config.seqLen() + " positions of the model's context (seq_len of " + file.name() + ")");
        }
        return tokens;
    }

    private static Generation generate(DeployedWeights deployed, Options o, AccessListener listener,
                                       DecoderTokenizer tokenizer, int[] prompt) {
        Sampler sampler = o.temperature() == 0 ? Sampler.greedy()
                : Sampler.sampling(o.temperature(), o.topP(), o.seed());
        LlamaEngine engine = new LlamaEngine(deployed.model(), o.kv(), listener);
        return new Generator(engine, sampler, tokenizer).generate(prompt, o.maxNewTokens());
    }

    /** The symbol histograms, block by block, of every quantized weight's real codes. */
    static void writeWeightContent(TraceWriter w, List<TensorInfo> tensors, Function<String, StoredWeight> weights,
                                   int block) {
        for (TensorInfo t : tensors) {
            if (t.role().dataClass() != TensorRole.DataClass.WEIGHTS || !t.elementType().quantized()) {
                continue;
            }
            byte[] symbols = weights.apply(t.name()).codes().symbols();
            int alphabet = t.elementType().alphabetSize();
            int blocks = (int) ((symbols.length + (long) block - 1) / block);
            int[][] hist = new int[blocks][alphabet];
            for (int i = 0; i < symbols.length; i++) {
                hist[i / block][symbols[i] & 0xFF]++;
            }
            w.writeWeightContent(new WeightContent(t.id(), block, hist));
        }
    }

    private static String method(ModelFile file, LlamaConfig config, Options o, int promptTokens) {
        String sampling = o.temperature() == 0 ? "greedy decoding"
                : String.format(Locale.ROOT, "sampling at temperature %s, top-p %s, seed %d", o.temperature(),
                o.topP(), o.seed());
        String kv = switch (o.kv()) {
            case INT8 -> "int8 with one fp32 scale per head vector; write histograms count the codes stored";
            case FP16 -> "fp16, no content";
            case FP32 -> "fp32, no content";
        };
        String weights = o.weights().quantized()
                ? "quantized " + o.weights().id() + " by nccsim's Quantizer (the engine multiplies by the "
                + "dequantized values; norm gains and biases fp16); weight content: histograms of the real codes"
                : o.weights().id() + (o.weights().type() == io.nccsim.trace.ElementType.FP32 ? " as in the file"
                : " (the engine uses the rounded values)") + ", no content";
        return String.format(Locale.ROOT, "captured by 'nccsim capture' from nccsim's LlamaEngine (llama2.c-style "
                        + "forward pass, fp32 arithmetic) running %s (%s; %s); weights %s; KV cache %s; "
                        + "activations fp16 buffers, no content; prompt \"%s\" (%d tokens with BOS), %s; prefill "
                        + "batched from the engine's token-by-token passes",
                Path.of(file.name()).getFileName(), file.format(), variant(config), weights, kv,
                StringEscapeUtils.escapeJava(o.prompt()), promptTokens, sampling);
    }

    /** The layout the engine ran: RoPE pairs, biases, fused projections, classifier. */
    private static String variant(LlamaConfig c) {
        return "RoPE " + c.ropeLayout().id() + (c.attentionBias() ? ", q/k/v biases" : "")
                + (c.fusedQkv() ? ", fused qkv" : "") + (c.fusedGateUp() ? ", fused gate_up" : "")
                + (c.sharedClassifier() ? ", tied classifier" : ", separate classifier");
    }

    static String modelName(ModelFile file) {
        String n = Path.of(file.name()).getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The header's shape of {@code m}. */
    static ModelShape shape(LlamaModel m) {
        LlamaConfig c = m.config();
        return new ModelShape("llama", c.layers(), c.dim(), c.hiddenDim(), c.heads(), c.kvHeads(), c.headSize(),
                c.vocabSize(), c.sharedClassifier(), m.parameters());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
