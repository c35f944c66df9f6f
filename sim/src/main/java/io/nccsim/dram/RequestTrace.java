package io.nccsim.dram;

import io.nccsim.common.BadInputException;

import java.util.Locale;

/**
 * Memory-request traces: a stream of reads and writes of one request size each, in the text formats other DRAM
 * simulators read, so a request stream can be replayed here ({@code nccsim dram}) or there ({@code nccsim trace
 * export}).
 *
 * <ul>
 * <li>{@link Format#DRAMSIM3}: {@code 0xADDR READ|WRITE CYCLE} per line, whitespace separated; the address in hex
 *     with 0x, the cycle a decimal DRAM-clock (tCK) cycle. Cycle 0 means "as soon as the controller accepts it", a
 *     non-zero cycle "not before that DRAM cycle".</li>
 * <li>{@link Format#RAMULATOR2}: Ramulator 2's load/store trace, {@code LD 0xADDR} or {@code ST 0xADDR} per line,
 *     with no timing: every request as soon as the controller accepts it.</li>
 * </ul>
 * In both, requests are issued in file order: a request waits for the previous one to be accepted. Lines that are
 * blank or start with {@code #} are skipped, as is anything after a {@code #}.
 */
public final class RequestTrace {
    private RequestTrace() {
    }

    /** The request size when none is given: one cache line. */
    public static final int DEFAULT_REQUEST_BYTES = 64;

    public enum Format {
        DRAMSIM3("dramsim3", "DRAMSim3", "'0xADDR READ|WRITE CYCLE'"),
        RAMULATOR2("ramulator2", "Ramulator 2", "'LD|ST 0xADDR'");

        private final String id;
        private final String displayName;
        private final String shape;

        Format(String id, String displayName, String shape) {
            this.id = id;
            this.displayName = displayName;
            this.shape = shape;
        }

        /** The name on the command line: "dramsim3" or "ramulator2". */
        public String id() {
            return id;
        }

        /** The simulator's own name: "DRAMSim3" or "Ramulator 2". */
        public String displayName() {
            return displayName;
        }

        /** What a line looks like, quoted, e.g. {@code '0xADDR READ|WRITE CYCLE'}. */
        public String shape() {
            return shape;
        }

        /** Whether requests carry a cycle. */
        public boolean timed() {
            return this == DRAMSIM3;
        }

        /** The format named {@code id} (case-insensitive); a bad name is the user's error, naming {@code option}. */
        public static Format parse(String id, String option) {
            for (Format f : values()) {
                if (f.id.equalsIgnoreCase(id.strip())) {
                    return f;
                }
            }
            throw new BadInputException(option + " " + id + ": expected dramsim3 or ramulator2");
        }
    }

    /**
     * One request of a trace.
     *
     * @param address byte address
     * @param write   true for a write (DRAMSim3 WRITE, Ramulator 2 ST)
     * @param cycle   DRAM cycle before which the request is not issued; 0 for "as soon as accepted"
     * @param line    line number in the file (1-based), for messages
     */
    public record Entry(long address, boolean write, long cycle, long line) {
        public Entry {
            if (address < 0 || cycle < 0) {
                throw new IllegalArgumentException("address and cycle must be >= 0");
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "0x%x %s %d (line %d)", address, write ? "WRITE" : "READ", cycle, line);
        }
    }

    /** Where a replay takes its requests from, in order; a reader, or a generator in a test. */
    public interface Source {
        /** The next request, or null at the end. */
        Entry next();

        /** A name for messages (the file as the user gave it). */
        String name();
    }
}
