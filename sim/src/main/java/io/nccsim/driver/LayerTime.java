package io.nccsim.driver;

/**
 * One layer's share of a run (see {@code LayerTimes}).
 *
 * @param layer     transformer block, or -1 for operations outside the blocks
 * @param timePs    processor time of its operations, each from its start to its end (writes stored)
 * @param dramBytes DRAM bytes (read and written) accepted while they ran
 * @param ops       operations
 */
public record LayerTime(int layer, long timePs, long dramBytes, long ops) {
    public double timeS() {
        return timePs * 1e-12;
    }
}
