package io.nccsim.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fidelity rows as a table: aligned plain text for the terminal, Markdown, and CSV (full precision, for
 * plotting). The text and Markdown tables round numbers for reading; an exactly zero KL prints as "0" so that it
 * cannot be mistaken for a small one rounded away.
 */
public final class FidelityTable {
    private static final String[] HEADERS = {"codec", "kv", "bits/weight", "top-1 agree", "perplexity",
        "KL mean (nats)", "KL max (nats)", "logits", "greedy"};
    private static final String[] CSV_HEADERS = {"codec", "kv", "bits_per_weight", "positions", "top1_agreement",
        "perplexity", "kl_mean_nats", "kl_max_nats", "logits_identical", "greedy_tokens", "greedy_unchanged",
        "greedy_first_divergence", "huffman_symbols_checked"};

    private FidelityTable() {
    }

    /** Columns padded to their widest cell: names left-aligned, numbers right-aligned. */
    public static String text(List<FidelityRow> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (FidelityRow r : rows) {
            cells.add(readable(r));
        }
        int[] width = new int[HEADERS.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                boolean left = c <= 1 || c >= 7;
                String pad = " ".repeat(width[c] - line[c].length());
                l.append(c == 0 ? "" : "  ").append(left ? line[c] + pad : pad + line[c]);
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** A GitHub-flavoured Markdown table, numeric columns right-aligned. */
    public static String markdown(List<FidelityRow> rows) {
        StringBuilder b = new StringBuilder("| ").append(String.join(" | ", HEADERS)).append(" |\n|");
        for (int c = 0; c < HEADERS.length; c++) {
            b.append(c <= 1 || c >= 7 ? " --- |" : " ---: |");
        }
        b.append('\n');
        for (FidelityRow r : rows) {
            String[] cells = readable(r);
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].replace("|", "\\|"); // a literal bar would end the cell
            }
            b.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return b.toString();
    }

    /** One header line and one line per row, every number at full precision; codec ids with commas are quoted. */
    public static String csv(List<FidelityRow> rows) {
        StringBuilder b = new StringBuilder(String.join(",", CSV_HEADERS)).append('\n');
        for (FidelityRow r : rows) {
            String[] f = {quote(r.codec()), r.kv(), num(r.bitsPerWeight()), Integer.toString(r.positions()),
                num(r.top1Agreement()), num(r.perplexity()), num(r.meanKlNats()), num(r.maxKlNats()),
                Boolean.toString(r.logitsIdentical()), Integer.toString(r.greedyTokens()),
                Boolean.toString(r.continuationUnchanged()), Integer.toString(r.firstDivergence()),
                Long.toString(r.huffmanSymbols())};
            b.append(String.join(",", f)).append('\n');
        }
        return b.toString();
    }

    private static String[] readable(FidelityRow r) {
        return new String[]{r.codec(), r.kv(), fixed(r.bitsPerWeight(), 3), fixed(r.top1Agreement(), 4),
            fixed(r.perplexity(), 4), kl(r.meanKlNats()), kl(r.maxKlNats()),
            r.logitsIdentical() ? "identical" : "differ", r.greedyVerdict()};
    }

    private static String kl(double nats) {
        return nats == 0 ? "0" : fixed(nats, 6);
    }

    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
