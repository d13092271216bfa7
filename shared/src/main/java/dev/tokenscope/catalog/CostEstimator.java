package dev.tokenscope.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

/**
 * What a request cost at the catalog's price in force on its day: uncached input at the input price, cache reads
 * and writes at their own prices (the input price when the catalog has none), output at the output price, and
 * reasoning at the reasoning price when the catalog has one (else as output, which it is billed as).
 */
public final class CostEstimator {

    /** Same scale as logged costs (CanonicalFields.COST_SCALE), so sums stay exact decimals. */
    private static final int SCALE = 10;

    private CostEstimator() {
    }

    public static Optional<BigDecimal> estimate(ModelFacts model, Instant at, long promptTokens, long completionTokens,
                                                long reasoningTokens, long cacheReadTokens, long cacheWriteTokens) {
        Optional<PriceSchedule> found = ModelCatalog.priceAt(model, at);
        if (found.isEmpty() || found.get().input().isEmpty() || found.get().output().isEmpty()) {
            return Optional.empty();
        }
        PriceSchedule price = found.get();
        BigDecimal input = price.input().get();
        BigDecimal output = price.output().get();
        long uncached = Math.max(0, promptTokens - cacheReadTokens - cacheWriteTokens);
        long reasoning = price.reasoning().isPresent() ? Math.min(reasoningTokens, completionTokens) : 0;
        BigDecimal cost = input.multiply(BigDecimal.valueOf(uncached))
                .add(price.cacheRead().orElse(input).multiply(BigDecimal.valueOf(cacheReadTokens)))
                .add(price.cacheWrite().orElse(input).multiply(BigDecimal.valueOf(cacheWriteTokens)))
                .add(output.multiply(BigDecimal.valueOf(completionTokens - reasoning)))
                .add(price.reasoning().orElse(output).multiply(BigDecimal.valueOf(reasoning)));
        return Optional.of(cost.setScale(SCALE, RoundingMode.HALF_EVEN));
    }
}
