package io.nccsim.cli;

import io.nccsim.driver.Progress;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Progress on stderr for the runs in flight (the baseline and the NCC run side by side): one redrawn line with a
 * bar per run on a terminal, a plain line per run every 10% otherwise (logs stay readable), nothing with --quiet.
 */
final class TerminalProgress implements Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal = System.console() != null;
    private final long startNs = System.nanoTime();
    private final Map<String, int[]> runs = new LinkedHashMap<>(); // label -> {done, total, last tenth printed}

    TerminalProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public synchronized void update(String label, int done, int total) {
        if (quiet) {
            return;
        }
        int[] r = runs.computeIfAbsent(label, k -> new int[] {0, 0, -1});
        r[0] = done;
        r[1] = total;
        double secs = (System.nanoTime() - startNs) / 1e9;
        if (terminal) {
            StringBuilder line = new StringBuilder("\r");
            boolean allDone = true;
            for (Map.Entry<String, int[]> e : runs.entrySet()) {
                int d = e.getValue()[0];
                int t = e.getValue()[1];
                int width = 20;
                int filled = t == 0 ? width : d * width / t;
                line.append(String.format(Locale.ROOT, "%s [%s%s] %d/%d  ", e.getKey(), "#".repeat(filled),
                        " ".repeat(width - filled), d, t));
                allDone &= d == t;
            }
            line.append(String.format(Locale.ROOT, "%.1f s", secs));
            err.print(line);
            if (allDone && runs.size() >= 2) {
                err.println();
            }
        } else {
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth != r[2]) {
                r[2] = tenth;
                err.printf(Locale.ROOT, "%s: %d/%d steps (%d%%), %.1f s elapsed%n", label, done, total, tenth * 10,
                        secs);
            }
        }
        err.flush();
    }

    void done() {
        err.flush();
    }
}
