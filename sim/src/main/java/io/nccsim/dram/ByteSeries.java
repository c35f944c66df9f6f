package io.nccsim.dram;

/**
 * DRAM bytes per window of simulated time, from t = 0: the "bandwidth over time" of a run, kept for every run
 * because it costs a comparison and an array add per request (requests come in time order, so the window of the
 * last one is remembered; a division finds the window only when the time leaves it).
 *
 * <p>The window is a power of ten picoseconds, starting at 1 ns and growing tenfold (merging groups of ten windows)
 * whenever a request falls beyond {@link #MAX_WINDOWS} windows; {@link #snapshot} widens it once more if the run's
 * end needs it. So a run gets between {@code MAX_WINDOWS / 10} and {@code MAX_WINDOWS} windows, and the result
 * depends only on the requests' times: the same run gives the same arrays.
 */
public final class ByteSeries {
    /** Most windows a run is cut into (figures stay readable; report.json stays small). */
    public static final int MAX_WINDOWS = 2000;
    private static final long FIRST_WINDOW_PS = 1000;

    private long windowPs = FIRST_WINDOW_PS;
    private final long[] read = new long[MAX_WINDOWS];
    private final long[] written = new long[MAX_WINDOWS];
    // the window the last request fell in: [startPs, endPs) is window number index
    private long lastStartPs = 0;
    private long lastEndPs = FIRST_WINDOW_PS;
    private int lastIndex = 0;

    /** Counts {@code bytes} at {@code atPs} (a negative time, a request never timed, counts at 0). */
    public void add(long atPs, long bytes, boolean write) {
        long at = Math.max(0, atPs);
        int i = at >= lastStartPs && at < lastEndPs ? lastIndex : window(at);
        if (write) {
            written[i] += bytes;
        } else {
            read[i] += bytes;
        }
    }

    /** The window of time {@code at}, widening the windows first when it falls beyond the last; remembered. */
    private int window(long at) {
        long i = at / windowPs;
        while (i >= MAX_WINDOWS) {
            widen(read);
            widen(written);
            windowPs *= 10;
            i = at / windowPs;
        }
        lastIndex = (int) i;
        lastStartPs = i * windowPs;
        lastEndPs = lastStartPs + windowPs;
        return lastIndex;
    }

    private static void widen(long[] a) {
        for (int i = 0; i < MAX_WINDOWS; i++) {
            long v = a[i];
            a[i] = 0;
            a[i / 10] += v; // i / 10 <= i, and index i / 10 was already emptied or is being summed into
        }
    }

    /**
     * The series up to {@code endPs}: ceil(end / window) windows (at least one), the window widened as needed.
     *
     * @param windowPs        width of each window
     * @param readBytes       bytes read per window
     * @param writtenBytes    bytes written per window
     */
    public record Snapshot(long windowPs, long[] readBytes, long[] writtenBytes) {
        public double windowS() {
            return windowPs * 1e-12;
        }
    }

    public Snapshot snapshot(long endPs) {
        long w = windowPs;
        long[] r = read.clone();
        long[] wr = written.clone();
        while ((Math.max(0, endPs) + w - 1) / w > MAX_WINDOWS) {
            widen(r);
            widen(wr);
            w *= 10;
        }
        int n = (int) Math.max(1, (Math.max(0, endPs) + w - 1) / w);
        // Requests at the very end (t == end, a zero-length tail) still count: keep the last non-empty window.
        for (int i = n; i < MAX_WINDOWS; i++) {
            if (r[i] != 0 || wr[i] != 0) {
                n = i + 1;
            }
        }
        return new Snapshot(w, java.util.Arrays.copyOf(r, n), java.util.Arrays.copyOf(wr, n));
    }
}
