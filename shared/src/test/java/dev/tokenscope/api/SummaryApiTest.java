package dev.tokenscope.api;

import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.TokenHistogram;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.ingest.Ids;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import dev.tokenscope.testing.ForwardingRollupStore;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import dev.tokenscope.testing.MovingClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SummaryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "tokenscope-test";
    /** Thursday 2026-11-05, midday UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8", "cache-control", "no-store");

    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final SummaryApi api = new SummaryApi(rollups, statuses, new InMemoryRetentionStore(), BUCKET, CLOCK);

    private static RollupKey key(String day, String model) {
        return new RollupKey(RollupKey.MODEL, LocalDate.parse(day), model);
    }

    /**
     * The rollups every test reads. 2026-11-02 and 2026-11-09 are Mondays.
     * <pre>
     * 2026-10-31 model-a  1 req, 7/7,      cost 0.1    (1 priced)
     * 2026-11-02 model-a  2 req, 100/10,   reasoning 1, cache read 5, cost 0.5 (2 priced), 1 tool call
     * 2026-11-02 model-b  1 req, 50/5,     cost 0.25   (1 priced)
     * 2026-11-03 model-a  3 req, 300/30,   cache write 3, cost 1.25 (3 priced)
     * 2026-11-04 model-c  retracted to zero
     * 2026-11-09 model-b  4 req, 400/40,   cost 0.0001 (1 priced), 2 tool calls
     * 2026-12-01 model-a  1 req, 10/1,     no cost
     * </pre>
     */
    @BeforeEach
    void seed() {
        apply("2026-10-31", "model-a", totals(1, 7, 7, 0, 0, 0, "0.1", 1, 0));
        apply("2026-11-02", "model-a", totals(2, 100, 10, 1, 5, 0, "0.5", 2, 1));
        apply("2026-11-02", "model-b", totals(1, 50, 5, 0, 0, 0, "0.25", 1, 0));
        // the 3 requests of 2026-11-03 have 100 prompt and 10 completion tokens each: their request shape
        apply("2026-11-03", "model-a", new Totals(3, 300, 30, 0, 0, 3, new BigDecimal("1.25"), 3, 0, 330, 0,
                new java.util.TreeMap<>(Map.of("p" + TokenHistogram.bucket(100), 3L,
                        "c" + TokenHistogram.bucket(10), 3L))));
        Totals gone = totals(9, 9, 9, 9, 9, 9, "9", 9, 9);
        apply("2026-11-04", "model-c", gone);
        rollups.retractDelta(key("2026-11-04", "model-c"), gone, "u-model-c");
        rollups.retractDelta(new RollupKey("category", LocalDate.parse("2026-11-04"), "finance"), gone, "u-model-c");
        rollups.retractDelta(new RollupKey("open_weights", LocalDate.parse("2026-11-04"), "unknown"), gone,
                "u-model-c");
        rollups.retractDelta(new RollupKey("category_open", LocalDate.parse("2026-11-04"), "finance|unknown"), gone,
                "u-model-c");
        apply("2026-11-09", "model-b", totals(4, 400, 40, 0, 0, 0, "0.0001", 1, 2, 110, 1));
        apply("2026-12-01", "model-a", totals(1, 10, 1, 0, 0, 0, "0", 0, 0));
    }

    /**
     * One day's delta of a model, as an ingest writes it: to the model rollup, to its category's (model-a is
     * programming, model-b legal, model-c finance), to its weights' (the catalog knows none of them: unknown) and
     * the pair of the two, and its request shape to the shape items.
     */
    private void apply(String day, String model, Totals totals) {
        // Each model's traffic is an upload of its own: two models of a day add to the same weights item.
        String upload = "u-" + model;
        rollups.applyDelta(key(day, model), totals.withoutShape(), upload);
        String category = Map.of("model-a", "programming", "model-b", "legal", "model-c", "finance").get(model);
        rollups.applyDelta(new RollupKey("category", LocalDate.parse(day), category), totals.withoutShape(), upload);
        rollups.applyDelta(new RollupKey("open_weights", LocalDate.parse(day), "unknown"), totals.withoutShape(),
                upload);
        rollups.applyDelta(new RollupKey("category_open", LocalDate.parse(day), category + "|unknown"),
                totals.withoutShape(), upload);
        totals.shape().forEach((bucket, requests) -> rollups.applyDelta(
                TokenHistogram.itemKey(LocalDate.parse(day), category, bucket),
                Totals.ZERO.withShape(new java.util.TreeMap<>(Map.of(bucket, requests))), upload));
    }

    private static ApiRequest get(String path, String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return new ApiRequest("GET", path, query);
    }

    private static JsonNode body(ApiResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** One series row or the totals, as the fields the API writes. */
    private static void assertMeasures(JsonNode node, long requests, long prompt, long completion, long reasoning,
                                       long cacheRead, long cacheWrite, String cost, long priced, long toolCalls) {
        assertEquals(requests, node.get("requests").asLong(), node::toString);
        assertEquals(prompt, node.get("prompt_tokens").asLong(), node::toString);
        assertEquals(completion, node.get("completion_tokens").asLong(), node::toString);
        assertEquals(prompt + completion, node.get("total_tokens").asLong(), node::toString);
        assertEquals(reasoning, node.get("reasoning_tokens").asLong(), node::toString);
        assertEquals(cacheRead, node.get("cache_read_tokens").asLong(), node::toString);
        assertEquals(cacheWrite, node.get("cache_write_tokens").asLong(), node::toString);
        assertEquals(0, new BigDecimal(cost).compareTo(node.get("cost_usd").decimalValue()), node::toString);
        assertEquals(priced, node.get("priced_requests").asLong(), node::toString);
        assertEquals(toolCalls, node.get("tool_call_requests").asLong(), node::toString);
    }

    private static List<String> periods(JsonNode body) {
        List<String> result = new ArrayList<>();
        body.get("series").forEach(row -> result.add(row.get("period").asText()
                + (row.has("model") ? " " + row.get("model").asText() : "")));
        return result;
    }

    private static void assertBadRequest(ApiResponse response, String parameter, String message) {
        assertEquals(400, response.status());
        assertEquals(JSON_HEADERS, response.headers());
        JsonNode body = body(response);
        assertEquals("bad_request", body.get("error").asText());
        assertEquals(parameter, body.get("parameter").asText());
        assertEquals(message, body.get("message").asText());
        assertEquals(Set.of("error", "message", "parameter"), fieldNames(body));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- usage

    @Test
    void handle_shouldReturnOneRowPerDayAndModel_whenGranularityIsDayAndByIsModel() {
        // given
        ApiRequest request = get("/v1/usage", "from", "2026-11-01", "to", "2026-11-10", "granularity", "day",
                "by", "model");

        // when
        ApiResponse response = api.handle(request);

        // then: the zero item of 2026-11-04 is left out
        assertEquals(200, response.status());
        assertEquals(JSON_HEADERS, response.headers());
        JsonNode body = body(response);
        assertEquals("2026-11-01", body.get("from").asText());
        assertEquals("2026-11-10", body.get("to").asText());
        assertEquals("day", body.get("granularity").asText());
        assertEquals("model", body.get("by").asText());
        assertEquals(List.of("2026-11-02 model-a", "2026-11-02 model-b", "2026-11-03 model-a", "2026-11-09 model-b"),
                periods(body));
        JsonNode series = body.get("series");
        assertMeasures(series.get(0), 2, 100, 10, 1, 5, 0, "0.5", 2, 1);
        assertMeasures(series.get(1), 1, 50, 5, 0, 0, 0, "0.25", 1, 0);
        assertMeasures(series.get(2), 3, 300, 30, 0, 0, 3, "1.25", 3, 0);
        assertMeasures(series.get(3), 4, 400, 40, 0, 0, 0, "0.0001", 1, 2);
        // totals: requests 2+1+3+4=10, prompt 100+50+300+400=850, completion 10+5+30+40=85,
        // cost 0.5+0.25+1.25+0.0001=2.0001, priced 2+1+3+1=7, tool calls 1+2=3
        assertMeasures(body.get("totals"), 10, 850, 85, 1, 5, 3, "2.0001", 7, 3);
        // priced tokens 110 + 55 + 330 + 110 (the seed's partly priced day names its own); one long prompt
        assertEquals(605, body.get("totals").get("priced_tokens").asLong());
        assertEquals(1, body.get("totals").get("long_prompt_requests").asLong());
        assertEquals("USD", body.get("units").get("cost_usd").asText());
        assertEquals("tokens", body.get("units").get("total_tokens").asText());
    }

    @Test
    void handle_shouldGroupByIsoWeekStartingMonday_whenGranularityIsWeek() {
        // given
        ApiRequest request = get("/v1/usage", "from", "2026-11-01", "to", "2026-11-10", "granularity", "WEEK");

        // when
        JsonNode body = body(api.handle(request));

        // then: week of Monday 2026-11-02 = 11-02 a + b and 11-03 a: 2+1+3=6 requests, 100+50+300=450,
        // 10+5+30=45, cost 0.5+0.25+1.25=2.0, priced 6, 1 tool call; week of 2026-11-09 = 11-09 b
        assertEquals("week", body.get("granularity").asText());
        assertEquals("none", body.get("by").asText());
        assertEquals(List.of("2026-11-02", "2026-11-09"), periods(body));
        assertMeasures(body.get("series").get(0), 6, 450, 45, 1, 5, 3, "2.0", 6, 1);
        assertMeasures(body.get("series").get(1), 4, 400, 40, 0, 0, 0, "0.0001", 1, 2);
    }

    @Test
    void handle_shouldGroupByCalendarMonthAndModel_whenGranularityIsMonth() {
        // given
        ApiRequest request = get("/v1/usage", "from", "2026-10-01", "to", "2026-12-31", "granularity", "month",
                "by", "model");

        // when
        JsonNode body = body(api.handle(request));

        // then: November a = 11-02 + 11-03: 2+3=5, 100+300=400, 10+30=40, 0.5+1.25=1.75, priced 5, 1 tool call;
        // November b = 11-02 + 11-09: 1+4=5, 50+400=450, 5+40=45, 0.25+0.0001=0.2501, priced 2, 2 tool calls
        assertEquals(List.of("2026-10-01 model-a", "2026-11-01 model-a", "2026-11-01 model-b", "2026-12-01 model-a"),
                periods(body));
        JsonNode series = body.get("series");
        assertMeasures(series.get(0), 1, 7, 7, 0, 0, 0, "0.1", 1, 0);
        assertMeasures(series.get(1), 5, 400, 40, 1, 5, 3, "1.75", 5, 1);
        assertMeasures(series.get(2), 5, 450, 45, 0, 0, 0, "0.2501", 2, 2);
        assertMeasures(series.get(3), 1, 10, 1, 0, 0, 0, "0", 0, 0);
        // totals: 1+5+5+1=12 requests, 7+400+450+10=867, 7+40+45+1=93, 0.1+1.75+0.2501=2.1001
        assertMeasures(body.get("totals"), 12, 867, 93, 1, 5, 3, "2.1001", 8, 3);
    }

    @Test
    void handle_shouldReadTheLast30DaysToTodayByDay_whenNoParametersAreGiven() {
        // given: today is 2026-11-05, so the default range is 2026-10-07..2026-11-05
        ApiRequest request = get("/v1/usage");

        // when
        JsonNode body = body(api.handle(request));

        // then: 10-31 (1), 11-02 (a 2 + b 1 = 3), 11-03 (3); 11-09 and 12-01 are after today
        assertEquals("2026-10-07", body.get("from").asText());
        assertEquals("2026-11-05", body.get("to").asText());
        assertEquals("day", body.get("granularity").asText());
        assertEquals("none", body.get("by").asText());
        assertEquals(List.of("2026-10-31", "2026-11-02", "2026-11-03"), periods(body));
        assertMeasures(body.get("series").get(1), 3, 150, 15, 1, 5, 0, "0.75", 3, 1);
        assertMeasures(body.get("totals"), 7, 457, 52, 1, 5, 3, "2.1", 7, 1);
    }

    @Test
    void handle_shouldEndThe30DaysAtTo_whenOnlyToIsGiven() {
        // given
        ApiRequest request = get("/v1/usage", "to", "2026-11-02");

        // when
        JsonNode body = body(api.handle(request));

        // then
        assertEquals("2026-10-04", body.get("from").asText());
        assertEquals(List.of("2026-10-31", "2026-11-02"), periods(body));
    }

    @Test
    void handle_shouldReturnEmptySeriesAndZeroTotals_whenNothingIsInRange() {
        // given
        ApiRequest request = get("/v1/usage", "from", "2025-01-01", "to", "2025-01-31");

        // when
        ApiResponse response = api.handle(request);

        // then
        assertEquals(200, response.status());
        JsonNode body = body(response);
        assertEquals(0, body.get("series").size());
        assertMeasures(body.get("totals"), 0, 0, 0, 0, 0, 0, "0", 0, 0);
    }

    @Test
    void handle_shouldAcceptTheLongestRange_whenRangeIs366Days() {
        // given: 2025-01-01..2026-01-01 is 365 + 1 = 366 days
        ApiRequest request = get("/v1/usage", "from", "2025-01-01", "to", "2026-01-01");

        // when
        ApiResponse response = api.handle(request);

        // then
        assertEquals(200, response.status());
    }

    @Test
    void handle_shouldAnswer_whenHeadOrTrailingSlashOrMissingPath() {
        // given
        ApiRequest head = new ApiRequest("HEAD", "/v1/usage", Map.of());
        ApiRequest slash = get("/v1/usage/");
        ApiRequest health = new ApiRequest("get", "/v1/health", Map.of());

        // when
        ApiResponse a = api.handle(head);
        ApiResponse b = api.handle(slash);
        ApiResponse c = api.handle(health);

        // then
        assertEquals(200, a.status());
        assertEquals(200, b.status());
        assertEquals(200, c.status());
        assertEquals("{\"status\":\"ok\"}", c.body());
    }

    // ---- bad requests

    static Stream<Arguments> badUsageRequests() {
        return Stream.of(
                Arguments.of(Map.of("from", "2026-13-01"), "from", "from must be a date YYYY-MM-DD, got '2026-13-01'"),
                Arguments.of(Map.of("from", "2026-02-30"), "from", "from must be a date YYYY-MM-DD, got '2026-02-30'"),
                Arguments.of(Map.of("to", "yesterday"), "to", "to must be a date YYYY-MM-DD, got 'yesterday'"),
                Arguments.of(Map.of("from", "1999-12-31"), "from", "from must be between 2000-01-01 and 2099-12-31"),
                Arguments.of(Map.of("from", "2026-11-10", "to", "2026-11-01"), "from",
                        "from (2026-11-10) is after to (2026-11-01)"),
                Arguments.of(Map.of("from", "2025-01-01", "to", "2026-01-02"), "to",
                        "the range is 367 days; at most 366 days per request"),
                Arguments.of(Map.of("granularity", "hour"), "granularity",
                        "granularity must be one of: day, week, month; got 'hour'"),
                Arguments.of(Map.of("by", "app"), "by", "by must be one of: none, model, category, subtag, language, "
                        + "author, origin, open_weights, size, reasoning, tool_use, country, continent, category_open, "
                        + "open_origin, open_model, open_author, category_author; got 'app'"),
                Arguments.of(Map.of("foo", "1"), "foo", "unknown parameter 'foo'; allowed: by, from, granularity, to"));
    }

    @Test
    void usage_shouldGivePercentilesFromTheRequestShape_whenTheRangeHasOne() {
        // when: 2026-11-03 alone, whose 3 requests have 100 prompt and 10 completion tokens each
        JsonNode totals = body(api.handle(get("/v1/usage", "from", "2026-11-03", "to", "2026-11-03"))).get("totals");

        // then: 100 lies in the bucket 100..103 (middle 101.5); 10 has a bucket of its own
        assertEquals(102, totals.get("prompt_tokens_p50").asLong(), totals::toString);
        assertEquals(102, totals.get("prompt_tokens_p99").asLong(), totals::toString);
        assertEquals(10, totals.get("completion_tokens_p90").asLong(), totals::toString);
        assertFalse(body(api.handle(get("/v1/usage", "from", "2026-11-03", "to", "2026-11-03", "by", "model")))
                .get("totals").has("prompt_tokens_p50"), "the model rollups carry no shape");
    }

    @ParameterizedTest
    @MethodSource("badUsageRequests")
    void handle_shouldAnswer400NamingTheParameter_whenAParameterIsBad(Map<String, String> query, String parameter,
                                                                     String message) {
        // given
        ApiRequest request = new ApiRequest("GET", "/v1/usage", query);

        // when
        ApiResponse response = api.handle(request);

        // then
        assertBadRequest(response, parameter, message);
    }

    @Test
    void handle_shouldAnswer404AsJson_whenTheRouteIsUnknown() {
        // given
        ApiRequest request = get("/v2/usage");

        // when
        ApiResponse response = api.handle(request);

        // then
        assertEquals(404, response.status());
        assertEquals(JSON_HEADERS, response.headers());
        JsonNode body = body(response);
        assertEquals("not_found", body.get("error").asText());
        assertEquals("no route for /v2/usage; routes: /v1/usage, /v1/figures, /v1/figures/{figure}, /v1/uploads, "
                + "/v1/models/unknown, /v1/health, /v1/openapi.json, /dashboard, /dashboard/{file}",
                body.get("message").asText());
        assertFalse(body.has("parameter"));
    }

    @Test
    void handle_shouldReplaceControlCharacters_whenEchoingAnUnknownPath() {
        // given
        ApiRequest request = get("/v1/\u0000x\ny");

        // when
        JsonNode body = body(api.handle(request));

        // then
        assertEquals("no route for /v1/?x?y; routes: /v1/usage, /v1/figures, /v1/figures/{figure}, /v1/uploads, "
                + "/v1/models/unknown, /v1/health, /v1/openapi.json, /dashboard, /dashboard/{file}",
                body.get("message").asText());
    }

    @Test
    void handle_shouldStartTheDefaultRangeOnTheFirstDayAllowed_whenToIsWithin30DaysOfIt() {
        // when: the 30 days before to would begin in 1999, a year no request may name
        ApiResponse response = api.handle(get("/v1/usage", "to", "2000-01-10"));

        // then
        assertEquals(200, response.status(), response.body());
        assertEquals("2000-01-01", body(response).get("from").asText());
        assertEquals("2000-01-10", body(response).get("to").asText());
    }

    @Test
    void handle_shouldCutAnEchoedValueBetweenCharacters_whenItIsLongAndOutsideTheBasicPlane() {
        // given: 100 llamas, each a surrogate pair in Java's UTF-16
        String llamas = "\ud83e\udd99".repeat(100);

        // when
        ApiResponse path = api.handle(get("/" + llamas));
        ApiResponse key = api.handle(get("/v1/uploads", "key", llamas));

        // then: whole llamas up to the ellipsis, never half a pair
        for (ApiResponse response : List.of(path, key)) {
            assertEquals(404, response.status());
            String message = body(response).get("message").asText();
            assertTrue(message.contains("\ud83e\udd99".repeat(70) + "..."), message);
            assertEquals(response.body(), new String(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void handle_shouldAnswer405AsJsonNamingTheAllowedMethods_whenMethodIsPost() {
        // given
        ApiRequest usage = new ApiRequest("POST", "/v1/usage", Map.of());
        ApiRequest uploads = new ApiRequest("DELETE", "/v1/uploads", Map.of("key", "x"));

        // when
        ApiResponse a = api.handle(usage);
        ApiResponse b = api.handle(uploads);

        // then
        assertEquals(405, a.status());
        assertEquals(405, b.status());
        Map<String, String> headers = new java.util.HashMap<>(JSON_HEADERS);
        headers.put("allow", "GET, HEAD");
        assertEquals(headers, a.headers());
        assertEquals("{\"error\":\"method_not_allowed\",\"message\":\"only GET and HEAD are supported\"}",
                a.body());
    }

    @Test
    void handle_shouldAnswer400NamingTheParameter_whenHealthIsGivenOne() {
        // when
        ApiResponse response = api.handle(get("/v1/health", "verbose", "1"));

        // then: refused like an unknown parameter of any other route, not silently ignored
        assertBadRequest(response, "verbose", "unknown parameter 'verbose'; this route takes none");
    }

    @Test
    void handle_shouldServeTheOpenApiDocument_whenOpenapiJsonIsAsked() throws Exception {
        // when
        ApiResponse response = api.handle(get("/v1/openapi.json"));

        // then
        assertEquals(200, response.status());
        assertEquals(Map.of("content-type", "application/json; charset=utf-8", "cache-control",
                "public, max-age=3600"), response.headers());
        assertEquals(OpenApiDocument.text(), response.body());
        assertEquals("3.1.0", body(response).get("openapi").asText());
    }

    // ---- uploads

    @Test
    void usage_shouldWriteCostsAsPlainDecimals_whenTheyAreTiny() {
        // given: 2026-11-09 model-b cost 0.0001, which BigDecimal would print as 1E-4 once stripped

        // when
        ApiResponse response = api.handle(get("/v1/usage", "from", "2026-11-09", "to", "2026-11-09"));

        // then
        assertTrue(response.body().contains("\"cost_usd\":0.0001"), response.body());
    }

    @Test
    void usage_shouldTreatABlankByAsNone_whenGivenEmpty() {
        // given: by= with no value, as granularity= falls back to its default

        // when
        ApiResponse response = api.handle(get("/v1/usage", "from", "2026-11-02", "to", "2026-11-02", "by", ""));

        // then: one series row for the day, models summed (2+1 requests)
        assertEquals(200, response.status());
        JsonNode body = body(response);
        assertEquals("none", body.get("by").asText());
        assertEquals(1, body.get("series").size());
        assertEquals(3, body.get("series").get(0).get("requests").asLong());
    }

    @Test
    void unknownModels_shouldListModelsTheCatalogDoesNotKnow_mostTokensFirst() {
        // given: the seeded rollups hold model-a/b/c (unknown to the built-in catalog) and a known one
        rollups.applyDelta(key("2026-11-02", "openai/gpt-4o-mini"), totals(5, 500, 50, 0, 0, 0, "0", 0, 0), "u3");

        // when
        ApiResponse response = api.handle(get("/v1/models/unknown", "from", "2026-11-01", "to", "2026-11-30"));

        // then: model-b 50/5 + 400/40 = 495 tokens, model-a 100/10 + 300/30 = 440; model-c is retracted to zero
        assertEquals(200, response.status());
        JsonNode models = body(response).get("models");
        assertEquals(2, models.size(), models.toString());
        assertEquals("model-b", models.get(0).get("model").asText());
        assertEquals(495, models.get(0).get("total_tokens").asLong());
        assertEquals("model-a", models.get(1).get("model").asText());
        assertEquals(440, models.get(1).get("total_tokens").asLong());
    }

    private UploadStatus status(String key) {
        return new UploadStatus(Ids.sourceId(BUCKET, key), BUCKET, key, "etag-1", "upload-1",
                UploadStatus.State.COMPLETE, 5, 3, 2, List.of("s3://b/k:3: bad"), Optional.of("quarantine/x.jsonl"),
                2, 2, Instant.parse("2026-11-04T12:30:00Z"), Optional.of(Instant.parse("2026-11-04T12:30:01Z")),
                Map.of("total_ms", 42L), "canonical");
    }

    @Test
    void handle_shouldAnswerTheStatus_whenTheUploadKeyIsKnown() {
        // given
        String key = "logs/2026/11/sample-usage-with-errors.csv";
        statuses.save(status(key));

        // when
        ApiResponse response = api.handle(get("/v1/uploads", "key", key));

        // then
        assertEquals(200, response.status());
        JsonNode body = body(response);
        assertEquals(BUCKET, body.get("bucket").asText());
        assertEquals(key, body.get("key").asText());
        assertEquals("etag-1", body.get("etag").asText());
        assertEquals("upload-1", body.get("upload_id").asText());
        assertEquals("complete", body.get("state").asText());
        assertEquals(5, body.get("records_read").asLong());
        assertEquals(3, body.get("records_kept").asLong());
        assertEquals(2, body.get("records_quarantined").asLong());
        assertEquals("s3://b/k:3: bad", body.get("errors").get(0).asText());
        assertEquals("quarantine/x.jsonl", body.get("quarantine_key").asText());
        assertEquals(2, body.get("rollup_items").asLong());
        assertEquals(2, body.get("rollup_writes").asLong());
        assertEquals("2026-11-04T12:30:00Z", body.get("started_at").asText());
        assertEquals("2026-11-04T12:30:01Z", body.get("finished_at").asText());
        assertEquals(42, body.get("timings_ms").get("total_ms").asLong());
    }

    @Test
    void handle_shouldAnswer404NamingKey_whenTheUploadKeyIsUnknown() {
        // given
        statuses.save(status("logs/other.jsonl"));

        // when
        ApiResponse response = api.handle(get("/v1/uploads", "key", "logs/none.jsonl"));

        // then
        assertEquals(404, response.status());
        JsonNode body = body(response);
        assertEquals("not_found", body.get("error").asText());
        assertEquals("key", body.get("parameter").asText());
        assertEquals("no upload with key 'logs/none.jsonl' has been seen", body.get("message").asText());
    }

    @Test
    void handle_shouldAnswer400_whenKeyIsBlankTooLongOrAnotherParameterIsGiven() {
        // given
        ApiRequest blank = get("/v1/uploads", "key", "  ");
        ApiRequest tooLong = get("/v1/uploads", "key", "k".repeat(1025));
        ApiRequest extra = get("/v1/uploads", "key", "a", "bucket", "b");
        ApiRequest badLimit = get("/v1/uploads", "limit", "500");
        ApiRequest badState = get("/v1/uploads", "state", "lost");

        // when
        ApiResponse b = api.handle(blank);
        ApiResponse c = api.handle(tooLong);
        ApiResponse d = api.handle(extra);

        // then
        assertBadRequest(b, "key", "key is required: the S3 key of an uploaded log");
        assertBadRequest(c, "key", "key is longer than S3 allows (1024)");
        assertBadRequest(d, "bucket", "unknown parameter 'bucket'; allowed: key, limit, state");
        assertBadRequest(api.handle(badLimit), "limit", "limit must be a whole number from 1 to 200; got '500'");
        assertEquals("state", body(api.handle(badState)).path("parameter").asText());
    }

    @Test
    void handle_shouldListTheRecentUploadsNewestFirstWithQuarantineCounts_whenNoKeyIsGiven() {
        // given three uploads; the second was retried: its latest attempt is the one listed
        statuses.save(withState(status("logs/a.jsonl"), "u-a", UploadStatus.State.COMPLETE, "2026-11-04T10:00:00Z"));
        statuses.save(withState(status("logs/b.jsonl"), "u-b", UploadStatus.State.FAILED, "2026-11-04T11:00:00Z"));
        statuses.save(withState(status("logs/b.jsonl"), "u-b", UploadStatus.State.COMPLETE, "2026-11-04T11:05:00Z"));
        statuses.save(withState(status("logs/c.csv"), "u-c", UploadStatus.State.REJECTED, "2026-11-04T12:00:00Z"));

        // when
        JsonNode all = body(api.handle(get("/v1/uploads")));
        JsonNode two = body(api.handle(get("/v1/uploads", "limit", "2")));
        JsonNode rejected = body(api.handle(get("/v1/uploads", "state", "rejected")));

        // then
        assertEquals(List.of("logs/c.csv", "logs/b.jsonl", "logs/a.jsonl"),
                all.path("uploads").findValuesAsText("key"));
        assertEquals("complete", all.path("uploads").get(1).path("state").asText());
        assertEquals(2, all.path("uploads").get(1).path("records_quarantined").asLong());
        assertEquals(6, all.path("summary").path("records_quarantined").asLong());
        assertEquals(2, all.path("summary").path("by_state").path("complete").asLong());
        assertEquals(2, two.path("uploads").size());
        assertEquals(List.of("logs/c.csv"), rejected.path("uploads").findValuesAsText("key"));
    }

    private static UploadStatus withState(UploadStatus s, String uploadId, UploadStatus.State state, String started) {
        return new UploadStatus(s.sourceId(), s.bucket(), s.key(), s.etag(), uploadId, state, s.recordsRead(),
                s.recordsKept(), s.recordsQuarantined(), s.errors(), s.quarantineKey(), s.rollupItems(),
                s.rollupWrites(), Instant.parse(started), s.finishedAt(), s.timingsMs(), s.format());
    }

    // ---- failures

    @Test
    void usageAndFigures_shouldBeComputedOnce_whileTheRollupsAreUnchanged_andAgainAfterAChange() {
        // given an API whose rollup reads are counted
        CountingStore counting = new CountingStore(rollups);
        SummaryApi cachedApi = new SummaryApi(counting, statuses, new InMemoryRetentionStore(), BUCKET, CLOCK);
        ApiRequest usage = get("/v1/usage", "from", "2026-11-01", "to", "2026-11-10", "by", "model");
        ApiRequest figure = get("/v1/figures/categories", "from", "2026-11-01", "to", "2026-11-10");

        // when each is asked again
        ApiResponse first = cachedApi.handle(usage);
        int afterFirstUsage = counting.queries;
        cachedApi.handle(usage);
        ApiResponse third = cachedApi.handle(usage);
        int afterThirdUsage = counting.queries;
        ApiResponse figureFirst = cachedApi.handle(figure);
        int afterFirstFigure = counting.queries;
        ApiResponse figureAgain = cachedApi.handle(figure);
        int queriesBefore = counting.queries;

        // then the rollups were read for the first of each only, and the answers are the same
        assertTrue(afterFirstUsage > 0);
        assertEquals(afterFirstUsage, afterThirdUsage, "no read for the repeated usage");
        assertTrue(afterFirstFigure > afterThirdUsage, "the figure is read once");
        assertEquals(afterFirstFigure, queriesBefore, "no read for the repeats");
        assertEquals(200, first.status());
        assertEquals(first, third);
        assertEquals(200, figureFirst.status(), figureFirst.body());
        assertEquals(figureFirst, figureAgain);
        ApiResponse fresh = api.handle(usage);
        assertEquals(fresh.body(), third.body(), "the kept answer is the one computed now");

        // when an upload adds to a day of the range
        apply("2026-11-03", "model-b", totals(5, 500, 50, 0, 0, 0, "0.5", 5, 0));
        ApiResponse afterUpload = cachedApi.handle(usage);

        // then it is read again and shows the upload
        assertTrue(counting.queries > queriesBefore, "read again after the change");
        assertEquals(api.handle(usage).body(), afterUpload.body());
        assertTrue(!afterUpload.body().equals(third.body()));
    }

    @Test
    void usage_shouldBeComputedAgain_whenTheDefaultRangeMovesToAnotherDay() {
        // given an API whose clock moves on by a day between two requests without from/to
        CountingStore counting = new CountingStore(rollups);
        MovingClock moving = new MovingClock(CLOCK.instant());
        SummaryApi cachedApi = new SummaryApi(counting, statuses, new InMemoryRetentionStore(), BUCKET, moving);
        ApiRequest lastThirtyDays = get("/v1/usage");
        ApiResponse today = cachedApi.handle(lastThirtyDays);
        int queries = counting.queries;

        // when
        moving.advance(java.time.Duration.ofDays(1));
        ApiResponse tomorrow = cachedApi.handle(lastThirtyDays);

        // then
        assertTrue(counting.queries > queries, "another range, read again");
        assertEquals("2026-11-06", body(tomorrow).get("to").asText());
        assertEquals("2026-11-05", body(today).get("to").asText());
    }

    /** Counts the queries of a store it passes everything to. */
    private static final class CountingStore extends ForwardingRollupStore {
        int queries;

        CountingStore(RollupStore delegate) {
            super(delegate);
        }

        @Override
        public synchronized List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
            queries++;
            return delegate.query(dimension, from, to);
        }
    }

    static final class BrokenStore implements RollupStore, UploadStatusStore {
        @Override
        public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
            throw new IllegalStateException("boom");
        }

        @Override
        public boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
            throw new IllegalStateException("boom");
        }

        @Override
        public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
            throw new IllegalStateException("ProvisionedThroughputExceededException: secret table arn:aws:dynamodb");
        }

        @Override
        public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
            throw new IllegalStateException("boom");
        }

        @Override
        public boolean delete(RollupKey key, long seenRevision) {
            throw new IllegalStateException("boom");
        }

        @Override
        public long changes() {
            throw new IllegalStateException("ThrottlingException: secret table arn:aws:dynamodb");
        }

        @Override
        public void changed() {
            throw new IllegalStateException("boom");
        }

        @Override
        public Optional<UploadStatus> status(String sourceId) {
            throw new NullPointerException("Cannot invoke \"Map.get\" at dev.tokenscope.store");
        }

        @Override
        public void save(UploadStatus status) {
            throw new IllegalStateException("boom");
        }

        @Override
        public List<UploadStatus> recent(int limit) {
            throw new IllegalStateException("ResourceNotFoundException: table tokenscope-dev");
        }

        @Override
        public boolean claimSource(String sourceId, String token, String holder, Instant now, Instant until) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void releaseSource(String sourceId, String token, String holder) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void handle_shouldAnswer503WithoutExceptionText_whenTheStoreFails() {
        // given
        BrokenStore broken = new BrokenStore();
        SummaryApi failing = new SummaryApi(broken, broken, new InMemoryRetentionStore(), BUCKET, CLOCK);

        // when
        ApiResponse usage = failing.handle(get("/v1/usage"));
        ApiResponse upload = failing.handle(get("/v1/uploads", "key", "logs/a.jsonl"));

        // then
        for (ApiResponse response : List.of(usage, upload)) {
            assertEquals(503, response.status());
            assertEquals(JSON_HEADERS, response.headers());
            assertEquals("{\"error\":\"unavailable\",\"message\":\"the summary could not be read; try again\"}",
                    response.body());
        }
    }

    static Stream<ApiRequest> everyKindOfRequest() {
        return Stream.of(
                new ApiRequest("GET", "/v1/usage", Map.of()),
                new ApiRequest("GET", "/v1/usage", Map.of("from", "not-a-date")),
                new ApiRequest("GET", "/v1/usage", Map.of("from", "2026-11-05", "to", "2026-11-01")),
                new ApiRequest("GET", "/v1/usage", Map.of("granularity", "fortnight")),
                new ApiRequest("GET", "/v1/usage", Map.of("x", "y")),
                new ApiRequest("GET", "/v1/uploads", Map.of()),
                new ApiRequest("GET", "/v1/uploads", Map.of("key", "nope")),
                new ApiRequest("POST", "/v1/usage", Map.of()),
                new ApiRequest("GET", "/nowhere", Map.of()),
                new ApiRequest("GET", null, Map.of()));
    }

    @ParameterizedTest
    @MethodSource("everyKindOfRequest")
    void handle_shouldNeverLeakExceptionsIntoTheBody_whenAnsweringAnything(ApiRequest request) {
        // given
        BrokenStore broken = new BrokenStore();
        SummaryApi failing = new SummaryApi(broken, broken, new InMemoryRetentionStore(), BUCKET, CLOCK);

        // when
        List<ApiResponse> responses = List.of(api.handle(request), failing.handle(request));

        // then
        for (ApiResponse response : responses) {
            assertFalse(response.body().contains("Exception"), response.body());
            assertFalse(response.body().contains("at dev."), response.body());
            assertTrue(body(response).isObject());
            Map<String, String> headers = new java.util.HashMap<>(response.headers());
            headers.remove("allow");
            assertEquals(JSON_HEADERS, headers);
        }
    }

    @Test
    void handle_shouldListEveryFigureWithItsPathAndFilters_whenFiguresIsAsked() {
        // when
        JsonNode list = body(api.handle(get("/v1/figures"))).path("figures");

        // then
        assertEquals(dev.tokenscope.figures.Figure.values().length, list.size());
        assertEquals("categories", list.get(0).path("figure").asText());
        assertEquals("/v1/figures/categories", list.get(0).path("path").asText());
        assertEquals("[\"category\",\"open\"]", list.get(0).path("filters").toString());
    }

    @Test
    void handle_shouldAnswerAFigureAsRowsWithUnitsPeriodAndFilters_whenAFigureIsAsked() {
        // when: the ISO week of 2026-11-02: programming 110 + 330 tokens, legal 55
        ApiResponse response = api.handle(get("/v1/figures/categories", "from", "2026-11-02", "to", "2026-11-03",
                "granularity", "week"));

        // then
        assertEquals(200, response.status());
        assertEquals("private, max-age=60", response.headers().get("cache-control"));
        JsonNode body = body(response);
        assertEquals("categories", body.path("figure").asText());
        assertEquals(1, body.path("report_figure").asInt());
        assertEquals("week", body.path("granularity").asText());
        assertEquals("share 0..1", body.path("units").path("share").asText());
        assertEquals("[\"period\",\"scope\",\"category\",\"tokens\",\"share\"]", body.path("columns").toString());
        JsonNode rows = body.path("rows");
        assertEquals(2, rows.size());
        JsonNode legal = rows.get(0);
        assertEquals("2026-11-02", legal.path("period").asText());
        assertEquals("legal", legal.path("category").asText());
        assertEquals(55, legal.path("tokens").asLong());
        assertEquals(55.0 / 495, legal.path("share").asDouble(), 1e-12);
        assertEquals(440, rows.get(1).path("tokens").asLong());
    }

    @Test
    void handle_shouldKeepOnlyTheRowsOfTheFilter_whenAFilterIsGiven() {
        // when
        JsonNode body = body(api.handle(get("/v1/figures/categories", "from", "2026-11-02", "to", "2026-11-03",
                "category", "Legal")));

        // then
        assertEquals("{\"category\":\"Legal\"}", body.path("filters").toString());
        assertEquals(1, body.path("rows").size());
        assertEquals("legal", body.path("rows").get(0).path("category").asText());
    }

    @Test
    void handle_shouldAnswerCsv_whenFormatIsCsvOrTheClientAcceptsCsv() {
        // given
        ApiRequest byFormat = get("/v1/figures/categories", "from", "2026-11-02", "to", "2026-11-02", "format", "csv");
        ApiRequest byAccept = new ApiRequest("GET", "/v1/figures/categories",
                Map.of("from", "2026-11-02", "to", "2026-11-02"), Map.of("Accept", "text/csv"));

        // when
        ApiResponse csv = api.handle(byFormat);

        // then
        assertEquals("text/csv; charset=utf-8", csv.headers().get("content-type"));
        assertEquals("period,scope,category,tokens,share\r\n"
                + "2026-11-02,all,legal,55," + (55.0 / 165) + "\r\n"
                + "2026-11-02,all,programming,110," + (110.0 / 165) + "\r\n", csv.body());
        assertEquals(csv, api.handle(byAccept));
    }

    @Test
    void handle_shouldRefuseWithAJsonError_whenAFigureOrItsParametersAreWrong() {
        // when
        ApiResponse unknown = api.handle(get("/v1/figures/pie-chart"));
        ApiResponse wrongFilter = api.handle(get("/v1/figures/categories", "model", "x"));
        ApiResponse wrongFormat = api.handle(get("/v1/figures/sizes", "format", "xml"));
        ApiResponse tooLong = api.handle(get("/v1/figures/sizes", "from", "2025-01-01", "to", "2026-11-01"));

        // then
        assertEquals(404, unknown.status());
        assertEquals("no figure 'pie-chart'; see /v1/figures", body(unknown).path("message").asText());
        assertEquals(400, wrongFilter.status());
        assertEquals("model", body(wrongFilter).path("parameter").asText());
        assertEquals(400, wrongFormat.status());
        assertEquals("format", body(wrongFormat).path("parameter").asText());
        assertEquals(400, tooLong.status());
        assertEquals("to", body(tooLong).path("parameter").asText());
    }
}
