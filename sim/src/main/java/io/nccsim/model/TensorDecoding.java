package io.nccsim.model;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.QuantizedTensor;
import io.nccsim.codec.WeightQuant;
import io.nccsim.trace.ElementType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Bulk little-endian decoding of tensor bytes into fp32, shared by the loaders. */
final class TensorDecoding {
    /** The most elements one tensor may have: a Java array's limit. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private TensorDecoding() {
    }

    /**
     * What is wrong with {@code shape} for nccsim (a dimension negative or beyond 2^31, or more elements than
     * {@link #MAX_ELEMENTS}), or null when it is fine.
     */
    static String shapeProblem(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                return "dimension " + d + " in shape " + Arrays.toString(shape) + " is out of range";
            }
        }
        for (long d : shape) {
            if (d == 0) {
                return null;
            }
            if (n > MAX_ELEMENTS / d) {
                return "shape " + Arrays.toString(shape) + " has more than " + MAX_ELEMENTS
                        + " elements, more than nccsim holds in one tensor";
            }
            n *= d;
        }
        return null;
    }

    /** Bytes of {@code n} elements of {@code t} (whole blocks for block-quantized types). */
    static long bytesOf(StorageType t, long n) {
        return switch (t) {
            case Q8_0 -> n / 32 * 34;
            case Q4_0 -> n / 32 * 18;
            default -> n * t.bitsPerElement() / 8;
        };
    }

    /** Decodes {@code n} elements of plain (not block-quantized) type {@code t} from {@code b} (position 0). */
    static float[] decode(StorageType t, ByteBuffer b, int n) {
        ByteBuffer in = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[n];
        switch (t) {
            case F32 -> in.asFloatBuffer().get(v);
            case F64 -> {
                var d = in.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = (float) d.get(i);
                }
            }
            case F16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = Float16Bits.fromFp16(s.get(i));
                }
            }
            case BF16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = Float16Bits.fromBf16(s.get(i));
                }
            }
            case INT16 -> {
                var s = in.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = s.get(i);
                }
            }
            case INT32 -> {
                var s = in.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = s.get(i);
                }
            }
            case INT64 -> {
                var s = in.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    v[i] = s.get(i);
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    v[i] = in.get(i);
                }
            }
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) {
                    v[i] = in.get(i) & 0xFF;
                }
            }
            default -> throw new IllegalArgumentException(t + " is block-quantized");
        }
        return v;
    }

    /**
     * The codes of an int8 or uint8 tensor whose scale (and zero point) a file keeps elsewhere (ONNX's companion
     * {@code _scale}/{@code _zero_point} initializers; safetensors I8/U8), as a per-tensor {@link QuantizedTensor}
     * with no scales.
     *
     * <p>int8: a signed code c is symbol {@code c + 128}, and the tensor is called symmetric: that is the convention
     * ONNX Runtime's quantizer uses for int8 weights (zero point 0, i.e. symbol 128; all 36 of MiniLM-int8's
     * MatMul weights have all-zero zero points).
     *
     * <p>uint8: the symbol is the byte itself, and the tensor is called asymmetric, with an empty zero-point array
     * (the record requires one for an asymmetric tensor). Calling it symmetric would claim a zero point of 128: true
     * of MiniLM-int8's three uint8 embedding tables, but not of uint8 quantization in general, where the zero point
     * comes from each tensor's min and max; and offsetting the byte would move the symbols away from what the file
     * stores. The true zero point, like the scale, is in another tensor, which this tensor does not see.
     */
    static QuantizedTensor byteCodes(StorageType t, long[] shape, ByteBuffer b, int n) {
        byte[] symbols = new byte[n];
        b.duplicate().get(symbols);
        boolean signed = t == StorageType.INT8;
        if (signed) {
            for (int i = 0; i < n; i++) {
                symbols[i] = (byte) (symbols[i] + 128); // c + 128 in 0..255, kept as its low byte
            }
        }
        int cols = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
        int rows = cols == 0 ? 0 : n / cols;
        WeightQuant q = new WeightQuant(ElementType.INT8, WeightQuant.PER_TENSOR, signed);
        return new QuantizedTensor(rows, cols, q, symbols, new float[0], signed ? null : new int[0]);
    }

    /** The values of a byte-code tensor made by {@link #byteCodes}: the codes themselves (signed for int8). */
    static float[] codeValues(QuantizedTensor q, boolean signed) {
        byte[] s = q.symbols();
        float[] v = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            v[i] = (s[i] & 0xFF) - (signed ? 128 : 0);
        }
        return v;
    }
}
