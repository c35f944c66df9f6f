package io.nccsim.config;

/**
 * The edge processor that runs the model (YAML section {@code processor}).
 *
 * @param name          what it is, e.g. "Tegra X1 GPU (128-core Maxwell)"
 * @param clockHz       core clock ({@code processor.clock})
 * @param macsPerCycle  multiply-accumulates per cycle over the whole processor at peak
 * @param tileBytes     bytes of one streamed input tile ({@code processor.tile}): the unit in which operands are
 *                      fetched and computed on while the next tile loads
 * @param tilesInFlight tile buffers ({@code processor.tiles_in_flight}); 2 is double buffering: one tile computes
 *                      while one loads
 */
public record ProcessorConfig(String name, double clockHz, double macsPerCycle, long tileBytes, int tilesInFlight) {

    static ProcessorConfig read(ConfigReader r) {
        ProcessorConfig c = new ProcessorConfig(
                r.string("name", "processor"),
                r.quantity("clock", Units.Dimension.FREQUENCY, 1e6, 1e11),
                r.number("macs_per_cycle", 1e-3, 1e9),
                (long) r.quantity("tile", Units.Dimension.SIZE, 64, 1L << 30, 64 * 1024),
                r.integer("tiles_in_flight", 1, 1024, 2));
        r.finish();
        return c;
    }

    /** Peak multiply-accumulates per second. */
    public double macsPerS() {
        return macsPerCycle * clockHz;
    }
}
