package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.config.MemoryConfig;
import io.nccsim.dram.DramActivity;
import io.nccsim.dram.LpddrController;
import io.nccsim.dram.RequestReplay;
import io.nccsim.dram.RequestTrace;
import io.nccsim.dram.TimingChecker;
import io.nccsim.dram.TimingTable;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a memory-request replay ({@code nccsim dram}): report.json for scripts, summary.txt for people.
 * Nothing in it depends on the wall clock or the machine, so the same inputs give the same bytes.
 *
 * <p>report.json's fields, a contract scripts may rely on: {@code requests}, {@code reads}, {@code writes},
 * {@code request_bytes}, {@code bytes}, {@code bandwidth_gb_s} (useful bytes over the time from the first
 * request's arrival to the last completion), {@code peak_bandwidth_gb_s}, {@code read_latency_ns} and
 * {@code read_latency_cycles} ({@code avg}, {@code p50}, {@code p99}, {@code max}: exact, over every read),
 * {@code row_hits}, {@code row_misses}, {@code row_conflicts}, {@code energy_j} ({@code total} and
 * {@code breakdown} by item), {@code timing_violations} (with {@code --check-dram}), {@code standard},
 * {@code channels}, {@code details} (the memory model's own counts) and {@code config.resolved}.
 */
public final class DramReport {
    /** Version of this report's layout. */
    public static final int FORMAT_VERSION = 1;

    private static final List<String> ENERGY_ITEMS = List.of("activate", "precharge", "read", "write", "refresh",
            "background");

    private final ObjectNode root;
    private final String summary;

    /**
     * @param configFile   the config as given
     * @param sets         every override applied, the forced ones included
     * @param requestsFile the request trace as given
     * @param format       its format (given or detected); null for an empty trace
     */
    public DramReport(String toolVersion, String configFile, List<String> sets, String configName, JsonNode resolved,
                      MemoryConfig memory, String requestsFile, RequestTrace.Format format,
                      RequestReplay.Result r) {
        LpddrController mem = r.memory();
        TimingTable t = mem.timing();
        DramActivity a = mem.activity();
        TimingChecker checker = mem.checker();
        RequestReplay.Latency lat = r.readLatency();
        double tck = r.tCKps();
        double peak = memory.peakBandwidthBytesPerS();

        root = Json.object();
        ObjectNode tool = root.putObject("nccsim");
        tool.put("version", toolVersion);
        tool.put("report", "dram");
        tool.put("report_format", FORMAT_VERSION);
        ObjectNode req = root.putObject("requests_file");
        req.put("file", requestsFile);
        req.put("format", format == null ? "" : format.id());
        root.put("standard", t.standard());
        root.put("data_rate_mt_s", t.dataRateMtps());
        root.put("channels", memory.channels());
        root.put("channel_width_bits", memory.device().channelWidthBits());
        root.put("tck_ps", tck);
        root.put("requests", r.requests());
        root.put("reads", r.reads());
        root.put("writes", r.writes());
        root.put("request_bytes", r.requestBytes());
        root.put("bytes", r.bytes());
        root.put("first_arrival_ns", r.firstArrivalPs() / 1e3);
        root.put("last_completion_ns", r.lastCompletionPs() / 1e3);
        root.put("sim_time_ns", r.endPs() / 1e3);
        root.put("bandwidth_gb_s", r.bandwidthBytesPerS() / 1e9);
        root.put("peak_bandwidth_gb_s", peak / 1e9);
        root.put("bandwidth_utilization_pct", peak == 0 ? 0 : 100.0 * r.bandwidthBytesPerS() / peak);
        root.set("read_latency_ns", latency(lat, 1e3));
        root.set("read_latency_cycles", latency(lat, tck));
        root.put("row_hits", a.rowHits());
        root.put("row_misses", a.rowMisses());
        root.put("row_conflicts", a.rowConflicts());
        long bursts = a.rowHits() + a.rowMisses() + a.rowConflicts();
        root.put("row_hit_rate", bursts == 0 ? 0.0 : (double) a.rowHits() / bursts);
        ObjectNode energy = root.putObject("energy_j");
        energy.put("total", r.energy().total());
        ObjectNode breakdown = energy.putObject("breakdown");
        Map<String, Double> items = r.energy().items().getOrDefault("dram", Map.of());
        for (String item : ENERGY_ITEMS) {
            breakdown.put(item, items.getOrDefault(item, 0.0));
        }
        items.forEach((k, v) -> {
            if (!breakdown.has(k)) {
                breakdown.put(k, v);
            }
        });
        energy.put("pj_per_bit", r.bytes() == 0 ? 0.0 : r.energy().total() / (r.bytes() * 8.0) * 1e12);
        if (checker != null) {
            root.put("timing_violations", checker.violationCount());
            root.put("commands_checked", checker.commandsChecked());
            ArrayNode first = root.putArray("first_violations");
            checker.violations().stream().limit(10).forEach(v -> first.add(v.toString()));
        }
        ObjectNode details = root.putObject("details");
        mem.details().forEach((k, v) -> {
            if (v instanceof Double || v instanceof Float) {
                details.put(k, v.doubleValue());
            } else {
                details.put(k, v.longValue());
            }
        });
        ObjectNode ctl = root.putObject("controller");
        MemoryConfig.Controller c = memory.controller();
        ctl.put("scheduler", id(c.scheduler()));
        ctl.put("page_policy", id(c.pagePolicy()));
        ctl.put("mapping", id(c.mapping()));
        ctl.put("refresh", id(c.refresh()));
        ObjectNode cfg = root.putObject("config");
        cfg.put("file", configFile);
        cfg.put("name", configName);
        ArrayNode setArray = cfg.putArray("sets");
        sets.forEach(setArray::add);
        cfg.set("resolved", resolved);

        summary = summary(toolVersion, configName, requestsFile, format, memory, r, t, a, checker, lat, tck, peak);
    }

    private static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode latency(RequestReplay.Latency lat, double psPerUnit) {
        ObjectNode n = Json.object();
        n.put("count", lat.count());
        n.put("avg", lat.avgPs() / psPerUnit);
        n.put("p50", lat.p50Ps() / psPerUnit);
        n.put("p99", lat.p99Ps() / psPerUnit);
        n.put("max", lat.maxPs() / psPerUnit);
        return n;
    }

    private static String summary(String version, String configName, String requestsFile,
                                  RequestTrace.Format format, MemoryConfig memory, RequestReplay.Result r,
                                  TimingTable t, DramActivity a, TimingChecker checker, RequestReplay.Latency lat,
                                  double tck, double peak) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "nccsim %s: DRAM replay of %s (%s, %d B per request) on %s%n", version,
                requestsFile, format == null ? "empty" : format.displayName(), r.requestBytes(), configName));
        MemoryConfig.Controller c = memory.controller();
        sb.append(String.format(Locale.ROOT, "memory: %s-%d, %d x %d-bit channel%s, peak %.2f GB/s, tCK %.1f ps; "
                        + "%s page, %s, %s mapping, %s refresh%n", t.standard(), t.dataRateMtps(), memory.channels(),
                memory.device().channelWidthBits(), memory.channels() == 1 ? "" : "s", peak / 1e9, tck,
                id(c.pagePolicy()), id(c.scheduler()), id(c.mapping()), id(c.refresh())));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "%-20s %d (%d reads, %d writes), %d bytes%n", "requests", r.requests(),
                r.reads(), r.writes(), r.bytes()));
        sb.append(String.format(Locale.ROOT, "%-20s %.3f ns (first arrival %.3f ns, last completion %.3f ns)%n",
                "active time", r.activePs() / 1e3, r.firstArrivalPs() / 1e3, r.lastCompletionPs() / 1e3));
        sb.append(String.format(Locale.ROOT, "%-20s %.3f GB/s (%.1f%% of peak)%n", "bandwidth",
                r.bandwidthBytesPerS() / 1e9, peak == 0 ? 0 : 100.0 * r.bandwidthBytesPerS() / peak));
        if (lat.count() > 0) {
            sb.append(String.format(Locale.ROOT, "%-20s avg %.3f ns (%.2f cycles), p50 %.3f ns, p99 %.3f ns, "
                            + "max %.3f ns%n", "read latency", lat.avgPs() / 1e3, lat.avgPs() / tck, lat.p50Ps() / 1e3,
                    lat.p99Ps() / 1e3, lat.maxPs() / 1e3));
        } else {
            sb.append(String.format(Locale.ROOT, "%-20s - (no reads)%n", "read latency"));
        }
        long bursts = a.rowHits() + a.rowMisses() + a.rowConflicts();
        sb.append(String.format(Locale.ROOT, "%-20s %d hits, %d misses, %d conflicts (hit rate %.1f%%)%n",
                "row buffer", a.rowHits(), a.rowMisses(), a.rowConflicts(),
                bursts == 0 ? 0.0 : 100.0 * a.rowHits() / bursts));
        sb.append(String.format(Locale.ROOT, "%-20s %d ACT, %d PRE, %d RD, %d WR, %d REFab, %d REFpb%n", "commands",
                a.activates(), a.precharges(), a.readBursts(), a.writeBursts(), a.allBankRefreshes(),
                a.perBankRefreshes()));
        Map<String, Double> items = r.energy().items().getOrDefault("dram", Map.of());
        StringBuilder parts = new StringBuilder();
        for (String item : ENERGY_ITEMS) {
            parts.append(parts.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4g",
                    item, items.getOrDefault(item, 0.0)));
        }
        sb.append(String.format(Locale.ROOT, "%-20s %.6g J (%s)%n", "energy", r.energy().total(), parts));
        if (checker != null) {
            sb.append(String.format(Locale.ROOT, "%-20s %s%n", "timing check", checker.summary()));
        }
        return sb.toString();
    }

    public String json() {
        return Json.write(root);
    }

    public JsonNode tree() {
        return root;
    }

    /** The human-readable summary printed on stdout and saved as summary.txt. */
    public String summary() {
        return summary;
    }
}
