package io.nccsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code nccsim run}: the baseline and the NCC on one config and trace, written as a report. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Simulate a trace on a board config, with and without the NCC, and write the report.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    RunOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return new RunJob(options, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }
}
