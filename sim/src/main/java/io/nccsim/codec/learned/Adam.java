package io.nccsim.codec.learned;

/**
 * Adam (Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015) with the paper's defaults
 * beta1 0.9, beta2 0.999, epsilon 1e-8, over one flat parameter vector, bias-corrected.
 */
final class Adam {
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private final double[] firstMoment;
    private final double[] secondMoment;
    private int steps;

    Adam(int parameters) {
        firstMoment = new double[parameters];
        secondMoment = new double[parameters];
    }

    /** One update of {@code p} against the gradient {@code g} at learning rate {@code rate}. */
    void step(double[] p, double[] g, double rate) {
        steps++;
        double c1 = 1 - StrictMath.pow(BETA1, steps);
        double c2 = 1 - StrictMath.pow(BETA2, steps);
        for (int i = 0; i < p.length; i++) {
            double gi = g[i];
            firstMoment[i] = BETA1 * firstMoment[i] + (1 - BETA1) * gi;
            secondMoment[i] = BETA2 * secondMoment[i] + (1 - BETA2) * gi * gi;
            double mHat = firstMoment[i] / c1;
            double vHat = secondMoment[i] / c2;
            p[i] -= rate * mHat / (Math.sqrt(vHat) + EPSILON);
        }
    }

    int steps() {
        return steps;
    }
}
