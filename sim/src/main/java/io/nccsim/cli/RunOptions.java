package io.nccsim.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options of a simulation run, shared by {@code nccsim} itself and {@code nccsim run}. */
public final class RunOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Board config (YAML), e.g. configs/jetson_nano.yaml")
    Path config;

    @Option(names = "--trace", paramLabel = "FILE", description = "LLM access trace, e.g. traces/phi3.trace")
    Path trace;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: reports/<config>-<trace>-<timestamp>/)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config value by its dotted path, e.g. --set ncc.decoder.lanes=8 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed for random choices of the models (default ${DEFAULT-VALUE}); recorded in the report. "
                    + "The current models make none, so it does not change results yet")
    long seed;

    @Option(names = "--check-dram", description = "Check every DRAM command against its standard's timing with the "
            + "independent checker (same as --set memory.controller.check_timing=true); violations are in the report")
    boolean checkDram;

    @Option(names = "--timeline", paramLabel = "FROM..TO",
            description = "Also write timeline.json (NCC run) and timeline-baseline.json: Chrome trace-event files of "
                    + "what the processor, NCC and DRAM did between FROM and TO ms of simulated time, e.g. 100..102; "
                    + "open them in ui.perfetto.dev or chrome://tracing")
    String timeline;

    @Option(names = "--timeline-max-events", paramLabel = "N", defaultValue = "2000000",
            description = "Most events each timeline keeps (default ${DEFAULT-VALUE}); later ones are dropped with a "
                    + "note")
    int timelineMaxEvents;

    @Option(names = "--force", description = "Replace a non-empty --out directory")
    boolean force;

    @Option(names = "--quiet", description = "No progress output")
    boolean quiet;

    /** The --set overrides with those implied by other options appended. */
    List<String> effectiveSets() {
        List<String> all = new ArrayList<>(sets);
        if (checkDram) {
            all.add("memory.controller.check_timing=true");
        }
        return all;
    }
}
