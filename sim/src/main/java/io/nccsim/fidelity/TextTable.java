package io.nccsim.fidelity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of already formatted cells as a person reads it (aligned plain text, GitHub Markdown) and as a program
 * does (CSV): the rendering the fidelity tables of decoders and encoders share. Text columns are left-aligned,
 * numeric ones right-aligned.
 */
final class TextTable {
    private TextTable() {
    }

    /** Columns padded to their widest cell. */
    static String text(String[] headers, boolean[] numeric, List<String[]> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(headers);
        cells.addAll(rows);
        int[] width = new int[headers.length];
        for (String[] line : cells) {
            for (int c = 0; c < line.length; c++) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < line.length; c++) {
                String pad = " ".repeat(width[c] - line[c].length());
                l.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + line[c] : line[c] + pad);
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** A GitHub-flavoured Markdown table. */
    static String markdown(String[] headers, boolean[] numeric, List<String[]> rows) {
        StringBuilder b = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n|");
        for (int c = 0; c < headers.length; c++) {
            b.append(numeric[c] ? " ---: |" : " --- |");
        }
        b.append('\n');
        for (String[] row : rows) {
            String[] cells = row.clone();
            for (int c = 0; c < cells.length; c++) {
                cells[c] = cells[c].replace("|", "\\|"); // a literal bar would end the cell
            }
            b.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return b.toString();
    }

    /** One header line and one line per row; cells with commas or quotes are quoted. */
    static String csv(String[] headers, List<String[]> rows) {
        StringBuilder b = new StringBuilder(String.join(",", headers)).append('\n');
        for (String[] row : rows) {
            String[] cells = new String[row.length];
            for (int c = 0; c < row.length; c++) {
                cells[c] = quote(row[c]);
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** Rounded for reading. */
    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Full precision, for plotting. */
    static String num(double v) {
        return Double.toString(v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
