package io.nccsim.trace;

import java.util.Arrays;
import java.util.Objects;

/**
 * A read or write of a byte range of one tensor.
 *
 * @param tensorId    row of the tensor table
 * @param direction   read or write
 * @param offsetBytes first byte, counted from the tensor's start
 * @param lengthBytes bytes accessed
 * @param histogram   for a write of a quantized tensor (activations, KV cache): the count of each symbol written,
 *                    {@code alphabetSize} bins; null when the trace carries no content for this access
 */
public record Access(int tensorId, Direction direction, long offsetBytes, long lengthBytes, int[] histogram) {
    public enum Direction { READ, WRITE }

    public Access {
        Objects.requireNonNull(direction, "direction");
        if (offsetBytes < 0 || lengthBytes <= 0) {
            throw new IllegalArgumentException("access needs offset >= 0 and length > 0");
        }
    }

    public static Access read(int tensorId, long offsetBytes, long lengthBytes) {
        return new Access(tensorId, Direction.READ, offsetBytes, lengthBytes, null);
    }

    public static Access write(int tensorId, long offsetBytes, long lengthBytes, int[] histogram) {
        return new Access(tensorId, Direction.WRITE, offsetBytes, lengthBytes, histogram);
    }

    public boolean isRead() {
        return direction == Direction.READ;
    }

    // Records compare arrays by reference; a trace round trip must compare histograms by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof Access a && tensorId == a.tensorId && direction == a.direction
                && offsetBytes == a.offsetBytes && lengthBytes == a.lengthBytes
                && Arrays.equals(histogram, a.histogram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tensorId, direction, offsetBytes, lengthBytes) * 31 + Arrays.hashCode(histogram);
    }

    @Override
    public String toString() {
        return "Access[" + tensorId + " " + direction + " @" + offsetBytes + "+" + lengthBytes
                + (histogram == null ? "" : " hist=" + Arrays.toString(histogram)) + "]";
    }
}
