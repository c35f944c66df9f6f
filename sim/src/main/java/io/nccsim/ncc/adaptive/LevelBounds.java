package io.nccsim.ncc.adaptive;

import io.nccsim.config.AdaptiveConfig.LevelRange;

/**
 * What a policy may do with one class: its configured level ({@code ncc.levels}) and the range it may move in
 * ({@code ncc.adaptive.<class>}, or the configured level alone when the config gives no range).
 */
public record LevelBounds(int configured, LevelRange range) {
    public LevelBounds {
        if (!range.contains(configured)) {
            throw new IllegalArgumentException("configured level " + configured + " outside " + range);
        }
    }

    /** Whether the class can move at all. */
    public boolean movable() {
        return range.min() < range.max();
    }
}
