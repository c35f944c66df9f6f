package io.nccsim.capture;

/**
 * The error function, erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, for BERT's exact GELU,
 * x/2 * (1 + erf(x/sqrt 2)).
 *
 * <p>Computed from the series erf(x) = 2/sqrt(pi) * e^(-x^2) * sum over n >= 0 of (2x^2)^n x / (1*3*5*...*(2n+1)),
 * whose terms are all of one sign, so the sum loses no digits to cancellation; past |x| = 6 erf(x) rounds to +-1 in
 * double precision. Only basic arithmetic and {@link StrictMath#exp} are used, so results are the same bits on every
 * JVM (Commons Math's Erf, which agrees to about 1e-15, calls the faster but unspecified {@link Math} functions).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / StrictMath.sqrt(StrictMath.PI);
    /** erfc(6) is 2e-17, below half an ulp of 1. */
    private static final double SATURATES_AT = 6;

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= SATURATES_AT) {
            return Math.signum(x);
        }
        double twoXSquared = 2 * a * a;
        double term = a;
        double sum = a;
        for (int n = 1; ; n++) {
            term *= twoXSquared / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        // Rounding may carry the product a hair past 1 near the saturation point; erf never exceeds 1.
        double r = Math.min(1.0, TWO_OVER_SQRT_PI * StrictMath.exp(-a * a) * sum);
        return x < 0 ? -r : r;
    }
}
