package io.nccsim.report;

import io.nccsim.report.ParetoFront.Goal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParetoFrontTest {
    @Test
    void keepsExactlyTheUndominatedPointsSortedByTheFirstObjective() {
        // (tokens/s, higher better; energy J, lower better). By hand: 1 is beaten by 2 (faster, less energy), 3 by 0
        // (faster, less energy), 4 by 2; 0, 2 and 5 each win somewhere.
        double[][] p = {{10, 0.50}, {12, 0.70}, {30, 0.60}, {9, 0.55}, {25, 0.80}, {40, 0.90}};
        assertEquals(List.of(0, 2, 5), ParetoFront.indices(p, List.of(Goal.MAXIMIZE, Goal.MINIMIZE)));
        // Both lower-better: the front flips to the slow, frugal corner: 3 (9, 0.55) and 0 (10, 0.50).
        assertEquals(List.of(3, 0), ParetoFront.indices(p, List.of(Goal.MINIMIZE, Goal.MINIMIZE)));
    }

    @Test
    void equalPointsDoNotDominateEachOtherAndThreeObjectivesWork() {
        double[][] twins = {{1, 1}, {1, 1}, {2, 2}};
        assertEquals(List.of(0, 1), ParetoFront.indices(twins, List.of(Goal.MINIMIZE, Goal.MINIMIZE)));
        // Energy, tokens/s, area: the third design is worse on energy and speed but the smallest, so it stays.
        double[][] three = {{0.5, 30, 0.9}, {0.6, 20, 0.9}, {0.7, 10, 0.3}};
        assertEquals(List.of(0, 2), ParetoFront.indices(three, List.of(Goal.MINIMIZE, Goal.MAXIMIZE, Goal.MINIMIZE)));
        assertTrue(ParetoFront.dominates(new double[]{1, 5}, new double[]{1, 4}, List.of(Goal.MINIMIZE, Goal.MAXIMIZE)));
        assertFalse(ParetoFront.dominates(new double[]{1, 4}, new double[]{1, 4}, List.of(Goal.MINIMIZE, Goal.MAXIMIZE)));
    }

    @Test
    void refusesMismatchedOrNonFinitePoints() {
        assertThrows(IllegalArgumentException.class,
                () -> ParetoFront.indices(new double[][]{{1}}, List.of(Goal.MINIMIZE, Goal.MINIMIZE)));
        assertThrows(IllegalArgumentException.class,
                () -> ParetoFront.indices(new double[][]{{Double.NaN, 1}}, List.of(Goal.MINIMIZE, Goal.MINIMIZE)));
    }
}
