package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Totals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Figure 12, price elasticity: the ordinary least squares slope of ln(tokens) on ln(effective USD per 1M tokens)
 * across the models of one period, with its standard error, a 95% confidence interval and R².
 *
 * <p>Each model is one point, unweighted, as the report regresses "across models". The slope is the elasticity:
 * the report's "a 10% price drop only increases usage by about 0.5% to 0.7%" is a slope near -0.05 to -0.07.
 * The interval uses Student's t with n - 2 degrees of freedom. Below {@link #MINIMUM_MODELS} models, or when
 * every model has the same price or the same tokens, there is no estimate, and {@link #outcome} says why: with 3
 * models the 95% t is 12.7 and the interval says nothing; 5 gives 3 degrees of freedom (t = 3.18).
 *
 * @param outcome  whether there is an estimate, and if not why
 * @param models   models with both tokens and a price: the n of the regression
 * @param estimate the fit, when {@code outcome} is {@link Outcome#ESTIMATED}
 * @param excluded models left out, and why
 */
public record PriceElasticity(Outcome outcome, int models, Optional<Estimate> estimate, List<Excluded> excluded) {

    public static final int MINIMUM_MODELS = 5;
    static final double CONFIDENCE = 0.95;

    public enum Outcome {
        ESTIMATED("estimated"),
        TOO_FEW_MODELS("too few models: at least " + MINIMUM_MODELS + " with both tokens and a price are needed"),
        NO_PRICE_VARIATION("every model has the same price: no slope to fit"),
        NO_USAGE_VARIATION("every model has the same tokens: R² is undefined");

        private final String message;

        Outcome(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /**
     * The fitted line ln(tokens) = intercept + slope * ln(price).
     *
     * @param standardError standard error of the slope, sqrt(s² / Sxx) with s² = SSE / (n - 2)
     * @param ciLow         slope - t(0.975, n - 2) * standardError
     * @param ciHigh        slope + t(0.975, n - 2) * standardError
     * @param rSquared      1 - SSE / Syy
     */
    public record Estimate(double slope, double intercept, double standardError, double ciLow, double ciHigh,
                           double rSquared) {
    }

    public PriceElasticity {
        excluded = List.copyOf(excluded);
    }

    /** From one period's totals of the model dimension, keyed by model. */
    public static PriceElasticity of(Map<String, Totals> byModel) {
        Objects.requireNonNull(byModel, "byModel");
        List<Excluded> excluded = new ArrayList<>();
        List<double[]> points = new ArrayList<>(); // {ln price, ln tokens}
        new TreeMap<>(byModel).forEach((model, totals) -> {
            Optional<String> why = UnitCost.whyNoPrice(totals);
            if (why.isPresent()) {
                excluded.add(new Excluded(model, totals.totalTokens(), why.get()));
            } else {
                points.add(new double[] {Math.log(UnitCost.perMillionTokens(totals)), Math.log(totals.totalTokens())});
            }
        });
        int n = points.size();
        if (n < MINIMUM_MODELS) {
            return new PriceElasticity(Outcome.TOO_FEW_MODELS, n, Optional.empty(), excluded);
        }

        double meanX = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double meanY = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        // Centred sums: the textbook one-pass formula loses digits when the logs are large and close together.
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] p : points) {
            double dx = p[0] - meanX;
            double dy = p[1] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (points.stream().allMatch(p -> p[0] == points.get(0)[0])) {
            return new PriceElasticity(Outcome.NO_PRICE_VARIATION, n, Optional.empty(), excluded);
        }
        if (points.stream().allMatch(p -> p[1] == points.get(0)[1])) {
            return new PriceElasticity(Outcome.NO_USAGE_VARIATION, n, Optional.empty(), excluded);
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanX;
        double sse = 0;
        for (double[] p : points) {
            double residual = p[1] - (intercept + slope * p[0]);
            sse += residual * residual;
        }
        double standardError = Math.sqrt(sse / (n - 2) / sxx);
        double t = StudentT.quantile((1 + CONFIDENCE) / 2, n - 2);
        return new PriceElasticity(Outcome.ESTIMATED, n, Optional.of(new Estimate(slope, intercept, standardError,
                slope - t * standardError, slope + t * standardError, 1 - sse / syy)), excluded);
    }
}
