package io.nccsim.timeline;

/** Exact decimal text of a time in picoseconds as microseconds (the trace-event format's unit). */
final class Micros {
    private Micros() {
    }

    /** {@code ps} as microseconds, exactly: 180000 -> "0.18", 1204000000 -> "1204", -5 -> "-0.000005". */
    static String ofPs(long ps) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, ps);
        return sb.toString();
    }

    static void append(StringBuilder sb, long ps) {
        if (ps < 0) {
            sb.append('-');
            ps = -ps;
        }
        sb.append(ps / 1_000_000);
        long frac = ps % 1_000_000;
        if (frac != 0) {
            sb.append('.');
            String f = Long.toString(frac + 1_000_000).substring(1);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append(f, 0, end);
        }
    }
}
