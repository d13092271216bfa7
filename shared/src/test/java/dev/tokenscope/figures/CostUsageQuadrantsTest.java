package dev.tokenscope.figures;

import static dev.tokenscope.figures.Quadrant.MASS_MARKET_VOLUME_DRIVERS;
import static dev.tokenscope.figures.Quadrant.NICHE_UTILITIES;
import static dev.tokenscope.figures.Quadrant.PREMIUM_WORKLOADS;
import static dev.tokenscope.figures.Quadrant.SPECIALIZED_EXPERTS;
import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Totals;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CostUsageQuadrantsTest {

    /** Every request priced; tokens split 3:1 between prompt and completion. */
    private static Totals priced(long tokens, String cost) {
        return totals(10, tokens - tokens / 4, tokens / 4, 0, 0, 0, cost, 10, 0);
    }

    private static Map<String, CostUsageQuadrants.CategoryPoint> byCategory(CostUsageQuadrants figure) {
        Map<String, CostUsageQuadrants.CategoryPoint> points = new TreeMap<>();
        figure.points().forEach(p -> points.put(p.category(), p));
        return points;
    }

    @Test
    void of_shouldPlaceEachCategoryInTheReportsQuadrant_whenSplitAtTheMedians() {
        // given: USD per 1M tokens = cost / tokens * 1e6
        Map<String, Totals> categories = Map.of(
                "programming", priced(1_000_000_000, "400"),   // 0.40 / 1M
                "roleplay", priced(500_000_000, "100"),        // 0.20
                "technology", priced(400_000_000, "1200"),     // 3
                "science", priced(300_000_000, "1500"),        // 5
                "finance", priced(10_000_000, "80"),           // 8
                "health", priced(20_000_000, "120"),           // 6
                "translation", priced(1_000_000, "0.10"),      // 0.10
                "legal", priced(2_000_000, "0.30"));           // 0.15

        // when
        CostUsageQuadrants figure = CostUsageQuadrants.of(categories);

        // then: 8 categories, medians are the geometric means of the middle two:
        // cost 0.1 0.15 0.2 0.4 | 3 5 6 8 -> sqrt(0.4 * 3) = sqrt(1.2) = 1.0954451150103321
        // tokens 1e6 2e6 1e7 2e7 | 3e8 4e8 5e8 1e9 -> sqrt(2e7 * 3e8) = sqrt(6e15) = 77459666.92414834
        CostUsageQuadrants.Medians medians = figure.medians().orElseThrow();
        assertEquals(1.0954451150103321, medians.costPerMillionTokens(), 1e-12);
        assertEquals(77459666.92414834, medians.tokens(), 1e-4);
        Map<String, CostUsageQuadrants.CategoryPoint> points = byCategory(figure);
        assertEquals(MASS_MARKET_VOLUME_DRIVERS, points.get("programming").quadrant());
        assertEquals(MASS_MARKET_VOLUME_DRIVERS, points.get("roleplay").quadrant());
        assertEquals(PREMIUM_WORKLOADS, points.get("technology").quadrant());
        assertEquals(PREMIUM_WORKLOADS, points.get("science").quadrant());
        assertEquals(SPECIALIZED_EXPERTS, points.get("finance").quadrant());
        assertEquals(SPECIALIZED_EXPERTS, points.get("health").quadrant());
        assertEquals(NICHE_UTILITIES, points.get("translation").quadrant());
        assertEquals(NICHE_UTILITIES, points.get("legal").quadrant());
        assertEquals(0.4, points.get("programming").costPerMillionTokens(), 1e-12);
        assertEquals(1_000_000_000, points.get("programming").tokens());
        assertEquals(1.0, points.get("programming").pricedRequestShare());
        assertEquals("Mass-Market Volume Drivers", points.get("programming").quadrant().label());
        assertTrue(figure.excluded().isEmpty());
    }

    @Test
    void of_shouldLeaveOutUnclassifiedOtherUnpricedAndFree_whenPresent() {
        // given
        Map<String, Totals> categories = Map.of(
                "programming", priced(1000, "0.002"),
                "unclassified", priced(5000, "0.01"),
                "other", priced(300, "0.001"),
                "marketing", totals(4, 200, 100, 0, 0, 0, "0", 0, 0),     // no request priced
                "education", totals(4, 200, 100, 0, 0, 0, "0", 4, 0),     // priced, at zero (free models)
                "trivia", Totals.ZERO);

        // when
        CostUsageQuadrants figure = CostUsageQuadrants.of(categories);

        // then
        assertEquals(List.of("programming"), figure.points().stream().map(p -> p.category()).toList());
        assertEquals(List.of(
                new Excluded("education", 300, Excluded.ZERO_COST),
                new Excluded("marketing", 300, Excluded.NO_PRICED_REQUESTS),
                new Excluded("other", 300, Excluded.OTHER),
                new Excluded("trivia", 0, Excluded.NO_TOKENS),
                new Excluded("unclassified", 5000, Excluded.UNCLASSIFIED)), figure.excluded());
    }

    @Test
    void of_shouldDivideCostByPricedTokens_whenSomeRequestsUnpriced() {
        // given: 4 of 10 requests priced, 1,000,000 tokens of which the priced requests' 400,000, $2 -> $5 per 1M
        // (not the $2 per 1M that dividing by all tokens would give)
        Map<String, Totals> categories = Map.of("finance",
                totals(10, 800_000, 200_000, 0, 0, 0, "2", 4, 0, 400_000, 0));

        // when
        CostUsageQuadrants.CategoryPoint point = CostUsageQuadrants.of(categories).points().get(0);

        // then
        assertEquals(5.0, point.costPerMillionTokens(), 1e-12);
        assertEquals(1_000_000, point.tokens()); // volume counts every request
        assertEquals(0.4, point.pricedRequestShare(), 1e-15);
    }

    @Test
    void of_shouldPutEveryCategoryInPremium_whenAllEqual() {
        // given: all on both medians; a value on a median counts as high
        Map<String, Totals> categories = Map.of(
                "programming", priced(1_000_000, "1"),
                "roleplay", priced(1_000_000, "1"),
                "legal", priced(1_000_000, "1"));

        // when
        CostUsageQuadrants figure = CostUsageQuadrants.of(categories);

        // then
        assertEquals(3, figure.points().size());
        assertTrue(figure.points().stream().allMatch(p -> p.quadrant() == PREMIUM_WORKLOADS));
        assertEquals(1.0, figure.medians().orElseThrow().costPerMillionTokens(), 1e-12);
    }

    @Test
    void of_shouldCountTheMiddleCategoryAsHigh_whenOddCount() {
        // given: costs 1, 2, 4 per 1M and tokens 1e6, 1e7, 1e8: roleplay is on both medians
        Map<String, Totals> categories = Map.of(
                "translation", priced(1_000_000, "1"),
                "roleplay", priced(10_000_000, "20"),
                "technology", priced(100_000_000, "400"));

        // when
        Map<String, CostUsageQuadrants.CategoryPoint> points = byCategory(CostUsageQuadrants.of(categories));

        // then
        assertEquals(NICHE_UTILITIES, points.get("translation").quadrant());
        assertEquals(PREMIUM_WORKLOADS, points.get("roleplay").quadrant());
        assertEquals(PREMIUM_WORKLOADS, points.get("technology").quadrant());
    }

    @Test
    void of_shouldGiveNoPointsAndNoMedians_whenEmpty() {
        // when
        CostUsageQuadrants figure = CostUsageQuadrants.of(Map.of());

        // then
        assertTrue(figure.points().isEmpty());
        assertTrue(figure.medians().isEmpty());
        assertTrue(figure.excluded().isEmpty());
    }
}
