package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.isa.Encoding;
import io.nccsim.ncc.NccDesign;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NCC's silicon area per block, from the block sizes of an {@link NccDesign} and the area parameters of
 * {@link EnergyConfig.Ncc} (given at the reference node, scaled to the design's node).
 *
 * <p>SRAM blocks (table SRAM, input and output buffers, the command queue) are their bits times the area of one bit
 * with its array overhead, so they grow linearly with their bytes; lanes and MACs are counted; the front end's logic
 * and the DMA engine are fixed, present in every NCC. A block sized zero (an ablation) has no area, and so, in
 * {@link NccEnergyModel}, no leakage.
 */
public final class NccArea {
    /** Block names, in report order. */
    public static final String FRONT_END = "front_end";
    public static final String DMA = "dma";
    public static final String DECODER = "decoder";
    public static final String ENCODER = "encoder";
    public static final String TABLE_SRAM = "table_sram";
    public static final String INPUT_BUFFER = "input_buffer";
    public static final String OUTPUT_BUFFER = "output_buffer";
    public static final String NEURAL = "neural";

    private static final double MM2_PER_UM2 = 1e-6;

    private NccArea() {
    }

    /**
     * Area per block in mm², in report order, and their sum.
     *
     * @param mm2ByBlock area of each block in mm²; kept in the given order
     */
    public record Breakdown(Map<String, Double> mm2ByBlock) {
        public Breakdown {
            mm2ByBlock = Collections.unmodifiableMap(new LinkedHashMap<>(mm2ByBlock));
        }

        /** The area of one block in mm² (0 for a block not listed). */
        public double mm2(String block) {
            return mm2ByBlock.getOrDefault(block, 0.0);
        }

        public double totalMm2() {
            double sum = 0;
            for (double a : mm2ByBlock.values()) {
                sum += a;
            }
            return sum;
        }
    }

    /** The area of {@code d} built at {@code params.nodeNm()}. */
    public static Breakdown of(EnergyConfig.Ncc params, NccDesign d) {
        checkSizes(d);
        EnergyConfig.Ncc.Area a = params.area();
        double scale = params.areaScale();
        long queueBytes = (long) d.commandQueueEntries() * Encoding.INSTRUCTION_BYTES;
        Map<String, Double> mm2 = new LinkedHashMap<>();
        mm2.put(FRONT_END, scale * (a.frontEndMm2() + sramMm2(a, queueBytes)));
        mm2.put(DMA, scale * a.dmaMm2());
        mm2.put(DECODER, scale * d.decoderLanes() * a.decoderLaneMm2());
        mm2.put(ENCODER, scale * d.encoderLanes() * a.encoderLaneMm2());
        mm2.put(TABLE_SRAM, scale * sramMm2(a, (long) d.tableSlots() * d.tableSlotBytes()));
        mm2.put(INPUT_BUFFER, scale * sramMm2(a, d.inputBufferBytes()));
        mm2.put(OUTPUT_BUFFER, scale * sramMm2(a, d.outputBufferBytes()));
        mm2.put(NEURAL, scale * d.neuralMacsPerCycle() * a.macUm2() * MM2_PER_UM2);
        return new Breakdown(mm2);
    }

    private static double sramMm2(EnergyConfig.Ncc.Area a, long bytes) {
        return bytes * 8.0 * a.sramUm2PerBit() * MM2_PER_UM2;
    }

    /** A negative size is a bug in the code that built the design, not a user error. */
    private static void checkSizes(NccDesign d) {
        long[] sizes = {d.decoderLanes(), d.decoderSymbolsPerCycle(), d.encoderLanes(), d.encoderSymbolsPerCycle(),
            d.tableSlots(), d.tableSlotBytes(), d.inputBufferBytes(), d.outputBufferBytes(),
            d.commandQueueEntries(), d.neuralMacsPerCycle()};
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("negative block size in " + d);
            }
        }
    }
}
