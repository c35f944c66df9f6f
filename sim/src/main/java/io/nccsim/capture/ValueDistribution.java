package io.nccsim.capture;

import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.special.Gamma;

import java.util.Locale;

/**
 * A location-scale distribution of tensor values, one of the families content is modeled with: x = location +
 * scale * z, where z is a standard Gaussian, a standard Laplace (density e^-|z| / 2) or a Student-t with
 * {@code dof} degrees of freedom.
 *
 * <p>Arithmetic uses {@link StrictMath} (and Commons Math's samplers, which use its pure-Java FastMath), whose
 * results are specified bit for bit, so that fits and the traces drawn from them are the same on every JVM.
 *
 * @param family   the family
 * @param location centre: the mean (Gaussian), the median (Laplace), the centre of symmetry (Student-t)
 * @param scale    spread: the standard deviation (Gaussian), the mean absolute deviation (Laplace), the scale
 *                 of the standard t (Student-t); positive
 * @param dof      degrees of freedom of a Student-t; NaN for the other families
 */
public record ValueDistribution(Family family, double location, double scale, double dof) {

    /** The families, each with the number of parameters a fit estimates (for AIC). */
    public enum Family {
        GAUSSIAN("gaussian", 2), LAPLACE("laplace", 2), STUDENT_T("student_t", 3);

        private final String id;
        private final int parameters;

        Family(String id, int parameters) {
            this.id = id;
            this.parameters = parameters;
        }

        public String id() {
            return id;
        }

        public int parameters() {
            return parameters;
        }

        /** The family named {@code id}, or null. */
        public static Family fromId(String id) {
            for (Family f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            return null;
        }
    }

    public ValueDistribution {
        if (!Double.isFinite(location) || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(family.id + ": location " + location + " must be finite and scale "
                    + scale + " positive");
        }
        if ((family == Family.STUDENT_T) != (dof > 0 && !Double.isInfinite(dof))) {
            throw new IllegalArgumentException(family.id + ": dof " + dof + " must be positive for a Student-t, NaN "
                    + "otherwise");
        }
    }

    public static ValueDistribution gaussian(double mean, double sd) {
        return new ValueDistribution(Family.GAUSSIAN, mean, sd, Double.NaN);
    }

    public static ValueDistribution laplace(double median, double meanAbsDeviation) {
        return new ValueDistribution(Family.LAPLACE, median, meanAbsDeviation, Double.NaN);
    }

    public static ValueDistribution studentT(double location, double scale, double dof) {
        return new ValueDistribution(Family.STUDENT_T, location, scale, dof);
    }

    /** The same shape with location and scale multiplied by {@code factor} (the values of factor * x). */
    public ValueDistribution scaled(double factor) {
        return new ValueDistribution(family, location * factor, scale * factor, dof);
    }

    /** The sum of the log-densities of {@code values}: the log-likelihood of this distribution on them. */
    public double logLikelihood(double[] values) {
        double sum = 0;
        switch (family) {
            case GAUSSIAN -> {
                for (double x : values) {
                    double z = (x - location) / scale;
                    sum += z * z;
                }
                return -0.5 * sum - values.length * (0.5 * StrictMath.log(2 * Math.PI) + StrictMath.log(scale));
            }
            case LAPLACE -> {
                for (double x : values) {
                    sum += StrictMath.abs(x - location);
                }
                return -sum / scale - values.length * StrictMath.log(2 * scale);
            }
            default -> {
                for (double x : values) {
                    double z = (x - location) / scale;
                    sum += StrictMath.log1p(z * z / dof);
                }
                double norm = Gamma.logGamma((dof + 1) / 2) - Gamma.logGamma(dof / 2)
                        - 0.5 * StrictMath.log(dof * Math.PI) - StrictMath.log(scale);
                return values.length * norm - (dof + 1) / 2 * sum;
            }
        }
    }

    /** This distribution as Commons Math's, drawing from {@code rng} (which may be null when nothing is drawn). */
    public RealDistribution distribution(RandomGenerator rng) {
        return switch (family) {
            case GAUSSIAN -> new NormalDistribution(rng, location, scale);
            case LAPLACE -> new LaplaceDistribution(rng, location, scale);
            case STUDENT_T -> new LocationScaleT(rng, location, scale, dof);
        };
    }

    /** E.g. {@code student_t(location -1.2e-05, scale 0.0312, dof 4.71)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s(location %.3g, scale %.3g%s)", family.id, location, scale,
                family == Family.STUDENT_T ? String.format(Locale.ROOT, ", dof %.3g", dof) : "");
    }
}
