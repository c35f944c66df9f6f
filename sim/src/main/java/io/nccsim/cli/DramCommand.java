package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.RequestReplay;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.RequestTraceReader;
import io.nccsim.report.DramReport;
import io.nccsim.report.OutputDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nccsim dram}: replays a memory-request trace (DRAMSim3 or Ramulator 2 format) on a board's DRAM with the
 * cycle-level LPDDR model and reports bandwidth, read latency, row-buffer outcomes and energy.
 */
@Command(name = "dram", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Replay a memory-request trace on a board's DRAM with the cycle-level LPDDR model "
                + "(memory.model=lpddr whatever the config says) and report bandwidth, read latency, row-buffer "
                + "hits and energy.",
            "Formats: DRAMSim3 '0xADDR READ|WRITE CYCLE' (CYCLE: not before that DRAM cycle; 0: as soon as "
                + "accepted) and Ramulator 2 'LD|ST 0xADDR' (as soon as accepted). Requests are issued in file "
                + "order, each after the previous one was accepted."})
public final class DramCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Board config (YAML), e.g. configs/jetson_nano.yaml")
    Path config;

    @Option(names = "--requests", required = true, paramLabel = "FILE",
            description = "Memory-request trace (DRAMSim3 or Ramulator 2 format)")
    Path requests;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: reports/dram-<config>-<requests>-<timestamp>/)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config value by its dotted path, e.g. --set memory.bus_width_bits=16 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--check-dram", description = "Check every DRAM command against its standard's timing with the "
            + "independent checker; timing_violations is in the report")
    boolean checkDram;

    @Option(names = "--force", description = "Replace a non-empty --out directory")
    boolean force;

    @Option(names = "--quiet", description = "No progress output")
    boolean quiet;

    @Option(names = "--request-bytes", paramLabel = "N", defaultValue = "64",
            description = "Bytes each request moves (default ${DEFAULT-VALUE}, a cache line)")
    int requestBytes;

    @Option(names = "--format", paramLabel = "dramsim3|ramulator2",
            description = "The trace's format (default: detected from its first request line)")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The --set overrides, then those the command implies (which win). */
    List<String> effectiveSets() {
        List<String> all = new ArrayList<>(sets);
        all.add("memory.model=lpddr");
        if (checkDram) {
            all.add("memory.controller.check_timing=true");
        }
        return all;
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        InputFiles.require(config, "--config", "no such config file");
        InputFiles.require(requests, "--requests", "no such request trace file");
        if (requestBytes < 1 || requestBytes > (1 << 20)) {
            throw new BadInputException("--request-bytes " + requestBytes + ": expected 1..1048576 bytes");
        }
        RequestTrace.Format fmt = format == null ? null : RequestTrace.Format.parse(format, "--format");
        List<String> all = effectiveSets();
        SimConfig cfg = SimConfig.load(config, all);
        Path outDir = out != null ? out : InputFiles.defaultReportDir("dram-", config, requests);
        OutputDir.checkWritable(outDir, force);

        RequestReplay.Result result;
        RequestTrace.Format detected;
        try (RequestTraceReader reader = RequestTraceReader.open(requests, fmt)) {
            detected = reader.format();
            RequestTrace.Source source = quiet ? reader : new ProgressSource(reader, stderr);
            result = RequestReplay.run(cfg.memory(), source, requestBytes);
            if (result.requests() == 0) {
                throw new BadInputException(requests + ": no requests; expected lines "
                        + RequestTrace.Format.DRAMSIM3.shape() + " (DRAMSim3) or "
                        + RequestTrace.Format.RAMULATOR2.shape() + " (Ramulator 2)");
            }
        }
        DramReport report = new DramReport(Version.get(), config.toString(), all, cfg.name(), cfg.resolved(),
                cfg.memory(), requests.toString(), detected, result);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", report.json());
        files.put("summary.txt", report.summary());
        OutputDir.write(outDir, force, files);
        stdout.print(report.summary());
        stdout.println("report: " + outDir);
        return CommandLine.ExitCode.OK;
    }

    /** Passes the requests through and prints how much of the file was read, every 10%, on stderr. */
    private static final class ProgressSource implements RequestTrace.Source {
        private final RequestTraceReader reader;
        private final PrintWriter err;
        private final long startNs = System.nanoTime();
        private int lastTenth;

        ProgressSource(RequestTraceReader reader, PrintWriter err) {
            this.reader = reader;
            this.err = err;
        }

        @Override
        public RequestTrace.Entry next() {
            RequestTrace.Entry e = reader.next();
            long size = reader.fileSize();
            if (size > (8L << 20) && (reader.requestsRead() & 0xffff) == 0) {
                int tenth = (int) (reader.bytePosition() * 10 / size);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.printf(Locale.ROOT, "dram: %d%% of %s replayed, %.1f s elapsed%n", tenth * 10, reader.name(),
                            (System.nanoTime() - startNs) / 1e9);
                    err.flush();
                }
            }
            return e;
        }

        @Override
        public String name() {
            return reader.name();
        }
    }
}
