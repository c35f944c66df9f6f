package io.nccsim.config;

/**
 * Energy parameters per component (YAML section {@code energy}). Each value's source is given next to it in the
 * config files.
 */
public record EnergyConfig(Processor processor, Dram dram, Ncc ncc) {

    /** @param macPj energy of one multiply-accumulate; @param staticW power drawn whatever the activity */
    public record Processor(double macPj, double staticW) {
        static Processor read(ConfigReader r) {
            Processor p = new Processor(r.energyPj("mac"), r.powerW("static"));
            r.finish();
            return p;
        }
    }

    /**
     * @param readPjPerBit  energy per bit read, whole access (activate, array, I/O)
     * @param writePjPerBit energy per bit written
     * @param backgroundW   standby and refresh power of the whole DRAM
     */
    public record Dram(double readPjPerBit, double writePjPerBit, double backgroundW) {
        static Dram read(ConfigReader r) {
            Dram d = new Dram(r.energyPjPerBit("read"), r.energyPjPerBit("write"), r.powerW("background"));
            r.finish();
            return d;
        }
    }

    /**
     * @param symbolDecodePj    per symbol decoded (table lookup included)
     * @param symbolEncodePj    per symbol encoded
     * @param sramReadPjPerByte  data and table SRAM, per byte read
     * @param sramWritePjPerByte data and table SRAM, per byte written
     * @param leakageW          static power of the NCC
     */
    public record Ncc(double symbolDecodePj, double symbolEncodePj, double sramReadPjPerByte,
                      double sramWritePjPerByte, double leakageW) {
        static Ncc read(ConfigReader r) {
            Ncc n = new Ncc(r.energyPj("symbol_decode"), r.energyPj("symbol_encode"),
                    r.quantity("sram_read", Units.Dimension.ENERGY_PER_BIT, 0, 1e6) * 8,
                    r.quantity("sram_write", Units.Dimension.ENERGY_PER_BIT, 0, 1e6) * 8,
                    r.powerW("leakage"));
            r.finish();
            return n;
        }
    }

    static EnergyConfig read(ConfigReader r) {
        EnergyConfig e = new EnergyConfig(Processor.read(r.section("processor")), Dram.read(r.section("dram")),
                Ncc.read(r.section("ncc")));
        r.finish();
        return e;
    }
}
