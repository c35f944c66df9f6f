package io.nccsim.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.codec.CompressionStudy;
import io.nccsim.codec.CompressionStudy.TensorRow;
import io.nccsim.codec.baseline.DeflateBaseline;
import io.nccsim.codec.baseline.ZstdBaseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The table {@code nccsim compress} prints and writes: per tensor, bits per weight raw, at the Shannon bounds, with
 * Huffman coding (tables and stream overhead included), with DEFLATE and with zstd, whether every round trip was
 * exact, and the totals. As Markdown ({@code table.md}), CSV ({@code table.csv}) and JSON ({@code report.json}).
 */
public final class CompressionReport {
    private final CompressionStudy.Result result;
    private final String version;
    private final String command;

    public CompressionReport(CompressionStudy.Result result, String version, String command) {
        this.result = result;
        this.version = version;
        this.command = command;
    }

    /** Totals of one column over some rows, as bits per weight of those rows' parameters. */
    private static double perWeight(List<TensorRow> rows, ToDoubleFunction<TensorRow> bits) {
        double sum = 0;
        long params = 0;
        for (TensorRow r : rows) {
            double b = bits.applyAsDouble(r);
            if (b < 0) {
                return -1; // the column is not available for every row
            }
            sum += b;
            params += r.parameters();
        }
        return params == 0 ? 0 : sum / params;
    }

    private record Column(String header, ToDoubleFunction<TensorRow> bits) {
    }

    private static final List<Column> SIZE_COLUMNS = List.of(
            new Column("raw", TensorRow::rawBits),
            new Column("entropy", TensorRow::entropyBits),
            new Column("entropy/block", TensorRow::blockEntropyBits),
            new Column("huffman", TensorRow::huffmanBits),
            new Column("deflate", TensorRow::deflateBits),
            new Column("zstd-19", TensorRow::zstdBits));

    private String settingsLine() {
        CompressionStudy.Settings s = result.settings();
        return String.format(Locale.ROOT, "weights %s; Huffman: codes of at most %d bits, tables %s, blocks of %d "
                        + "symbols in %d %s stream%s aligned to %d B; DEFLATE level %d; zstd level %d",
                s.quantId(), s.maxCodeLength(), s.scope().id(), s.blockSymbols(), s.layout().streams(),
                s.layout().split().name().toLowerCase(Locale.ROOT), s.layout().streams() == 1 ? "" : "s",
                s.layout().alignBytes(), DeflateBaseline.LEVEL, ZstdBaseline.STRONG_LEVEL);
    }

    private List<TensorRow> codedRows() {
        return result.rows().stream().filter(TensorRow::coded).toList();
    }

    /** The Markdown document: header, the table, totals, and what the columns mean. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Compression of ").append(displayName(result.model())).append("\n\n");
        sb.append("Measured by `").append(command).append("` (nccsim ").append(version)
                .append(") on the real weights of the model file (").append(result.format()).append(", sha256 `")
                .append(result.sha256()).append("`).\n\n");
        sb.append(settingsLine()).append(".\n\n");
        sb.append("Bits per weight; every column includes the quantization metadata (fp16 scales and zero points). ")
                .append("Tensors that are not coded (norms, biases) are kept and count the same in every column.\n\n");
        sb.append("| tensor | role | shape | parameters | scheme |");
        SIZE_COLUMNS.forEach(c -> sb.append(' ').append(c.header()).append(" |"));
        sb.append(" exact | SQNR dB |\n|---|---|---|---:|---|");
        SIZE_COLUMNS.forEach(c -> sb.append("---:|"));
        sb.append("---|---:|\n");
        for (TensorRow r : result.rows()) {
            sb.append("| ").append(r.name()).append(" | ").append(r.role()).append(" | ")
                    .append(shape(r.shape())).append(" | ").append(r.parameters()).append(" | ").append(r.scheme())
                    .append(" |");
            for (Column c : SIZE_COLUMNS) {
                sb.append(' ').append(bpw(c.bits().applyAsDouble(r), r.parameters())).append(" |");
            }
            sb.append(' ').append(r.roundTripExact() ? "yes" : "**NO**").append(" | ").append(db(r.sqnrDb()))
                    .append(" |\n");
        }
        appendTotal(sb, "**coded tensors**", codedRows());
        appendTotal(sb, "**whole model**", result.rows());
        sb.append('\n');
        sb.append(summaryLines());
        List<String> notes = result.rows().stream().filter(r -> !r.note().isEmpty())
                .map(r -> "- " + r.name() + ": " + r.note()).toList();
        if (!notes.isEmpty()) {
            sb.append("\nSymmetric or asymmetric, per tensor (EntroLLM's layer-wise choice):\n\n");
            notes.forEach(n -> sb.append(n).append('\n'));
        }
        sb.append("\nColumns: *raw* = codes at their bit width; *entropy* = Shannon bound of the tensor's symbols; ")
                .append("*entropy/block* = sum of each block's own bound (what a coder adapting per block could ")
                .append("approach); *huffman* = the bit-exact coder's output: code words, stream offset headers, ")
                .append("padding and code tables; *deflate*, *zstd-19* = those compressors on the same packed codes ")
                .append("(bytes, counted whole); *exact* = every Huffman block and both baselines decoded back to ")
                .append("exactly the stored codes; *SQNR* = signal to quantization noise of the deployed weights ")
                .append("against the file's.\n");
        if (!result.zstdNote().isEmpty()) {
            sb.append("\nzstd was not available: ").append(result.zstdNote()).append('\n');
        }
        return sb.toString();
    }

    private void appendTotal(StringBuilder sb, String label, List<TensorRow> rows) {
        long params = rows.stream().mapToLong(TensorRow::parameters).sum();
        sb.append("| ").append(label).append(" | | | ").append(params).append(" | |");
        for (Column c : SIZE_COLUMNS) {
            sb.append(' ').append(params == 0 ? "-" : bpw(perWeight(rows, c.bits()), 1)).append(" |");
        }
        sb.append(' ').append(rows.stream().allMatch(TensorRow::roundTripExact) ? "yes" : "**NO**").append(" | |\n");
    }

    /** A few lines for the terminal: totals and the gain over raw. */
    public String summaryLines() {
        List<TensorRow> coded = codedRows();
        double raw = perWeight(coded, TensorRow::rawBits);
        double huff = perWeight(coded, TensorRow::huffmanBits);
        double ent = perWeight(coded, TensorRow::entropyBits);
        double defl = perWeight(coded, TensorRow::deflateBits);
        double zstd = perWeight(coded, TensorRow::zstdBits);
        long codedParams = coded.stream().mapToLong(TensorRow::parameters).sum();
        return String.format(Locale.ROOT, "Coded tensors (%d of %d parameters): raw %.3f, entropy bound %.3f, "
                        + "Huffman %.3f, DEFLATE %.3f, zstd-19 %s bits/weight; Huffman saves %.1f%% of the raw bytes; "
                        + "%d code table%s; round trips %s.%n",
                codedParams, result.parameters(), raw, ent, huff, defl, zstd < 0 ? "n/a" : fmt(zstd),
                raw == 0 ? 0 : 100 * (1 - huff / raw), result.tables(), result.tables() == 1 ? "" : "s",
                result.roundTripExact() ? "all exact" : "NOT ALL EXACT");
    }

    /** One line per tensor and totals, comma-separated, bits per weight. */
    public String csv() {
        StringBuilder sb = new StringBuilder("tensor,role,layer,shape,parameters,scheme,metadata_bits");
        SIZE_COLUMNS.forEach(c -> sb.append(',').append(c.header().replace('/', '_').replace('-', '_'))
                .append("_bits_per_weight"));
        sb.append(",stream_overhead_bits,table_bits,round_trip_exact,sqnr_db\n");
        for (TensorRow r : result.rows()) {
            sb.append(r.name()).append(',').append(r.role()).append(',').append(r.layer()).append(',')
                    .append(shape(r.shape())).append(',').append(r.parameters()).append(',').append(r.scheme())
                    .append(',').append(r.metadataBits());
            for (Column c : SIZE_COLUMNS) {
                sb.append(',').append(bpw(c.bits().applyAsDouble(r), r.parameters()));
            }
            sb.append(',').append(r.overheadBits()).append(',').append(r.tableBits()).append(',')
                    .append(r.roundTripExact()).append(',').append(Double.isNaN(r.sqnrDb()) ? "" : db(r.sqnrDb()))
                    .append('\n');
        }
        return sb.toString();
    }

    /** Settings, totals and rows as JSON. */
    public String json() {
        ObjectNode root = Json.object();
        root.put("producer", "nccsim " + version);
        root.put("command", command);
        root.put("model", displayName(result.model()));
        root.put("format", result.format());
        root.put("sha256", result.sha256());
        root.put("content", "measured on the real weights of the model file");
        CompressionStudy.Settings s = result.settings();
        ObjectNode settings = root.putObject("settings");
        settings.put("weights", s.quantId());
        settings.put("sparsity", s.options().sparsity());
        settings.put("rescale", s.options().rescale());
        settings.put("lambda", s.options().lambda());
        settings.put("huffman_max_len", s.maxCodeLength());
        settings.put("table_scope", s.scope().id());
        settings.put("block_symbols", s.blockSymbols());
        settings.put("streams", s.layout().streams());
        settings.put("split", s.layout().split().name().toLowerCase(Locale.ROOT));
        settings.put("stream_align_bytes", s.layout().alignBytes());
        settings.put("deflate_level", DeflateBaseline.LEVEL);
        settings.put("zstd_level", ZstdBaseline.STRONG_LEVEL);
        root.put("parameters", result.parameters());
        root.put("coded_parameters", result.codedParameters());
        root.put("tables", result.tables());
        root.put("round_trip_exact", result.roundTripExact());
        for (String scope : List.of("coded", "model")) {
            List<TensorRow> rows = scope.equals("coded") ? codedRows() : result.rows();
            ObjectNode totals = root.putObject(scope + "_bits_per_weight");
            for (Column c : SIZE_COLUMNS) {
                double v = perWeight(rows, c.bits());
                if (v < 0) {
                    totals.putNull(key(c));
                } else {
                    totals.put(key(c), round(v));
                }
            }
        }
        ArrayNode tensors = root.putArray("tensors");
        for (TensorRow r : result.rows()) {
            ObjectNode t = tensors.addObject();
            t.put("name", r.name());
            t.put("role", r.role());
            t.put("layer", r.layer());
            ArrayNode shape = t.putArray("shape");
            Arrays.stream(r.shape()).forEach(shape::add);
            t.put("parameters", r.parameters());
            t.put("stored", r.stored());
            t.put("scheme", r.scheme());
            if (!r.note().isEmpty()) {
                t.put("symmetry_decision", r.note());
            }
            t.put("metadata_bits", r.metadataBits());
            for (Column c : SIZE_COLUMNS) {
                double bits = c.bits().applyAsDouble(r);
                if (bits < 0) {
                    t.putNull(key(c));
                } else {
                    t.put(key(c), round(bits / Math.max(1, r.parameters())));
                }
            }
            t.put("stream_overhead_bits", r.overheadBits());
            t.put("table_bits", r.tableBits());
            t.put("round_trip_exact", r.roundTripExact());
            if (Double.isNaN(r.sqnrDb())) {
                t.putNull("sqnr_db");
            } else if (Double.isInfinite(r.sqnrDb())) {
                t.put("sqnr_db", "inf");
            } else {
                t.put("sqnr_db", round(r.sqnrDb()));
            }
        }
        return Json.write(root);
    }

    /** The model's file name without the folders it was read from (they differ between machines). */
    static String displayName(String name) {
        int bang = name.indexOf("!/");
        String file = bang >= 0 ? name.substring(0, bang) : name;
        String base = java.nio.file.Path.of(file).getFileName().toString();
        return bang >= 0 ? base + name.substring(bang) : base;
    }

    private static String key(Column c) {
        return c.header().replace('/', '_').replace('-', '_');
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static String bpw(double bits, long params) {
        if (bits < 0) {
            return "n/a";
        }
        return params == 0 ? "-" : fmt(bits / params);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String db(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shape(long[] shape) {
        List<String> parts = new ArrayList<>();
        for (long d : shape) {
            parts.add(Long.toString(d));
        }
        return String.join("x", parts);
    }
}
