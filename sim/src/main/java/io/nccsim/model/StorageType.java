package io.nccsim.model;

/**
 * How a tensor's elements are stored in a model file. Block-quantized types (GGUF's Q8_0 and Q4_0) keep a scale per
 * block of {@link #blockElements()} elements next to the codes; plain integer types (ONNX int8/uint8 initializers)
 * keep their scale, if any, in another tensor.
 */
public enum StorageType {
    F64(64, 1, false), F32(32, 1, false), F16(16, 1, false), BF16(16, 1, false),
    /** GGUF Q8_0: blocks of 32 int8 codes with one fp16 scale; value = code x scale. */
    Q8_0(8, 32, true),
    /** GGUF Q4_0: blocks of 32 4-bit codes with one fp16 scale; value = (code - 8) x scale. */
    Q4_0(4, 32, true),
    INT8(8, 1, true), UINT8(8, 1, true), INT16(16, 1, false), INT32(32, 1, false), INT64(64, 1, false),
    BOOL(8, 1, false);

    private final int bitsPerElement;
    private final int blockElements;
    private final boolean codes;

    StorageType(int bitsPerElement, int blockElements, boolean codes) {
        this.bitsPerElement = bitsPerElement;
        this.blockElements = blockElements;
        this.codes = codes;
    }

    /** Bits of one element's code or value, not counting per-block scales. */
    public int bitsPerElement() {
        return bitsPerElement;
    }

    /** Elements that share one stored scale (1 when the type has none of its own). */
    public int blockElements() {
        return blockElements;
    }

    /** True if the stored elements are integer codes of a quantized tensor (the symbols an entropy coder sees). */
    public boolean isQuantizedCodes() {
        return codes;
    }

    /** True for the floating-point types. */
    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }
}
