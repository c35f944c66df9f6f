package io.nccsim.ncc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the NCC wrote compressed into one tensor (the KV cache, activations): each write is one independently
 * decodable extent, kept in its raw slot (so addresses do not move) but occupying only its compressed bytes on
 * the bus. A later read of a range fetches and decodes every extent it overlaps, whole.
 */
final class StoredExtents {
    /** @param level the NCC level the extent was coded at (0: stored raw) */
    record Extent(long rawOffset, long rawBytes, long storedBytes, long symbols, int level) {
        long rawEnd() {
            return rawOffset + rawBytes;
        }
    }

    private final TreeMap<Long, Extent> byOffset = new TreeMap<>();

    void put(Extent e) {
        // A rewrite of a range replaces whatever extents it overlaps.
        Map.Entry<Long, Extent> before = byOffset.floorEntry(e.rawOffset());
        if (before != null && before.getValue().rawEnd() > e.rawOffset()) {
            byOffset.remove(before.getKey());
        }
        byOffset.subMap(e.rawOffset(), e.rawEnd()).clear();
        byOffset.put(e.rawOffset(), e);
    }

    /** The extents overlapping [offset, end), in address order. */
    List<Extent> overlapping(long offset, long end) {
        List<Extent> out = new ArrayList<>();
        Map.Entry<Long, Extent> first = byOffset.floorEntry(offset);
        if (first != null && first.getValue().rawEnd() > offset) {
            out.add(first.getValue());
        }
        for (Extent e : byOffset.subMap(offset, false, end, false).values()) {
            out.add(e);
        }
        return out;
    }
}
