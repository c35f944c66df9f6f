package io.nccsim.ncc;

import io.nccsim.config.NccConfig.Tables.Replacement;

import java.util.HashMap;
import java.util.Map;

/**
 * The driver's view of the NCC's table SRAM: which Huffman table sits in which slot, and which slot a table that
 * is not resident replaces (least recently used, or the one loaded first). The hardware only sees LOAD_TABLE and
 * the slot numbers in DECOMPRESS and COMPRESS; the replacement policy lives in the driver that issues them.
 */
final class TableSlots {
    private final Replacement policy;
    private final Object[] table;
    private final long[] lastUse;
    private final long[] loadedAt;
    private final Map<Object, Integer> slotOf = new HashMap<>();
    private long clock;

    TableSlots(int slots, Replacement policy) {
        this.policy = policy;
        this.table = new Object[slots];
        this.lastUse = new long[slots];
        this.loadedAt = new long[slots];
    }

    /** The slot holding {@code t}, or -1 when it is not resident. Counts as a use. */
    int lookup(Object t) {
        Integer s = slotOf.get(t);
        if (s == null) {
            return -1;
        }
        lastUse[s] = ++clock;
        return s;
    }

    /** Whether {@code t} is resident, without counting as a use. */
    boolean resident(Object t) {
        return slotOf.containsKey(t);
    }

    /** Chooses the slot {@code t} is loaded into, evicting its table; the caller issues the LOAD_TABLE. */
    int assign(Object t) {
        int victim = 0;
        for (int s = 0; s < table.length; s++) {
            if (table[s] == null) {
                victim = s;
                break;
            }
            long key = policy == Replacement.LRU ? lastUse[s] : loadedAt[s];
            long best = policy == Replacement.LRU ? lastUse[victim] : loadedAt[victim];
            if (key < best) {
                victim = s;
            }
        }
        if (table[victim] != null) {
            slotOf.remove(table[victim]);
        }
        table[victim] = t;
        slotOf.put(t, victim);
        lastUse[victim] = ++clock;
        loadedAt[victim] = clock;
        return victim;
    }
}
