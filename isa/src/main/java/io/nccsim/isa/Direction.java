package io.nccsim.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which way a COPY moves its bytes. */
public enum Direction {
    /** DRAM to the processor. */
    READ(0),
    /** The processor to DRAM. */
    WRITE(1);

    private final int code;

    Direction(int code) {
        this.code = code;
    }

    /** The value of the COPY {@code direction} bit. */
    public int code() {
        return code;
    }

    /** The name in the assembly text: {@code read}, {@code write}. */
    public String symbol() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction with this code. */
    public static Direction fromCode(int code) {
        for (Direction d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new IsaException("unknown direction " + code);
    }

    /** The symbols indexed by code. */
    static List<String> symbols() {
        List<String> symbols = new ArrayList<>();
        for (int code = 0; code < values().length; code++) {
            symbols.add(fromCode(code).symbol());
        }
        return symbols;
    }
}
