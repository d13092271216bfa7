package dev.tokenscope.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.Language;
import dev.tokenscope.classify.RequestClassifier;
import dev.tokenscope.classify.UseCaseClassification;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.region.RegionMapping;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every figure on a dataset small enough to work out by hand (resources/figures/hand.jsonl, six requests on
 * 2026-11-02), ingested through the real ingest with a classifier that reads the category from the prompt, so
 * the expected values below follow from the file alone:
 *
 * <pre>
 * id model                 open  origin        size    reasoning  category/subtag             lang prompt compl tokens cost    other
 * r1 qwen3-coder           open  china         large   no         programming/dev_tools       en   6000   2000  8000   0.008   tool call, US
 * r2 deepseek-r1           open  china         large   yes        programming/general         en   3000   3000  6000   0.006   2000 reasoning, CN
 * r3 llama-3.1-8b          open  rest_of_world small   no         roleplay/games              en   1000   1000  2000   0.0002  tools offered, DE
 * r4 gpt-4o-mini           prop. rest_of_world unknown no         translation                 zh   25000  1000  26000  0.005   CN
 * r5 claude-sonnet-4       prop. rest_of_world unknown yes        programming/general         en   3000   1000  4000   0.024   US
 * r6 mistral-small-3.1-24b open  rest_of_world medium  no         translation                 fr   1500   500   2000   (BYOK)  FR
 * all                                                                                                39500  8500  48000  0.0432
 * </pre>
 */
class FigureServiceTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 2);
    private static final double EPS = 1e-9;

    /** "category[/subtag] language": what the fake classifier reads from a prompt. */
    private static final RequestClassifier FROM_PROMPT = (system, text, tools, app) -> {
        String[] words = text.split(" ");
        String[] categoryAndSubtag = words[0].split("/");
        return new UseCaseClassification(categoryAndSubtag[0],
                categoryAndSubtag.length > 1 ? Optional.of(categoryAndSubtag[1]) : Optional.empty(), 0.9,
                Language.of(words[1]));
    };

    @TempDir
    Path scratch;

    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryRetentionStore retention = new InMemoryRetentionStore();
    private final FigureService figures = new FigureService(rollups, retention);

    @BeforeEach
    void ingestTheHandDataset() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        byte[] file = Fixtures.resource("/figures/hand.jsonl");
        objects.put("b", "logs/hand.jsonl", file, "application/x-ndjson");
        UploadStatus status = new IngestService(objects, rollups, new InMemoryStatusStore(), "b", scratch,
                Clock.fixed(Instant.parse("2026-11-05T00:00:00Z"), ZoneOffset.UTC), FormatRegistry.standard(Map.of()),
                Limits.DEFAULT, new Enricher(ModelCatalog.builtIn(), FROM_PROMPT, RegionMapping.NONE),
                PromptStorage.NONE)
                .ingest(new IngestService.Upload("b", "logs/hand.jsonl",
                        Optional.of(InMemoryObjectStore.md5Hex(file)), Optional.of("01")));
        assertEquals(6, status.recordsKept());
    }

    private FigureTable day(Figure figure) {
        return figures.table(figure, DAY, DAY, Granularity.DAY);
    }

    private static double number(FigureTable table, List<Object> row, String column) {
        return ((Number) table.value(row, column)).doubleValue();
    }

    private static void assertShare(double expected, FigureTable table, List<Object> row, String column) {
        assertEquals(expected, number(table, row, column), EPS, column);
    }

    @Test
    void categories_shouldGiveEachCategorysTokenShare_overallAndWithinOpenAndProprietary() {
        FigureTable t = day(Figure.CATEGORIES);

        assertShare(18000.0 / 48000, t, t.row("scope", "all", "category", "programming"), "share");
        assertShare(2000.0 / 48000, t, t.row("scope", "all", "category", "roleplay"), "share");
        assertShare(28000.0 / 48000, t, t.row("scope", "all", "category", "translation"), "share");
        // open: r1 r2 r3 r6 = 18000 tokens; proprietary: r4 r5 = 30000
        assertShare(14000.0 / 18000, t, t.row("scope", "open", "category", "programming"), "share");
        assertShare(2000.0 / 18000, t, t.row("scope", "open", "category", "translation"), "share");
        assertShare(26000.0 / 30000, t, t.row("scope", "proprietary", "category", "translation"), "share");
        assertShare(4000.0 / 30000, t, t.row("scope", "proprietary", "category", "programming"), "share");
        assertEquals(3 + 3 + 2, t.rows().size());
    }

    @Test
    void subtags_shouldGiveEachSubtagsShareOfItsCategory() {
        FigureTable t = day(Figure.SUBTAGS);

        assertShare(8000.0 / 18000, t, t.row("category", "programming", "subtag", "development_tools"),
                "share_of_category");
        assertShare(10000.0 / 18000, t, t.row("category", "programming", "subtag", "general"), "share_of_category");
        assertShare(1, t, t.row("category", "roleplay", "subtag", "games"), "share_of_category");
        assertShare(1, t, t.row("category", "translation", "subtag", "(none)"), "share_of_category");
    }

    @Test
    void openShare_shouldSplitOpenTokensByOrigin() {
        FigureTable t = day(Figure.OPEN_SHARE);

        List<Object> china = t.row("weights", "open", "origin", "china");
        assertShare(14000.0 / 48000, t, china, "share");
        assertShare(14000.0 / 18000, t, china, "share_of_open");
        assertShare(4000.0 / 18000, t, t.row("weights", "open", "origin", "rest_of_world"), "share_of_open");
        List<Object> proprietary = t.row("weights", "proprietary", "origin", "rest_of_world");
        assertShare(30000.0 / 48000, t, proprietary, "share");
        assertNull(t.value(proprietary, "share_of_open"));
    }

    @Test
    void concentration_shouldGiveTopShareTop5AndHhiAmongOpenModels() {
        FigureTable t = day(Figure.CONCENTRATION);

        // open: qwen-3-coder 8000, deepseek-r1 6000, llama 2000, mistral 2000 of 18000
        List<Object> byModel = t.row("basis", "model");
        assertEquals(18000L, t.value(byModel, "open_tokens"));
        assertEquals(4L, t.value(byModel, "members"));
        assertEquals("qwen-3-coder", t.value(byModel, "top"));
        assertShare(8000.0 / 18000, t, byModel, "top_share");
        assertShare(1, t, byModel, "top5_share");
        assertShare((64 + 36 + 4 + 4) / 324.0, t, byModel, "hhi");
        assertEquals("alibaba", t.value(t.row("basis", "author"), "top"));
    }

    @Test
    void sizes_shouldGiveEachSizeBucketsShare() {
        FigureTable t = day(Figure.SIZES);

        assertShare(14000.0 / 48000, t, t.row("size", "large"), "share");
        assertShare(2000.0 / 48000, t, t.row("size", "medium"), "share");
        assertShare(2000.0 / 48000, t, t.row("size", "small"), "share");
        assertShare(30000.0 / 48000, t, t.row("size", "unknown"), "share");
    }

    @Test
    void reasoning_shouldGiveReasoningModelShareAndReasoningTokenShare() {
        FigureTable t = day(Figure.REASONING);

        List<Object> row = t.row("period", "2026-11-02");
        assertShare(10000.0 / 48000, t, row, "reasoning_model_share");
        assertEquals(8500L, t.value(row, "completion_tokens"));
        assertShare(2000.0 / 8500, t, row, "reasoning_token_share");
    }

    @Test
    void toolCalls_shouldGiveToolCallTokenShareAndOfferedRequestShare() {
        FigureTable t = day(Figure.TOOL_CALLS);

        List<Object> row = t.row("period", "2026-11-02");
        assertShare(8000.0 / 48000, t, row, "tool_call_share");
        assertEquals(2L, t.value(row, "requests_offered_tools"));
        assertShare(2.0 / 6, t, row, "offered_share");
    }

    @Test
    void requestShape_shouldGiveMeansPercentilesAndLongPromptShare() {
        FigureTable t = day(Figure.REQUEST_SHAPE);

        List<Object> all = t.row("category", "all");
        assertEquals(6L, t.value(all, "requests"));
        assertShare(39500.0 / 6, t, all, "prompt_mean");
        assertShare(8500.0 / 6, t, all, "completion_mean");
        assertShare(1.0 / 6, t, all, "long_prompt_share");
        // prompts sorted 1000 1500 3000 3000 6000 25000: nearest rank 3 (p50), 6 (p90, p99); within the sketch's 3.1%
        assertEquals(3000, number(t, all, "prompt_p50"), 3000 * 0.031);
        assertEquals(25000, number(t, all, "prompt_p90"), 25000 * 0.031);
        assertEquals(25000, number(t, all, "prompt_p99"), 25000 * 0.031);
        List<Object> translation = t.row("category", "translation");
        assertShare((25000 + 1500) / 2.0, t, translation, "prompt_mean");
        assertShare(0.5, t, translation, "long_prompt_share");
    }

    @Test
    void authorSpend_shouldGiveEachAuthorsShareOfItsCategorysSpend_withoutByok() {
        FigureTable t = day(Figure.AUTHOR_SPEND);

        assertShare(0.024 / 0.038, t, t.row("category", "programming", "author", "anthropic"), "spend_share");
        assertShare(0.008 / 0.038, t, t.row("category", "programming", "author", "alibaba"), "spend_share");
        assertShare(0.006 / 0.038, t, t.row("category", "programming", "author", "deepseek"), "spend_share");
        // r6 was paid with the user's own key: its logged 0.0001 is a gateway fee, not spend
        List<Object> mistral = t.row("category", "translation", "author", "mistral");
        assertEquals(0, BigDecimal.ZERO.compareTo((BigDecimal) t.value(mistral, "cost_usd")));
        assertShare(1, t, t.row("category", "translation", "author", "openai"), "spend_share");
    }

    @Test
    void regions_shouldGiveTokensAndSpendByContinentAndCountry() {
        FigureTable t = day(Figure.REGIONS);

        List<Object> us = t.row("level", "country", "region", "US");
        assertShare(12000.0 / 48000, t, us, "token_share");
        assertShare(0.032 / 0.0432, t, us, "spend_share");
        assertShare(32000.0 / 48000, t, t.row("level", "country", "region", "CN"), "token_share");
        List<Object> europe = t.row("level", "continent", "region", "europe");
        assertShare(4000.0 / 48000, t, europe, "token_share");
        assertShare(0.0002 / 0.0432, t, europe, "spend_share");
        assertShare(0.011 / 0.0432, t, t.row("level", "continent", "region", "asia"), "spend_share");
    }

    @Test
    void languages_shouldGiveTokensByLanguage() {
        FigureTable t = day(Figure.LANGUAGES);

        assertShare(20000.0 / 48000, t, t.row("language", "en"), "share");
        assertShare(26000.0 / 48000, t, t.row("language", "zh"), "share");
        assertShare(2000.0 / 48000, t, t.row("language", "fr"), "share");
    }

    @Test
    void quadrants_shouldPlaceEachPricedCategoryAgainstTheMedians() {
        FigureTable t = day(Figure.QUADRANTS);

        // USD per 1M priced tokens: programming 0.038 / 18000, roleplay 0.0002 / 2000, translation 0.005 / 26000
        // (r6 has no cost); medians: translation's cost, programming's tokens
        List<Object> programming = t.row("category", "programming");
        assertShare(0.038 / 18000 * 1e6, t, programming, "cost_per_million_tokens");
        assertEquals("Premium Workloads", t.value(programming, "quadrant"));
        assertEquals("Niche Utilities", t.value(t.row("category", "roleplay"), "quadrant"));
        List<Object> translation = t.row("category", "translation");
        assertShare(0.005 / 26000 * 1e6, t, translation, "cost_per_million_tokens");
        assertShare(0.5, t, translation, "priced_request_share");
        assertShare(0.005 / 26000 * 1e6, t, translation, "median_cost_per_million_tokens");
        assertShare(18000, t, translation, "median_tokens");
    }

    @Test
    void elasticity_shouldFitTheSlopeAcrossThePricedModels() {
        FigureTable t = day(Figure.ELASTICITY);

        // five priced models (r6 is BYOK); slope and interval worked out independently (OLS, t(0.975, 3) = 3.1824)
        assertEquals(5, t.rows().size());
        List<Object> row = t.row("model", "qwen/qwen3-coder");
        assertEquals(5L, t.value(row, "models"));
        assertEquals(-0.04917484748356518, number(t, row, "slope"), 1e-9);
        assertEquals(-1.1305425309237789, number(t, row, "ci_low"), 1e-6);
        assertEquals(1.0321928359566486, number(t, row, "ci_high"), 1e-6);
        assertEquals(0.006932960927164555, number(t, row, "r_squared"), 1e-9);
        assertTrue(t.notes().stream().anyMatch(n -> n.contains("mistral") && n.contains("no priced requests")));
    }

    @Test
    void retention_shouldListEveryCohortMonth_whenASnapshotIsPublished() {
        // given
        retention.publish(RetentionCohorts.of(LocalDate.of(2026, 11, 30), new RetentionCohorts.IdentityBasis(4, 0, 0),
                List.of(new RetentionCohorts.ActivityRow("m", YearMonth.of(2026, 10), 0, 4),
                        new RetentionCohorts.ActivityRow("m", YearMonth.of(2026, 10), 1, 1))));

        // when
        FigureTable t = figures.table(Figure.RETENTION, LocalDate.of(2026, 1, 1), DAY, Granularity.MONTH);

        // then
        assertEquals(2, t.rows().size());
        assertShare(0.25, t, t.row("cohort", "2026-10", "k", "1"), "retention");
        assertTrue(t.notes().get(0).startsWith("users: user_id"));
    }

    @Test
    void table_shouldMergeDaysIntoOnePeriod_whenTheGranularityIsAWeek() {
        // when: the ISO week of Monday 2026-11-02, asked from the Tuesday before to the Sunday after
        FigureTable week = figures.table(Figure.SIZES, LocalDate.of(2026, 10, 27), LocalDate.of(2026, 11, 8),
                Granularity.WEEK);

        // then: one period, named by its Monday
        assertEquals(List.of("2026-11-02"), week.rows().stream().map(r -> week.value(r, "period")).distinct().toList());
        assertShare(14000.0 / 48000, week, week.row("size", "large"), "share");
    }
}
