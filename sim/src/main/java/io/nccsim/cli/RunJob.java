package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Simulation;
import io.nccsim.report.HtmlReport;
import io.nccsim.report.OutputDir;
import io.nccsim.report.Report;
import io.nccsim.timeline.TimelineRecorder;
import io.nccsim.timeline.TimelineWindow;
import io.nccsim.timeline.TimelineWriter;
import io.nccsim.report.RunFigures;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
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
        TimelineWindow window = o.timeline == null ? null : TimelineWindow.parseMs(o.timeline, "--timeline");
        if (o.timelineMaxEvents < 1) {
            throw new BadInputException("--timeline-max-events " + o.timelineMaxEvents
                    + ": must be at least 1, e.g. --timeline-max-events 2000000");
        }
        if (o.config == null || o.trace == null) {
            throw new BadInputException("both --config FILE and --trace FILE are needed, e.g. "
                    + "--config configs/jetson_nano.yaml --trace traces/phi3.trace");
        }
        InputFiles.require(o.config, "--config", "no such config file");
        InputFiles.require(o.trace, "--trace", "no such trace file");
        SimConfig config = SimConfig.load(o.config, o.effectiveSets());
        TraceHeader header;
        try (TraceReader reader = TraceReader.open(o.trace)) {
            header = reader.header();
        }
        Path outDir = o.out != null ? o.out : InputFiles.defaultReportDir("", o.config, o.trace);
        OutputDir.checkWritable(outDir, o.force);

        TerminalProgress progress = new TerminalProgress(err, o.quiet);
        Comparison comparison = Simulation.compare(config, o.trace, progress, window, o.timelineMaxEvents);
        progress.done();

        Report report = new Report(Version.get(), o.config.toString(), o.effectiveSets(), o.seed, config.name(), config.resolved(),
                o.trace.toString(), header, comparison);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", report.json());
        files.put("report.csv", report.csv());
        String summary = report.summary();
        files.put("summary.txt", summary);
        files.put("report.html", HtmlReport.run(report.tree(), RunFigures.of(report.tree())));
        OutputDir.write(outDir, o.force, files);
        out.print(summary);
        out.println("report: " + outDir);
        if (window != null) {
            // Written after the report (which is written all at once): a timeline can be hundreds of MB, streamed.
            writeTimeline(comparison.ncc().timeline(), outDir.resolve("timeline.json"));
            writeTimeline(comparison.baseline().timeline(), outDir.resolve("timeline-baseline.json"));
        }
        return CommandLine.ExitCode.OK;
    }

    private void writeTimeline(TimelineRecorder recorder, Path file) {
        TimelineWriter.write(recorder, file);
        out.println("timeline: " + file + " (" + recorder.events() + " events; open in ui.perfetto.dev)");
        for (String note : TimelineWriter.notes(recorder)) {
            out.println("note: " + recorder.run() + " timeline: " + note);
        }
    }
}
