package io.nccsim.capture;

import io.nccsim.model.OnnxDynamicQuantization;

/**
 * A projection as onnxruntime runs one of a dynamically quantized graph (all-MiniLM-L6-v2's int8 "-q" file):
 * {@code DynamicQuantizeLinear} turns the whole input tensor into uint8 codes with one scale and zero point taken
 * from its minimum and maximum (so the result depends on every row of the batch, padding included, as it does in
 * onnxruntime); {@code MatMulInteger} sums the products of the centred codes in int32, exactly; the sum is cast to
 * float and multiplied by the product of the input's scale and the weight column's scale; the bias is added.
 *
 * <p>Each step rounds where the ONNX operator does, in fp32: the scale is {@code (max - min) / 255} with min and max
 * widened to include 0, the zero point {@code round(-min / scale)} clamped to 0..255 (halves to even), a code
 * {@code clamp(round(x / scale) + zero point)}.
 */
final class DynamicInt8Linear {
    private static final int QMAX = 255;

    private final int in;
    private final int out;
    /** The weight's codes less their column's zero point, [in][out]. */
    private final int[] centred;
    private final float[] columnScales;

    DynamicInt8Linear(OnnxDynamicQuantization.Projection p) {
        this.in = p.rows();
        this.out = p.cols();
        this.centred = new int[p.codes().length];
        for (int i = 0; i < centred.length; i++) {
            centred[i] = p.codes()[i] - p.zeroPoints()[i % out];
        }
        this.columnScales = p.scales().clone();
    }

    int in() {
        return in;
    }

    int out() {
        return out;
    }

    /** out[r] = bias + dequantized(MatMulInteger(quantized(x), W)) for every row r of {@code x} ([rows][in]). */
    void apply(float[] x, int rows, float[] bias, float[] y) {
        int n = rows * in;
        float min = 0;
        float max = 0;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        float scale = max == min ? 1f : (max - min) / QMAX;
        int zeroPoint = (int) Math.rint(Math.max(0f, Math.min(QMAX, 0f - min / scale)));
        int[] codes = new int[in];
        int[] sums = new int[out];
        float[] scales = new float[out];
        for (int j = 0; j < out; j++) {
            scales[j] = scale * columnScales[j]; // the graph multiplies the two scales first
        }
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < in; k++) {
                int q = (int) Math.rint(x[r * in + k] / scale) + zeroPoint;
                codes[k] = Math.max(0, Math.min(QMAX, q)) - zeroPoint;
            }
            java.util.Arrays.fill(sums, 0);
            for (int k = 0; k < in; k++) {
                int a = codes[k];
                if (a == 0) {
                    continue;
                }
                int base = k * out;
                for (int j = 0; j < out; j++) {
                    sums[j] += a * centred[base + j];
                }
            }
            int o = r * out;
            for (int j = 0; j < out; j++) {
                y[o + j] = bias[j] + (float) sums[j] * scales[j];
            }
        }
    }
}
