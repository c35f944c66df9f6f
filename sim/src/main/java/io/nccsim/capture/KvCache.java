package io.nccsim.capture;

import io.nccsim.codec.Float16Bits;

/**
 * The keys and values of every position seen so far, per layer, stored at a {@link KvPrecision}. Positions are
 * written once each, in order, and read back whole head vectors at a time by attention.
 *
 * <p>Layout: for each layer, for each position, the kvDim elements of all key/value heads, head after head; INT8
 * keeps one fp32 scale ({@link #INT8_SCALE_BYTES} bytes) per head vector beside the codes.
 */
final class KvCache {
    /** Bytes of the scale INT8 keeps per head vector: an fp32, as the engine stores it. */
    static final int INT8_SCALE_BYTES = Float.BYTES;
    private final KvPrecision precision;
    private final int seqLen;
    private final int kvDim;
    private final int headSize;
    private final float[] keys32;
    private final float[] values32;
    private final short[] keys16;
    private final short[] values16;
    private final byte[] keys8;
    private final byte[] values8;
    private final float[] keyScales;
    private final float[] valueScales;

    KvCache(LlamaConfig config, KvPrecision precision) {
        this.precision = precision;
        this.seqLen = config.seqLen();
        this.kvDim = config.kvDim();
        this.headSize = config.headSize();
        int n = Math.multiplyExact(Math.multiplyExact(config.layers(), seqLen), kvDim);
        int vectors = n / headSize;
        keys32 = precision == KvPrecision.FP32 ? new float[n] : null;
        values32 = precision == KvPrecision.FP32 ? new float[n] : null;
        keys16 = precision == KvPrecision.FP16 ? new short[n] : null;
        values16 = precision == KvPrecision.FP16 ? new short[n] : null;
        keys8 = precision == KvPrecision.INT8 ? new byte[n] : null;
        values8 = precision == KvPrecision.INT8 ? new byte[n] : null;
        keyScales = precision == KvPrecision.INT8 ? new float[vectors] : null;
        valueScales = precision == KvPrecision.INT8 ? new float[vectors] : null;
    }

    KvPrecision precision() {
        return precision;
    }

    /** Stores the key and value vectors ({@code kvDim} each) of {@code pos} in {@code layer}. */
    void write(int layer, int pos, float[] k, float[] v) {
        int base = offset(layer, pos);
        switch (precision) {
            case FP32 -> {
                System.arraycopy(k, 0, keys32, base, kvDim);
                System.arraycopy(v, 0, values32, base, kvDim);
            }
            case FP16 -> {
                for (int i = 0; i < kvDim; i++) {
                    keys16[base + i] = Float16Bits.toFp16(k[i]);
                    values16[base + i] = Float16Bits.toFp16(v[i]);
                }
            }
            case INT8 -> {
                for (int h = 0; h < kvDim; h += headSize) {
                    keyScales[(base + h) / headSize] = quantize(k, h, keys8, base + h);
                    valueScales[(base + h) / headSize] = quantize(v, h, values8, base + h);
                }
            }
        }
    }

    /** Copies the stored key of {@code kvHead} at {@code pos} in {@code layer}, as fp32, into {@code out}. */
    void readKey(int layer, int pos, int kvHead, float[] out) {
        read(layer, pos, kvHead, out, keys32, keys16, keys8, keyScales);
    }

    /** Copies the stored value of {@code kvHead} at {@code pos} in {@code layer}, as fp32, into {@code out}. */
    void readValue(int layer, int pos, int kvHead, float[] out) {
        read(layer, pos, kvHead, out, values32, values16, values8, valueScales);
    }

    private void read(int layer, int pos, int kvHead, float[] out, float[] f32, short[] f16, byte[] i8,
                      float[] scales) {
        int start = offset(layer, pos) + kvHead * headSize;
        switch (precision) {
            case FP32 -> System.arraycopy(f32, start, out, 0, headSize);
            case FP16 -> {
                for (int i = 0; i < headSize; i++) {
                    out[i] = Float16Bits.fromFp16(f16[start + i]);
                }
            }
            case INT8 -> {
                float scale = scales[start / headSize];
                for (int i = 0; i < headSize; i++) {
                    out[i] = i8[start + i] * scale;
                }
            }
        }
    }

    private int offset(int layer, int pos) {
        if (pos < 0 || pos >= seqLen) {
            throw new IllegalArgumentException("position " + pos + " is outside the KV cache's 0.." + (seqLen - 1));
        }
        return (layer * seqLen + pos) * kvDim;
    }

    /** Writes the int8 codes of {@code src[from .. from+headSize)} at {@code dst[at]} and returns their scale. */
    private float quantize(float[] src, int from, byte[] dst, int at) {
        return quantizeInt8(src, from, headSize, dst, at);
    }

    /**
     * The INT8 cache's rounding of one head vector, {@code src[from .. from+length)}: writes the codes (-127..127)
     * at {@code dst[at]} and returns the scale, max |x| / 127. Shared with the tracer so that the symbols a trace
     * records are, by construction, the ones the cache stores.
     */
    static float quantizeInt8(float[] src, int from, int length, byte[] dst, int at) {
        float maxAbs = 0;
        for (int i = 0; i < length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(src[from + i]));
        }
        float scale = maxAbs / 127f;
        for (int i = 0; i < length; i++) {
            // A zero vector has scale 0: its codes stay 0 rather than dividing by zero.
            dst[at + i] = scale == 0 ? 0 : (byte) Math.round(src[from + i] / scale);
        }
        return scale;
    }
}
