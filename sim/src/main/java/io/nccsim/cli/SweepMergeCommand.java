package io.nccsim.cli;

import io.nccsim.sweep.SweepMerge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code nccsim sweep merge --out DIR SHARD_DIR...}: joins the folders of a sharded sweep into one. */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Join the output folders of 'nccsim sweep --shard I/N' into one, in point order; checks they "
                + "come from the same spec and hold every point exactly once.")
public final class SweepMergeCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Merged results directory")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out")
    boolean force;

    @Parameters(paramLabel = "SHARD_DIR", arity = "1..*", description = "The shards' --out folders")
    List<Path> shards = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        int n = SweepMerge.merge(shards, out, force);
        cmd.commandLine().getOut().println("merged " + n + " points from " + shards.size() + " shards into " + out);
        return CommandLine.ExitCode.OK;
    }
}
