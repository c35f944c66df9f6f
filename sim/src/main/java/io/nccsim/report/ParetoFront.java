package io.nccsim.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto-optimal points of a set of designs: those no other design beats on every objective. A design dominates
 * another when it is at least as good on every objective and strictly better on one; two designs with equal values
 * do not dominate each other, so both stay on the front.
 */
public final class ParetoFront {
    /** Which way an objective is better. */
    public enum Goal {
        MINIMIZE, MAXIMIZE
    }

    private ParetoFront() {
    }

    /**
     * The indices of the non-dominated points, sorted by the first objective (ascending, ties by index), so that
     * joining them in that order draws the front.
     *
     * @param points one row per design, one column per objective (finite values)
     * @param goals  one goal per objective
     */
    public static List<Integer> indices(double[][] points, List<Goal> goals) {
        if (goals.isEmpty()) {
            throw new IllegalArgumentException("a Pareto front needs at least one objective");
        }
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != goals.size()) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " values for "
                        + goals.size() + " objectives");
            }
            for (double v : points[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("point " + i + " has a value that is not finite: " + v);
                }
            }
        }
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            boolean dominated = false;
            for (int j = 0; j < points.length && !dominated; j++) {
                dominated = j != i && dominates(points[j], points[i], goals);
            }
            if (!dominated) {
                front.add(i);
            }
        }
        front.sort(Comparator.<Integer>comparingDouble(i -> points[i][0]).thenComparingInt(i -> i));
        return front;
    }

    /** True when {@code a} is at least as good as {@code b} on every objective and strictly better on one. */
    static boolean dominates(double[] a, double[] b, List<Goal> goals) {
        boolean better = false;
        for (int k = 0; k < goals.size(); k++) {
            double gain = goals.get(k) == Goal.MAXIMIZE ? a[k] - b[k] : b[k] - a[k];
            if (gain < 0) {
                return false;
            }
            better |= gain > 0;
        }
        return better;
    }
}
