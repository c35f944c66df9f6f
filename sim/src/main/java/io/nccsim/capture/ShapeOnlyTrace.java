package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceWriter;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The trace of a model known by its configuration alone (a YAML file under configs/models/ or a Hugging Face
 * config.json), whose weights are not here: nccsim's {@link LlamaEngine} runs shape-only (the schedule of a real
 * run, every access reported, no arithmetic) over deployed weights sized from their shapes, and the same
 * {@link Tracer} that records captured traces records it, so its access stream is a captured trace's, event for
 * event. Its content is modeled from a fit file ({@link ModeledContent}) and the header says so.
 *
 * <p>Tokens are not computed (there are no logits): the prompt and every decode step's token are drawn uniformly
 * from the vocabulary with a seeded generator. They only choose which embedding rows are read.
 */
public final class ShapeOnlyTrace {
    private ShapeOnlyTrace() {
    }

    /**
     * What to trace.
     *
     * @param arch                 the model
     * @param archFile             where it came from, as given, for messages and the provenance
     * @param fitFile              the fit file content is modeled from
     * @param fitName              its name as given, for the provenance
     * @param weights              the weight format (not "auto", which needs real weights)
     * @param kv                   how the KV cache stores keys and values
     * @param promptTokens         the prompt's length: one batched prefill step
     * @param generatedTokens      decode steps after it
     * @param seed                 seed of the tokens and of the modeled content
     * @param contentBlockElements fine block size of the weight-content histograms
     * @param producer             tool and version, for the header
     */
    public record Options(ModelArch arch, String archFile, Path fitFile, String fitName, WeightQuant weights,
                          KvPrecision kv,
                          int promptTokens, int generatedTokens, long seed, int contentBlockElements,
                          String producer) {
    }

    /**
     * What was written.
     *
     * @param forwardPasses engine passes: prompt tokens plus decode steps
     * @param traceBytes    size of the trace file
     * @param seconds       wall time, fit file to closed trace
     */
    public record Result(int forwardPasses, long traceBytes, double seconds) {
    }

    /** The fit file shipped with the model configurations, made from stories260K. */
    public static final String DEFAULT_FIT = "fits/stories260K.yaml";

    /** The fit file to use when none is named: {@link #DEFAULT_FIT} in the folder of the model's configuration. */
    public static Path defaultFit(Path archFile) {
        return archFile.resolveSibling(DEFAULT_FIT);
    }

    /** Writes the trace to {@code out}; on failure no file is left there (an existing file is left as it was). */
    public static Result generate(Options o, Path out) {
        long start = System.nanoTime();
        ModelArch arch = o.arch();
        int context = o.promptTokens() + o.generatedTokens();
        if (o.promptTokens() < 1 || o.generatedTokens() < 0) {
            throw new BadInputException("--prompt-tokens " + o.promptTokens() + ", --generated-tokens "
                    + o.generatedTokens() + ": expected at least 1 prompt token and 0 or more generated tokens");
        }
        if (context > arch.maxSeqLen()) {
            throw new BadInputException("prompt plus generated tokens (" + context + ") exceed the model's context of "
                    + arch.maxSeqLen() + " (max_seq_len in " + o.archFile() + ")");
        }
        if (arch.slidingWindow() > 0 && context > arch.slidingWindow()) {
            throw new BadInputException("prompt plus generated tokens (" + context + ") exceed the model's attention "
                    + "window of " + arch.slidingWindow() + " (sliding_window in " + o.archFile() + "); the engine "
                    + "attends over the whole context, so a longer run would read more of the KV cache than the model");
        }
        ModeledContent.FitFile fit = ModeledContent.FitFile.read(o.fitFile(), o.fitName());
        LlamaModel model = LlamaModel.shapeOnly(arch.llamaConfig(), o.archFile());
        DeployedWeights deployed = DeployedWeights.shapeOnly(model, o.weights());
        RandomGenerator tokenRng = new Well19937c(o.seed());
        int[] tokens = new int[context];
        for (int i = 0; i < context; i++) {
            tokens[i] = tokenRng.nextInt(model.config().vocabSize());
        }
        String run = String.format(Locale.ROOT, "modeled by 'nccsim trace model': nccsim's LlamaEngine run "
                        + "shape-only (a real run's schedule and accesses, no arithmetic) for %s, the published "
                        + "architecture in %s (%s)%s; token ids uniform random (seed %d), which only choose the "
                        + "embedding rows read; activations fp16 buffers, no content", arch.name(), o.archFile(),
                arch.source(), variantsNote(arch), o.seed());
        write(out, arch.name(), deployed, o.kv(), tokens, o.promptTokens(), fit, o.seed(), o.contentBlockElements(),
                o.producer(), run);
        try {
            return new Result(context, Files.size(out), (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }

    /** The layout variants the model runs with, for the provenance; empty for the plain Llama layout. */
    private static String variantsNote(ModelArch arch) {
        List<String> run = new ArrayList<>();
        if (arch.fusedQkv()) {
            run.add("q, k and v fused into one qkv projection");
        }
        if (arch.fusedGateUp()) {
            run.add("gate and up fused into one gate_up projection");
        }
        if (arch.attentionBias()) {
            run.add("q/k/v biases");
        }
        return run.isEmpty() ? "" : "; layout: " + String.join(", ", run);
    }

    /**
     * Writes the shape-only trace of {@code deployed}'s model over {@code tokens} (the first {@code promptTokens}
     * a batched prefill, each further token a decode step), content modeled from {@code fit}; {@code run} opens the
     * provenance.
     */
    static void write(Path out, String modelName, DeployedWeights deployed, KvPrecision kv, int[] tokens,
                      int promptTokens, ModeledContent.FitFile fit, long seed, int block, String producer,
                      String run) {
        LlamaModel model = deployed.model();
        CaptureLayout layout = new CaptureLayout(deployed, kv, promptTokens, tokens.length);
        ModeledContent content = new ModeledContent(fit, layout, deployed.format(), seed);
        TraceHeader header = new TraceHeader(modelName, TraceCapture.shape(model), deployed.format().id(), "fp16",
                layout.kvElementType().id(), promptTokens, tokens.length - promptTokens, producer,
                new Provenance(Provenance.MODELED, null, run + ". " + content.describe(block)), block);
        try {
            TraceWriter.writeTo(out, header, layout.tensors(), w -> {
                content.writeWeightContent(w, block);
                Tracer tracer = new Tracer(layout, promptTokens, w::write, content.kvSymbols());
                LlamaEngine engine = LlamaEngine.shapeOnly(model, kv, tracer);
                for (int pos = 0; pos < tokens.length; pos++) {
                    engine.forward(tokens[pos], pos);
                }
                tracer.finish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write the trace: " + e.getMessage(), e);
        }
    }
}
