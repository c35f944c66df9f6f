package io.nccsim.sweep;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep: a base config, a trace and the settings that make it.
 *
 * @param index    position in the sweep's point order, from 0
 * @param id       {@code p<index, 4 digits or more>-<8 hex digits>}: the hash is of the point's axis values as
 *                 written in the spec, so it does not depend on the folder the sweep runs from
 * @param seed     the run's seed, derived from the sweep seed and the id (31 bits, so every JSON reader keeps it)
 * @param base     the board config file
 * @param trace    the trace file
 * @param settings axis key to value, in spec axis order: the {@code --set} value text for config keys, the config
 *                 path for {@code base} (the trace is not a setting; it is {@link #trace})
 * @param sets     the {@code key=value} overrides applied to {@code base}
 */
public record SweepPoint(int index, String id, long seed, Path base, Path trace, Map<String, String> settings,
                         List<String> sets) {
    public SweepPoint {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        sets = List.copyOf(sets);
    }
}
