package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.sweep.Shard;
import io.nccsim.sweep.SweepPlan;
import io.nccsim.sweep.SweepRunner;
import io.nccsim.sweep.SweepSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nccsim sweep}: runs every point of a sweep spec (base config x traces x axes over config keys), in parallel,
 * into results.jsonl and results.csv; resumable and shardable. {@code nccsim sweep merge} joins shards.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run a design-space sweep: every point of a spec (configs/sweeps/NAME.yaml), baseline and NCC, "
                + "into results.jsonl and results.csv.",
        subcommands = {SweepMergeCommand.class})
public final class SweepCommand implements Callable<Integer> {
    @Option(names = "--spec", paramLabel = "FILE", description = "Sweep spec (YAML), e.g. configs/sweeps/level_model.yaml")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results directory (default: reports/sweep-<spec>-<timestamp>/)")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Points run at once (default: available processors)")
    Integer jobs;

    @Option(names = "--resume", description = "Continue the sweep in --out: run only the points not yet in "
            + "results.jsonl (a missing or empty --out starts the sweep)")
    boolean resume;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only the points whose index mod N is I-1 "
            + "(1-based I), e.g. --shard $SLURM_ARRAY_TASK_ID/8; join the shards with 'nccsim sweep merge'")
    String shard;

    @Option(names = "--force", description = "Start over in a non-empty --out (deletes its sweep files)")
    boolean force;

    @Option(names = "--quiet", description = "No progress output")
    boolean quiet;

    /** Stops after N points: how the tests stand in for a sweep killed part-way. */
    @Option(names = "--max-points", hidden = true, defaultValue = "0")
    int maxPoints;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        if (spec == null) {
            throw new BadInputException("--spec FILE is needed, e.g. nccsim sweep --spec configs/sweeps/"
                    + "level_model.yaml (or: nccsim sweep merge --out DIR SHARD_DIR...)");
        }
        Shard s = shard == null ? Shard.ALL : Shard.parse(shard);
        int n = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (n < 1) {
            throw new BadInputException("--jobs " + n + ": expected at least 1");
        }
        if (maxPoints < 0) {
            throw new BadInputException("--max-points " + maxPoints + ": expected at least 0");
        }
        SweepPlan plan = SweepPlan.of(SweepSpec.load(spec));
        Path dir = out;
        if (dir == null) {
            Path d = InputFiles.defaultReportDir("sweep-", spec);
            dir = s.isAll() ? d : d.resolveSibling(d.getFileName() + "-shard" + s.index() + "of" + s.count());
        }
        PrintWriter err = cmd.commandLine().getErr();
        SweepRunner.Outcome o = SweepRunner.run(plan, dir,
                new SweepRunner.Options(n, resume, force, s, maxPoints),
                new SweepProgress(err, quiet, System.console() != null), Version.get());
        PrintWriter stdout = cmd.commandLine().getOut();
        stdout.printf("sweep %s%s: %d points run, %d already done, %d of %d finished%s%n", plan.spec().name(),
                s.isAll() ? "" : " shard " + s, o.ran(), o.alreadyDone(), o.ran() + o.alreadyDone(), o.total(),
                o.complete() ? "" : " (rerun with --resume to finish)");
        stdout.println("results: " + dir);
        if (o.complete() && s.isAll()) {
            int figures = FiguresCommand.writeSweepReport(dir, spec);
            stdout.println("report: " + dir.resolve("figures").resolve("report.html") + " (" + figures
                    + " figures)");
        }
        return CommandLine.ExitCode.OK;
    }
}
