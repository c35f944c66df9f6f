package io.nccsim.codec;

/**
 * A quantized [rows][cols] tensor as the processor stores it: one unsigned symbol per element (the code offset so
 * that it lies in {@code 0 .. 2^bits - 1}; this is the alphabet the entropy coders see) and a scale (and, when
 * asymmetric, a zero point) per group.
 *
 * <p>Dequantized value of element i in group g: {@code (symbols[i] - zeroPoint(g)) * scales[g]}, where a symmetric
 * tensor's zero point is {@code 2^(bits-1)} (so a signed code c is stored as symbol {@code c + 2^(bits-1)}). Groups
 * run along rows: group g of row r covers columns {@code [k*groupElements, (k+1)*groupElements)}.
 *
 * @param rows          rows (output channels)
 * @param cols          elements per row
 * @param quant         the scheme (bits, group size, symmetric or not)
 * @param symbols       rows x cols symbols, row-major, each in {@code 0 .. 2^bits - 1}
 * @param scales        one per group, in group order (row-major over [rows][groups per row]); empty when the file
 *                      keeps the scale in another tensor (ONNX int8 initializers)
 * @param zeroPoints    one per group for asymmetric tensors, empty (like {@code scales}) when the file keeps them in
 *                      another tensor (ONNX uint8 initializers); null for symmetric ones
 */
public record QuantizedTensor(int rows, int cols, WeightQuant quant, byte[] symbols, float[] scales,
                              int[] zeroPoints) {
    public QuantizedTensor {
        if ((long) rows * cols != symbols.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " tensor with " + symbols.length + " symbols");
        }
        if (quant.auto()) {
            // Stored codes have one meaning: the per-tensor choice must be made before a tensor is built.
            throw new IllegalArgumentException("a quantized tensor needs a decided symmetry, not " + quant.id());
        }
        if (quant.symmetric() != (zeroPoints == null)) {
            throw new IllegalArgumentException("zero points are given exactly for asymmetric tensors");
        }
    }

    public int bits() {
        return quant.type().bits();
    }

    public int alphabetSize() {
        return 1 << bits();
    }

    /** Symbol i as an int in {@code 0 .. 2^bits - 1}. */
    public int symbol(int i) {
        return symbols[i] & 0xFF;
    }

    /** Counts of each symbol over the whole tensor. */
    public long[] histogram() {
        long[] h = new long[alphabetSize()];
        for (byte s : symbols) {
            h[s & 0xFF]++;
        }
        return h;
    }

    /** Bytes of the packed symbols: bits per element, rows x cols elements, rounded up to a byte. */
    public long payloadBytes() {
        return ((long) symbols.length * bits() + 7) / 8;
    }

    /** Bytes of the scales and zero points as stored (fp16 each), by the scheme's own accounting. */
    public long metadataBytes() {
        return scales.length == 0 ? 0 : quant.metadataBytes(rows, cols);
    }
}
