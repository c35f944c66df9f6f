package io.nccsim.timeline;

import io.nccsim.common.BadInputException;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The stretch of simulated time a timeline shows, {@code [fromPs, toPs)}.
 *
 * @param fromPs start, inclusive
 * @param toPs   end, exclusive; greater than {@code fromPs}
 */
public record TimelineWindow(long fromPs, long toPs) {
    public TimelineWindow {
        if (fromPs < 0 || toPs <= fromPs) {
            throw new IllegalArgumentException("a window needs 0 <= from < to, got " + fromPs + ".." + toPs);
        }
    }

    /**
     * Parses {@code FROM..TO} in milliseconds of simulated time, e.g. {@code 100..102} or {@code 0.5..0.75};
     * {@code option} names the option in the message of a {@link BadInputException}.
     */
    public static TimelineWindow parseMs(String text, String option) {
        String usage = "; give FROM..TO in ms of simulated time with FROM < TO, e.g. " + option + " 100..102";
        int dots = text == null ? -1 : text.indexOf("..");
        if (dots < 0) {
            throw new BadInputException(option + " " + text + ": not a range" + usage);
        }
        long from = psOfMs(text.substring(0, dots).trim(), option, text, usage);
        long to = psOfMs(text.substring(dots + 2).trim(), option, text, usage);
        if (to <= from) {
            throw new BadInputException(option + " " + text + ": the window ends before it starts" + usage);
        }
        return new TimelineWindow(from, to);
    }

    private static long psOfMs(String ms, String option, String text, String usage) {
        BigDecimal v;
        try {
            v = new BigDecimal(ms);
        } catch (NumberFormatException e) {
            throw new BadInputException(option + " " + text + ": '" + ms + "' is not a number" + usage);
        }
        if (v.signum() < 0) {
            throw new BadInputException(option + " " + text + ": times cannot be negative" + usage);
        }
        // ms -> ps is a factor 1e9; sub-picosecond digits are dropped. A year of simulated time still fits a long.
        if (v.compareTo(BigDecimal.valueOf(9_000_000_000L)) > 0) {
            throw new BadInputException(option + " " + text + ": '" + ms + "' ms is beyond any run" + usage);
        }
        return v.movePointRight(9).longValue();
    }

    /** Whether an event from {@code startPs} to {@code endPs} shows in the window (a zero-length one: inside it). */
    public boolean overlaps(long startPs, long endPs) {
        return startPs < toPs && (endPs > fromPs || (endPs == startPs && startPs >= fromPs));
    }

    public String describeMs() {
        return String.format(Locale.ROOT, "%s..%s ms", Micros.ofPs(fromPs / 1000), Micros.ofPs(toPs / 1000));
    }
}
