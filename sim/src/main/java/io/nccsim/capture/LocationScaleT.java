package io.nccsim.capture;

import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Student's t shifted and scaled: x = location + scale * t(dof). Commons Math has only the standard t; this adds
 * location and scale, and draws samples directly as z / sqrt(chi2(dof) / dof) (z Gaussian) rather than by inverting
 * the CDF numerically, which is a hundred times slower and would dominate content modeling.
 */
final class LocationScaleT extends AbstractRealDistribution {
    private static final long serialVersionUID = 1L;

    private final double location;
    private final double scale;
    private final double dof;
    private final TDistribution standard;
    /** chi2(dof) = Gamma(dof / 2, scale 2); built on first draw. */
    private transient GammaDistribution chiSquared;

    LocationScaleT(RandomGenerator rng, double location, double scale, double dof) {
        super(rng);
        this.location = location;
        this.scale = scale;
        this.dof = dof;
        this.standard = new TDistribution(null, dof);
    }

    @Override
    public double density(double x) {
        return standard.density((x - location) / scale) / scale;
    }

    @Override
    public double cumulativeProbability(double x) {
        return standard.cumulativeProbability((x - location) / scale);
    }

    @Override
    public double inverseCumulativeProbability(double p) {
        return location + scale * standard.inverseCumulativeProbability(p);
    }

    @Override
    public double sample() {
        if (chiSquared == null) {
            chiSquared = new GammaDistribution(random, dof / 2, 2);
        }
        double z = random.nextGaussian();
        return location + scale * z / StrictMath.sqrt(chiSquared.sample() / dof);
    }

    @Override
    public double getNumericalMean() {
        return dof > 1 ? location : Double.NaN;
    }

    @Override
    public double getNumericalVariance() {
        return dof > 2 ? scale * scale * dof / (dof - 2) : dof > 1 ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    @Override
    public double getSupportLowerBound() {
        return Double.NEGATIVE_INFINITY;
    }

    @Override
    public double getSupportUpperBound() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public boolean isSupportLowerBoundInclusive() {
        return false;
    }

    @Override
    public boolean isSupportUpperBoundInclusive() {
        return false;
    }

    @Override
    public boolean isSupportConnected() {
        return true;
    }
}
