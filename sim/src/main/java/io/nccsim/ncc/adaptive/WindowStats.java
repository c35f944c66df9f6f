package io.nccsim.ncc.adaptive;

/**
 * What the NCC measured over one observation window {@code [startPs, endPs)}, each a fraction 0..1 of the window.
 *
 * @param startPs            window start
 * @param endPs              window end; switches decided on this window take effect here
 * @param dramUtilization    DRAM data-bus busy time over the window length (reads and writes)
 * @param bufferOccupancy    time-averaged fill of the NCC's data buffer (bytes held over buffer bytes)
 * @param decoderUtilization decoder lanes' busy lane-cycles over available lane-cycles
 * @param encoderUtilization encoder lanes' busy lane-cycles over available lane-cycles
 */
public record WindowStats(long startPs, long endPs, double dramUtilization, double bufferOccupancy,
                          double decoderUtilization, double encoderUtilization) {
    public WindowStats {
        if (startPs < 0 || endPs <= startPs) {
            throw new IllegalArgumentException("window [" + startPs + ", " + endPs + ") ps is empty or negative");
        }
        fraction("dramUtilization", dramUtilization);
        fraction("bufferOccupancy", bufferOccupancy);
        fraction("decoderUtilization", decoderUtilization);
        fraction("encoderUtilization", encoderUtilization);
    }

    public long durationPs() {
        return endPs - startPs;
    }

    private static void fraction(String name, double x) {
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException(name + " must be a fraction 0..1, got " + x);
        }
    }
}
