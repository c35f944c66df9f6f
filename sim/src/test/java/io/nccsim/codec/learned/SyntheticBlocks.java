package io.nccsim.codec.learned;

import java.util.Random;

/** Seeded synthetic blocks with known structure for the learned codec's tests. */
final class SyntheticBlocks {
    private SyntheticBlocks() {
    }

    /**
     * Blocks on a 2-D subspace plus noise: {@code x = a u + b v + noise e} with u, v fixed orthonormal directions
     * and a, b, e standard normal. Scaled by {@code scale} to show the per-tensor normalisation at work.
     */
    static double[][] plane(int count, int n, double noise, double scale, long seed) {
        Random rng = new Random(seed);
        double[] u = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextGaussian();
            v[i] = rng.nextGaussian();
        }
        normalise(u);
        double dot = 0;
        for (int i = 0; i < n; i++) {
            dot += u[i] * v[i];
        }
        for (int i = 0; i < n; i++) {
            v[i] -= dot * u[i];
        }
        normalise(v);
        double[][] blocks = new double[count][n];
        for (int b = 0; b < count; b++) {
            double a = rng.nextGaussian();
            double c = rng.nextGaussian();
            for (int i = 0; i < n; i++) {
                blocks[b][i] = scale * (a * u[i] + c * v[i] + noise * rng.nextGaussian());
            }
        }
        return blocks;
    }

    /** Independent Laplace values (scale {@code scale}), the shape of trained weights. */
    static double[][] laplace(int count, int n, double scale, long seed) {
        Random rng = new Random(seed);
        double[][] blocks = new double[count][n];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < n; i++) {
                double uu = rng.nextDouble() - 0.5;
                blocks[b][i] = -scale * Math.signum(uu) * Math.log(1 - 2 * Math.abs(uu));
            }
        }
        return blocks;
    }

    private static void normalise(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        s = Math.sqrt(s);
        for (int i = 0; i < a.length; i++) {
            a[i] /= s;
        }
    }
}
