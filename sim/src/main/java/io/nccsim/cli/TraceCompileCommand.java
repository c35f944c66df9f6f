package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.NccConfig;
import io.nccsim.config.SimConfig;
import io.nccsim.driver.Progress;
import io.nccsim.driver.RunResult;
import io.nccsim.driver.Simulation;
import io.nccsim.isa.Disassembler;
import io.nccsim.ncc.NccDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nccsim trace compile}: the NCC program the driver gives the NCC when the trace runs on a board, as
 * assembly text ({@code nccsim isa asm} turns it into bytes). The program is taken from a real run of the NCC
 * configuration, so its table loads follow the run's replacement decisions and its levels the run's level
 * controller; a comment line before each tile's commands names the tensor and byte range.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write the NCC program (assembly text) the driver issues while TRACE runs on a board.")
public final class TraceCompileCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Board config (YAML)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "assembly file to write")
    Path output;

    @Option(names = "--force", description = "replace an existing output file")
    boolean force;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "write only the first N instructions (the run still completes; default: all)")
    Long maxInstructions;

    @Parameters(paramLabel = "TRACE", description = "LLM access trace, e.g. traces/phi3.trace")
    Path trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        InputFiles.require(config, "--config", "no such config file");
        InputFiles.require(trace, "", "no such trace file");
        if (maxInstructions != null && maxInstructions < 1) {
            throw new BadInputException("--max-instructions " + maxInstructions + ": expected at least 1");
        }
        if (Files.isDirectory(output)) {
            throw new BadInputException("-o " + output + ": is a directory; expected a file path");
        }
        InputFiles.checkOutputFile(output, force);
        SimConfig cfg = SimConfig.load(config, sets);
        if (cfg.ncc().model() == NccConfig.Model.BYPASS) {
            throw new BadInputException(config + ": ncc.model is bypass, so the driver issues no NCC program; "
                    + "compile with an NCC design (e.g. ncc.model=huffman)");
        }
        long limit = maxInstructions == null ? Long.MAX_VALUE : maxInstructions;
        Path abs = output.toAbsolutePath().normalize();
        Path temp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        long[] written = {0, 0};
        try {
            Files.createDirectories(abs.getParent());
            RunResult r;
            try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
                w.write("# NCC program of " + trace.getFileName() + " on " + cfg.name() + " (nccsim trace compile)\n");
                r = Simulation.run(cfg, trace, "ncc", Progress.NONE, ncc -> {
                    if (ncc instanceof NccDriver d) {
                        d.listen((instruction, comment) -> {
                            written[1]++;
                            if (written[0] >= limit) {
                                return;
                            }
                            try {
                                if (comment != null) {
                                    w.write("# " + comment + "\n");
                                }
                                w.write(Disassembler.format(instruction));
                                w.write('\n');
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            written[0]++;
                        });
                    }
                });
            }
            Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "wrote %s: %d of %d NCC instructions over %.3f ms of simulated time", output, written[0],
                    written[1], r.simTimePs() * 1e-9));
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("could not write " + output + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is what the user needs to see
            }
        }
        return CommandLine.ExitCode.OK;
    }
}
