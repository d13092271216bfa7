package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import java.util.Optional;

/**
 * Effective cost per 1M tokens of rollup totals, shared by the cost figures (11 and 12).
 *
 * <p>A rollup's cost_usd holds only priced requests' cost, and a rollup counts priced requests, not priced
 * tokens. Dividing the cost by all tokens would understate the price whenever some requests are unpriced, so
 * the priced tokens are estimated as the tokens times the share of requests that are priced: exact when every
 * request is priced (the common case: the catalog prices every model it knows), and otherwise right as long as
 * unpriced requests are as long on average as priced ones. {@link #pricedRequestShare} travels with each point
 * so that a reader can see how much of a value rests on that estimate.
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
        if (totals.pricedRequests() <= 0) {
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
        double pricedTokens = totals.totalTokens() * pricedRequestShare(totals);
        return totals.costUsd().doubleValue() / pricedTokens * PER_MILLION;
    }
}
