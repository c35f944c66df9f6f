package io.nccsim.cli;

import io.nccsim.report.DramValidation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nccsim validate ...}: the model held against independent references, written as a report. */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Check a model against values derived independently and write the report.",
        subcommands = {ValidateCommand.Dram.class})
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "dram", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Bandwidth and unloaded latency of the cycle-level DRAM against values derived from its "
                    + "timing table (streaming, random, read/write mix; 32- and 64-bit buses), and the error of "
                    + "steady-state sampling against full detail. Writes reports/validation/dram.md.")
    static final class Dram implements Callable<Integer> {
        @Option(names = "--config", defaultValue = "configs/jetson_nano.yaml", paramLabel = "FILE",
                description = "Board config whose DRAM is validated (default ${DEFAULT-VALUE})")
        Path config;

        @Option(names = "--model", defaultValue = "configs/models/smollm2-135m.yaml", paramLabel = "FILE",
                description = "Model shape of the trace for the sampling check (default ${DEFAULT-VALUE})")
        Path model;

        @Option(names = {"-o", "--out"}, defaultValue = "reports/validation/dram.md", paramLabel = "FILE",
                description = "Report to write (default ${DEFAULT-VALUE}); replaced whole when done")
        Path out;

        @Option(names = "--quiet", description = "No progress output")
        boolean quiet;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            InputFiles.require(config, "--config", "no such config file");
            InputFiles.require(model, "--model", "no such model file");
            Path scratch = Files.createTempDirectory("nccsim-validate");
            try {
                String command = "java -jar sim/target/nccsim.jar validate dram --config " + config + " --model "
                        + model + " -o " + out;
                String md = new DramValidation(config, model).run(command, scratch,
                        new TerminalProgress(spec.commandLine().getErr(), quiet));
                InputFiles.writeAtomically(out, md);
                spec.commandLine().getOut().print(md);
                spec.commandLine().getOut().println("wrote " + out);
                return CommandLine.ExitCode.OK;
            } finally {
                try (var files = Files.list(scratch)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Files.deleteIfExists(scratch);
            }
        }
    }
}
