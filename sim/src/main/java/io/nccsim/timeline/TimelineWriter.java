package io.nccsim.timeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link TimelineRecorder}'s events as a Chrome trace-event JSON file, which ui.perfetto.dev and
 * chrome://tracing open: {@code {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}} with one
 * complete event ({@code "ph": "X"}, {@code ts} and {@code dur} in microseconds, exact decimals of the simulator's
 * picoseconds) per span, and metadata events ({@code "ph": "M"}) naming the processes and threads (tracks).
 *
 * <p>A track whose spans overlap without nesting (commands or DMA requests in flight together) is split into
 * lanes, "#1", "#2", ..., each span going to the first lane where it fits (after what the lane holds, or for the
 * processor's track, where an operation holds its tile computations, nested inside it), in order of start time:
 * the viewers draw only properly nested spans on one thread. Everything is sorted
 * before it is written, so one run gives one file, byte for byte.
 *
 * <p>{@code otherData} says which run and window the file shows, and carries notes: a window past the run's end
 * (the file then has no events), events dropped at the cap, and time inside the window that steady-state sampling
 * fast-forwarded (the DRAM process then shows the fast model's requests, not LPDDR commands).
 */
public final class TimelineWriter {
    private TimelineWriter() {
    }

    /** The notes the file carries, in order (also for the command line to print). */
    public static List<String> notes(TimelineRecorder r) {
        List<String> notes = new ArrayList<>();
        TimelineWindow w = r.window();
        if (r.runEndPs() >= 0 && w.fromPs() >= r.runEndPs()) {
            notes.add("the window " + w.describeMs() + " starts after the " + r.run() + " run ended (at "
                    + Micros.ofPs(r.runEndPs() / 1000) + " ms): the timeline is empty; choose a window before the end");
        }
        if (r.droppedEvents() > 0) {
            notes.add("the window holds more than " + r.events() + " events: the first " + r.events()
                    + " to finish are kept and " + r.droppedEvents() + " dropped; choose a narrower window");
        }
        if (r.fastForwardedPs() > 0) {
            notes.add(Micros.ofPs(r.fastForwardedPs() / 1000) + " ms of the window were decode steps that "
                    + "steady-state sampling fast-forwarded: there the dram process shows the fast model's requests "
                    + "(an ideal memory calibrated on the last detailed step), not LPDDR commands; "
                    + "--set memory.sampling.enabled=false simulates every step in detail");
        }
        return notes;
    }

    public static void write(TimelineRecorder r, Path file) {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            write(r, out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the timeline " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(TimelineRecorder r, Writer out) throws IOException {
        boolean empty = r.runEndPs() >= 0 && r.window().fromPs() >= r.runEndPs();
        int n = empty ? 0 : r.size;
        // Events by track, each track's in start order (longest first on ties, so parents precede children).
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Integer.compare(r.track[a], r.track[b]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(r.startPs[a], r.startPs[b]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(r.endPs[b], r.endPs[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        // Lanes: per event, its lane within its track.
        int[] lane = new int[n];
        int[] lanesOfTrack = new int[r.tracks.size()];
        List<long[]> stacks = new ArrayList<>(); // per lane of the current track: ends of the open spans
        List<int[]> depths = new ArrayList<>();
        int current = -1;
        boolean nests = false;
        for (int k = 0; k < n; k++) {
            int e = order[k];
            if (r.track[e] != current) {
                current = r.track[e];
                nests = r.tracks.get(current).nests();
                stacks.clear();
                depths.clear();
            }
            long s = r.startPs[e];
            long end = r.endPs[e];
            int chosen = -1;
            for (int l = 0; l < stacks.size() && chosen < 0; l++) {
                long[] st = stacks.get(l);
                int[] d = depths.get(l);
                while (d[0] > 0 && st[d[0] - 1] <= s) { // spans that ended by now close
                    d[0]--;
                }
                if (d[0] == 0 || nests && st[d[0] - 1] >= end) {
                    chosen = l;
                }
            }
            if (chosen < 0) {
                chosen = stacks.size();
                stacks.add(new long[8]);
                depths.add(new int[1]);
            }
            long[] st = stacks.get(chosen);
            int[] d = depths.get(chosen);
            if (d[0] == st.length) {
                st = Arrays.copyOf(st, st.length * 2);
                stacks.set(chosen, st);
            }
            st[d[0]++] = end;
            lane[e] = chosen;
            lanesOfTrack[current] = Math.max(lanesOfTrack[current], chosen + 1);
        }
        // Thread ids: tracks in (process, sort key, name) order, each lane its own thread.
        Integer[] trackOrder = new Integer[r.tracks.size()];
        for (int t = 0; t < trackOrder.length; t++) {
            trackOrder[t] = t;
        }
        Arrays.sort(trackOrder, (a, b) -> {
            TimelineRecorder.Track x = r.tracks.get(a);
            TimelineRecorder.Track y = r.tracks.get(b);
            int c = Integer.compare(x.pid(), y.pid());
            if (c != 0) {
                return c;
            }
            c = Long.compare(x.sortKey(), y.sortKey());
            return c != 0 ? c : x.name().compareTo(y.name());
        });
        int[] firstTid = new int[r.tracks.size()];
        int tid = 1;
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("{\"traceEvents\":[");
        boolean first = true;
        boolean[] processNamed = new boolean[TimelineRecorder.PROCESS_NAMES.length];
        for (int t : trackOrder) {
            if (lanesOfTrack[t] == 0) {
                continue; // no events: no track
            }
            TimelineRecorder.Track tr = r.tracks.get(t);
            if (!processNamed[tr.pid()]) {
                processNamed[tr.pid()] = true;
                first = comma(sb, first);
                sb.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":").append(tr.pid())
                        .append(",\"tid\":0,\"args\":{\"name\":");
                string(sb, TimelineRecorder.PROCESS_NAMES[tr.pid()]);
                sb.append("}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":").append(tr.pid())
                        .append(",\"tid\":0,\"args\":{\"sort_index\":").append(tr.pid()).append("}}");
            }
            firstTid[t] = tid;
            for (int l = 0; l < lanesOfTrack[t]; l++) {
                String threadName = lanesOfTrack[t] == 1 ? tr.name() : tr.name() + " #" + (l + 1);
                sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":").append(tr.pid()).append(",\"tid\":")
                        .append(tid).append(",\"args\":{\"name\":");
                string(sb, threadName);
                sb.append("}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":").append(tr.pid())
                        .append(",\"tid\":").append(tid).append(",\"args\":{\"sort_index\":").append(tid)
                        .append("}}");
                tid++;
            }
        }
        out.write(sb.toString());
        sb.setLength(0);
        // Spans: by thread, then start time.
        Integer[] byThread = order.clone();
        Arrays.sort(byThread, (a, b) -> {
            int c = Integer.compare(firstTid[r.track[a]] + lane[a], firstTid[r.track[b]] + lane[b]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(r.startPs[a], r.startPs[b]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(r.endPs[b], r.endPs[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int e : byThread) {
            first = comma(sb, first);
            sb.append("{\"name\":");
            string(sb, r.strings.get(r.name[e]));
            sb.append(",\"ph\":\"X\",\"ts\":");
            Micros.append(sb, r.startPs[e]);
            sb.append(",\"dur\":");
            Micros.append(sb, r.endPs[e] - r.startPs[e]);
            sb.append(",\"pid\":").append(r.tracks.get(r.track[e]).pid()).append(",\"tid\":")
                    .append(firstTid[r.track[e]] + lane[e]).append(",\"args\":{");
            boolean firstArg = true;
            if (r.op[e] >= 0) {
                sb.append("\"op\":");
                string(sb, r.strings.get(r.op[e]));
                firstArg = false;
            }
            if (r.layer[e] != TimelineRecorder.NO_LAYER) {
                sb.append(firstArg ? "" : ",").append("\"layer\":").append(r.layer[e]);
                firstArg = false;
            }
            if (r.strKey[e] >= 0) {
                sb.append(firstArg ? "" : ",");
                string(sb, r.strings.get(r.strKey[e]));
                sb.append(':');
                string(sb, r.strings.get(r.strVal[e]));
                firstArg = false;
            }
            if (r.numKey1[e] >= 0) {
                sb.append(firstArg ? "" : ",");
                string(sb, r.strings.get(r.numKey1[e]));
                sb.append(':').append(r.numVal1[e]);
                firstArg = false;
            }
            if (r.numKey2[e] >= 0) {
                sb.append(firstArg ? "" : ",");
                string(sb, r.strings.get(r.numKey2[e]));
                sb.append(':').append(r.numVal2[e]);
            }
            sb.append("}}");
            if (sb.length() > 1 << 15) {
                out.write(sb.toString());
                sb.setLength(0);
            }
        }
        sb.append("],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{\"run\":");
        string(sb, r.run());
        sb.append(",\"window_from_ms\":");
        string(sb, Micros.ofPs(r.window().fromPs() / 1000));
        sb.append(",\"window_to_ms\":");
        string(sb, Micros.ofPs(r.window().toPs() / 1000));
        sb.append(",\"run_end_ms\":");
        string(sb, Micros.ofPs(Math.max(0, r.runEndPs()) / 1000));
        sb.append(",\"events\":").append(n).append(",\"events_dropped\":").append(r.droppedEvents())
                .append(",\"notes\":[");
        List<String> notes = notes(r);
        for (int i = 0; i < notes.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, notes.get(i));
        }
        sb.append("]}}\n");
        out.write(sb.toString());
    }

    private static boolean comma(StringBuilder sb, boolean first) {
        if (!first) {
            sb.append(",\n");
        }
        return false;
    }

    /** A JSON string literal. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
