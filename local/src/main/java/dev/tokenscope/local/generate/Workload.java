package dev.tokenscope.local.generate;

import dev.tokenscope.catalog.ModelCatalog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The synthetic workload of a {@link WorkloadPlan}: each week is an iterator of requests drawn from its own Random
 * (seed, week), so weeks are generated independently, in constant memory, and the same plan gives the same requests.
 *
 * <p>Token shares are planted by choosing each request's attributes (category, model, language, tool call) with
 * probabilities that do not depend on its size within a category: the expected token share of an attribute is then
 * its probability. Programming requests are larger ({@code programmingSizeFactor}), which the category probability
 * compensates.
 */
public final class Workload {

    static final List<String> CATEGORIES = List.of("roleplay", "trivia", "productivity", "education",
            "creative_writing", "translation", "technology", "science", "health", "finance", "legal", "marketing");
    /** The categories other than programming, by share of the rest of the tokens (roleplay the largest, as reported). */
    static final double[] CATEGORY_WEIGHTS = {0.36, 0.12, 0.11, 0.08, 0.08, 0.05, 0.05, 0.04, 0.03, 0.03, 0.02, 0.03};
    /** Language of the prompt, by share of tokens: the report's English 82.9%, Chinese 5.0%, Russian 2.5%, Spanish
     * 1.4%, Thai 1.0%; the remaining 7.2% split between German, French and Japanese. */
    static final List<String> LANGUAGES = List.of("en", "zh", "ru", "es", "th", "de", "fr", "ja");
    static final double[] LANGUAGE_WEIGHTS = {0.829, 0.05, 0.025, 0.014, 0.01, 0.024, 0.024, 0.024};
    /** The account's billing country, per user: the report's continents (N. America 47.2%, Asia 28.6%, Europe 21.3%,
     * S. America 1.2%, Oceania 1.2%, Africa 0.5%) over a few countries each. */
    static final List<String> COUNTRIES = List.of("US", "CA", "CN", "SG", "JP", "IN", "KR", "DE", "GB", "FR", "BR",
            "AU", "ZA");
    static final double[] COUNTRY_WEIGHTS = {0.42, 0.052, 0.10, 0.05, 0.05, 0.046, 0.04, 0.08, 0.07, 0.063, 0.012,
            0.012, 0.005};
    static final List<String> CODING_TOOLS = List.of("read_file", "edit_file", "run_shell", "search_code");
    static final List<String> ASSISTANT_TOOLS = List.of("web_search", "get_weather", "create_calendar_event");
    /** Spread of request sizes around the week's mean (log-normal). */
    private static final double SIZE_SIGMA = 0.6;
    private static final long WEEK_SECONDS = 7 * 86_400L;

    private final WorkloadPlan plan;
    private final List<WorkloadModel> models;
    private final Templates templates;
    private final double withinClassExponent;
    private final long firstMonth;

    public Workload(WorkloadPlan plan, ModelCatalog catalog) {
        this.plan = plan;
        this.models = WorkloadModel.fromCatalog(catalog);
        this.templates = Templates.builtIn();
        this.withinClassExponent = Elasticity.withinClassExponent(plan, models);
        LocalDate start = plan.start();
        this.firstMonth = start.getYear() * 12L + start.getMonthValue() - 1;
    }

    public WorkloadPlan plan() {
        return plan;
    }

    public List<WorkloadModel> models() {
        return models;
    }

    /** Requests in week {@code w}: the records split by the weeks' volume weights, summing exactly to the total. */
    public long recordsInWeek(int week) {
        return cumulativeRecords(week + 1) - cumulativeRecords(week);
    }

    private long cumulativeRecords(int weeks) {
        double total = 0;
        double before = 0;
        for (int w = 0; w < plan.weeks(); w++) {
            total += plan.volumeWeight(w);
            before += w < weeks ? plan.volumeWeight(w) : 0;
        }
        return weeks >= plan.weeks() ? plan.records() : (long) Math.floor(plan.records() * before / total);
    }

    public Instant weekStart(int week) {
        return plan.start().plusDays(7L * week).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Probability that a request of the week is programming, so that programming's token share is planted. */
    double programmingProbability(int week) {
        double s = plan.programmingShare(week);
        double k = plan.programmingSizeFactor();
        return s / (k - s * (k - 1));
    }

    /** Probability of each model in the week: its class's planted share, split within the class by price. */
    double[] modelProbabilities(int week) {
        double china = plan.chineseOpenShare(week);
        double reasoning = plan.reasoningShare(week);
        double[] weights = new double[models.size()];
        double[] classTotals = new double[4];
        for (int m = 0; m < models.size(); m++) {
            weights[m] = Math.pow(Elasticity.price(plan, models.get(m)), withinClassExponent);
            classTotals[Elasticity.modelClass(models.get(m))] += weights[m];
        }
        for (int m = 0; m < models.size(); m++) {
            WorkloadModel model = models.get(m);
            double share = (model.chineseOpen() ? china : 1 - china) * (model.reasoning() ? reasoning : 1 - reasoning);
            weights[m] = share * weights[m] / classTotals[Elasticity.modelClass(model)];
        }
        return weights;
    }

    /** The requests of week {@code w}, one at a time. */
    public Iterator<SyntheticRequest> week(int week) {
        return new WeekIterator(week);
    }

    private final class WeekIterator implements Iterator<SyntheticRequest> {
        private final int week;
        private final long count;
        private final SplittableRandom random;
        private final long startSecond;
        private final double programming;
        private final double[] modelCdf;
        private final double promptBase;
        private final double completionBase;
        private final double programmingToolCalls;
        private final double otherToolCalls;
        private long made;

        WeekIterator(int week) {
            this.week = week;
            this.count = recordsInWeek(week);
            this.random = new SplittableRandom(plan.seed() * 0x9E3779B97F4A7C15L + week);
            this.startSecond = weekStart(week).getEpochSecond();
            this.programming = programmingProbability(week);
            this.modelCdf = cdf(modelProbabilities(week));
            double meanSize = programming * plan.programmingSizeFactor() + (1 - programming);
            this.promptBase = plan.meanPromptTokens(week) / meanSize;
            this.completionBase = plan.meanCompletionTokens(week) / meanSize;
            double share = plan.programmingShare(week);
            // Programming calls tools more often; the others make up the rest, so the token share stays planted.
            this.programmingToolCalls = 1.5 * plan.toolCallShare();
            this.otherToolCalls = share >= 1 ? 0
                    : Math.max(0, (plan.toolCallShare() - share * programmingToolCalls) / (1 - share));
        }

        @Override
        public boolean hasNext() {
            return made < count;
        }

        @Override
        public SyntheticRequest next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long index = made++;
            Instant timestamp = Instant.ofEpochSecond(startSecond + random.nextLong(WEEK_SECONDS));
            Users.User user = Users.pick(plan, monthOf(timestamp), random);
            boolean isProgramming = random.nextDouble() < programming;
            String category = isProgramming ? "programming" : CATEGORIES.get(pick(CATEGORY_WEIGHTS, random));
            String language = LANGUAGES.get(pick(LANGUAGE_WEIGHTS, random));
            WorkloadModel model = models.get(pickCdf(modelCdf, random));
            double size = isProgramming ? plan.programmingSizeFactor() : 1;
            long prompt = Math.max(1, Math.round(promptBase * size * logNormal(random)));
            long completion = Math.max(1, Math.round(completionBase * size * logNormal(random)));
            long reasoningTokens = model.reasoning() ? completion / 2 : 0;
            boolean toolCalled = random.nextDouble() < (isProgramming ? programmingToolCalls : otherToolCalls);
            boolean toolsOffered = toolCalled || random.nextDouble() < (isProgramming ? 0.5 : 0.1);
            String finish = toolCalled ? "tool_calls" : random.nextDouble() < 0.03 ? "length" : "stop";
            BigDecimal cost = model.input().multiply(BigDecimal.valueOf(prompt))
                    .add(model.output().multiply(BigDecimal.valueOf(completion))).setScale(10, RoundingMode.HALF_EVEN);
            long latency = 200 + Math.round(completion * 12 * (0.5 + random.nextDouble()));
            return new SyntheticRequest("gen-" + plan.seed() + "-" + week + "-" + index, timestamp, week,
                    user.id(), user.cohort(), user.country(), category, language, model, prompt, completion,
                    reasoningTokens, cost, finish, toolsOffered, toolCalled,
                    toolsOffered ? (isProgramming ? CODING_TOOLS : ASSISTANT_TOOLS) : List.of(),
                    random.nextDouble() < 0.7, latency, templates.prompt(category, language, random),
                    templates.systemPrompt(category));
        }
    }

    /** Calendar months since the span's first month. */
    int monthOf(Instant timestamp) {
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(timestamp.getEpochSecond(), 86_400L));
        return (int) (day.getYear() * 12L + day.getMonthValue() - 1 - firstMonth);
    }

    /** A size multiplier with mean 1. */
    private static double logNormal(SplittableRandom random) {
        return Math.exp(SIZE_SIGMA * random.nextGaussian() - SIZE_SIGMA * SIZE_SIGMA / 2);
    }

    static int pick(double[] weights, SplittableRandom random) {
        double u = random.nextDouble();
        double sum = 0;
        for (int i = 0; i < weights.length - 1; i++) {
            sum += weights[i];
            if (u < sum) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double[] cdf(double[] probabilities) {
        double[] cdf = new double[probabilities.length];
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            sum += probabilities[i];
            cdf[i] = sum;
        }
        return cdf;
    }

    private static int pickCdf(double[] cdf, SplittableRandom random) {
        double u = random.nextDouble() * cdf[cdf.length - 1];
        for (int i = 0; i < cdf.length - 1; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }
}
