package io.nccsim.config;

import io.nccsim.common.BadInputException;

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
     * The NCC's energy and area parameters (YAML section {@code energy.ncc}; the shipped values and their sources are
     * in configs/energy/ncc_28nm.yaml). Per-event energies and areas are given at {@code referenceNodeNm} and apply
     * at {@code nodeNm} after {@link TechnologyScaling}: {@link #energyScale()} for every dynamic energy,
     * {@link #areaScale()} for every area. The leakage density is taken as is at {@code nodeNm}, so leakage follows
     * the scaled area. Priced by {@code io.nccsim.energy.NccEnergyModel} and {@code io.nccsim.energy.NccArea}.
     *
     * @param nodeNm             technology node the NCC is built in
     * @param referenceNodeNm    node at which the energies and areas below are given
     * @param commandPj          front end, per command decoded and executed (queue write and read, decode)
     * @param dmaPjPerByte       DMA engine datapath, per byte moved between DRAM and the NCC (the DRAM's own energy
     *                           is the memory model's; the buffer write is data SRAM energy)
     * @param symbolDecodePj     decoder logic, per symbol decoded (its table lookups are {@code tableLookupPj})
     * @param tableLookupPj      per decoder table lookup (one read of a table SRAM entry)
     * @param symbolEncodePj     encoder, per symbol encoded (its in-lane code table included)
     * @param sramReadPjPerBit   data and table SRAM, per bit read
     * @param sramWritePjPerBit  data and table SRAM, per bit written
     * @param macPj              neural-codec datapath, per multiply-accumulate
     * @param leakageWPerMm2     static power per mm² of NCC area, at {@code nodeNm}
     * @param area               area per block element, at {@code referenceNodeNm}
     */
    public record Ncc(int nodeNm, int referenceNodeNm, double commandPj, double dmaPjPerByte, double symbolDecodePj,
                      double tableLookupPj, double symbolEncodePj, double sramReadPjPerBit, double sramWritePjPerBit,
                      double macPj, double leakageWPerMm2, Area area) {

        /** Checks what the config reader checks, for records built in code. */
        public Ncc {
            for (int nm : new int[] {nodeNm, referenceNodeNm}) {
                if (!TechnologyScaling.covers(nm)) {
                    throw new IllegalArgumentException(nm + " nm is outside the technology scaling table");
                }
            }
            double[] values = {commandPj, dmaPjPerByte, symbolDecodePj, tableLookupPj, symbolEncodePj,
                sramReadPjPerBit, sramWritePjPerBit, macPj, leakageWPerMm2};
            for (double v : values) {
                if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("NCC energy parameters must be finite and >= 0, got " + v);
                }
            }
            java.util.Objects.requireNonNull(area, "area");
        }

        /**
         * Areas of the NCC's building blocks at the reference node.
         *
         * @param sramUm2PerBit  one bit of SRAM including its share of the array's decoders, sense amplifiers and I/O
         * @param decoderLaneMm2 one decoder lane's logic (its tables are in table SRAM)
         * @param encoderLaneMm2 one encoder lane
         * @param macUm2         one multiply-accumulate unit of the neural-codec datapath
         * @param frontEndMm2    front-end logic (command decode, sequencing, registers), without the command queue
         * @param dmaMm2         DMA engine
         */
        public record Area(double sramUm2PerBit, double decoderLaneMm2, double encoderLaneMm2, double macUm2,
                           double frontEndMm2, double dmaMm2) {
            public Area {
                for (double v : new double[] {sramUm2PerBit, decoderLaneMm2, encoderLaneMm2, macUm2, frontEndMm2,
                    dmaMm2}) {
                    if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                        throw new IllegalArgumentException("NCC areas must be finite and >= 0, got " + v);
                    }
                }
            }

            static Area read(ConfigReader r) {
                Area a = new Area(area(r, "sram_bit") * 1e6, area(r, "decoder_lane"), area(r, "encoder_lane"),
                        area(r, "mac") * 1e6, area(r, "front_end"), area(r, "dma"));
                r.finish();
                return a;
            }

            private static double area(ConfigReader r, String key) {
                return r.quantity(key, Units.Dimension.AREA, 0, Double.POSITIVE_INFINITY);
            }
        }

        /** Factor from the reference node's dynamic energies to the design node's. */
        public double energyScale() {
            return TechnologyScaling.energyScale(referenceNodeNm, nodeNm);
        }

        /** Factor from the reference node's areas to the design node's. */
        public double areaScale() {
            return TechnologyScaling.areaScale(referenceNodeNm, nodeNm);
        }

        static Ncc read(ConfigReader r) {
            Ncc n = new Ncc(node(r, "node_nm"), node(r, "reference_node_nm"), r.energyPj("command"),
                    r.energyPjPerBit("dma") * 8, r.energyPj("symbol_decode"), r.energyPj("table_lookup"),
                    r.energyPj("symbol_encode"), r.energyPjPerBit("sram_read"), r.energyPjPerBit("sram_write"),
                    r.energyPj("mac"), r.powerW("leakage_per_mm2"), Area.read(r.section("area")));
            r.finish();
            return n;
        }

        /** A technology node in nm that the scaling table covers. */
        private static int node(ConfigReader r, String key) {
            int nm = r.example(key, "28").integer(key, 1, 100_000);
            if (!TechnologyScaling.covers(nm)) {
                throw new BadInputException(r.raw(key).location() + ": " + keyPath(r, key) + ": " + nm
                        + " nm is outside the technology scaling table (" + TechnologyScaling.MIN_NODE_NM + " to "
                        + TechnologyScaling.MAX_NODE_NM + " nm; tabulated: " + TechnologyScaling.tabulatedNodes()
                        + "); choose a node in that range");
            }
            return nm;
        }

        private static String keyPath(ConfigReader r, String key) {
            return r.path().isEmpty() ? key : r.path() + "." + key;
        }
    }

    static EnergyConfig read(ConfigReader r) {
        EnergyConfig e = new EnergyConfig(Processor.read(r.section("processor")), Dram.read(r.section("dram")),
                Ncc.read(r.section("ncc")));
        r.finish();
        return e;
    }
}
