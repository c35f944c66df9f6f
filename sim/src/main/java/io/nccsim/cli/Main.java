package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code nccsim} command. With no subcommand it runs a simulation ({@code nccsim --config F --trace T} is
 * {@code nccsim run --config F --trace T}).
 *
 * <p>Exit codes: 0 success; 2 bad usage or bad input (one line on stderr naming the file and place); 1 an internal
 * error (a bug: the stack trace follows the one-line message).
 */
@Command(name = "nccsim", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Cycle-level simulator of a Neural Compression Coprocessor between an edge processor and its "
                + "DRAM. Replays an LLM access trace with and without the NCC and reports bandwidth, latency and "
                + "energy side by side.",
        subcommands = {RunCommand.class, TraceCommand.class, CaptureCommand.class, DramCommand.class,
            ValidateCommand.class, CompressCommand.class, FidelityCommand.class, CodecCommand.class, AblateCommand.class,
            IsaCommand.class, SweepCommand.class, FiguresCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (options.config == null && options.trace == null) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return CommandLine.ExitCode.USAGE;
        }
        return new RunJob(options, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns its exit code; used by {@link #main} and by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException) {
                commandLine.getErr().println("nccsim: error: " + ex.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            commandLine.getErr().println("nccsim: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return CommandLine.ExitCode.SOFTWARE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
