package io.nccsim.codec;

import io.nccsim.common.BadInputException;

import java.util.Locale;

/**
 * Which tensors share one Huffman table. More sharing means fewer table bytes to store and to load into the
 * decoder's table SRAM, at the price of codes that fit each tensor less well.
 *
 * <p>A table codes one alphabet, so tensors of different bit widths never share one: under {@link #SHARED} there is
 * one table per bit width, and under {@link #PER_LAYER} one per layer and bit width.
 */
public enum TableScope {
    /** Every tensor has its own table, built from its own symbol counts. */
    PER_TENSOR,
    /**
     * Tensors of one transformer layer share a table ({@link LayerNames} finds the layer in the name); a tensor
     * outside any layer (embeddings, the output head, a final norm) has its own.
     */
    PER_LAYER,
    /** One table for the whole model. */
    SHARED;

    /** "per-tensor", "per-layer" or "shared" (case and '_' or '-' do not matter). */
    public static TableScope parse(String id, String where) {
        String norm = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TableScope s : values()) {
            if (s.name().equals(norm)) {
                return s;
            }
        }
        throw new BadInputException(where + ": expected a table scope of per-tensor, per-layer or shared, found '"
                + id + "'");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
