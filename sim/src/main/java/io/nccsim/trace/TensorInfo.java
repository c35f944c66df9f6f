package io.nccsim.trace;

import java.util.List;
import java.util.Objects;

/**
 * One row of the tensor table.
 *
 * <p>A tensor's bytes in DRAM are its packed elements ({@code payloadBytes}) followed by its quantization metadata
 * (scales and zero points, {@code bytes - payloadBytes}); byte offsets in events count from the tensor's start.
 *
 * @param id           dense index, 0..n-1, in table order
 * @param name         e.g. "blk.3.attn_q.weight"
 * @param role         what the tensor is for
 * @param layer        transformer block index, or -1 for tensors outside the blocks
 * @param shape        dimensions, outermost first
 * @param elementType  element type of the payload
 * @param bytes        total bytes in DRAM (payload plus metadata)
 * @param payloadBytes packed elements only
 * @param groupSize    elements per quantization group (0 when the tensor is not group-quantized)
 */
public record TensorInfo(int id, String name, TensorRole role, int layer, List<Long> shape, ElementType elementType,
                         long bytes, long payloadBytes, int groupSize) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        shape = List.copyOf(shape);
        if (payloadBytes < 0 || payloadBytes > bytes) {
            throw new IllegalArgumentException(name + ": payloadBytes must be within 0.." + bytes);
        }
    }

    /** Number of elements: the product of the shape. */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long metadataBytes() {
        return bytes - payloadBytes;
    }
}
