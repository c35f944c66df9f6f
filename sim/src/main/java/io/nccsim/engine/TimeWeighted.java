package io.nccsim.engine;

/**
 * A gauge whose level holds between changes, such as a queue's occupancy: its mean is weighted by how long each
 * level lasted, which is what a queue-depth figure in a paper means.
 */
public final class TimeWeighted {
    private long lastChangePs;
    private double level;
    private double area;
    private double max;

    /** Records that the level becomes {@code newLevel} at time {@code nowPs}. */
    public void set(long nowPs, double newLevel) {
        area += level * (nowPs - lastChangePs);
        lastChangePs = nowPs;
        level = newLevel;
        max = Math.max(max, newLevel);
    }

    /** Mean level over [0, endPs]. */
    public double mean(long endPs) {
        if (endPs <= 0) {
            return 0;
        }
        double total = area + level * Math.max(0, endPs - lastChangePs);
        return total / endPs;
    }

    public double max() {
        return max;
    }
}
