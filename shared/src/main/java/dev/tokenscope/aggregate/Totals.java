package dev.tokenscope.aggregate;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The additive measures of a set of requests. Every rollup holds one; they add exactly (cost is decimal), so a
 * week is the sum of its days and an online rollup equals a recomputed one.
 *
 * @param pricedTokens       prompt + completion tokens of the requests that carry a cost: the denominator of an
 *                           effective price per token, so unpriced traffic does not dilute it
 * @param longPromptRequests requests with more than {@value #LONG_PROMPT_TOKENS} prompt tokens (a record that
 *                           stands for several requests, a usage bucket, is not counted: its requests' sizes are
 *                           unknown)
 * @param shape              the request shape: histograms of prompt and completion tokens per request
 *                           ({@link TokenHistogram} buckets, keyed "p&lt;bucket&gt;" and "c&lt;bucket&gt;", requests per
 *                           bucket), kept on the category rollups only; single-request records only
 */
public record Totals(
        long requests,
        long promptTokens,
        long completionTokens,
        long reasoningTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        BigDecimal costUsd,
        long pricedRequests,
        long toolCallRequests,
        long pricedTokens,
        long longPromptRequests,
        SortedMap<String, Long> shape) {

    public Totals {
        // Canonical: no zero buckets, so a bucket retracted to zero compares equal to one never there.
        TreeMap<String, Long> kept = new TreeMap<>();
        shape.forEach((k, v) -> {
            if (v != 0) {
                kept.put(k, v);
            }
        });
        shape = Collections.unmodifiableSortedMap(kept);
    }

    /** Totals without a request shape (every dimension but the category). */
    public Totals(long requests, long promptTokens, long completionTokens, long reasoningTokens,
                  long cacheReadTokens, long cacheWriteTokens, BigDecimal costUsd, long pricedRequests,
                  long toolCallRequests, long pricedTokens, long longPromptRequests) {
        this(requests, promptTokens, completionTokens, reasoningTokens, cacheReadTokens, cacheWriteTokens, costUsd,
                pricedRequests, toolCallRequests, pricedTokens, longPromptRequests, new TreeMap<>());
    }

    /** The same measures with this request shape. */
    public Totals withShape(java.util.SortedMap<String, Long> newShape) {
        return new Totals(requests, promptTokens, completionTokens, reasoningTokens, cacheReadTokens,
                cacheWriteTokens, costUsd, pricedRequests, toolCallRequests, pricedTokens, longPromptRequests, newShape);
    }

    /** The same measures without the request shape. */
    public Totals withoutShape() {
        return new Totals(requests, promptTokens, completionTokens, reasoningTokens, cacheReadTokens,
                cacheWriteTokens, costUsd, pricedRequests, toolCallRequests, pricedTokens, longPromptRequests);
    }

    /** The prompt ("p") or completion ("c") histogram of the shape, bucket -> requests. */
    public Map<Integer, Long> histogram(char kind) {
        Map<Integer, Long> result = new TreeMap<>();
        shape.forEach((k, v) -> {
            if (k.charAt(0) == kind) {
                result.put(Integer.parseInt(k.substring(1)), v);
            }
        });
        return result;
    }

    /** The report's line for a long prompt. */
    public static final long LONG_PROMPT_TOKENS = 20_000;

    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0, 0, 0);

    public Totals plus(Totals other) {
        return new Sum().add(this).add(other).totals();
    }

    public Totals negate() {
        return new Totals(-requests, -promptTokens, -completionTokens, -reasoningTokens, -cacheReadTokens,
                -cacheWriteTokens, costUsd.negate(), -pricedRequests, -toolCallRequests, -pricedTokens,
                -longPromptRequests, negated(shape));
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public boolean isZero() {
        return requests == 0 && promptTokens == 0 && completionTokens == 0 && reasoningTokens == 0
                && cacheReadTokens == 0 && cacheWriteTokens == 0 && costUsd.signum() == 0 && pricedRequests == 0
                && toolCallRequests == 0 && pricedTokens == 0 && longPromptRequests == 0 && shape.isEmpty();
    }

    /** Equality on value: cost 1.50 equals 1.5. */
    public boolean sameAs(Totals other) {
        return requests == other.requests && promptTokens == other.promptTokens
                && completionTokens == other.completionTokens && reasoningTokens == other.reasoningTokens
                && cacheReadTokens == other.cacheReadTokens && cacheWriteTokens == other.cacheWriteTokens
                && costUsd.compareTo(other.costUsd) == 0 && pricedRequests == other.pricedRequests
                && toolCallRequests == other.toolCallRequests && pricedTokens == other.pricedTokens
                && longPromptRequests == other.longPromptRequests && shape.equals(other.shape);
    }

    /**
     * A running sum of Totals, added in place: summing n rollups into a period costs n additions, where a chain of
     * {@link #plus} would copy the growing request shape (hundreds of buckets) at every step.
     */
    public static final class Sum {
        private long requests;
        private long promptTokens;
        private long completionTokens;
        private long reasoningTokens;
        private long cacheReadTokens;
        private long cacheWriteTokens;
        private BigDecimal costUsd = BigDecimal.ZERO;
        private long pricedRequests;
        private long toolCallRequests;
        private long pricedTokens;
        private long longPromptRequests;
        private final Map<String, Long> shape = new HashMap<>();

        public Sum add(Totals t) {
            requests += t.requests;
            promptTokens += t.promptTokens;
            completionTokens += t.completionTokens;
            reasoningTokens += t.reasoningTokens;
            cacheReadTokens += t.cacheReadTokens;
            cacheWriteTokens += t.cacheWriteTokens;
            costUsd = costUsd.add(t.costUsd);
            pricedRequests += t.pricedRequests;
            toolCallRequests += t.toolCallRequests;
            pricedTokens += t.pricedTokens;
            longPromptRequests += t.longPromptRequests;
            t.shape.forEach((bucket, count) -> shape.merge(bucket, count, Long::sum));
            return this;
        }

        public Totals totals() {
            return new Totals(requests, promptTokens, completionTokens, reasoningTokens, cacheReadTokens,
                    cacheWriteTokens, costUsd, pricedRequests, toolCallRequests, pricedTokens, longPromptRequests,
                    new TreeMap<>(shape));
        }
    }

    private static SortedMap<String, Long> negated(Map<String, Long> shape) {
        TreeMap<String, Long> result = new TreeMap<>();
        shape.forEach((bucket, count) -> result.put(bucket, -count));
        return result;
    }
}
