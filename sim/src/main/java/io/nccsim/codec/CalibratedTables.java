package io.nccsim.codec;

import io.nccsim.common.BadInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Huffman tables for activations and the KV cache, which the NCC encodes on the write path as the processor
 * produces them: the table must exist before the data does, so it is built from calibration data.
 *
 * <p><b>Unseen symbols.</b> Every symbol of the alphabet gets a code by add-one smoothing of the calibration counts,
 * not by an escape code. An escape scheme (one escape word followed by the raw symbol) gives rare symbols slightly
 * shorter codes when the length limit is far above {@code log2(alphabet)}, but it puts a second decode path (escape
 * detection, then a raw field) into every decoder lane. With smoothing the lane's table lookup is unchanged, no
 * symbol ever costs more than the length limit, and on a calibration set of many thousands of symbols one extra
 * count moves the seen symbols' code lengths little or not at all. The NCC model's write-path tables are smoothed
 * the same way.
 *
 * <p><b>Several tables.</b> Data drifts between layers, heads and tokens, so the encoder may hold K tables and code
 * each block with whichever makes it smallest, storing the choice in {@code ceil(log2 K)} bits per block. The K
 * tables come from clustering calibration histograms (one per calibration block) in the manner of k-means: the
 * "distance" of a histogram to a table is the bits the table would code it in, a cluster's table is the smoothed
 * Huffman table of its members' summed counts (the best code for the cluster's total, up to the smoothing), seeds
 * are picked k-means++ style from a seeded generator, and the iteration keeps the cheapest assignment seen. The
 * result depends only on the calibration data, K, the length limit and the seed.
 */
public final class CalibratedTables {
    private static final int MAX_ITERATIONS = 100;

    private final int alphabetSize;
    private final int maxLength;
    private final List<HuffmanCode> tables;
    private final int[][] lengths; // lengths[table][symbol], for fast costing

    private CalibratedTables(int alphabetSize, int maxLength, List<HuffmanCode> tables) {
        this.alphabetSize = alphabetSize;
        this.maxLength = maxLength;
        this.tables = List.copyOf(tables);
        this.lengths = new int[tables.size()][];
        for (int t = 0; t < tables.size(); t++) {
            lengths[t] = tables.get(t).lengths();
        }
    }

    /** A table from calibration counts in which every symbol of the alphabet has a code (add-one smoothing). */
    public static HuffmanCode smoothedTable(long[] calibrationCounts, int maxLength) {
        checkLimit(calibrationCounts.length, maxLength);
        long[] smoothed = calibrationCounts.clone();
        for (int s = 0; s < smoothed.length; s++) {
            smoothed[s]++;
        }
        return HuffmanCode.build(smoothed, maxLength);
    }

    private static void checkLimit(int alphabet, int maxLength) {
        if (alphabet < 1 || alphabet > HuffmanEncoder.MAX_ALPHABET) {
            throw new BadInputException("calibrated tables: expected an alphabet of 1.." + HuffmanEncoder.MAX_ALPHABET
                    + " symbols, found " + alphabet);
        }
        if (maxLength < 1 || maxLength > 30 || 1L << maxLength < alphabet) {
            throw new BadInputException("calibrated tables: max_code_length: expected 1..30 and at least log2 of the"
                    + " alphabet (" + alphabet + " symbols, all of which get a code), found " + maxLength);
        }
    }

    /**
     * Builds {@code k} tables from calibration histograms, one per calibration block.
     *
     * @param calibration symbol counts of each calibration block, all over the same alphabet
     * @param k           number of tables, 1 .. number of histograms
     * @param seed        seeds the choice of initial clusters
     */
    public static CalibratedTables calibrate(List<long[]> calibration, int k, int maxLength, long seed) {
        if (calibration.isEmpty()) {
            throw new BadInputException("calibrated tables: expected at least one calibration histogram, found none");
        }
        int alphabet = calibration.get(0).length;
        checkLimit(alphabet, maxLength);
        for (int i = 0; i < calibration.size(); i++) {
            if (calibration.get(i).length != alphabet) {
                throw new BadInputException("calibrated tables: calibration histogram " + i + ": expected "
                        + alphabet + " bins like histogram 0, found " + calibration.get(i).length);
            }
        }
        if (k < 1 || k > calibration.size()) {
            throw new BadInputException("calibrated tables: K: expected 1.." + calibration.size()
                    + " (at most one table per calibration histogram), found " + k);
        }
        if (k == 1) {
            return new CalibratedTables(alphabet, maxLength, List.of(smoothedTable(sum(calibration, null, 0),
                    maxLength)));
        }
        return new CalibratedTables(alphabet, maxLength, cluster(calibration, k, maxLength, seed));
    }

    private static List<HuffmanCode> cluster(List<long[]> hists, int k, int maxLength, long seed) {
        int m = hists.size();
        SplittableRandom rnd = new SplittableRandom(seed);
        // k-means++ seeding: each new seed is drawn with probability proportional to how many bits the nearest
        // table so far wastes on a histogram compared with that histogram's own table.
        long[] own = new long[m];
        for (int i = 0; i < m; i++) {
            own[i] = bits(hists.get(i), smoothedTable(hists.get(i), maxLength).lengths());
        }
        List<int[]> codes = new ArrayList<>();
        List<HuffmanCode> tables = new ArrayList<>();
        boolean[] isSeed = new boolean[m];
        int first = rnd.nextInt(m);
        isSeed[first] = true;
        tables.add(smoothedTable(hists.get(first), maxLength));
        codes.add(tables.get(0).lengths());
        while (tables.size() < k) {
            long[] waste = new long[m];
            long total = 0;
            for (int i = 0; i < m; i++) {
                waste[i] = isSeed[i] ? 0 : Math.max(0, nearest(hists.get(i), codes)[1] - own[i]);
                total += waste[i];
            }
            int pick = -1;
            if (total > 0) {
                long r = (long) (rnd.nextDouble() * total);
                for (int i = 0; i < m && pick < 0; i++) {
                    r -= waste[i];
                    if (r < 0) {
                        pick = i;
                    }
                }
            }
            for (int i = 0; i < m && pick < 0; i++) {
                if (!isSeed[i]) {
                    pick = i; // every histogram is already coded as well as by its own table
                }
            }
            isSeed[pick] = true;
            tables.add(smoothedTable(hists.get(pick), maxLength));
            codes.add(tables.get(tables.size() - 1).lengths());
        }
        // Lloyd iterations: assign each histogram to its cheapest table, rebuild each table from its members.
        int[] assign = new int[m];
        Arrays.fill(assign, -1);
        List<HuffmanCode> best = List.copyOf(tables);
        long bestBits = Long.MAX_VALUE;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            boolean changed = false;
            long totalBits = 0;
            for (int i = 0; i < m; i++) {
                long[] near = nearest(hists.get(i), codes);
                changed |= assign[i] != near[0];
                assign[i] = (int) near[0];
                totalBits += near[1];
            }
            if (totalBits < bestBits) {
                bestBits = totalBits;
                best = List.copyOf(tables);
            }
            if (!changed) {
                break;
            }
            for (int j = 0; j < k; j++) {
                long[] members = sum(hists, assign, j);
                if (members != null) { // an emptied cluster keeps its table: it may win blocks again later
                    tables.set(j, smoothedTable(members, maxLength));
                    codes.set(j, tables.get(j).lengths());
                }
            }
        }
        return best;
    }

    /** Summed counts of the histograms assigned to {@code cluster} (all of them if {@code assign} is null). */
    private static long[] sum(List<long[]> hists, int[] assign, int cluster) {
        long[] total = null;
        for (int i = 0; i < hists.size(); i++) {
            if (assign == null || assign[i] == cluster) {
                long[] h = hists.get(i);
                if (total == null) {
                    total = new long[h.length];
                }
                for (int s = 0; s < h.length; s++) {
                    total[s] += h[s];
                }
            }
        }
        return total;
    }

    /** {index of the cheapest table, its bits}; ties go to the lower index. */
    private static long[] nearest(long[] hist, List<int[]> codes) {
        long bestBits = Long.MAX_VALUE;
        int best = 0;
        for (int j = 0; j < codes.size(); j++) {
            long b = bits(hist, codes.get(j));
            if (b < bestBits) {
                bestBits = b;
                best = j;
            }
        }
        return new long[] {best, bestBits};
    }

    private static long bits(long[] hist, int[] lengths) {
        long b = 0;
        for (int s = 0; s < hist.length; s++) {
            b += hist[s] * lengths[s];
        }
        return b;
    }

    public List<HuffmanCode> tables() {
        return tables;
    }

    public int alphabetSize() {
        return alphabetSize;
    }

    /** Bits per block that name the table chosen: {@code ceil(log2 K)}, none for a single table. */
    public int selectorBits() {
        return 32 - Integer.numberOfLeadingZeros(tables.size() - 1);
    }

    /** The table that codes a block with these counts in the fewest bits (the lowest index on a tie). */
    public Choice choose(long[] blockHistogram) {
        if (blockHistogram.length != alphabetSize) {
            throw new BadInputException("calibrated tables: block histogram: expected " + alphabetSize
                    + " bins, found " + blockHistogram.length);
        }
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int t = 0; t < lengths.length; t++) {
            long b = bits(blockHistogram, lengths[t]);
            if (b < bestBits) {
                bestBits = b;
                best = t;
            }
        }
        return new Choice(best, bestBits);
    }

    /**
     * A block's table choice.
     *
     * @param table      index into {@link #tables()}
     * @param codedBits  payload bits of the block with that table (the selector bits not included)
     */
    public record Choice(int table, long codedBits) {
    }

    /** Payload plus selector bits of coding calibration-like blocks given by their histograms. */
    public long codedBits(List<long[]> blockHistograms) {
        long total = 0;
        for (long[] h : blockHistograms) {
            total += choose(h).codedBits() + selectorBits();
        }
        return total;
    }

    /**
     * What coding {@code symbols} in blocks of {@code blockSymbols} with these tables costs, next to what tables
     * built from the data itself would cost.
     */
    public CalibrationCost cost(byte[] symbols, int blockSymbols) {
        if (blockSymbols < 1) {
            throw new BadInputException("calibrated tables: block_symbols: expected at least 1, found "
                    + blockSymbols);
        }
        long[] whole = new long[alphabetSize];
        long[] block = new long[alphabetSize];
        int[] use = new int[tables.size()];
        long payload = 0;
        long selector = 0;
        long blockIdeal = 0;
        int blocks = 0;
        for (int from = 0; from < symbols.length; from += blockSymbols) {
            int to = (int) Math.min(symbols.length, (long) from + blockSymbols);
            Arrays.fill(block, 0);
            for (int i = from; i < to; i++) {
                int s = symbols[i] & 0xFF;
                if (s >= alphabetSize) {
                    throw new BadInputException("calibrated tables: symbol index " + i + ": expected a symbol below "
                            + alphabetSize + ", found " + s);
                }
                block[s]++;
            }
            for (int s = 0; s < alphabetSize; s++) {
                whole[s] += block[s];
            }
            Choice c = choose(block);
            use[c.table()]++;
            payload += c.codedBits();
            selector += selectorBits();
            blockIdeal += bits(block, HuffmanCode.build(block, maxLength).lengths());
            blocks++;
        }
        long ideal = bits(whole, HuffmanCode.build(whole, maxLength).lengths());
        return new CalibrationCost(symbols.length, blocks, payload, selector, ideal, blockIdeal, use);
    }
}
