package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;

import java.util.List;

/**
 * A rule for choosing compression levels; one instance per run, owned by a {@link LevelController}, which checks
 * every level it returns against the class's allowed range.
 */
public interface LevelPolicy {
    /** The level {@code dc} uses now in {@code layer} ({@link LevelDecision#ALL_LAYERS} when the layer is unknown). */
    int level(DataClass dc, int layer);

    /** Choices made before the run, at time 0, already in effect; empty for the window-driven policies. */
    default List<LevelDecision> initialDecisions() {
        return List.of();
    }

    /**
     * Called at the end of window {@code index} (0 for the first). Returns the switches made at {@code w.endPs()},
     * already in effect for the next window; empty when the policy keeps its levels.
     */
    List<LevelDecision> afterWindow(WindowStats w, long index);
}
