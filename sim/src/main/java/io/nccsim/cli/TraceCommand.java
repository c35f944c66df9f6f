package io.nccsim.cli;

import io.nccsim.capture.ContentFits;
import io.nccsim.capture.ContentFitter;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.ModelArch;
import io.nccsim.capture.ShapeOnlyTrace;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.TraceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code nccsim trace ...}: look into traces and make them. */
@Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Inspect and generate LLM access traces, and export their memory-request streams.",
        subcommands = {TraceCommand.Info.class, TraceCommand.Model.class, TraceCommand.Fit.class,
                TraceExportCommand.class, TraceCompileCommand.class})
public final class TraceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print a trace's header, provenance, tensor table summary, event counts and content summary.")
    static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "trace file")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            InputFiles.require(file, "", "no such trace file");
            spec.commandLine().getOut().print(TraceInfo.describe(file));
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "model", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Write a trace with MODELED content for a model known by its configuration alone "
                    + "(configs/models/*.yaml or a Hugging Face config.json): the inference engine runs its schedule "
                    + "shape-only, content is drawn from distributions fitted to a real model (--fit).")
    static final class Model implements Callable<Integer> {
        @Option(names = "--arch", required = true, paramLabel = "FILE",
                description = "model configuration: configs/models/NAME.yaml, or a config.json")
        Path arch;

        @Option(names = "--fit", paramLabel = "FILE", description = "fitted value distributions, made by 'nccsim "
                + "trace fit' (default: " + ShapeOnlyTrace.DEFAULT_FIT + " beside the --arch file)")
        Path fit;

        @Option(names = "--prompt-tokens", defaultValue = "128", description = "prompt length (default ${DEFAULT-VALUE})")
        int promptTokens;

        @Option(names = "--generated-tokens", defaultValue = "128",
                description = "decode steps after the prompt (default ${DEFAULT-VALUE})")
        int generatedTokens;

        @Option(names = "--weights", defaultValue = "int4-g128-sym", description = "weight format (default ${DEFAULT-VALUE})")
        String weights;

        @Option(names = "--kv", defaultValue = "int8", paramLabel = "fp32|fp16|int8",
                description = "KV-cache storage (default ${DEFAULT-VALUE})")
        String kv;

        @Option(names = "--content-block", defaultValue = "16384", description = "elements per content histogram block (default ${DEFAULT-VALUE})")
        int contentBlock;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the tokens and the modeled content (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "trace to write")
        Path output;

        @Option(names = "--force", description = "replace an existing output file")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            InputFiles.require(arch, "--arch", "no such model file");
            Path fitFile = fit != null ? fit : ShapeOnlyTrace.defaultFit(arch);
            InputFiles.require(fitFile, "--fit", "no such fit file; name one with --fit, or make one with "
                    + "'nccsim trace fit'");
            InputFiles.checkOutputFile(output, force);
            if (contentBlock < 64 || contentBlock > (1 << 24)) {
                throw new BadInputException("--content-block " + contentBlock + ": expected 64..16777216 elements");
            }
            ModelArch a = ModelArch.load(arch);
            WeightQuant q = WeightQuant.parse(weights, "--weights");
            if (q.auto()) {
                // The per-tensor choice reads real weights; modeled content has none to read.
                throw new BadInputException("--weights " + weights + ": 'auto' chooses per tensor from real weights, "
                        + "which a modeled trace does not have; expected sym or asym, e.g. int4-g128-sym");
            }
            ShapeOnlyTrace.Result r = ShapeOnlyTrace.generate(new ShapeOnlyTrace.Options(a,
                    arch.toString().replace('\\', '/'), fitFile, fitFile.toString().replace('\\', '/'), q,
                    KvPrecision.parse(kv, "--kv"), promptTokens, generatedTokens, seed, contentBlock,
                    "nccsim " + Version.get() + " trace model"), output);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%s, %d forward passes run shape-only, "
                    + "%d bytes in %.1f s, content: modeled)%n", output, a.name(), r.forwardPasses(), r.traceBytes(),
                    r.seconds());
            return CommandLine.ExitCode.OK;
        }
    }

    @Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Fit value distributions (Gaussian, Laplace, Student-t, by maximum likelihood) to a real "
                    + "llama2.c model's weights by role and to its KV cache and activations on a prompt, and write "
                    + "the fit file 'trace model --fit' draws content from.")
    static final class Fit implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "llama2.c checkpoint (.bin)")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE",
                description = "llama2.c tokenizer (default: the one tok*.bin beside the model)")
        Path tokenizer;

        @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "prompt of the run")
        String prompt;

        @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "tokens to generate at most")
        int maxNewTokens;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "fit file to write")
        Path output;

        @Option(names = "--force", description = "replace an existing output file")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            InputFiles.require(model, "--model", "no such model file");
            Path tok = tokenizer != null ? tokenizer : CaptureCommand.defaultTokenizer(model);
            InputFiles.require(tok, "--tokenizer", "no such tokenizer file");
            InputFiles.checkOutputFile(output, force);
            if (maxNewTokens < 1) {
                throw new BadInputException("--max-new-tokens " + maxNewTokens + ": expected at least 1");
            }
            long start = System.nanoTime();
            ContentFits fits = ContentFitter.fit(new ContentFitter.Options(model, tok, prompt, maxNewTokens,
                    "nccsim " + Version.get() + " trace fit"));
            InputFiles.writeAtomically(output, fits.toYaml());
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d weight roles, KV cache, %d activations "
                    + "fitted in %.1f s)%n", output, fits.weights().size(), fits.activations().size(),
                    (System.nanoTime() - start) / 1e9);
            return CommandLine.ExitCode.OK;
        }
    }
}
