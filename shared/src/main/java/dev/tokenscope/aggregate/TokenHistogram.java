package dev.tokenscope.aggregate;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A mergeable histogram of token counts per request: the sketch behind the request-shape percentiles. Counts
 * below 16 have a bucket each; above, each power of two is cut into 16 buckets, so a bucket's middle is within
 * 3.1% of any count in it. Buckets add, so a week's histogram is the sum of its days', and the bucket of a count
 * is integer arithmetic that the recompute SQL repeats exactly (sql/request_shape_day.sql), so recomputed
 * histograms equal online ones bucket for bucket.
 */
public final class TokenHistogram {

    static final int SUB_BUCKETS = 16;
    private static final int SUB_BITS = 4;

    /**
     * The rollup dimension that holds request shapes: one item per (day, category, kind, group of
     * {@value #BUCKETS_PER_ITEM} buckets), measures zero, its buckets in the shape. Bounded items keep each
     * conditional UpdateItem's expression far below DynamoDB's 4 KB limit whatever the spread of counts.
     */
    public static final String DIMENSION = "request_shape";
    static final int BUCKETS_PER_ITEM = 64;

    private TokenHistogram() {
    }

    /** The bucket of a token count (0 and up). */
    public static int bucket(long tokens) {
        if (tokens < SUB_BUCKETS) {
            return (int) Math.max(0, tokens);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(tokens);
        return SUB_BUCKETS * (exponent - SUB_BITS + 1) + (int) (tokens >> (exponent - SUB_BITS)) - SUB_BUCKETS;
    }

    /** The request-shape item a bucket of a category's prompt ('p') or completion ('c') histogram belongs to. */
    public static RollupKey itemKey(java.time.LocalDate day, String category, String bucketKey) {
        int bucket = Integer.parseInt(bucketKey.substring(1));
        return new RollupKey(DIMENSION, day, category + "|" + bucketKey.charAt(0) + "|" + bucket / BUCKETS_PER_ITEM);
    }

    /** The category a request-shape item belongs to. */
    public static String categoryOf(RollupKey shapeItem) {
        String value = shapeItem.value();
        return value.substring(0, value.indexOf('|'));
    }

    /** The smallest count in a bucket. */
    static long lowest(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS + SUB_BITS - 1;
        long mantissa = bucket % SUB_BUCKETS + SUB_BUCKETS;
        return mantissa << (exponent - SUB_BITS);
    }

    /** The middle of a bucket: the estimate a percentile reports. */
    static double middle(int bucket) {
        return (lowest(bucket) + lowest(bucket + 1) - 1) / 2.0;
    }

    /**
     * The q-quantile (0..1) of the counts in a histogram (bucket -> requests): the middle of the bucket holding
     * the request of rank ceil(q * n); empty histogram, no answer (NaN).
     */
    public static double quantile(Map<Integer, Long> histogram, double q) {
        SortedMap<Integer, Long> sorted = new TreeMap<>(histogram);
        long n = sorted.values().stream().mapToLong(Long::longValue).sum();
        if (n <= 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (Map.Entry<Integer, Long> entry : sorted.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return middle(entry.getKey());
            }
        }
        return middle(sorted.lastKey());
    }
}
