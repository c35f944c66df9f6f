package io.nccsim.fidelity;

import java.util.ArrayList;
import java.util.List;

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

    /** Codec and kv, then numbers, then the two verdicts. */
    private static final boolean[] NUMERIC = {false, false, true, true, true, true, true, false, false};

    /** Columns padded to their widest cell: names left-aligned, numbers right-aligned. */
    public static String text(List<FidelityRow> rows) {
        return TextTable.text(HEADERS, NUMERIC, readable(rows));
    }

    /** A GitHub-flavoured Markdown table, numeric columns right-aligned. */
    public static String markdown(List<FidelityRow> rows) {
        return TextTable.markdown(HEADERS, NUMERIC, readable(rows));
    }

    /** One header line and one line per row, every number at full precision; codec ids with commas are quoted. */
    public static String csv(List<FidelityRow> rows) {
        List<String[]> cells = new ArrayList<>();
        for (FidelityRow r : rows) {
            cells.add(new String[]{r.codec(), r.kv(), num(r.bitsPerWeight()), Integer.toString(r.positions()),
                num(r.top1Agreement()), num(r.perplexity()), num(r.meanKlNats()), num(r.maxKlNats()),
                Boolean.toString(r.logitsIdentical()), Integer.toString(r.greedyTokens()),
                Boolean.toString(r.continuationUnchanged()), Integer.toString(r.firstDivergence()),
                Long.toString(r.huffmanSymbols())});
        }
        return TextTable.csv(CSV_HEADERS, cells);
    }

    private static List<String[]> readable(List<FidelityRow> rows) {
        List<String[]> cells = new ArrayList<>();
        for (FidelityRow r : rows) {
            cells.add(new String[]{r.codec(), r.kv(), fixed(r.bitsPerWeight(), 3), fixed(r.top1Agreement(), 4),
                fixed(r.perplexity(), 4), kl(r.meanKlNats()), kl(r.maxKlNats()),
                r.logitsIdentical() ? "identical" : "differ", r.greedyVerdict()});
        }
        return cells;
    }

    private static String kl(double nats) {
        return nats == 0 ? "0" : fixed(nats, 6);
    }

    private static String fixed(double v, int decimals) {
        return TextTable.fixed(v, decimals);
    }

    private static String num(double v) {
        return TextTable.num(v);
    }
}
