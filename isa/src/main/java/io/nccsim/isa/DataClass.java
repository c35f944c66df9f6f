package io.nccsim.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The classes of data the NCC moves; CONFIG sets the compression level of each separately. */
public enum DataClass {
    /** Model weights: read-only, compressed offline, decompressed on the read path. */
    WEIGHTS(0),
    /** Activations spilled to DRAM between layers: compressed on write, decompressed on read. */
    ACTIVATIONS(1),
    /** The attention key/value cache: compressed on write, decompressed on read. */
    KV_CACHE(2);

    private final int code;

    DataClass(int code) {
        this.code = code;
    }

    /** The value of the CONFIG {@code data_class} field. */
    public int code() {
        return code;
    }

    /** The name in the assembly text: {@code weights}, {@code activations}, {@code kv_cache}. */
    public String symbol() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The data class with this code. */
    public static DataClass fromCode(int code) {
        for (DataClass c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IsaException("unknown data class " + code);
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
