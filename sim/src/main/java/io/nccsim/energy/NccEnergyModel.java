package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.ncc.NccActivity;
import io.nccsim.ncc.NccDesign;

/**
 * Prices what the NCC's blocks did ({@link NccActivity}) in joules, one item per block under component
 * {@value #COMPONENT}: dynamic energy is events times the energy per event (given at the reference node, scaled to
 * the design's node by {@link EnergyConfig.Ncc#energyScale()}); leakage is the leakage density times the area of
 * the blocks present ({@link NccArea}) times the time the NCC was powered.
 *
 * <p>Every item is added, zero when its block did nothing, so reports of different designs have the same rows.
 */
public final class NccEnergyModel {
    /** The component the items go under in an {@link EnergyBreakdown}. */
    public static final String COMPONENT = "ncc";

    /** Item names, in report order. */
    public static final String FRONT_END = "front_end";
    public static final String DMA = "dma";
    public static final String DECODER = "decoder";
    public static final String TABLE_LOOKUP = "table_lookup";
    public static final String ENCODER = "encoder";
    public static final String TABLE_SRAM = "table_sram";
    public static final String DATA_SRAM = "data_sram";
    public static final String NEURAL = "neural";
    public static final String LEAKAGE = "leakage";

    private static final double J_PER_PJ = 1e-12;
    private static final double S_PER_PS = 1e-12;

    private NccEnergyModel() {
    }

    /** Adds the NCC's energy over the run described by {@code a}, for design {@code d}, to {@code into}. */
    public static void account(EnergyConfig.Ncc params, NccActivity a, NccDesign d, EnergyBreakdown into) {
        checkActivity(a, d);
        double pj = params.energyScale() * J_PER_PJ; // joules per reference-node pJ, at the design's node
        into.add(COMPONENT, FRONT_END, a.commandsExecuted() * params.commandPj() * pj);
        into.add(COMPONENT, DMA, (double) (a.dmaBytesRead() + a.dmaBytesWritten()) * params.dmaPjPerByte() * pj);
        into.add(COMPONENT, DECODER, a.symbolsDecoded() * params.symbolDecodePj() * pj);
        into.add(COMPONENT, TABLE_LOOKUP, a.tableLookups() * params.tableLookupPj() * pj);
        into.add(COMPONENT, ENCODER, a.symbolsEncoded() * params.symbolEncodePj() * pj);
        into.add(COMPONENT, TABLE_SRAM, a.tableBytesLoaded() * 8.0 * params.sramWritePjPerBit() * pj);
        into.add(COMPONENT, DATA_SRAM, (a.dataSramBytesRead() * 8.0 * params.sramReadPjPerBit()
                + a.dataSramBytesWritten() * 8.0 * params.sramWritePjPerBit()) * pj);
        into.add(COMPONENT, NEURAL, a.neuralMacs() * params.macPj() * pj);
        double staticW = params.leakageWPerMm2() * NccArea.of(params, d).totalMm2();
        into.add(COMPONENT, LEAKAGE, staticW * a.elapsedPs() * S_PER_PS);
    }

    /**
     * Counts are never negative, and a block the design does not have did nothing: either would be a bug in the
     * timing model that produced the activity, which the energy account would otherwise hide.
     */
    private static void checkActivity(NccActivity a, NccDesign d) {
        long[] counts = {a.commandsExecuted(), a.dmaBytesRead(), a.dmaBytesWritten(), a.symbolsDecoded(),
            a.symbolsEncoded(), a.tableLookups(), a.tableBytesLoaded(), a.dataSramBytesRead(),
            a.dataSramBytesWritten(), a.neuralMacs(), a.elapsedPs()};
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count in " + a);
            }
        }
        absentBlockIdle(d.decoderLanes(), a.symbolsDecoded() + a.tableLookups(), "decoder lanes",
                "decoded symbols or table lookups");
        absentBlockIdle(d.encoderLanes(), a.symbolsEncoded(), "encoder lanes", "encoded symbols");
        absentBlockIdle((long) d.tableSlots() * d.tableSlotBytes(), a.tableBytesLoaded() + a.tableLookups(),
                "table SRAM", "table loads or lookups");
        absentBlockIdle(d.inputBufferBytes() + d.outputBufferBytes(), a.dataSramBytesRead() + a.dataSramBytesWritten(),
                "data buffers", "data SRAM bytes");
        absentBlockIdle(d.neuralMacsPerCycle(), a.neuralMacs(), "neural MACs", "MACs");
    }

    private static void absentBlockIdle(long size, long work, String block, String what) {
        if (size == 0 && work > 0) {
            throw new IllegalArgumentException("the design has no " + block + " but the activity counts " + work
                    + " " + what);
        }
    }
}
