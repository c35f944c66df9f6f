package io.nccsim.config;

/**
 * The memory system (YAML section {@code memory}): which model simulates it, and the DRAM it has.
 *
 * @param model         registered memory model: ideal (fixed latency, peak bandwidth); the cycle-level DRAM
 *                      models register further names
 * @param standard      DRAM standard, e.g. LPDDR4
 * @param dataRateTps   transfers per second per data pin ({@code memory.data_rate}, e.g. 3200 MT/s)
 * @param busWidthBits  total data bus width between the SoC and its DRAM
 * @param ideal         parameters of the ideal model
 */
public record MemoryConfig(Model model, Standard standard, double dataRateTps, int busWidthBits, Ideal ideal) {

    public enum Standard { LPDDR4, LPDDR4X, LPDDR5 }

    public enum Model { IDEAL }

    /**
     * @param latencyPs   from a request reaching the controller to its last byte returned, at no load
     * @param queueDepth  requests the controller holds at once; more wait (back-pressure)
     */
    public record Ideal(long latencyPs, int queueDepth) {
        static Ideal read(ConfigReader r) {
            Ideal i = new Ideal(r.timePs("latency"), r.integer("queue_depth", 1, 1 << 20, 64));
            r.finish();
            return i;
        }
    }

    static MemoryConfig read(ConfigReader r) {
        Model model = r.choice("model", Model.class);
        MemoryConfig c = new MemoryConfig(model,
                r.choice("standard", Standard.class),
                r.quantity("data_rate", Units.Dimension.DATA_RATE, 1e8, 1e11),
                r.integer("bus_width_bits", 8, 1024),
                Ideal.read(r.section("ideal")));
        r.finish();
        return c;
    }

    /** Peak data bandwidth: data rate times bus width. */
    public double peakBandwidthBytesPerS() {
        return dataRateTps * busWidthBits / 8.0;
    }
}
