package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.dram.MemoryModels;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.RequestTraceWriter;
import io.nccsim.driver.RequestCapture;
import io.nccsim.engine.ClockDomain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nccsim trace export}: the memory-request stream an LLM trace's baseline replay (NCC bypassed) puts on a
 * board's DRAM, as a DRAMSim3 or Ramulator 2 trace. Each memory request is split into request-size lines in address
 * order (covering it: an unaligned request gets the whole lines it touches), each with the DRAM cycle (tCK of the
 * config's standard and data rate) of the first clock edge at or after the memory accepted the request.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Write the memory-request stream of a trace's baseline run (NCC bypassed) on a board as a "
                + "DRAMSim3 ('0xADDR READ|WRITE CYCLE') or Ramulator 2 ('LD|ST 0xADDR') trace.",
            "CYCLE is the DRAM clock cycle at which the request reached the memory. A full trace is many GB of "
                + "requests: --steps and --max-requests cut it short."})
public final class TraceExportCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, paramLabel = "dramsim3|ramulator2", description = "output format")
    String format;

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Board config (YAML), e.g. configs/jetson_nano.yaml")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config value by its dotted path (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "file to write (default: standard output)")
    Path output;

    @Option(names = "--force", description = "replace an existing output file")
    boolean force;

    @Option(names = "--max-requests", paramLabel = "N",
            description = "stop after N request lines (default: unlimited)")
    Long maxRequests;

    @Option(names = "--steps", paramLabel = "N", description = "only the first N steps (prefill, decodes) of the trace")
    Integer steps;

    @Option(names = "--request-bytes", paramLabel = "N", defaultValue = "64",
            description = "bytes per request line (default ${DEFAULT-VALUE}, a cache line)")
    int requestBytes;

    @Option(names = "--quiet", description = "no summary line when writing to standard output")
    boolean quiet;

    @Parameters(paramLabel = "TRACE", description = "LLM access trace, e.g. traces/phi3.trace")
    Path trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RequestTrace.Format fmt = RequestTrace.Format.parse(format, "--format");
        InputFiles.require(config, "--config", "no such config file");
        InputFiles.require(trace, "", "no such trace file");
        if (maxRequests != null && maxRequests < 1) {
            throw new BadInputException("--max-requests " + maxRequests + ": expected at least 1");
        }
        if (steps != null && steps < 1) {
            throw new BadInputException("--steps " + steps + ": expected at least 1");
        }
        if (requestBytes < 1 || requestBytes > (1 << 20)) {
            throw new BadInputException("--request-bytes " + requestBytes + ": expected 1..1048576 bytes");
        }
        if (output != null) {
            if (Files.isDirectory(output)) {
                throw new BadInputException("-o " + output + ": is a directory; expected a file path");
            }
            InputFiles.checkOutputFile(output, force);
        }
        SimConfig cfg = SimConfig.load(config, sets);
        double tckPs = MemoryModels.timingTable(cfg.memory()).tCKps();
        ClockDomain dram = new ClockDomain("dram", 1e12 / tckPs);
        long limit = maxRequests == null ? Long.MAX_VALUE : maxRequests;

        Path temp = null;
        Writer sinkWriter;
        try {
            if (output != null) {
                Path abs = output.toAbsolutePath().normalize();
                Files.createDirectories(abs.getParent());
                temp = abs.getParent().resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
                sinkWriter = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII);
            } else {
                sinkWriter = new FilterWriter(spec.commandLine().getOut()) {
                    @Override
                    public void close() throws IOException {
                        flush(); // standard output stays open
                    }
                };
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + output + ": " + e.getMessage(), e);
        }
        Export export = new Export(new RequestTraceWriter(sinkWriter, fmt), dram, requestBytes, limit);
        RequestCapture.Result capture;
        try {
            try {
                capture = RequestCapture.run(cfg, trace, steps == null ? 0 : steps, export::accept);
            } finally {
                export.writer.close(); // flushes; the temp file is moved into place only after this
            }
            if (temp != null) {
                Files.move(temp, output.toAbsolutePath().normalize(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                temp = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + output + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is what the user needs to see
                }
            }
        }

        RequestTraceWriter w = export.writer;
        String what = String.format(Locale.ROOT, "%d requests of %d B = %d bytes (%d reads, %d writes; %s) "
                        + "for %d memory requests (%d bytes) of %d step%s of %s, baseline on %s (memory.model %s)%s",
                w.requests(), requestBytes, w.requests() * requestBytes, w.reads(), w.writes(),
                fmt.timed() ? String.format(Locale.ROOT, "DRAM cycles up to %d at tCK %.1f ps", w.lastCycle(), tckPs)
                        : "no timing",
                export.requests, export.requestedBytes, capture.steps(), capture.steps() == 1 ? "" : "s", trace,
                cfg.name(), cfg.memory().model().name().toLowerCase(Locale.ROOT),
                export.full ? "; reached --max-requests " + limit : "");
        if (output != null) {
            spec.commandLine().getOut().println("wrote " + output + " (" + fmt.displayName() + "): " + what);
        } else if (!quiet) {
            spec.commandLine().getErr().println("exported " + what);
        }
        return CommandLine.ExitCode.OK;
    }

    /** Turns each accepted memory request into request-size lines until the limit. */
    private static final class Export {
        final RequestTraceWriter writer;
        final ClockDomain dram;
        final int lineBytes;
        final long limit;
        long requests;
        long requestedBytes;
        boolean full;

        Export(RequestTraceWriter writer, ClockDomain dram, int lineBytes, long limit) {
            this.writer = writer;
            this.dram = dram;
            this.lineBytes = lineBytes;
            this.limit = limit;
        }

        boolean accept(io.nccsim.dram.MemRequest r, long acceptedPs) {
            if (writer.requests() >= limit) {
                full = true;
                return false;
            }
            long cycle = dram.edgeCycle(acceptedPs);
            long end = r.address() + r.bytes();
            requests++;
            requestedBytes += r.bytes();
            for (long a = Math.floorDiv(r.address(), lineBytes) * lineBytes; a < end; a += lineBytes) {
                if (writer.requests() >= limit) {
                    full = true;
                    return false;
                }
                writer.write(a, r.isWrite(), cycle);
            }
            if (writer.requests() >= limit) {
                full = true;
                return false;
            }
            return true;
        }
    }
}
