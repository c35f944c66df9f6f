package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Simulation;
import io.nccsim.report.OutputDir;
import io.nccsim.report.Report;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** One simulation run from the command line: load, check the output, simulate both runs, write the report. */
final class RunJob {
    private final RunOptions o;
    private final PrintWriter out;
    private final PrintWriter err;

    RunJob(RunOptions options, PrintWriter out, PrintWriter err) {
        this.o = options;
        this.out = out;
        this.err = err;
    }

    int run() {
        if (o.config == null || o.trace == null) {
            throw new BadInputException("both --config FILE and --trace FILE are needed, e.g. "
                    + "--config configs/jetson_nano.yaml --trace traces/phi3.trace");
        }
        requireFile(o.config, "--config", "no such config file");
        requireFile(o.trace, "--trace", "no such trace file");
        SimConfig config = SimConfig.load(o.config, o.effectiveSets());
        TraceHeader header;
        try (TraceReader reader = TraceReader.open(o.trace)) {
            header = reader.header();
        }
        Path outDir = o.out != null ? o.out : defaultOutDir();
        OutputDir.checkWritable(outDir, o.force);

        TerminalProgress progress = new TerminalProgress(err, o.quiet);
        Comparison comparison = Simulation.compare(config, o.trace, progress);
        progress.done();

        Report report = new Report(Version.get(), o.config.toString(), o.effectiveSets(), o.seed, config.name(), config.resolved(),
                o.trace.toString(), header, comparison);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", report.json());
        files.put("report.csv", report.csv());
        String summary = report.summary();
        files.put("summary.txt", summary);
        OutputDir.write(outDir, o.force, files);
        out.print(summary);
        out.println("report: " + outDir);
        return CommandLine.ExitCode.OK;
    }

    private static void requireFile(Path p, String option, String what) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(option + " " + p + ": " + what + " (looked in " + p.toAbsolutePath() + ")");
        }
    }

    private Path defaultOutDir() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("reports", stem(o.config) + "-" + stem(o.trace) + "-" + stamp);
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
