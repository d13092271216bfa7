package dev.tokenscope.figures;

import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Totals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceElasticityTest {

    /** A model's totals, all requests priced; tokens split between prompt and completion. */
    private static Totals model(long tokens, String cost) {
        return totals(3, tokens / 2, tokens - tokens / 2, 0, 0, 0, cost, 3, 0);
    }

    @Test
    void of_shouldFindTheExactSlope_whenTokensArePriceToTheMinusOneHalf() {
        // given: tokens = 1e8 * price^-0.5; price per 1M 0.25, 1, 4, 16, 100 -> tokens 2e8, 1e8, 5e7, 2.5e7, 1e7;
        // cost = price * tokens / 1e6 = 50, 100, 200, 400, 1000
        Map<String, Totals> models = Map.of(
                "a", model(200_000_000, "50"),
                "b", model(100_000_000, "100"),
                "c", model(50_000_000, "200"),
                "d", model(25_000_000, "400"),
                "e", model(10_000_000, "1000"));

        // when
        PriceElasticity figure = PriceElasticity.of(models);

        // then: slope -0.5, intercept ln(1e8) = 18.420680743952367, a perfect fit
        assertEquals(PriceElasticity.Outcome.ESTIMATED, figure.outcome());
        assertEquals(5, figure.models());
        PriceElasticity.Estimate e = figure.estimate().orElseThrow();
        assertEquals(-0.5, e.slope(), 1e-12);
        assertEquals(18.420680743952367, e.intercept(), 1e-10);
        assertEquals(1.0, e.rSquared(), 1e-12);
        assertEquals(0, e.standardError(), 1e-7);
        assertEquals(-0.5, e.ciLow(), 1e-6);
        assertEquals(-0.5, e.ciHigh(), 1e-6);
    }

    @Test
    void of_shouldMatchAnIndependentFit_whenDataHasNoise() {
        // given: price per 1M 0.1, 0.25, 0.5, 1, 2, 4, 10, 15 and tokens that do not lie on a line;
        // cost = price * tokens / 1e6
        Map<String, Totals> models = Map.of(
                "m1", model(900_000_000, "90"),
                "m2", model(200_000_000, "50"),
                "m3", model(600_000_000, "300"),
                "m4", model(150_000_000, "150"),
                "m5", model(300_000_000, "600"),
                "m6", model(50_000_000, "200"),
                "m7", model(120_000_000, "1200"),
                "m8", model(20_000_000, "300"));

        // when
        PriceElasticity figure = PriceElasticity.of(models);

        // then: computed with python3 in plain arithmetic (centred sums; SE = sqrt(SSE / 6 / Sxx);
        // CI = slope -+ t(0.975, 6) * SE with the table's t = 2.446911851; R² = 1 - SSE / Syy)
        PriceElasticity.Estimate e = figure.estimate().orElseThrow();
        assertEquals(8, figure.models());
        assertEquals(-0.585403786644, e.slope(), 1e-9);
        assertEquals(19.127086735183, e.intercept(), 1e-9);
        assertEquals(0.162268130883, e.standardError(), 1e-9);
        assertEquals(-0.982459599142, e.ciLow(), 1e-7);
        assertEquals(-0.188347974146, e.ciHigh(), 1e-7);
        assertEquals(0.684459843411, e.rSquared(), 1e-9);
        assertTrue(figure.excluded().isEmpty());
    }

    @Test
    void of_shouldSayTooFewModels_whenFewerThanFiveWithPriceAndTokens() {
        // given: four usable models, and three that cannot be placed on log axes
        Map<String, Totals> models = Map.of(
                "a", model(1000, "1"),
                "b", model(2000, "1"),
                "c", model(3000, "1"),
                "d", model(4000, "1"),
                "free", model(5000, "0"),
                "unpriced", totals(2, 100, 100, 0, 0, 0, "0", 0, 0),
                "retracted", Totals.ZERO);

        // when
        PriceElasticity figure = PriceElasticity.of(models);

        // then
        assertEquals(PriceElasticity.Outcome.TOO_FEW_MODELS, figure.outcome());
        assertEquals(4, figure.models());
        assertTrue(figure.estimate().isEmpty());
        assertEquals(List.of(
                new Excluded("free", 5000, Excluded.ZERO_COST),
                new Excluded("retracted", 0, Excluded.NO_TOKENS),
                new Excluded("unpriced", 200, Excluded.NO_PRICED_REQUESTS)), figure.excluded());
    }

    @Test
    void of_shouldSayTooFewModels_whenEmptyOrOneModel() {
        // when / then
        assertEquals(new PriceElasticity(PriceElasticity.Outcome.TOO_FEW_MODELS, 0, java.util.Optional.empty(),
                List.of()), PriceElasticity.of(Map.of()));
        assertEquals(PriceElasticity.Outcome.TOO_FEW_MODELS, PriceElasticity.of(Map.of("a", model(10, "1"))).outcome());
    }

    @Test
    void of_shouldRefuse_whenEveryModelHasTheSamePrice() {
        // given: $1 per 1M tokens each (cost = tokens / 1e6)
        Map<String, Totals> models = Map.of(
                "a", model(1_000_000, "1"), "b", model(2_000_000, "2"), "c", model(3_000_000, "3"),
                "d", model(4_000_000, "4"), "e", model(5_000_000, "5"));

        // when
        PriceElasticity figure = PriceElasticity.of(models);

        // then
        assertEquals(PriceElasticity.Outcome.NO_PRICE_VARIATION, figure.outcome());
        assertTrue(figure.estimate().isEmpty());
    }

    @Test
    void of_shouldRefuse_whenEveryModelHasTheSameTokens() {
        // given
        Map<String, Totals> models = Map.of(
                "a", model(1_000_000, "1"), "b", model(1_000_000, "2"), "c", model(1_000_000, "3"),
                "d", model(1_000_000, "4"), "e", model(1_000_000, "5"));

        // when / then
        assertEquals(PriceElasticity.Outcome.NO_USAGE_VARIATION, PriceElasticity.of(models).outcome());
    }
}
