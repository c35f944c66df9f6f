package io.nccsim.cli;

import io.nccsim.sweep.PointResult;
import io.nccsim.sweep.SweepRunner;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a sweep on stderr: on a terminal one redrawn line with a bar, points done of all, elapsed time and an
 * ETA; otherwise (a log file, a batch job) one plain line per finished point; nothing with --quiet. The ETA assumes
 * the remaining points take as long on average as those this invocation has finished.
 */
final class SweepProgress implements SweepRunner.Listener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private final long startNs = System.nanoTime();
    private int alreadyDone;
    private int toRun;

    SweepProgress(PrintWriter err, boolean quiet, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    @Override
    public void started(int total, int alreadyDone, int toRun, int jobs) {
        this.alreadyDone = alreadyDone;
        this.toRun = toRun;
        if (quiet) {
            return;
        }
        err.printf(Locale.ROOT, "sweep: %d points, %d already done, %d to run on %d worker%s%n", total, alreadyDone,
                toRun, jobs, jobs == 1 ? "" : "s");
        err.flush();
    }

    @Override
    public void finished(PointResult r, int done, int total) {
        if (quiet) {
            return;
        }
        double secs = (System.nanoTime() - startNs) / 1e9;
        int ranHere = done - alreadyDone;
        double etaS = ranHere == 0 ? 0 : secs / ranHere * Math.max(0, toRun - ranHere);
        if (terminal) {
            int filled = total == 0 ? WIDTH : done * WIDTH / total;
            err.printf(Locale.ROOT, "\r[%s%s] %d/%d points  %s elapsed  ETA %s   ", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), done, total, duration(secs), duration(etaS));
            if (done == total) {
                err.println();
            }
        } else {
            err.printf(Locale.ROOT, "point %d/%d %s: bandwidth saved %.2f%%, decode speedup %.3fx; %s elapsed, ETA %s%n",
                    done, total, r.id(), r.metric("bandwidth_saved_pct"), r.metric("decode_speedup"), duration(secs),
                    duration(etaS));
        }
        err.flush();
    }

    static String duration(double secs) {
        long s = Math.round(secs);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
