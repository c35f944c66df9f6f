package io.nccsim.engine;

/**
 * A histogram of non-negative values in power-of-two buckets (bucket k holds values in [2^(k-1), 2^k)), with exact
 * count, sum, min and max. Log buckets keep latency distributions that span ns to ms in 64 slots, and give
 * percentiles to within a factor of two; exact percentiles are the DRAM model's business.
 */
public final class Histogram {
    private final long[] buckets = new long[65];
    private long count;
    private double sum;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("histogram values must be non-negative");
        }
        buckets[64 - Long.numberOfLeadingZeros(value)]++;
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    public long min() {
        return count == 0 ? 0 : min;
    }

    public long max() {
        return count == 0 ? 0 : max;
    }

    /** Upper bound of the bucket that holds the {@code q}-quantile (0 < q <= 1), capped at the maximum. */
    public long quantileUpperBound(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int k = 0; k < buckets.length; k++) {
            seen += buckets[k];
            if (seen >= rank) {
                long upper = k == 0 ? 0 : (k >= 63 ? Long.MAX_VALUE : (1L << k) - 1);
                return Math.min(upper, max);
            }
        }
        return max;
    }
}
