package io.nccsim.capture;

import io.nccsim.capture.ValueDistribution.Family;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Maximum-likelihood fits of the three {@link ValueDistribution} families to a sample, and the choice among them.
 *
 * <p>Gaussian and Laplace have closed forms (mean and standard deviation; median and mean absolute deviation from
 * it). The Student-t's location, scale and degrees of freedom are found by Commons Math's BOBYQA, a bounded
 * derivative-free optimizer, on the log-likelihood; the degrees of freedom are kept within
 * [{@value #MIN_DOF}, {@value #MAX_DOF}] (at the upper end the t is a Gaussian for every practical purpose). The
 * family chosen is the one with the lowest AIC (2 x parameters - 2 x log-likelihood): the t nests the Gaussian, so
 * likelihood alone would always prefer it. Each fit's Kolmogorov-Smirnov statistic (the largest gap between the
 * fitted and the empirical CDF, from Commons Math's {@link KolmogorovSmirnovTest}) is reported as its goodness of
 * fit; on samples of tens of thousands of values every parametric fit is rejected by the KS test's p-value, so the
 * statistic, not the p-value, is what says how close a fit is.
 */
public final class DistributionFit {
    static final double MIN_DOF = 0.5;
    static final double MAX_DOF = 1000;

    private DistributionFit() {
    }

    /**
     * One family's fit to a sample.
     *
     * @param distribution  the maximum-likelihood parameters
     * @param logLikelihood the log-likelihood of the sample under them (nats)
     * @param aic           Akaike's criterion, 2 k - 2 log-likelihood
     * @param ks            the Kolmogorov-Smirnov statistic: sup |fitted CDF - empirical CDF|
     */
    public record Candidate(ValueDistribution distribution, double logLikelihood, double aic, double ks) {
        public Family family() {
            return distribution.family();
        }
    }

    /**
     * Every family's fit, in {@link Family} order, and the one chosen.
     *
     * @param values     sample size
     * @param candidates one fit per family
     * @param best       the fit with the lowest AIC
     */
    public record Result(int values, List<Candidate> candidates, Candidate best) {
        public Result {
            candidates = List.copyOf(candidates);
        }
    }

    /** Fits every family to {@code sample} (at least 8 values, not all equal) and chooses one. */
    public static Result fit(double[] sample) {
        if (sample.length < 8) {
            throw new IllegalArgumentException("a fit needs at least 8 values, got " + sample.length);
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        if (sorted[0] == sorted[sorted.length - 1]) {
            throw new IllegalArgumentException("every value of the sample is " + sorted[0] + ": nothing to fit");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (ValueDistribution d : List.of(gaussian(sample), laplace(sorted), studentT(sample, sorted))) {
            double ll = d.logLikelihood(sample);
            double ks = new KolmogorovSmirnovTest().kolmogorovSmirnovStatistic(d.distribution(null), sample);
            candidates.add(new Candidate(d, ll, 2.0 * d.family().parameters() - 2 * ll, ks));
        }
        Candidate best = candidates.stream().min(Comparator.comparingDouble(Candidate::aic)).orElseThrow();
        return new Result(sample.length, candidates, best);
    }

    /** Mean and standard deviation (the maximum-likelihood one, over n). */
    static ValueDistribution gaussian(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return ValueDistribution.gaussian(mean, StrictMath.sqrt(ss / x.length));
    }

    /** Median and mean absolute deviation from it; {@code sorted} is the sample in increasing order. */
    static ValueDistribution laplace(double[] sorted) {
        double median = median(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += StrictMath.abs(v - median);
        }
        return ValueDistribution.laplace(median, sum / sorted.length);
    }

    /**
     * Location, scale and degrees of freedom maximizing the likelihood, searched as (location offset, log scale,
     * 1 / dof) relative to the median and a robust scale (1.4826 x the median absolute deviation), from dof 5. The
     * search runs over 1 / dof because the likelihood is smooth in it up to the Gaussian limit (1 / dof = 0), where
     * it is flat in dof itself.
     */
    static ValueDistribution studentT(double[] x, double[] sorted) {
        double median = median(sorted);
        double[] deviations = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            deviations[i] = StrictMath.abs(sorted[i] - median);
        }
        Arrays.sort(deviations);
        double mad = median(deviations);
        double s0 = mad > 0 ? 1.4826 * mad : gaussian(x).scale();
        MultivariateFunction logLikelihood = p -> toT(p, median, s0).logLikelihood(x) / x.length;
        PointValuePair best = new BOBYQAOptimizer(7, 0.5, 1e-7).optimize(
                new MaxEval(4000), new ObjectiveFunction(logLikelihood), GoalType.MAXIMIZE,
                new InitialGuess(new double[] {0, 0, 1 / 5.0}),
                new SimpleBounds(new double[] {-5, -12, 1 / MAX_DOF}, new double[] {5, 6, 1 / MIN_DOF}));
        return toT(best.getPoint(), median, s0);
    }

    private static ValueDistribution toT(double[] p, double median, double s0) {
        return ValueDistribution.studentT(median + p[0] * s0, s0 * StrictMath.exp(p[1]), 1 / p[2]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
