package dev.tokenscope.local;

/** Percentiles of measured values, for the benchmarks. */
final class Percentiles {

    private Percentiles() {
    }

    /**
     * The nearest-rank percentile of sorted values: the smallest value with at least the fraction q of the values at
     * or below it, so p99 of 100 values is the 99th and a single slow request among fewer than 100 shows as the max
     * only. 0 for no values.
     */
    static long nearestRank(long[] sorted, double q) {
        if (q <= 0 || q > 1) {
            throw new IllegalArgumentException("q must be in (0, 1], got " + q);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
