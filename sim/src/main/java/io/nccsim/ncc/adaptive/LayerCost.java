package io.nccsim.ncc.adaptive;

import io.nccsim.trace.TensorRole.DataClass;

import java.util.Objects;

/**
 * What one layer's data of one class costs to move: raw (bypass) and stored at the class's configured level. One
 * entry per tensor or per layer; the speed-adaptive policy sums the entries of a (class, layer).
 *
 * @param layer       layer index, from 0
 * @param dataClass   the class the bytes belong to
 * @param rawBytes    bytes read from DRAM in bypass
 * @param storedBytes bytes read from DRAM at the configured level (compressed blocks, their index and tables)
 * @param symbols     symbols the decoder produces for them (elements)
 */
public record LayerCost(int layer, DataClass dataClass, long rawBytes, long storedBytes, long symbols) {
    public LayerCost {
        Objects.requireNonNull(dataClass, "dataClass");
        if (layer < 0 || rawBytes < 0 || storedBytes < 0 || symbols < 0) {
            throw new IllegalArgumentException("layer " + layer + ": negative layer, bytes or symbols: raw "
                    + rawBytes + ", stored " + storedBytes + ", symbols " + symbols);
        }
    }
}
