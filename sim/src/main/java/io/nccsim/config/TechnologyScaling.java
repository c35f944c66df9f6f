package io.nccsim.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How dynamic energy and area change with the CMOS technology node, so that energy and area parameters given at one
 * node (the NCC's at 28 nm) can be applied to a design built in another.
 *
 * <p><b>Source.</b> A. Stillmaker and B. Baas, "Scaling equations for the accurate prediction of CMOS device
 * performance from 180 nm to 7 nm", Integration, the VLSI Journal 58 (2017) 74-81, doi:10.1016/j.vlsi.2017.02.002.
 * They fit HSPICE results on PTM models (180 to 32 nm) and ITRS models (20 to 7 nm). Two of their tables are used:
 * <ul>
 *   <li>Energy per operation: a quadratic in the supply voltage per node (their Table 5, energy columns),
 *       {@code E(node) = a·Vdd² + b·Vdd + c}, in arbitrary units; only ratios between nodes are meaningful. We use
 *       the high-performance (HP) variants for 45 nm and below. The 32 nm and 65 nm coefficients are confirmed by
 *       the authors' corrigendum of their Section 4.2.1 example; the 130-65 nm and 20-7 nm rows are as two
 *       independent public implementations of the paper transcribe them (they agree); 180 nm and 45 nm HP are from
 *       one of them.</li>
 *   <li>Area: the factor from 45 nm to each node (their area table, row 45 nm: 45 nm to 7 nm is 0.059).</li>
 * </ul>
 *
 * <p><b>Rule.</b> A dynamic energy given at node R becomes {@code E(N)/E(R)} times as large at node N, each node
 * at its nominal supply; an area becomes {@code A(N)/A(R)} times as large. Nodes between two tabulated ones (28 nm,
 * 22 nm, 12 nm) are interpolated geometrically: {@code log f} is linear in {@code log node} between the neighbours.
 * ASSUMPTION: the paper gives no 28 nm entry, and 28 nm lies between the PTM 32 nm and ITRS 20 nm models; this
 * interpolation makes 28 nm to 16 nm 0.383x energy and 0.516x area, and 28 nm to 7 nm 0.132x energy and 0.160x
 * area. Nodes outside 7 to 180 nm are not covered.
 *
 * <p>Leakage is not scaled here: the NCC model takes leakage as a density per mm² at the design's node, so leakage
 * follows area.
 */
public final class TechnologyScaling {

    /**
     * One tabulated node.
     *
     * @param nm         the node
     * @param vddV       nominal supply voltage at which {@code E} is evaluated
     * @param a          energy coefficient of Vdd²
     * @param b          energy coefficient of Vdd
     * @param c          energy constant
     * @param areaVs45nm area of a circuit at this node relative to the same circuit at 45 nm
     */
    private record Node(int nm, double vddV, double a, double b, double c, double areaVs45nm) {
        double energy() {
            return a * vddV * vddV + b * vddV + c;
        }
    }

    // Supply voltages: ASSUMPTION for every row. PTM's nominal Vdd for 180-32 nm (180 nm 1.8 V ... 45 nm HP 1.0 V,
    // 32 nm HP 0.9 V; the corrigendum's example also evaluates 32 nm at 0.9 V); for the ITRS nodes we take the
    // downward trend 0.9 V (20 nm) to 0.7 V (7 nm), which we could not check against the paper's own list.
    private static final List<Node> NODES = List.of(
            new Node(180, 1.8, 0, 24.64, -17.98, 19),
            new Node(130, 1.3, 7.171, -6.709, 2.904, 6.4),
            new Node(90, 1.2, 4.762, -4.781, 2.092, 2.8),
            new Node(65, 1.1, 3.755, -4.398, 1.975, 1.5),
            new Node(45, 1.0, 1.018, -0.3107, 0.1539, 1),          // PTM HP
            new Node(32, 0.9, 0.8367, -0.4341, 0.1701, 0.46),      // PTM HP
            new Node(20, 0.9, 0.373, -0.1582, 0.04104, 0.21),      // ITRS HP
            new Node(16, 0.85, 0.2958, -0.1241, 0.03024, 0.19),    // ITRS HP
            new Node(14, 0.8, 0.2363, -0.09675, 0.02239, 0.17),    // ITRS HP
            new Node(10, 0.75, 0.2068, -0.09311, 0.02375, 0.1),    // ITRS HP
            new Node(7, 0.7, 0.1776, -0.09097, 0.02447, 0.059));   // ITRS HP

    /** The smallest and largest node the table covers. */
    public static final int MIN_NODE_NM = 7;
    public static final int MAX_NODE_NM = 180;

    private TechnologyScaling() {
    }

    /** Whether {@code nodeNm} is within the table (tabulated or between two tabulated nodes). */
    public static boolean covers(int nodeNm) {
        return nodeNm >= MIN_NODE_NM && nodeNm <= MAX_NODE_NM;
    }

    /** The tabulated nodes, largest first, for messages. */
    public static String tabulatedNodes() {
        return NODES.stream().map(n -> Integer.toString(n.nm())).collect(Collectors.joining(", "));
    }

    /** Factor by which a dynamic energy given at {@code fromNm} changes when the circuit is built at {@code toNm}. */
    public static double energyScale(int fromNm, int toNm) {
        return interpolate(toNm, true) / interpolate(fromNm, true);
    }

    /** Factor by which an area given at {@code fromNm} changes when the circuit is built at {@code toNm}. */
    public static double areaScale(int fromNm, int toNm) {
        return interpolate(toNm, false) / interpolate(fromNm, false);
    }

    private static double interpolate(int nodeNm, boolean energy) {
        if (!covers(nodeNm)) {
            throw new IllegalArgumentException(nodeNm + " nm is outside the technology scaling table ("
                    + MIN_NODE_NM + " to " + MAX_NODE_NM + " nm)");
        }
        // NODES is ordered largest first; find the tabulated pair that brackets nodeNm.
        for (int i = 0; i < NODES.size(); i++) {
            Node n = NODES.get(i);
            if (n.nm() == nodeNm) {
                return value(n, energy);
            }
            if (n.nm() < nodeNm) {
                Node larger = NODES.get(i - 1);
                double t = Math.log((double) larger.nm() / nodeNm) / Math.log((double) larger.nm() / n.nm());
                double logLarger = Math.log(value(larger, energy));
                return Math.exp(logLarger + t * (Math.log(value(n, energy)) - logLarger));
            }
        }
        throw new IllegalStateException("unreachable: " + nodeNm + " nm is covered but not bracketed");
    }

    private static double value(Node n, boolean energy) {
        return energy ? n.energy() : n.areaVs45nm();
    }
}
