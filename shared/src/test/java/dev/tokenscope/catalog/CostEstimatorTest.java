package dev.tokenscope.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {

    private static final Instant AT = Instant.parse("2026-11-02T10:00:00Z");

    private static ModelFacts model(PriceSchedule... prices) {
        return new ModelFacts("m", "acme", ModelFacts.REST_OF_WORLD, Optional.of("US"), Optional.of(false),
                OptionalLong.empty(), OptionalLong.empty(), ModelFacts.UNKNOWN, Optional.of(true), Optional.of(true),
                List.of("m"), List.of(prices));
    }

    private static Optional<BigDecimal> d(String value) {
        return Optional.of(new BigDecimal(value));
    }

    @Test
    void estimate_shouldPriceCacheAtItsOwnRates_whenTheCatalogHasThem() {
        // given: input 3e-6, output 15e-6, cache read 0.3e-6, cache write 3.75e-6 per token
        ModelFacts m = model(new PriceSchedule(LocalDate.of(2025, 1, 1), d("0.000003"), d("0.000015"),
                Optional.empty(), d("0.0000003"), d("0.00000375")));

        // when: 10,000 prompt tokens of which 6,000 read and 1,000 written to cache; 500 out
        BigDecimal cost = CostEstimator.estimate(m, AT, 10_000, 500, 0, 6_000, 1_000).orElseThrow();

        // then: 3,000 x 3e-6 + 6,000 x 0.3e-6 + 1,000 x 3.75e-6 + 500 x 15e-6 = 0.009 + 0.0018 + 0.00375 + 0.0075
        assertEquals(0, new BigDecimal("0.02205").compareTo(cost), cost.toPlainString());
    }

    @Test
    void estimate_shouldPriceReasoningApart_whenTheCatalogHasAReasoningPrice() {
        // given: output 10e-6, reasoning 20e-6
        ModelFacts m = model(new PriceSchedule(LocalDate.of(2025, 1, 1), d("0.000001"), d("0.00001"),
                d("0.00002"), Optional.empty(), Optional.empty()));

        // when: 100 in, 1,000 out of which 400 reasoning
        BigDecimal cost = CostEstimator.estimate(m, AT, 100, 1_000, 400, 0, 0).orElseThrow();

        // then: 100 x 1e-6 + 600 x 10e-6 + 400 x 20e-6 = 0.0001 + 0.006 + 0.008
        assertEquals(0, new BigDecimal("0.0141").compareTo(cost), cost.toPlainString());
    }

    @Test
    void estimate_shouldUseTheScheduleInForce_whenPricesChanged() {
        // given: the price halves on 2026-06-01
        ModelFacts m = model(
                new PriceSchedule(LocalDate.of(2025, 1, 1), d("0.000002"), d("0.000002"), Optional.empty(),
                        Optional.empty(), Optional.empty()),
                new PriceSchedule(LocalDate.of(2026, 6, 1), d("0.000001"), d("0.000001"), Optional.empty(),
                        Optional.empty(), Optional.empty()));

        // when / then: 1,000 tokens in May 2026 and in November 2026
        assertEquals(0, new BigDecimal("0.002").compareTo(CostEstimator.estimate(m,
                Instant.parse("2026-05-31T23:59:59Z"), 500, 500, 0, 0, 0).orElseThrow()));
        assertEquals(0, new BigDecimal("0.001").compareTo(CostEstimator.estimate(m, AT, 500, 500, 0, 0, 0)
                .orElseThrow()));
    }

    @Test
    void estimate_shouldBeEmpty_whenTheCatalogHasNoInputOrOutputPrice() {
        ModelFacts noOutput = model(new PriceSchedule(LocalDate.of(2025, 1, 1), d("0.000001"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));

        assertEquals(Optional.empty(), CostEstimator.estimate(noOutput, AT, 100, 100, 0, 0, 0));
        assertEquals(Optional.empty(), CostEstimator.estimate(model(), AT, 100, 100, 0, 0, 0));
    }
}
