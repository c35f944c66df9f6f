package io.nccsim.energy;

import io.nccsim.config.EnergyConfig;
import io.nccsim.ncc.NccActivity;
import io.nccsim.ncc.NccDesign;

/**
 * Round-numbered parameters, design and activity for the NCC energy and area tests, so that the expectations can be
 * worked out by hand in the tests' comments.
 */
final class NccFixtures {
    private NccFixtures() {
    }

    /**
     * Energies at the reference node: command 10 pJ, DMA 1 pJ/B, decode 15 pJ, lookup 4 pJ, encode 20 pJ, SRAM read
     * 0.05 pJ/bit, write 0.1 pJ/bit, MAC 0.5 pJ; leakage 0.01 W/mm²; areas: SRAM 0.25 um² per bit, decoder lane
     * 0.003 mm², encoder lane 0.004 mm², MAC 100 um², front end 0.005 mm², DMA 0.01 mm².
     */
    static EnergyConfig.Ncc params(int nodeNm, int referenceNodeNm) {
        return new EnergyConfig.Ncc(nodeNm, referenceNodeNm, 10, 1, 15, 4, 20, 0.05, 0.1, 0.5, 0.01,
                new EnergyConfig.Ncc.Area(0.25, 0.003, 0.004, 100, 0.005, 0.01));
    }

    static EnergyConfig.Ncc params() {
        return params(28, 28);
    }

    /**
     * 4 decoder lanes, 2 encoder lanes, 2 table slots of 1 KiB, 4 KiB in, 8 KiB out, 8 queue entries, 16 MACs.
     * Area by hand, mm² (an SRAM bit is 0.25e-6 mm²): front end 0.005 + 8 x 16 B x 8 bit x 0.25e-6 = 0.005256;
     * DMA 0.01; decoder 4 x 0.003 = 0.012; encoder 2 x 0.004 = 0.008; table 2048 B = 0.004096; input 4096 B =
     * 0.008192; output 8192 B = 0.016384; neural 16 x 100e-6 = 0.0016; total 0.065528.
     */
    static NccDesign design() {
        return design(4, 2, 8192);
    }

    static NccDesign design(int decoderLanes, int encoderLanes, long outputBufferBytes) {
        return new NccDesign(decoderLanes, 2, encoderLanes, 2, 2, 1024, 4096, outputBufferBytes, 8, 16, 1e9);
    }

    static final double DESIGN_AREA_MM2 = 0.065528;

    /**
     * 100 commands, 10000 + 2000 DMA bytes, 8000 symbols decoded with 4000 lookups, 1000 encoded, 2048 table bytes,
     * 20000 data SRAM bytes read and 18000 written, 5000 MACs, over 1 us.
     */
    static NccActivity activity() {
        return new NccActivity(100, 10_000, 2_000, 8_000, 1_000, 4_000, 2_048, 20_000, 18_000, 5_000, 1_000_000);
    }

    /** {@link #activity()} with nothing decoded and no lookups, for a design without decoder lanes. */
    static NccActivity activityWithoutDecoding() {
        return new NccActivity(100, 10_000, 2_000, 0, 1_000, 0, 2_048, 20_000, 18_000, 5_000, 1_000_000);
    }
}
