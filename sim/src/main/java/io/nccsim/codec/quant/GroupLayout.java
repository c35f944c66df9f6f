package io.nccsim.codec.quant;

import io.nccsim.codec.WeightQuant;

/**
 * Where the scale groups of a row-major [rows][cols] tensor lie, in the order their scales are stored.
 *
 * <p>One group per tensor, one per row, or {@code ceil(cols / groupSize)} per row running along it. When the group
 * size does not divide the row, the row's last group is shorter (ragged) rather than spilling into the next row:
 * a group then never spans two output channels, and the count agrees with {@link WeightQuant#groups}.
 *
 * @param rows      rows (output channels)
 * @param cols      elements per row
 * @param groupSize {@link WeightQuant#groupSize()}: elements per group, or PER_CHANNEL or PER_TENSOR
 */
record GroupLayout(int rows, int cols, int groupSize) {
    static GroupLayout of(int rows, int cols, WeightQuant q) {
        return new GroupLayout(rows, cols, q.groupSize());
    }

    private int groupsPerRow() {
        return (cols + groupSize - 1) / groupSize;
    }

    int count() {
        return switch (groupSize) {
            case WeightQuant.PER_TENSOR -> 1;
            case WeightQuant.PER_CHANNEL -> rows;
            default -> rows * groupsPerRow();
        };
    }

    /** Index of group {@code g}'s first element. */
    int start(int g) {
        return switch (groupSize) {
            case WeightQuant.PER_TENSOR -> 0;
            case WeightQuant.PER_CHANNEL -> g * cols;
            default -> (g / groupsPerRow()) * cols + (g % groupsPerRow()) * groupSize;
        };
    }

    /** Elements in group {@code g}. */
    int length(int g) {
        return switch (groupSize) {
            case WeightQuant.PER_TENSOR -> rows * cols;
            case WeightQuant.PER_CHANNEL -> cols;
            default -> Math.min(groupSize, cols - (g % groupsPerRow()) * groupSize);
        };
    }
}
