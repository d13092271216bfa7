package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import java.util.Optional;

/**
 * Effective cost per 1M tokens of rollup totals, shared by the cost figures (11 and 12).
 *
 * <p>A rollup's cost_usd holds only priced requests' cost, so it is divided by those requests' tokens (the
 * rollup's priced tokens), not by all tokens: unpriced traffic (a model the catalog does not know, no logged
 * cost) would otherwise understate the price. {@link #pricedRequestShare} travels with each point so that a
 * reader can see how much of the traffic the price stands for.
 */
final class UnitCost {

    static final double PER_MILLION = 1_000_000d;

    private UnitCost() {
    }

    /** Why these totals have no effective cost per token, or empty when they have one. */
    static Optional<String> whyNoPrice(Totals totals) {
        if (totals.totalTokens() <= 0 || totals.requests() <= 0) {
            return Optional.of(Excluded.NO_TOKENS);
        }
        if (totals.pricedRequests() <= 0 || totals.pricedTokens() <= 0) {
            return Optional.of(Excluded.NO_PRICED_REQUESTS);
        }
        if (totals.costUsd().signum() <= 0) {
            return Optional.of(Excluded.ZERO_COST);
        }
        return Optional.empty();
    }

    /** Share of requests that carry a cost, 0..1. */
    static double pricedRequestShare(Totals totals) {
        return Math.min(1, (double) totals.pricedRequests() / totals.requests());
    }

    /** USD per 1M tokens; only for totals that {@link #whyNoPrice} accepts. */
    static double perMillionTokens(Totals totals) {
        return totals.costUsd().doubleValue() / totals.pricedTokens() * PER_MILLION;
    }
}
