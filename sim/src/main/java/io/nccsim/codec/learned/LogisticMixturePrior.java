package io.nccsim.codec.learned;

import java.util.List;

/**
 * The learned factorized prior: each latent dimension j has its own univariate density, a mixture of M logistic
 * distributions with learned locations, log-scales and mixture logits. The probability of the bin around a latent
 * value v is {@code P = CDF(v + step/2) - CDF(v - step/2)}, and its rate is {@code -log2 P} bits.
 *
 * <p>Why logistics: the logistic CDF is the sigmoid, so bin masses and their gradients are closed-form and cheap,
 * and a few components fit the peaked, heavy-tailed latents of weight blocks well enough (the same choice as the
 * discretized logistic mixture of Salimans et al., "PixelCNN++", 2017). Balle et al.'s non-parametric density
 * (2018) would fit any shape but needs more parameters per dimension for the same job here.
 *
 * <p>P is floored at {@link #MIN_PROBABILITY} (as Balle et al. bound the likelihood) so that an outlier costs at
 * most about 30 bits in training instead of an infinite loss; below the floor the gradient is zero.
 *
 * <p>Parameters (in the network's flat vector from {@code offset}): locations [k][M], log-scales [k][M],
 * logits [k][M].
 */
final class LogisticMixturePrior {
    static final double MIN_PROBABILITY = 1e-9;
    private static final double LN2 = 0.6931471805599453;

    final int dims;
    final int components;
    final int offset;

    LogisticMixturePrior(int dims, int components, int offset) {
        this.dims = dims;
        this.components = components;
        this.offset = offset;
    }

    int parameterCount() {
        return 3 * dims * components;
    }

    private int loc(int j, int m) {
        return offset + j * components + m;
    }

    private int logScale(int j, int m) {
        return offset + dims * components + j * components + m;
    }

    private int logit(int j, int m) {
        return offset + 2 * dims * components + j * components + m;
    }

    List<ParameterGroup> groups() {
        int km = dims * components;
        return List.of(new ParameterGroup("prior.location", offset, km),
                new ParameterGroup("prior.logScale", offset + km, km),
                new ParameterGroup("prior.logit", offset + 2 * km, km));
    }

    /**
     * Starting values: locations spread by 0.5 around 0, scale 0.6 (a logistic of standard deviation about 1, the
     * spread of a unit-variance input projected on a unit vector), equal weights.
     */
    void initialise(double[] p) {
        for (int j = 0; j < dims; j++) {
            for (int m = 0; m < components; m++) {
                p[loc(j, m)] = 0.5 * (m - (components - 1) / 2.0);
                p[logScale(j, m)] = StrictMath.log(0.6);
                p[logit(j, m)] = 0.0;
            }
        }
    }

    /** Mixture weights of dimension j (softmax of the logits), into {@code w}. */
    private void weights(double[] p, int j, double[] w) {
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < components; m++) {
            max = Math.max(max, p[logit(j, m)]);
        }
        double sum = 0;
        for (int m = 0; m < components; m++) {
            w[m] = StrictMath.exp(p[logit(j, m)] - max);
            sum += w[m];
        }
        for (int m = 0; m < components; m++) {
            w[m] /= sum;
        }
    }

    /** The mixture CDF of dimension j at v. */
    double cdf(double[] p, int j, double v) {
        double[] w = new double[components];
        weights(p, j, w);
        double c = 0;
        for (int m = 0; m < components; m++) {
            double s = StrictMath.exp(p[logScale(j, m)]);
            c += w[m] * sigmoid((v - p[loc(j, m)]) / s);
        }
        return c;
    }

    /** The mass of the bin of width {@code step} centred on v in dimension j, without the floor. */
    double binProbability(double[] p, int j, double v, double step) {
        double[] w = new double[components];
        weights(p, j, w);
        double prob = 0;
        for (int m = 0; m < components; m++) {
            double s = StrictMath.exp(p[logScale(j, m)]);
            double mu = p[loc(j, m)];
            prob += w[m] * sigmoidDifference((v + step / 2 - mu) / s, (v - step / 2 - mu) / s);
        }
        return prob;
    }

    /** Rate in bits of the bin centred on v in dimension j: -log2 max(P, floor). */
    double bits(double[] p, int j, double v, double step) {
        double prob = binProbability(p, j, v, step);
        return -StrictMath.log(Math.max(prob, MIN_PROBABILITY)) / LN2;
    }

    /**
     * Rate in bits of the bin centred on v in dimension j; adds {@code scale} times d(bits)/d(parameter) to
     * {@code g} and writes d(bits)/dv (unscaled) to {@code dBitsDv[j]}.
     */
    double bitsWithGradient(double[] p, double[] g, int j, double v, double step, double scale, double[] dBitsDv) {
        int mc = components;
        double[] w = new double[mc];
        double[] d = new double[mc];
        double[] su = new double[mc];
        double[] sl = new double[mc];
        double[] u = new double[mc];
        double[] l = new double[mc];
        double[] s = new double[mc];
        weights(p, j, w);
        double prob = 0;
        for (int m = 0; m < mc; m++) {
            s[m] = StrictMath.exp(p[logScale(j, m)]);
            double mu = p[loc(j, m)];
            u[m] = (v + step / 2 - mu) / s[m];
            l[m] = (v - step / 2 - mu) / s[m];
            d[m] = sigmoidDifference(u[m], l[m]);
            su[m] = sigmoidSlope(u[m]);
            sl[m] = sigmoidSlope(l[m]);
            prob += w[m] * d[m];
        }
        if (prob < MIN_PROBABILITY) {
            dBitsDv[j] = 0.0;
            return -StrictMath.log(MIN_PROBABILITY) / LN2;
        }
        double bits = -StrictMath.log(prob) / LN2;
        double dBitsDProb = -1.0 / (prob * LN2);
        double dv = 0;
        for (int m = 0; m < mc; m++) {
            double dProbDd = w[m];
            // d = sig(u) - sig(l), u = (v + step/2 - mu)/s, l = (v - step/2 - mu)/s, s = exp(logScale).
            double dDdv = (su[m] - sl[m]) / s[m];
            double dDdLogScale = -(u[m] * su[m] - l[m] * sl[m]);
            double c = dBitsDProb * dProbDd;
            dv += c * dDdv;
            g[loc(j, m)] += scale * c * -dDdv;
            g[logScale(j, m)] += scale * c * dDdLogScale;
            // Softmax: dP/dlogit_m = w_m (d_m - P).
            g[logit(j, m)] += scale * dBitsDProb * w[m] * (d[m] - prob);
        }
        dBitsDv[j] = dv;
        return bits;
    }

    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-x));
        }
        double e = StrictMath.exp(x);
        return e / (1.0 + e);
    }

    /** sigmoid'(x) = sigmoid(x) sigmoid(-x), in a form that neither overflows nor loses precision in the tails. */
    static double sigmoidSlope(double x) {
        double e = StrictMath.exp(-Math.abs(x));
        return e / ((1 + e) * (1 + e));
    }

    /**
     * sigmoid(u) - sigmoid(l) for u >= l. Above the centre both are close to 1 and the plain difference loses
     * precision, so there it is computed as sigmoid(-l) - sigmoid(-u).
     */
    static double sigmoidDifference(double u, double l) {
        if (u + l > 0) {
            return sigmoid(-l) - sigmoid(-u);
        }
        return sigmoid(u) - sigmoid(l);
    }
}
