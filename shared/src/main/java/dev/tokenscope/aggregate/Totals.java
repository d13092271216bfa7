package dev.tokenscope.aggregate;

import java.math.BigDecimal;

/**
 * The additive measures of a set of requests. Every rollup holds one; they add exactly (cost is decimal), so a
 * week is the sum of its days and an online rollup equals a recomputed one.
 *
 * @param pricedTokens       prompt + completion tokens of the requests that carry a cost: the denominator of an
 *                           effective price per token, so unpriced traffic does not dilute it
 * @param longPromptRequests requests with more than {@value #LONG_PROMPT_TOKENS} prompt tokens (a record that
 *                           stands for several requests, a usage bucket, is not counted: its requests' sizes are
 *                           unknown)
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
        long longPromptRequests) {

    /** The report's line for a long prompt. */
    public static final long LONG_PROMPT_TOKENS = 20_000;

    public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0, 0, 0, 0);

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
                toolCallRequests + other.toolCallRequests,
                pricedTokens + other.pricedTokens,
                longPromptRequests + other.longPromptRequests);
    }

    public Totals negate() {
        return new Totals(-requests, -promptTokens, -completionTokens, -reasoningTokens, -cacheReadTokens,
                -cacheWriteTokens, costUsd.negate(), -pricedRequests, -toolCallRequests, -pricedTokens,
                -longPromptRequests);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public boolean isZero() {
        return requests == 0 && promptTokens == 0 && completionTokens == 0 && reasoningTokens == 0
                && cacheReadTokens == 0 && cacheWriteTokens == 0 && costUsd.signum() == 0 && pricedRequests == 0
                && toolCallRequests == 0 && pricedTokens == 0 && longPromptRequests == 0;
    }

    /** Equality on value: cost 1.50 equals 1.5. */
    public boolean sameAs(Totals other) {
        return requests == other.requests && promptTokens == other.promptTokens
                && completionTokens == other.completionTokens && reasoningTokens == other.reasoningTokens
                && cacheReadTokens == other.cacheReadTokens && cacheWriteTokens == other.cacheWriteTokens
                && costUsd.compareTo(other.costUsd) == 0 && pricedRequests == other.pricedRequests
                && toolCallRequests == other.toolCallRequests && pricedTokens == other.pricedTokens
                && longPromptRequests == other.longPromptRequests;
    }
}
