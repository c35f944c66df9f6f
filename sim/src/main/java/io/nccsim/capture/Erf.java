package io.nccsim.capture;

/**
 * The error function, erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, for BERT's exact GELU,
 * x/2 * (1 + erf(x/sqrt 2)).
 *
 * <p>Two classical expansions, each where it converges fast and loses no digits:
 * <ul>
 *   <li>|x| &lt; 2: the series erf(x) = 2/sqrt(pi) * e^(-x^2) * sum over n &gt;= 0 of (2x^2)^n x / (1*3*5*...*(2n+1)),
 *       whose terms all have one sign, so nothing cancels;</li>
 *   <li>|x| &gt;= 2: 1 - erfc(x), with erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...)))),
 *       Laplace's continued fraction, evaluated from a fixed depth of 100 (at x = 2 it has converged to the last
 *       bit by depth 80). Computing the small erfc and subtracting it keeps erf monotone as it approaches 1.</li>
 * </ul>
 * Only basic arithmetic and {@link StrictMath#exp} are used, so results are the same bits on every JVM (Commons
 * Math's Erf, which agrees to about 1e-15, calls the faster but unspecified {@link Math} functions).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / StrictMath.sqrt(StrictMath.PI);
    private static final double ONE_OVER_SQRT_PI = 1 / StrictMath.sqrt(StrictMath.PI);
    private static final double CONTINUED_FRACTION_FROM = 2;
    private static final int CONTINUED_FRACTION_DEPTH = 100;

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = a < CONTINUED_FRACTION_FROM ? series(a) : 1 - complement(a);
        return x < 0 ? -r : r;
    }

    private static double series(double a) {
        double twoASquared = 2 * a * a;
        double term = a;
        double sum = a;
        for (int n = 1; ; n++) {
            term *= twoASquared / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * StrictMath.exp(-a * a) * sum;
    }

    /** erfc(a) for a &gt;= 2; underflows harmlessly to 0 for huge a (and is 0 for infinity). */
    private static double complement(double a) {
        if (Double.isInfinite(a)) {
            return 0;
        }
        double t = a;
        for (int n = CONTINUED_FRACTION_DEPTH; n >= 1; n--) {
            t = a + (n / 2.0) / t;
        }
        return ONE_OVER_SQRT_PI * StrictMath.exp(-a * a) / t;
    }
}
