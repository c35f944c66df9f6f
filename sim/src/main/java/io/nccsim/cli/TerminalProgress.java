package io.nccsim.cli;

import io.nccsim.driver.Progress;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar on a terminal, a plain line every 10% otherwise (logs stay readable), nothing
 * with --quiet.
 */
final class TerminalProgress implements Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal = System.console() != null;
    private final long startNs = System.nanoTime();
    private int lastTenth = -1;
    private String lastLabel;

    TerminalProgress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    @Override
    public void update(String label, int done, int total) {
        if (quiet) {
            return;
        }
        if (!label.equals(lastLabel)) {
            lastLabel = label;
            lastTenth = -1;
        }
        double secs = (System.nanoTime() - startNs) / 1e9;
        if (terminal) {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            err.printf(Locale.ROOT, "\r%-8s [%s%s] %d/%d steps  %.1f s", label, "#".repeat(filled),
                    " ".repeat(width - filled), done, total, secs);
            if (done == total) {
                err.println();
            }
            err.flush();
        } else {
            int tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.printf(Locale.ROOT, "%s: %d/%d steps (%d%%), %.1f s elapsed%n", label, done, total, tenth * 10,
                        secs);
                err.flush();
            }
        }
    }

    void done() {
        err.flush();
    }
}
