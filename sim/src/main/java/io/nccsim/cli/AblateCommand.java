package io.nccsim.cli;

import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.Progress;
import io.nccsim.driver.RunResult;
import io.nccsim.driver.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code nccsim ablate}: what each block of the NCC contributes. The NCC run is repeated with one block switched
 * off or resized at a time ({@code --set} overrides of the config), each against the same baseline, and the table
 * of bandwidth saved, decode throughput, energy and area is written as Markdown.
 */
@Command(name = "ablate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run the NCC with each block switched off or resized in turn and write a Markdown table.")
public final class AblateCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Board config (YAML)")
    Path config;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "LLM access trace")
    Path trace;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Markdown file to write")
    Path output;

    @Option(names = "--force", description = "replace an existing output file")
    boolean force;

    /** One ablation: a name and the overrides that make it. */
    record Variant(String name, List<String> sets) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("full design", List.of()),
            new Variant("decoder: 8 lanes (of 32)", List.of("ncc.decoder.lanes=8")),
            new Variant("decoder: 1 lane", List.of("ncc.decoder.lanes=1")),
            new Variant("decoder: lookup latency 2 cycles", List.of("ncc.decoder.lookup_latency=2")),
            new Variant("blocks: 1 stream (no parallel decoding)", List.of("ncc.huffman.streams=1")),
            new Variant("table SRAM: 1 slot", List.of("ncc.tables.slots=1")),
            new Variant("input buffer: 16 KiB", List.of("ncc.buffers.input=16 KiB")),
            new Variant("DMA: 2 requests in flight", List.of("ncc.dma.max_outstanding=2")),
            new Variant("encoder off (KV cache written raw)", List.of("ncc.encoder.lanes=0")),
            new Variant("weights bypass (level 0)", List.of("ncc.levels.weights=bypass")),
            new Variant("adaptive: bandwidth pressure, KV cache levels 1..4",
                    List.of("ncc.adaptive.policy=bandwidth_pressure", "ncc.adaptive.kv_cache.min=1",
                            "ncc.adaptive.kv_cache.max=4")),
            new Variant("adaptive: speed-adaptive weights (bypass or lossless per layer)",
                    List.of("ncc.adaptive.policy=speed_adaptive", "ncc.adaptive.weights.min=0",
                            "ncc.adaptive.weights.max=1")),
            new Variant("decoder off (nothing decoded)", List.of("ncc.decoder.lanes=0")));

    @Override
    public Integer call() {
        InputFiles.require(config, "--config", "no such config file");
        InputFiles.require(trace, "--trace", "no such trace file");
        if (Files.isDirectory(output)) {
            throw new BadInputException("-o " + output + ": is a directory; expected a file path");
        }
        InputFiles.checkOutputFile(output, force);
        SimConfig base = SimConfig.load(config, List.of());
        List<SimConfig> configs = new ArrayList<>();
        for (Variant v : VARIANTS) {
            configs.add(SimConfig.load(config, v.sets())); // every override is checked before anything runs
        }
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nccsim-ablate");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<RunResult> baseline = pool.submit(() -> Simulation.run(base.withNccBypassed(), trace, "baseline",
                    Progress.NONE));
            List<Future<RunResult>> runs = new ArrayList<>();
            for (SimConfig c : configs) {
                runs.add(pool.submit(() -> Simulation.run(c, trace, "ncc", Progress.NONE)));
            }
            RunResult b = baseline.get();
            StringBuilder md = new StringBuilder();
            md.append("# NCC ablation: ").append(trace.getFileName()).append(" on ").append(base.name()).append("\n\n");
            md.append("Made by `java -jar sim/target/nccsim.jar ablate --config ").append(config).append(" --trace ")
                    .append(trace).append(" -o ").append(output).append(" --force` (see the script beside this file).")
                    .append(" Each row is the NCC run with one change to the design, against the same baseline ")
                    .append("(NCC bypassed: ").append(String.format(Locale.ROOT, "%.2f", b.tokensPerS()))
                    .append(" decode tokens/s, ").append(String.format(Locale.ROOT, "%.4f", b.energy().total()))
                    .append(" J). The trace's content is ").append(traceContent())
                    .append(", so these figures are ").append(traceContent().equals("captured") ? "measured on "
                            + "captured content" : "modeled, not measured").append(".\n\n");
            md.append("| design | `--set` | DRAM bytes saved | decode tok/s | decode speedup | energy | energy saved "
                    + "| NCC energy | NCC area | table loads | level switches |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int i = 0; i < VARIANTS.size(); i++) {
                RunResult n = runs.get(i).get();
                Comparison c = new Comparison(b, n);
                Variant v = VARIANTS.get(i);
                md.append(String.format(Locale.ROOT,
                        "| %s | %s | %.2f %% | %.2f | %.3fx | %.4f J | %.2f %% | %.4f J | %.3f mm² | %d | %d |%n",
                        v.name(), v.sets().isEmpty() ? "" : "`" + String.join(" ", v.sets()) + "`",
                        c.bandwidthSavedPct(), n.tokensPerS(), c.decodeSpeedup(), n.energy().total(),
                        c.energySavedPct(), n.energy().component("ncc"),
                        n.nccAreaMm2().values().stream().mapToDouble(Double::doubleValue).sum(),
                        n.ncc().tableLoads(), n.levelDecisions().size()));
            }
            InputFiles.writeAtomically(output, md.toString());
            spec.commandLine().getOut().println("wrote " + output + " (" + VARIANTS.size() + " designs)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + output + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return CommandLine.ExitCode.OK;
    }

    private String traceContent() {
        try (io.nccsim.trace.TraceReader r = io.nccsim.trace.TraceReader.open(trace)) {
            return r.header().provenance().kind();
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
}
