package io.nccsim.ncc;

/**
 * The sizes of the NCC's blocks, from which its area (and the leakage that scales with it) follows. A block sized
 * zero is switched off (an ablation) and has no area.
 *
 * @param decoderLanes           read-path decoder lanes
 * @param decoderSymbolsPerCycle symbols one decoder lane resolves per cycle
 * @param encoderLanes           write-path encoder lanes
 * @param encoderSymbolsPerCycle symbols one encoder lane consumes per cycle
 * @param tableSlots             Huffman tables resident in table SRAM
 * @param tableSlotBytes         SRAM bytes of one table slot (the decoder's lookup table for the longest code)
 * @param inputBufferBytes       data SRAM holding compressed bytes fetched from DRAM
 * @param outputBufferBytes      data SRAM holding decoded bytes waiting for the processor
 * @param commandQueueEntries    command queue depth (16-byte entries)
 * @param neuralMacsPerCycle     MAC array of the neural-codec datapath (0 = none)
 * @param clockHz                NCC clock
 */
public record NccDesign(int decoderLanes, int decoderSymbolsPerCycle, int encoderLanes, int encoderSymbolsPerCycle,
                        int tableSlots, long tableSlotBytes, long inputBufferBytes, long outputBufferBytes,
                        int commandQueueEntries, int neuralMacsPerCycle, double clockHz) {
}
