package io.nccsim.ncc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NCC's Huffman table SRAM: {@code slots} tables resident at once, least recently used replaced. A table that
 * is not resident must be loaded from DRAM before a block coded with it can be decoded.
 */
final class TableCache {
    private final int slots;
    // Access-ordered map: iteration starts at the least recently used table.
    private final LinkedHashMap<Object, Boolean> resident;

    TableCache(int slots) {
        this.slots = slots;
        this.resident = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Boolean> eldest) {
                return size() > TableCache.this.slots;
            }
        };
    }

    /** Whether {@code table} is resident, without counting as a use. */
    boolean resident(Object table) {
        return resident.containsKey(table);
    }

    /** Marks {@code table} used now; returns true if it had to be loaded (a miss). */
    boolean use(Object table) {
        if (resident.get(table) != null) {
            return false;
        }
        resident.put(table, Boolean.TRUE);
        return true;
    }
}
