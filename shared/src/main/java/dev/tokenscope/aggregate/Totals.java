package dev.tokenscope.aggregate;

import java.math.BigDecimal;

/**
 * The additive measures of a set of requests. Every rollup holds one; they add exactly (cost is decimal), so a
 * week is the sum of its days and an online rollup equals a recomputed one.
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
        long toolCallRequests) {

    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0);

    public Totals plus(Totals other) {
        return new Totals(
                requests + other.requests,
                promptTokens + other.promptTokens,
                completionTokens + other.completionTokens,
                reasoningTokens + other.reasoningTokens,
                cacheReadTokens + other.cacheReadTokens,
                cacheWriteTokens + other.cacheWriteTokens,
                costUsd.add(other.costUsd),
                pricedRequests + other.pricedRequests,
                toolCallRequests + other.toolCallRequests);
    }

    public Totals negate() {
        return new Totals(-requests, -promptTokens, -completionTokens, -reasoningTokens, -cacheReadTokens,
                -cacheWriteTokens, costUsd.negate(), -pricedRequests, -toolCallRequests);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public boolean isZero() {
        return requests == 0 && promptTokens == 0 && completionTokens == 0 && reasoningTokens == 0
                && cacheReadTokens == 0 && cacheWriteTokens == 0 && costUsd.signum() == 0 && pricedRequests == 0
                && toolCallRequests == 0;
    }

    /** Equality on value: cost 1.50 equals 1.5. */
    public boolean sameAs(Totals other) {
        return requests == other.requests && promptTokens == other.promptTokens
                && completionTokens == other.completionTokens && reasoningTokens == other.reasoningTokens
                && cacheReadTokens == other.cacheReadTokens && cacheWriteTokens == other.cacheWriteTokens
                && costUsd.compareTo(other.costUsd) == 0 && pricedRequests == other.pricedRequests
                && toolCallRequests == other.toolCallRequests;
    }
}
