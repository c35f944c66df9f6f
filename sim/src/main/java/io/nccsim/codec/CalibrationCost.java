package io.nccsim.codec;

/**
 * The cost of coding data with tables fixed in advance from calibration ({@link CalibratedTables}), against tables
 * built from the data itself, which a write-path encoder cannot have (it would need the data before coding it, and
 * would have to store the table). Table bits are left out of both sides.
 *
 * @param symbols        symbols coded
 * @param blocks         blocks they were coded in
 * @param payloadBits    code-word bits with the calibrated tables, each block with its cheapest table
 * @param selectorBits   bits naming each block's table
 * @param idealBits      code-word bits with one table built from all of the data (same length limit), as a weight
 *                       tensor would be coded
 * @param blockIdealBits code-word bits with a table built from each block itself: a floor no choice of tables can go
 *                       below
 * @param tableUse       blocks coded with each table
 */
public record CalibrationCost(long symbols, int blocks, long payloadBits, long selectorBits, long idealBits,
                              long blockIdealBits, int[] tableUse) {
    public CalibrationCost {
        tableUse = tableUse.clone();
    }

    @Override
    public int[] tableUse() {
        return tableUse.clone();
    }

    /** Everything the calibrated coding spends: code words and table choices. */
    public long codedBits() {
        return payloadBits + selectorBits;
    }

    /**
     * Mismatch cost: how much more the calibrated coding spends than one table fitted to this data, in percent.
     * With one calibrated table it is never negative; with several, choosing per block can beat a single fitted
     * table, and then it is.
     */
    public double mismatchPercent() {
        return idealBits == 0 ? 0 : 100.0 * (codedBits() - idealBits) / idealBits;
    }

    /** The same against a table fitted to each block: never negative. */
    public double blockMismatchPercent() {
        return blockIdealBits == 0 ? 0 : 100.0 * (codedBits() - blockIdealBits) / blockIdealBits;
    }
}
