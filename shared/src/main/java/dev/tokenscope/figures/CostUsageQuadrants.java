package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.classify.UseCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Figure 11, cost vs usage: each use-case category's effective cost per 1M tokens against its total tokens, on
 * log scales, split at the medians into the report's four quadrants.
 *
 * <p>Choices where the report is silent: the medians are of the log values across the categories placed (for an
 * even count, the mean of the middle two logs, i.e. the geometric mean of the middle two values); a category
 * exactly on a median counts as high, so that with an odd count the middle one has a side; unclassified (no
 * prompt text) and other (the long tail) are left out, as the report places neither: each mixes many workloads,
 * and as points they would move the medians. Cost per token is as {@link UnitCost} computes it.
 *
 * @param points   the categories placed, in name order
 * @param medians  the split, when at least one category was placed
 * @param excluded categories left out, and why
 */
public record CostUsageQuadrants(List<CategoryPoint> points, Optional<Medians> medians, List<Excluded> excluded) {

    /**
     * One category's point.
     *
     * @param costPerMillionTokens effective USD per 1M tokens (cost over priced tokens)
     * @param tokens               prompt + completion tokens of all its requests (the volume axis)
     * @param pricedRequestShare   share of its requests that carry a cost, 0..1: 1 means the cost is exact
     */
    public record CategoryPoint(String category, double costPerMillionTokens, long tokens, double pricedRequestShare,
                                Quadrant quadrant) {
    }

    /** Where the plot is split: exp of the median logs, in the axes' own units. */
    public record Medians(double costPerMillionTokens, double tokens) {
    }

    public CostUsageQuadrants {
        points = List.copyOf(points);
        excluded = List.copyOf(excluded);
    }

    /** From one period's totals of the category dimension, keyed by category. */
    public static CostUsageQuadrants of(Map<String, Totals> byCategory) {
        Objects.requireNonNull(byCategory, "byCategory");
        List<Excluded> excluded = new ArrayList<>();
        Map<String, Totals> placed = new TreeMap<>();
        new TreeMap<>(byCategory).forEach((category, totals) -> {
            Optional<String> why = category.equals(UseCase.UNCLASSIFIED) ? Optional.of(Excluded.UNCLASSIFIED)
                    : category.equals(UseCase.OTHER) ? Optional.of(Excluded.OTHER)
                    : UnitCost.whyNoPrice(totals);
            why.ifPresentOrElse(
                    reason -> excluded.add(new Excluded(category, totals.totalTokens(), reason)),
                    () -> placed.put(category, totals));
        });
        if (placed.isEmpty()) {
            return new CostUsageQuadrants(List.of(), Optional.empty(), excluded);
        }

        double medianLogCost = median(placed.values().stream()
                .mapToDouble(t -> Math.log(UnitCost.perMillionTokens(t))).toArray());
        double medianLogTokens = median(placed.values().stream()
                .mapToDouble(t -> Math.log(t.totalTokens())).toArray());
        List<CategoryPoint> points = new ArrayList<>();
        placed.forEach((category, totals) -> {
            double cost = UnitCost.perMillionTokens(totals);
            boolean highCost = Math.log(cost) >= medianLogCost;
            boolean highVolume = Math.log(totals.totalTokens()) >= medianLogTokens;
            points.add(new CategoryPoint(category, cost, totals.totalTokens(), UnitCost.pricedRequestShare(totals),
                    Quadrant.of(highCost, highVolume)));
        });
        return new CostUsageQuadrants(points,
                Optional.of(new Medians(Math.exp(medianLogCost), Math.exp(medianLogTokens))), excluded);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
