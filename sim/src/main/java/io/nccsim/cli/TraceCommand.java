package io.nccsim.cli;

import io.nccsim.capture.ModelArch;
import io.nccsim.capture.ModeledTraceGenerator;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.TraceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nccsim trace ...}: look into traces and make them. */
@Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Inspect and generate LLM access traces, and export their memory-request streams.",
        subcommands = {TraceCommand.Info.class, TraceCommand.Model.class, TraceExportCommand.class})
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
            description = "Write a trace with MODELED content for a model known by its published shape "
                    + "(configs/models/*.yaml).")
    static final class Model implements Callable<Integer> {
        @Option(names = "--arch", required = true, paramLabel = "FILE", description = "model shape, e.g. configs/models/phi3-mini-4k.yaml")
        Path arch;

        @Option(names = "--prompt-tokens", defaultValue = "128", description = "prompt length (default ${DEFAULT-VALUE})")
        int promptTokens;

        @Option(names = "--generated-tokens", defaultValue = "128", description = "tokens to generate (default ${DEFAULT-VALUE})")
        int generatedTokens;

        @Option(names = "--weights", defaultValue = "int4-g128-sym", description = "weight format (default ${DEFAULT-VALUE})")
        String weights;

        @Option(names = "--kv", defaultValue = "int8", description = "KV-cache type: int8 or fp16 (default ${DEFAULT-VALUE})")
        String kv;

        @Option(names = "--content-block", defaultValue = "16384", description = "elements per content histogram block (default ${DEFAULT-VALUE})")
        int contentBlock;

        @Option(names = "--seed", defaultValue = "1", description = "seed of the modeled content (default ${DEFAULT-VALUE})")
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
            ModeledTraceGenerator.generate(new ModeledTraceGenerator.Options(a, arch.toString().replace('\\', '/'), q,
                    kv, promptTokens, generatedTokens, seed, contentBlock, "nccsim " + Version.get() + " trace model"),
                    output);
            spec.commandLine().getOut().println("wrote " + output + " (" + a.name() + ", content: modeled)");
            return CommandLine.ExitCode.OK;
        }
    }
}
