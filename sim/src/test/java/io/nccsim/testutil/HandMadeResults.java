package io.nccsim.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Result files written by hand in the formats nccsim run and nccsim sweep write (report.json, results.jsonl,
 * sweep.json), small enough to check figures and HTML against without simulating.
 */
public final class HandMadeResults {
    private HandMadeResults() {
    }

    /**
     * A report.json: baseline 0.10 J (processor 0.07, dram 0.03), NCC 0.09 J (processor 0.06, dram 0.02, ncc 0.01);
     * with {@code extras} a 4-window time series (window 1 ms), two layers and per-role compression ratios.
     */
    public static String report(String configName, String kind, boolean extras, double ncc_area, double nccEnergy,
                                double tokensPerS) {
        String ts = extras ? ", \"timeseries\": {\"window_s\": 0.001, \"dram_read_bytes\": [1000000, 2000000, "
                + "3000000, 0], \"dram_written_bytes\": [0, 1000000, 0, 0]}, \"layers\": [{\"layer\": -1, "
                + "\"time_s\": 0.0005, \"dram_bytes\": 10}, {\"layer\": 0, \"time_s\": 0.002, \"dram_bytes\": 100}, "
                + "{\"layer\": 1, \"time_s\": 0.003, \"dram_bytes\": 200}]" : "";
        String roles = extras ? ", \"compression_ratio_by_role\": {\"mlp_up\": 1.3, \"attn_q\": 1.25}" : "";
        return String.format(Locale.ROOT, """
                {"nccsim": {"version": "0.1.0", "report_format": 1},
                 "config": {"file": "configs/%1$s.yaml", "name": "%1$s", "sets": [], "seed": 1,
                            "resolved": {"name": "%1$s", "ncc": {"decoder": {"lanes": 32}}}},
                 "trace": {"file": "traces/t.trace", "model": "tiny", "weight_quant": "int4-g128-sym",
                           "activation_type": "fp16", "kv_cache_type": "fp16", "prompt_tokens": 8,
                           "generated_tokens": 4, "producer": "hand",
                           "provenance": {"kind": "%2$s", "method": "written by hand for a test; see https://example.org/method"}},
                 "baseline": {"dram_bytes_read": 7000000, "dram_bytes_written": 1000000, "sim_time_s": 0.004,
                              "prefill_s": 0.001, "decode_ms_per_token": 0.75, "tokens_per_s": 1000.0,
                              "energy_j": {"total": 0.10, "processor": 0.07, "dram": 0.03, "ncc": 0.0,
                                           "breakdown": {"processor": {"mac": 0.02, "static": 0.05},
                                                         "dram": {"read": 0.03}}},
                              "ncc_stall_cycles": 0,
                              "ncc_activity": {"compression_ratio": {"weights": 1.0, "activations": 1.0,
                                               "kv_cache": 1.0}}%3$s},
                 "ncc": {"dram_bytes_read": 5000000, "dram_bytes_written": 1000000, "sim_time_s": 0.003,
                         "prefill_s": 0.001, "decode_ms_per_token": 0.5, "tokens_per_s": %6$s,
                         "energy_j": {"total": %5$s, "processor": 0.06, "dram": 0.02, "ncc": 0.01,
                                      "breakdown": {"processor": {"mac": 0.02, "static": 0.04},
                                                    "dram": {"read": 0.02}, "ncc": {"decoder": 0.01}}},
                         "ncc_stall_cycles": 12,
                         "ncc_activity": {"compression_ratio": {"weights": 1.4, "activations": 1.0,
                                          "kv_cache": 1.1}, "table_loads": 3%7$s},
                         "ncc_area_mm2": {"decoder": 0.5, "total": %4$s},
                         "level_decisions": []%3$s},
                 "summary": {"bandwidth_saved_pct": 25.0, "speedup": 1.3333, "decode_speedup": 1.5,
                             "energy_saved_pct": 10.0, "content": "%2$s"}}
                """, configName, kind, ts, Double.toString(ncc_area), Double.toString(nccEnergy),
                Double.toString(tokensPerS), roles);
    }

    /** A run's out dir holding {@link #report}. */
    public static Path runDir(Path dir, String configName, String kind, boolean extras) {
        return write(dir, "report.json", report(configName, kind, extras, 0.9, 0.09, 2000.0));
    }

    /**
     * A sweep over ncc.decoder.lanes (1, 8, 32) and the board (two configs), one trace, six points. NCC energy and
     * tokens/s per point are chosen so that the energy-throughput front is exactly p0, p2 and p5 (see
     * {@link #PARETO_IDS}).
     */
    public static Path sweepDir(Path dir, String kind) {
        String[] boards = {"configs/rpi5.yaml", "configs/jetson_nano.yaml"};
        String[] lanes = {"1", "8", "32"};
        // (tokens/s, energy J): p0 (10, 0.50) best energy; p2 (30, 0.60); p5 (40, 0.90) fastest; the rest dominated.
        double[][] te = {{10, 0.50}, {12, 0.70}, {30, 0.60}, {9, 0.55}, {25, 0.80}, {40, 0.90}};
        double[] area = {0.30, 0.50, 0.90, 0.30, 0.50, 0.90};
        StringBuilder jsonl = new StringBuilder();
        StringBuilder points = new StringBuilder();
        int i = 0;
        for (String b : boards) {
            for (String l : lanes) {
                String id = String.format(Locale.ROOT, "p%04d-0000000%d", i, i);
                String settings = "{\"ncc.decoder.lanes\": \"" + l + "\", \"base\": \"" + b + "\"}";
                jsonl.append(String.format(Locale.ROOT, "{\"index\": %d, \"id\": \"%s\", \"trace\": "
                                + "\"traces/minilm.trace\", \"seed\": %d, \"settings\": %s, \"metrics\": "
                                + "{\"bandwidth_saved_pct\": %s, \"speedup\": 1.0, \"ncc_tokens_per_s\": %s, "
                                + "\"ncc_energy_j\": %s, \"ncc_area_mm2\": %s, \"ncc_sim_time_s\": 0.05}, "
                                + "\"content\": \"%s\"}\n", i, id, 100 + i, settings, Double.toString(1.5 + i),
                        Double.toString(te[i][0]), Double.toString(te[i][1]), Double.toString(area[i]), kind));
                points.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"index\": %d, \"id\": \"%s\", "
                        + "\"trace\": \"traces/minilm.trace\", \"seed\": %d, \"settings\": %s}", i, id, 100 + i,
                        settings));
                i++;
            }
        }
        write(dir, "results.jsonl", jsonl.toString());
        return write(dir, "sweep.json", "{\"name\": \"lanes-by-board\", \"spec_sha256\": \"ab12\", \"seed\": 7, "
                + "\"axes\": [{\"key\": \"ncc.decoder.lanes\", \"values\": [\"1\", \"8\", \"32\"]}, {\"key\": "
                + "\"base\", \"values\": [\"configs/rpi5.yaml\", \"configs/jetson_nano.yaml\"]}], \"points\": ["
                + points + "], \"tool_version\": \"0.1.0\"}\n");
    }

    public static final java.util.Set<String> PARETO_IDS = java.util.Set.of("p0000-00000000", "p0002-00000002",
            "p0005-00000005");

    /** Writes {@code text} as {@code dir/name} and returns {@code dir}. */
    public static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
