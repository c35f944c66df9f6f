package io.nccsim.codec.learned;

/**
 * The per-tensor normalisation of the learned codec's data ({@link CodecSetup#PER_TENSOR_RMS}): a tensor is divided
 * by the RMS of its own values, rounded to the fp32 number that is stored with it.
 */
public final class TensorScaling {
    /** One fp32 scale per tensor. */
    public static final int SCALE_BITS = 32;

    private TensorScaling() {
    }

    /** The fp32 RMS of the values; 1 for an all-zero tensor (any scale reproduces zeros). */
    public static float rmsScale(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        double rms = values.length == 0 ? 0 : Math.sqrt(sum / values.length);
        float f = (float) rms;
        return f > 0 && Float.isFinite(f) ? f : 1f;
    }

    /** {@code t} divided by its {@link #rmsScale}, as float, under the same model, name, role and layer. */
    public static SourceTensor normalised(SourceTensor t) {
        float s = rmsScale(t.values());
        float[] v = t.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / (double) s);
        }
        return new SourceTensor(t.model(), t.name(), t.role(), t.layer(), t.rows(), t.cols(), out);
    }
}
