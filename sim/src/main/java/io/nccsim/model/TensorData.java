package io.nccsim.model;

import io.nccsim.codec.QuantizedTensor;

import java.util.Arrays;

/**
 * One named tensor of a model file.
 *
 * @param name      the name the file gives it
 * @param stored    how the file stores its elements
 * @param shape     dimensions, outermost first (row-major: the last dimension varies fastest), whatever order the
 *                  file itself writes them in (GGUF writes innermost first; loaders turn that round)
 * @param values    every element as fp32, row-major: exact for F32/F16/BF16 and integer types, dequantized for
 *                  block-quantized types
 * @param quantized the integer codes as stored (with their scales when the file keeps them in the same tensor), for
 *                  types whose elements are codes ({@link StorageType#isQuantizedCodes()}); null otherwise
 */
public record TensorData(String name, StorageType stored, long[] shape, float[] values, QuantizedTensor quantized) {
    public TensorData {
        shape = shape.clone();
        if (elementsOf(shape) != values.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds "
                    + elementsOf(shape) + " elements, got " + values.length);
        }
        if (stored.isQuantizedCodes() != (quantized != null)) {
            throw new IllegalArgumentException(name + ": codes are given exactly when the storage type has them");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elements() {
        return values.length;
    }

    /** The last dimension: the length of a row (1 for a scalar). */
    public int cols() {
        return shape.length == 0 ? 1 : (int) shape[shape.length - 1];
    }

    /** Every dimension but the last, multiplied: the number of rows (1 for a vector or a scalar). */
    public int rows() {
        return cols() == 0 ? 0 : values.length / cols();
    }

    /** True for a matrix or higher-rank tensor whose rows are longer than one element: what gets quantized. */
    public boolean isMatrix() {
        return shape.length >= 2 && rows() > 1 && cols() > 1;
    }

    public static long elementsOf(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + stored + Arrays.toString(shape);
    }
}
