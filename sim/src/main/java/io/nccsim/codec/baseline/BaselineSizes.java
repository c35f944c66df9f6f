package io.nccsim.codec.baseline;

import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.SymbolPacking;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * What the general-purpose compressors make of one tensor's packed symbols. Each result is decompressed again and
 * compared, so a size is only reported for a stream known to round-trip.
 *
 * @param packedBytes    the input: symbols packed at their bit width
 * @param deflateBytes   raw DEFLATE, level 9
 * @param zstd3Bytes     zstd level 3, empty when zstd is not available
 * @param zstd19Bytes    zstd level 19, empty when zstd is not available
 * @param zstdNote       empty, or why zstd is not available
 * @param roundTripExact true if every compressor gave back exactly the packed bytes
 */
public record BaselineSizes(long packedBytes, long deflateBytes, OptionalLong zstd3Bytes, OptionalLong zstd19Bytes,
                            String zstdNote, boolean roundTripExact) {

    public static BaselineSizes measure(QuantizedTensor tensor) {
        return measure(SymbolPacking.pack(tensor));
    }

    public static BaselineSizes measure(byte[] packed) {
        byte[] deflated = DeflateBaseline.compress(packed);
        boolean exact = Arrays.equals(packed, DeflateBaseline.decompress(deflated, packed.length));
        if (!ZstdBaseline.available()) {
            return new BaselineSizes(packed.length, deflated.length, OptionalLong.empty(), OptionalLong.empty(),
                    ZstdBaseline.unavailableReason(), exact);
        }
        byte[] z3 = ZstdBaseline.compress(packed, ZstdBaseline.DEFAULT_LEVEL);
        byte[] z19 = ZstdBaseline.compress(packed, ZstdBaseline.STRONG_LEVEL);
        exact &= Arrays.equals(packed, ZstdBaseline.decompress(z3, packed.length));
        exact &= Arrays.equals(packed, ZstdBaseline.decompress(z19, packed.length));
        return new BaselineSizes(packed.length, deflated.length, OptionalLong.of(z3.length),
                OptionalLong.of(z19.length), "", exact);
    }

    /** A size for a report: the number, or "n/a" when the compressor was not available. */
    public static String show(OptionalLong bytes) {
        return bytes.isPresent() ? Long.toString(bytes.getAsLong()) : "n/a";
    }
}
