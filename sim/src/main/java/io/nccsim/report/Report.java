package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.driver.Comparison;
import io.nccsim.driver.RunResult;
import io.nccsim.energy.EnergyBreakdown;
import io.nccsim.ncc.NccCounters;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.TensorRole.DataClass;
import io.nccsim.trace.TraceHeader;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run: the baseline and the NCC side by side on the same trace, the resolved config and the
 * trace's provenance. Rendered as report.json (for scripts), report.csv (one row per run) and summary.txt (for
 * people). Nothing in it depends on the wall clock or the machine, so the same inputs give the same bytes.
 */
public final class Report {
    /** Version of the report's layout; scripts can check it. */
    public static final int FORMAT_VERSION = 1;

    private final ObjectNode root;
    private final Comparison comparison;
    private final TraceHeader trace;

    public Report(String toolVersion, String configFile, List<String> sets, long seed, String configName,
                  JsonNode resolved, String traceFile, TraceHeader trace, Comparison comparison) {
        this.comparison = comparison;
        this.trace = trace;
        root = Json.object();
        ObjectNode tool = root.putObject("nccsim");
        tool.put("version", toolVersion);
        tool.put("report_format", FORMAT_VERSION);
        ObjectNode cfg = root.putObject("config");
        cfg.put("file", configFile);
        cfg.put("name", configName);
        ArrayNode setArray = cfg.putArray("sets");
        sets.forEach(setArray::add);
        cfg.put("seed", seed);
        cfg.set("resolved", resolved);
        ObjectNode tr = root.putObject("trace");
        tr.put("file", traceFile);
        tr.put("model", trace.modelName());
        tr.put("weight_quant", trace.weightQuant());
        tr.put("activation_type", trace.activationType());
        tr.put("kv_cache_type", trace.kvCacheType());
        tr.put("prompt_tokens", trace.promptTokens());
        tr.put("generated_tokens", trace.generatedTokens());
        tr.put("producer", trace.producer());
        tr.set("provenance", provenance(trace.provenance()));
        root.set("baseline", metrics(comparison.baseline()));
        root.set("ncc", metrics(comparison.ncc()));
        ObjectNode summary = root.putObject("summary");
        summary.put("bandwidth_saved_pct", comparison.bandwidthSavedPct());
        summary.put("speedup", comparison.speedup());
        summary.put("decode_speedup", comparison.decodeSpeedup());
        summary.put("energy_saved_pct", comparison.energySavedPct());
        summary.put("content", trace.provenance().kind());
    }

    private static ObjectNode provenance(Provenance p) {
        ObjectNode n = Json.object();
        n.put("kind", p.kind());
        n.put("method", p.method());
        if (p.sourceSha256() != null) {
            n.put("source_sha256", p.sourceSha256());
        }
        return n;
    }

    private static ObjectNode metrics(RunResult r) {
        ObjectNode m = Json.object();
        m.put("dram_bytes_read", r.memory().bytesRead());
        m.put("dram_bytes_written", r.memory().bytesWritten());
        ObjectNode byClass = m.putObject("dram_bytes_by_class");
        for (DataClass dc : DataClass.values()) {
            ObjectNode c = byClass.putObject(dc.name().toLowerCase(Locale.ROOT));
            c.put("read", r.memory().bytesRead(dc));
            c.put("written", r.memory().bytesWritten(dc));
        }
        m.put("sim_time_s", r.simTimeS());
        m.put("prefill_s", r.prefillS());
        m.put("decode_ms_per_token", r.decodeMsPerToken());
        m.put("tokens_per_s", r.tokensPerS());
        m.set("energy_j", energy(r.energy()));
        m.put("ncc_stall_cycles", r.nccStallCycles());
        ObjectNode cpu = m.putObject("processor");
        cpu.put("ops", r.cpu().ops());
        cpu.put("macs", r.cpu().macs());
        cpu.put("compute_busy_s", r.cpu().computeBusyPs() * 1e-12);
        ObjectNode stalls = cpu.putObject("stall_cycles");
        stalls.put("memory", r.cycles(r.cpu().stallMemoryPs()));
        stalls.put("ncc", r.cycles(r.cpu().stallNccPs()));
        stalls.put("write_drain", r.cycles(r.cpu().stallWritePs()));
        m.set("timeseries", timeseries(r));
        ArrayNode layers = m.putArray("layers");
        for (io.nccsim.driver.LayerTime l : r.layers()) {
            ObjectNode o = layers.addObject();
            o.put("layer", l.layer());
            o.put("time_s", l.timeS());
            o.put("dram_bytes", l.dramBytes());
            o.put("ops", l.ops());
        }
        m.set("ncc_activity", nccActivity(r.ncc()));
        if (!r.nccAreaMm2().isEmpty()) {
            ObjectNode area = m.putObject("ncc_area_mm2");
            r.nccAreaMm2().forEach(area::put);
            area.put("total", r.nccAreaMm2().values().stream().mapToDouble(Double::doubleValue).sum());
        }
        ArrayNode decisions = m.putArray("level_decisions");
        r.levelDecisions().forEach(decisions::add);
        ObjectNode dram = m.putObject("dram");
        r.dram().forEach((k, v) -> {
            if (v instanceof Double d) {
                dram.put(k, d);
            } else {
                dram.put(k, v.longValue());
            }
        });
        m.set("stats", stats(r));
        m.put("engine_events", r.engineActions());
        return m;
    }

    /**
     * DRAM bytes per window from t = 0 (the last window may reach past the run's end), counted when the memory
     * accepted each request; with steady-state sampling, fast-forwarded steps count their requests as the fast
     * model accepted them.
     */
    private static ObjectNode timeseries(RunResult r) {
        ObjectNode n = Json.object();
        n.put("window_s", r.series().windowS());
        ArrayNode read = n.putArray("dram_read_bytes");
        for (long v : r.series().readBytes()) {
            read.add(v);
        }
        ArrayNode written = n.putArray("dram_written_bytes");
        for (long v : r.series().writtenBytes()) {
            written.add(v);
        }
        return n;
    }

    /** The statistics registry: time-weighted occupancies and latency distributions, by dotted name. */
    private static ObjectNode stats(RunResult r) {
        ObjectNode n = Json.object();
        long end = r.simTimePs();
        r.stats().gauges().forEach((name, g) -> {
            ObjectNode o = n.putObject(name);
            o.put("mean", g.mean(end));
            o.put("max", g.max());
        });
        r.stats().histograms().forEach((name, h) -> {
            ObjectNode o = n.putObject(name);
            o.put("count", h.count());
            o.put("mean", h.mean());
            o.put("min", h.min());
            o.put("p50_at_most", h.quantileUpperBound(0.5));
            o.put("p99_at_most", h.quantileUpperBound(0.99));
            o.put("max", h.max());
        });
        r.stats().counters().forEach((name, c) -> n.put(name, c.value()));
        return n;
    }

    private static ObjectNode energy(EnergyBreakdown e) {
        ObjectNode n = Json.object();
        n.put("total", e.total());
        for (String component : List.of("processor", "dram", "ncc")) {
            n.put(component, e.component(component));
        }
        ObjectNode items = n.putObject("breakdown");
        for (Map.Entry<String, Map<String, Double>> c : e.items().entrySet()) {
            ObjectNode ci = items.putObject(c.getKey());
            c.getValue().forEach(ci::put);
        }
        return n;
    }

    private static ObjectNode nccActivity(NccCounters n) {
        ObjectNode a = Json.object();
        ObjectNode ratio = a.putObject("compression_ratio");
        for (DataClass dc : DataClass.values()) {
            long raw = n.rawBytes(dc);
            long bus = n.busBytes(dc);
            ratio.put(dc.name().toLowerCase(Locale.ROOT), bus == 0 ? 1.0 : (double) raw / bus);
        }
        // The same bytes cut by tensor role, for the roles the run touched (raw / bus; 1 where nothing crossed).
        ObjectNode byRole = a.putObject("compression_ratio_by_role");
        for (io.nccsim.trace.TensorRole role : io.nccsim.trace.TensorRole.values()) {
            long raw = n.rawBytes(role);
            long bus = n.busBytes(role);
            if (raw > 0 || bus > 0) {
                byRole.put(role.name().toLowerCase(Locale.ROOT), bus == 0 ? 1.0 : (double) raw / bus);
            }
        }
        a.put("symbols_decoded", n.symbolsDecoded());
        a.put("symbols_encoded", n.symbolsEncoded());
        a.put("tiles_decoded", n.tilesDecoded());
        a.put("tiles_encoded", n.tilesEncoded());
        a.put("tiles_bypassed", n.tilesBypassed());
        a.put("table_loads", n.tableLoads());
        a.put("table_bytes_loaded", n.tableBytesLoaded());
        a.put("overfetch_bytes", n.overfetchBytes());
        a.put("decoder_busy_s", n.decoderBusyPs() * 1e-12);
        a.put("encoder_busy_s", n.encoderBusyPs() * 1e-12);
        a.put("sram_bytes_read", n.sramBytesRead());
        a.put("sram_bytes_written", n.sramBytesWritten());
        a.put("table_lookups", n.tableLookups());
        a.put("dma_bytes_read", n.dmaBytesRead());
        a.put("dma_bytes_written", n.dmaBytesWritten());
        a.put("dma_input_buffer_stalls", n.dmaBufferStalls());
        a.put("raw_fallback_reads", n.rawFallbackReads());
        a.put("neural_macs", n.neuralMacs());
        ObjectNode commands = a.putObject("commands");
        n.commandsByOpcode().forEach(commands::put);
        return a;
    }

    public String json() {
        return Json.write(root);
    }

    public JsonNode tree() {
        return root;
    }

    private static final String[] CSV_COLUMNS = {"run", "dram_bytes_read", "dram_bytes_written", "sim_time_s",
        "prefill_s", "decode_ms_per_token", "tokens_per_s", "energy_j", "energy_processor_j", "energy_dram_j",
        "energy_ncc_j", "ncc_stall_cycles", "content"};

    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (RunResult r : List.of(comparison.baseline(), comparison.ncc())) {
            sb.append(r.label()).append(',')
                    .append(r.memory().bytesRead()).append(',')
                    .append(r.memory().bytesWritten()).append(',')
                    .append(num(r.simTimeS())).append(',')
                    .append(num(r.prefillS())).append(',')
                    .append(num(r.decodeMsPerToken())).append(',')
                    .append(num(r.tokensPerS())).append(',')
                    .append(num(r.energy().total())).append(',')
                    .append(num(r.energy().component("processor"))).append(',')
                    .append(num(r.energy().component("dram"))).append(',')
                    .append(num(r.energy().component("ncc"))).append(',')
                    .append(r.nccStallCycles()).append(',')
                    .append(trace.provenance().kind()).append('\n');
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    /** The human-readable summary printed on stdout and saved as summary.txt. */
    public String summary() {
        RunResult b = comparison.baseline();
        RunResult n = comparison.ncc();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "nccsim %s: %s on %s%n", root.path("nccsim").path("version").asText(),
                root.path("trace").path("model").asText(), root.path("config").path("name").asText()));
        sb.append(String.format(Locale.ROOT, "trace: %s (%d prompt + %d generated tokens, weights %s, kv %s)%n",
                root.path("trace").path("file").asText(), trace.promptTokens(), trace.generatedTokens(),
                trace.weightQuant(), trace.kvCacheType()));
        Provenance p = trace.provenance();
        sb.append(String.format(Locale.ROOT, "content: %s%s%n", p.kind().toUpperCase(Locale.ROOT),
                p.isModeled() ? " (not measured): " + p.method() : " from model sha256 " + p.sourceSha256()));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-26s %16s %16s %10s%n", "", "baseline", "ncc", "change"));
        row(sb, "DRAM read", gb(b.memory().bytesRead()), gb(n.memory().bytesRead()), "GB",
                pct(b.memory().bytesRead(), n.memory().bytesRead()));
        row(sb, "DRAM written", gb(b.memory().bytesWritten()), gb(n.memory().bytesWritten()), "GB",
                pct(b.memory().bytesWritten(), n.memory().bytesWritten()));
        row(sb, "simulated time", b.simTimeS(), n.simTimeS(), "s", pct(b.simTimeS(), n.simTimeS()));
        row(sb, "prefill", b.prefillS(), n.prefillS(), "s", pct(b.prefillS(), n.prefillS()));
        boolean decodes = trace.generatedTokens() > 0; // an encoder's trace has its prefill step alone
        if (decodes) {
            row(sb, "decode per token", b.decodeMsPerToken(), n.decodeMsPerToken(), "ms",
                    pct(b.decodeMsPerToken(), n.decodeMsPerToken()));
            row(sb, "decode throughput", b.tokensPerS(), n.tokensPerS(), "tok/s",
                    pct(b.tokensPerS(), n.tokensPerS()));
        }
        row(sb, "energy", b.energy().total(), n.energy().total(), "J", pct(b.energy().total(), n.energy().total()));
        for (String c : List.of("processor", "dram", "ncc")) {
            row(sb, "  " + c, b.energy().component(c), n.energy().component(c), "J",
                    pct(b.energy().component(c), n.energy().component(c)));
        }
        sb.append(String.format(Locale.ROOT, "%-26s %16d %16d%n", "NCC stall (proc. cycles)", b.nccStallCycles(),
                n.nccStallCycles()));
        sb.append(String.format(Locale.ROOT, "%-26s %16s %16.3f%n", "weight compression ratio", "-",
                ratio(n.ncc(), DataClass.WEIGHTS)));
        sb.append(String.format(Locale.ROOT, "%-26s %16s %16.3f%n", "KV-cache compression ratio", "-",
                ratio(n.ncc(), DataClass.KV_CACHE)));
        sb.append(String.format(Locale.ROOT, "%-26s %16s %16.3f%n", "NCC area (mm2)", "-",
                n.nccAreaMm2().values().stream().mapToDouble(Double::doubleValue).sum()));
        sb.append(String.format(Locale.ROOT, "%-26s %16s %16d%n", "NCC level switches", "-",
                n.levelDecisions().size()));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "bandwidth saved %.2f%%, speedup %.3fx%s, energy saved %.2f%%%n",
                comparison.bandwidthSavedPct(), comparison.speedup(),
                decodes ? String.format(Locale.ROOT, " (decode %.3fx)", comparison.decodeSpeedup()) : "",
                comparison.energySavedPct()));
        if (p.isModeled()) {
            sb.append("note: the trace's content is modeled, so these numbers are modeled, not measured.\n");
        }
        return sb.toString();
    }

    private static double ratio(NccCounters n, DataClass dc) {
        return n.busBytes(dc) == 0 ? 1.0 : (double) n.rawBytes(dc) / n.busBytes(dc);
    }

    private static double gb(long bytes) {
        return bytes / 1e9;
    }

    private static String pct(double base, double value) {
        if (base == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.2f%%", 100.0 * (value - base) / base);
    }

    private static void row(StringBuilder sb, String name, double b, double n, String unit, String change) {
        sb.append(String.format(Locale.ROOT, "%-26s %16.6g %16.6g %10s  %s%n", name, b, n, change, unit));
    }
}
