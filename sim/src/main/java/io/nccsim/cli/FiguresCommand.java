package io.nccsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.nccsim.common.BadInputException;
import io.nccsim.report.CrossRunFigures;
import io.nccsim.report.Figure;
import io.nccsim.report.FigureSet;
import io.nccsim.report.Figures;
import io.nccsim.report.HtmlReport;
import io.nccsim.report.OutputDir;
import io.nccsim.report.ResultsFiles;
import io.nccsim.report.RunFigures;
import io.nccsim.report.SweepFigures;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nccsim figures}: remakes the figures (SVG and PNG) and the HTML report from results already written, without
 * simulating: a run's out dir (report.json), a sweep's out dir (results.jsonl, sweep.json), or several run dirs at
 * once ({@code --runs}) for figures across them (bars per board, Pareto fronts of designs).
 */
@Command(name = "figures", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Remake figures (SVG + PNG) and the HTML report from a run's or a sweep's results, or make "
                + "figures across several runs, without simulating.")
public final class FiguresCommand implements Callable<Integer> {
    @Option(names = "--results", paramLabel = "DIR",
            description = "A run's out dir (has report.json) or a sweep's (has results.jsonl)")
    Path results;

    @Option(names = "--runs", paramLabel = "DIR", arity = "1..*",
            description = "Several run out dirs: figures across them (needs --out)")
    List<Path> runs;

    @Option(names = "--spec", paramLabel = "FILE", description = "The sweep's spec file, shown in the HTML report")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the figures and report.html go (default: DIR/figures for --results)")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out directory")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        if ((results == null) == (runs == null || runs.isEmpty())) {
            throw new BadInputException("give either --results DIR (a run's or a sweep's out dir) or --runs DIR..., "
                    + "e.g. nccsim figures --results reports/my-run");
        }
        Path outDir;
        FigureSet figures;
        String html;
        if (results != null) {
            if (!Files.isDirectory(results)) {
                throw new BadInputException("--results " + results + ": no such directory (looked in "
                        + results.toAbsolutePath() + ")");
            }
            outDir = out != null ? out : results.resolve("figures");
            if (ResultsFiles.isSweepDir(results)) {
                if (spec != null) {
                    InputFiles.require(spec, "--spec", "no such spec file");
                }
                OutputDir.checkWritable(outDir, force);
                figures = sweepFigures(results);
                html = sweepHtml(results, spec, figures);
            } else if (ResultsFiles.isRunDir(results)) {
                if (spec != null) {
                    throw new BadInputException("--spec " + spec + ": a spec belongs to a sweep, but " + results
                            + " is a run's out dir; leave --spec out");
                }
                JsonNode report = ResultsFiles.readReport(results);
                OutputDir.checkWritable(outDir, force);
                figures = RunFigures.of(report);
                html = HtmlReport.run(report, figures);
            } else {
                throw new BadInputException("--results " + results + ": has neither " + ResultsFiles.REPORT + " (a "
                        + "run's out dir) nor " + ResultsFiles.RESULTS + " (a sweep's); point it at one of those");
            }
        } else {
            if (spec != null) {
                throw new BadInputException("--spec " + spec + ": a spec belongs to a sweep (--results DIR); leave "
                        + "it out with --runs");
            }
            if (out == null) {
                throw new BadInputException("--runs needs --out DIR (where the figures across the runs go)");
            }
            outDir = out;
            List<JsonNode> reports = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            for (Path r : runs) {
                reports.add(ResultsFiles.readReport(r));
                dirs.add(r.toString());
            }
            OutputDir.checkWritable(outDir, force);
            figures = CrossRunFigures.of(reports);
            html = HtmlReport.runs(reports, dirs, figures);
        }
        write(outDir, force, figures, html);
        CommandLine cl = commandSpec.commandLine();
        for (String s : figures.skipped()) {
            cl.getOut().println("skipped " + s);
        }
        cl.getOut().println("wrote " + outDir + " (" + figures.figures().size() + " figures as SVG and PNG, "
                + "report.html)");
        return CommandLine.ExitCode.OK;
    }

    private static FigureSet sweepFigures(Path results) {
        return SweepFigures.of(ResultsFiles.readResults(results), ResultsFiles.readSweep(results));
    }

    private static String sweepHtml(Path results, Path spec, FigureSet figures) {
        return HtmlReport.sweep(ResultsFiles.readResults(results), ResultsFiles.readSweep(results),
                spec == null ? "" : spec.toString(), spec == null ? null : readText(spec), figures);
    }

    /** The figures (SVG and PNG) and report.html, written together or not at all. */
    private static void write(Path outDir, boolean force, FigureSet figures, String html) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Figure f : figures.figures()) {
            files.put(f.name() + ".svg", Figures.svg(f.chart()).getBytes(StandardCharsets.UTF_8));
            files.put(f.name() + ".png", Figures.png(f.chart()));
        }
        files.put("report.html", html.getBytes(StandardCharsets.UTF_8));
        OutputDir.writeBytes(outDir, force, files);
    }

    /**
     * A finished sweep's figures and HTML report into {@code results/figures} (what {@code nccsim figures --results
     * DIR --spec FILE} makes), replacing an earlier set; returns how many figures were drawn.
     */
    static int writeSweepReport(Path results, Path spec) {
        FigureSet figures = sweepFigures(results);
        write(results.resolve("figures"), true, figures, sweepHtml(results, spec, figures));
        return figures.figures().size();
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException("--spec " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
