package dev.tokenscope.figures;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.aggregate.TokenHistogram;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RetentionStore;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The report's figures for a range of days at a granularity, computed from the stored rollups: the daily items of
 * the dimensions a figure splits by, summed into periods (weeks and months merge from days, request-shape
 * histograms too), then the figure's arithmetic on each period. The same code reads rollups the ingest added and
 * rollups the recompute rebuilt, so a derived figure (concentration, quadrants, elasticity) is always the one its
 * rollups give; only the retention cohorts, which no additive rollup can give, are read from their snapshot.
 *
 * <p>Shares are fractions 0..1 of the period's total (prompt + completion) tokens unless a column says otherwise.
 * Each figure reads one to three dimensions: a small fixed number of DynamoDB queries, whatever the range.
 */
public final class FigureService {

    static final String SHARE = "share 0..1";
    static final String TOKENS = "tokens";
    static final String USD = "USD";

    private final RollupStore rollups;
    private final RetentionStore retention;

    public FigureService(RollupStore rollups, RetentionStore retention) {
        this.rollups = rollups;
        this.retention = retention;
    }

    public FigureTable table(Figure figure, LocalDate from, LocalDate to, Granularity granularity) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
        Range range = new Range(from, to, granularity);
        FigureTable.Builder table = switch (figure) {
            case CATEGORIES -> categories(range);
            case SUBTAGS -> subtags(range);
            case OPEN_SHARE -> openShare(range);
            case CONCENTRATION -> concentration(range);
            case SIZES -> shares(range, Dimension.SIZE, "size");
            case REASONING -> reasoning(range);
            case TOOL_CALLS -> toolCalls(range);
            case REQUEST_SHAPE -> requestShape(range);
            case AUTHOR_SPEND -> authorSpend(range);
            case REGIONS -> regions(range);
            case LANGUAGES -> shares(range, Dimension.LANGUAGE, "language");
            case RETENTION -> retention(range);
            case QUADRANTS -> quadrants(range);
            case ELASTICITY -> elasticity(range);
        };
        Optional<Granularity> periods = figure == Figure.RETENTION ? Optional.empty() : Optional.of(granularity);
        return table.build(figure, from, to, periods);
    }

    private record Range(LocalDate from, LocalDate to, Granularity granularity) {
    }

    /** A dimension's totals per period start and value; values with nothing in a period are left out. */
    private Map<LocalDate, Map<String, Totals>> byPeriod(Range range, String dimension,
                                                         Function<StoredRollup, String> valueOf) {
        Map<LocalDate, Map<String, Totals.Sum>> sums = new TreeMap<>();
        for (StoredRollup rollup : rollups.query(dimension, range.from(), range.to())) {
            if (rollup.totals().isZero()) {
                continue;
            }
            sums.computeIfAbsent(range.granularity().periodStart(rollup.key().day()), p -> new TreeMap<>())
                    .computeIfAbsent(valueOf.apply(rollup), v -> new Totals.Sum()).add(rollup.totals());
        }
        Map<LocalDate, Map<String, Totals>> periods = new TreeMap<>();
        sums.forEach((period, values) -> {
            Map<String, Totals> totals = new TreeMap<>();
            values.forEach((value, sum) -> totals.put(value, sum.totals()));
            periods.put(period, totals);
        });
        return periods;
    }

    private Map<LocalDate, Map<String, Totals>> byPeriod(Range range, Dimension dimension) {
        return byPeriod(range, dimension.id(), r -> r.key().value());
    }

    private static long tokens(Map<String, Totals> values) {
        return values.values().stream().mapToLong(Totals::totalTokens).sum();
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double share(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? 0 : part.divide(whole, 12, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Costs without trailing zeros: the same amount reads the same whether the ingest or the recompute summed it. */
    private static BigDecimal usd(BigDecimal cost) {
        return cost.signum() == 0 ? BigDecimal.ZERO : cost.stripTrailingZeros();
    }

    /** "a|b" -> {a, b}: the values of the pair dimensions. */
    private static String[] pair(String value) {
        int bar = value.lastIndexOf('|');
        return new String[] {value.substring(0, bar), value.substring(bar + 1)};
    }

    private FigureTable.Builder shares(Range range, Dimension dimension, String column) {
        FigureTable.Builder table = new FigureTable.Builder()
                .column("period", "").column(column, "").column("tokens", TOKENS).column("share", SHARE);
        byPeriod(range, dimension).forEach((period, values) -> {
            long all = tokens(values);
            values.forEach((value, t) -> table.row(period.toString(), value, t.totalTokens(),
                    share(t.totalTokens(), all)));
        });
        return table;
    }

    /**
     * Figure 1, from the category_open rollups alone: scope "all" sums each category over open, proprietary and
     * unknown (every record is in exactly one), so the category rollups need not be read as well.
     */
    private FigureTable.Builder categories(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("scope", "")
                .column("category", "").column("tokens", TOKENS).column("share", SHARE);
        Map<LocalDate, Map<String, Totals>> periods = byPeriod(range, Dimension.CATEGORY_OPEN);
        periods.forEach((period, values) -> {
            Map<String, Long> categoryTokens = new TreeMap<>();
            values.forEach((value, t) -> categoryTokens.merge(pair(value)[0], t.totalTokens(), Long::sum));
            long all = categoryTokens.values().stream().mapToLong(Long::longValue).sum();
            categoryTokens.forEach((category, tokens) -> table.row(period.toString(), "all", category, tokens,
                    share(tokens, all)));
        });
        periods.forEach((period, values) -> {
            Map<String, Long> scopeTokens = new TreeMap<>();
            values.forEach((value, t) -> scopeTokens.merge(pair(value)[1], t.totalTokens(), Long::sum));
            values.forEach((value, t) -> {
                String[] categoryAndScope = pair(value);
                String scope = categoryAndScope[1];
                if (!scope.equals("unknown")) {
                    table.row(period.toString(), scope, categoryAndScope[0], t.totalTokens(),
                            share(t.totalTokens(), scopeTokens.get(scope)));
                }
            });
        });
        return table.note("scope open and proprietary are shares within those models; models whose weights the "
                + "catalog does not know are in scope all only");
    }

    private FigureTable.Builder subtags(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("category", "")
                .column("subtag", "").column("tokens", TOKENS).column("share_of_category", SHARE);
        byPeriod(range, Dimension.SUBTAG).forEach((period, values) -> {
            Map<String, Long> categoryTokens = new TreeMap<>();
            values.forEach((value, t) -> categoryTokens.merge(categoryOf(value), t.totalTokens(), Long::sum));
            values.forEach((value, t) -> {
                String category = categoryOf(value);
                String subtag = value.contains("/") ? value.substring(value.indexOf('/') + 1) : "(none)";
                table.row(period.toString(), category, subtag, t.totalTokens(),
                        share(t.totalTokens(), categoryTokens.get(category)));
            });
        });
        return table.note("subtag (none): a category without sub-tags");
    }

    private static String categoryOf(String subtagValue) {
        int slash = subtagValue.indexOf('/');
        return slash < 0 ? subtagValue : subtagValue.substring(0, slash);
    }

    /** Figure 2: share of all tokens by weights (open, proprietary, unknown) and origin. */
    private FigureTable.Builder openShare(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("weights", "")
                .column("origin", "").column("tokens", TOKENS).column("share", SHARE)
                .column("share_of_open", SHARE);
        byPeriod(range, Dimension.OPEN_ORIGIN).forEach((period, values) -> {
            long all = tokens(values);
            long open = values.entrySet().stream().filter(e -> pair(e.getKey())[0].equals("open"))
                    .mapToLong(e -> e.getValue().totalTokens()).sum();
            values.forEach((value, t) -> {
                String[] weightsAndOrigin = pair(value);
                boolean isOpen = weightsAndOrigin[0].equals("open");
                table.row(period.toString(), weightsAndOrigin[0], weightsAndOrigin[1], t.totalTokens(),
                        share(t.totalTokens(), all), isOpen ? share(t.totalTokens(), open) : null);
            });
        });
        return table.note("share_of_open: within open-weight tokens (the report's China vs rest of world split)");
    }

    /** Figure 3, one row per period and basis (model, author). */
    private FigureTable.Builder concentration(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("basis", "")
                .column("open_tokens", TOKENS).column("members", "count").column("top", "")
                .column("top_share", SHARE).column("top5_share", SHARE).column("hhi", "0..1");
        Map<LocalDate, Map<String, Totals>> models = byPeriod(range, Dimension.OPEN_MODEL);
        Map<LocalDate, Map<String, Totals>> authors = byPeriod(range, Dimension.OPEN_AUTHOR);
        for (LocalDate period : models.keySet()) {
            OpenModelConcentration c = OpenModelConcentration.of(models.get(period),
                    authors.getOrDefault(period, Map.of()));
            concentrationRow(table, period, "model", c.byModel());
            concentrationRow(table, period, "author", c.byAuthor());
        }
        return table.note("shares of open-weight tokens only; hhi on 0..1 (x 10,000 for the antitrust scale)");
    }

    private static void concentrationRow(FigureTable.Builder table, LocalDate period, String basis, Concentration c) {
        table.row(period.toString(), basis, c.openTokens(), (long) c.members(),
                c.top().isEmpty() ? null : c.top().get(0).name(), c.topShare(), c.top5Share(), c.hhi());
    }

    /** Figure 5, one row per period. */
    private FigureTable.Builder reasoning(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "")
                .column("tokens", TOKENS).column("reasoning_model_tokens", TOKENS)
                .column("reasoning_model_share", SHARE).column("unknown_model_tokens", TOKENS)
                .column("completion_tokens", TOKENS).column("reasoning_tokens", TOKENS)
                .column("reasoning_token_share", SHARE);
        byPeriod(range, Dimension.REASONING).forEach((period, values) -> {
            long all = tokens(values);
            Totals sum = values.values().stream().reduce(Totals.ZERO, Totals::plus);
            long reasoningModel = values.getOrDefault("reasoning", Totals.ZERO).totalTokens();
            table.row(period.toString(), all, reasoningModel, share(reasoningModel, all),
                    values.getOrDefault("unknown", Totals.ZERO).totalTokens(), sum.completionTokens(),
                    sum.reasoningTokens(), share(sum.reasoningTokens(), sum.completionTokens()));
        });
        return table.note("reasoning_token_share: reasoning tokens over completion tokens, where logs report them");
    }

    /** Figure 6, one row per period. */
    private FigureTable.Builder toolCalls(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "")
                .column("tokens", TOKENS).column("tool_call_tokens", TOKENS).column("tool_call_share", SHARE)
                .column("requests", "requests").column("requests_offered_tools", "requests")
                .column("offered_share", SHARE);
        byPeriod(range, Dimension.TOOL_USE).forEach((period, values) -> {
            long all = tokens(values);
            long called = values.getOrDefault("called", Totals.ZERO).totalTokens();
            long requests = values.values().stream().mapToLong(Totals::requests).sum();
            // A request that called a tool was offered one.
            long offered = values.getOrDefault("called", Totals.ZERO).requests()
                    + values.getOrDefault("offered", Totals.ZERO).requests();
            table.row(period.toString(), all, called, share(called, all), requests, offered,
                    share(offered, requests));
        });
        return table;
    }

    /** Figure 7, per period: all requests, then each category. */
    private FigureTable.Builder requestShape(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("category", "")
                .column("requests", "requests")
                .column("prompt_mean", "tokens per request").column("prompt_p50", "tokens per request")
                .column("prompt_p90", "tokens per request").column("prompt_p99", "tokens per request")
                .column("completion_mean", "tokens per request").column("completion_p50", "tokens per request")
                .column("completion_p90", "tokens per request").column("completion_p99", "tokens per request")
                .column("long_prompt_share", SHARE);
        Map<LocalDate, Map<String, Totals>> measures = byPeriod(range, Dimension.CATEGORY);
        Map<LocalDate, Map<String, Totals>> shapes = byPeriod(range, TokenHistogram.DIMENSION,
                r -> TokenHistogram.categoryOf(r.key()));
        measures.forEach((period, values) -> {
            Map<String, Totals> shape = shapes.getOrDefault(period, Map.of());
            Totals.Sum all = new Totals.Sum();
            values.values().forEach(all::add);
            shape.values().forEach(all::add);
            shapeRow(table, period, "all", all.totals());
            values.forEach((category, t) -> shapeRow(table, period, category,
                    t.plus(shape.getOrDefault(category, Totals.ZERO))));
        });
        return table.note("means over every request; percentiles and long_prompt_share over requests logged one by "
                + "one (usage buckets have no per-request sizes), percentiles within 3.1% of the exact value");
    }

    private static void shapeRow(FigureTable.Builder table, LocalDate period, String category, Totals t) {
        Map<Integer, Long> prompt = t.histogram('p');
        Map<Integer, Long> completion = t.histogram('c');
        long single = prompt.values().stream().mapToLong(Long::longValue).sum();
        table.row(period.toString(), category, t.requests(),
                share(t.promptTokens(), t.requests()), percentile(prompt, 0.5), percentile(prompt, 0.9),
                percentile(prompt, 0.99),
                share(t.completionTokens(), t.requests()), percentile(completion, 0.5), percentile(completion, 0.9),
                percentile(completion, 0.99),
                single == 0 ? null : share(t.longPromptRequests(), single));
    }

    private static Long percentile(Map<Integer, Long> histogram, double q) {
        return histogram.isEmpty() ? null : Math.round(TokenHistogram.quantile(histogram, q));
    }

    /** Figure 8: each author's share of a category's spend. */
    private FigureTable.Builder authorSpend(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("category", "")
                .column("author", "").column("cost_usd", USD).column("spend_share", SHARE)
                .column("tokens", TOKENS).column("priced_request_share", SHARE);
        byPeriod(range, Dimension.CATEGORY_AUTHOR).forEach((period, values) -> {
            Map<String, BigDecimal> categorySpend = new TreeMap<>();
            values.forEach((value, t) -> categorySpend.merge(pair(value)[0], t.costUsd(), BigDecimal::add));
            values.forEach((value, t) -> {
                String[] categoryAndAuthor = pair(value);
                table.row(period.toString(), categoryAndAuthor[0], categoryAndAuthor[1], usd(t.costUsd()),
                        share(t.costUsd(), categorySpend.get(categoryAndAuthor[0])), t.totalTokens(),
                        share(t.pricedRequests(), t.requests()));
            });
        });
        return table.note("spend is the effective cost (logged, else catalog price); bring-your-own-key traffic has "
                + "no cost and is left out of spend");
    }

    /** Figure 9: continents, then countries. */
    private FigureTable.Builder regions(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("level", "")
                .column("region", "").column("tokens", TOKENS).column("token_share", SHARE)
                .column("cost_usd", USD).column("spend_share", SHARE);
        for (Dimension level : new Dimension[] {Dimension.CONTINENT, Dimension.COUNTRY}) {
            byPeriod(range, level).forEach((period, values) -> {
                long all = tokens(values);
                BigDecimal spend = values.values().stream().map(Totals::costUsd).reduce(BigDecimal.ZERO,
                        BigDecimal::add);
                values.forEach((region, t) -> table.row(period.toString(), level.id(), region, t.totalTokens(),
                        share(t.totalTokens(), all), usd(t.costUsd()), share(t.costUsd(), spend)));
            });
        }
        return table;
    }

    /** Figure 10, from the published snapshot: cohorts whose month lies in the range, every month after. */
    private FigureTable.Builder retention(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("model", "").column("cohort", "month")
                .column("users", "users").column("k", "months after").column("active", "users")
                .column("retention", SHARE).column("boomerang", "");
        Optional<RetentionCohorts> current = retention.current();
        if (current.isEmpty()) {
            return table.note("no retention cohorts yet: the recompute publishes them");
        }
        YearMonth first = YearMonth.from(range.from());
        YearMonth last = YearMonth.from(range.to());
        for (RetentionCohorts.ModelCohorts model : current.get().models()) {
            for (RetentionCohorts.Cohort cohort : model.cohorts()) {
                if (cohort.month().isBefore(first) || cohort.month().isAfter(last)) {
                    continue;
                }
                for (int k = 0; k < cohort.active().size(); k++) {
                    table.row(model.model(), cohort.month().toString(), cohort.users(), (long) k,
                            cohort.active().get(k), cohort.retention(k), cohort.boomerang());
                }
            }
        }
        RetentionCohorts.IdentityBasis identity = current.get().identity();
        table.note("users: " + identity.describe() + "; " + identity.userIds() + " user ids, "
                + identity.accountIds() + " account ids, " + identity.requestsWithoutId()
                + " requests without either (in no cohort)");
        table.note("data through " + current.get().through()
                + (current.get().lastMonthPartial() ? " (the last month is partial)" : ""));
        return table;
    }

    /** Figure 11, per period. */
    private FigureTable.Builder quadrants(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("category", "")
                .column("cost_per_million_tokens", "USD per 1M tokens").column("tokens", TOKENS)
                .column("priced_request_share", SHARE).column("quadrant", "")
                .column("median_cost_per_million_tokens", "USD per 1M tokens").column("median_tokens", TOKENS);
        byPeriod(range, Dimension.CATEGORY).forEach((period, values) -> {
            CostUsageQuadrants q = CostUsageQuadrants.of(values);
            for (CostUsageQuadrants.CategoryPoint p : q.points()) {
                table.row(period.toString(), p.category(), p.costPerMillionTokens(), p.tokens(),
                        p.pricedRequestShare(), p.quadrant().label(), q.medians().get().costPerMillionTokens(),
                        q.medians().get().tokens());
            }
            q.excluded().forEach(e -> table.note(period + ": " + e.value() + " left out: " + e.reason()));
        });
        return table;
    }

    /** Figure 12, per period: each model's point, and the period's fit on every row. */
    private FigureTable.Builder elasticity(Range range) {
        FigureTable.Builder table = new FigureTable.Builder().column("period", "").column("model", "")
                .column("cost_per_million_tokens", "USD per 1M tokens").column("tokens", TOKENS)
                .column("models", "count").column("slope", "elasticity").column("ci_low", "elasticity")
                .column("ci_high", "elasticity").column("standard_error", "elasticity")
                .column("r_squared", "0..1");
        byPeriod(range, Dimension.MODEL).forEach((period, values) -> {
            PriceElasticity e = PriceElasticity.of(values);
            Optional<PriceElasticity.Estimate> fit = e.estimate();
            values.forEach((model, t) -> {
                if (UnitCost.whyNoPrice(t).isEmpty()) {
                    table.row(period.toString(), model, UnitCost.perMillionTokens(t), t.totalTokens(),
                            (long) e.models(), fit.map(PriceElasticity.Estimate::slope).orElse(null),
                            fit.map(PriceElasticity.Estimate::ciLow).orElse(null),
                            fit.map(PriceElasticity.Estimate::ciHigh).orElse(null),
                            fit.map(PriceElasticity.Estimate::standardError).orElse(null),
                            fit.map(PriceElasticity.Estimate::rSquared).orElse(null));
                }
            });
            if (fit.isEmpty()) {
                table.note(period + ": no estimate: " + e.outcome().message());
            }
            e.excluded().forEach(x -> table.note(period + ": " + x.value() + " left out: " + x.reason()));
        });
        return table;
    }
}
