package dev.tokenscope.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.api.SummaryApi;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

class SummaryApiHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T12:00:00Z"), ZoneOffset.UTC);
    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json; charset=utf-8", "cache-control", "no-store");

    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final SummaryApiHandler handler = new SummaryApiHandler(
            new SummaryApi(rollups, new InMemoryStatusStore(), new InMemoryRetentionStore(), "tokenscope-local",
                    CLOCK));

    /** The rollups of events/sample-usage.jsonl (worked out by hand in Fixtures). */
    @BeforeEach
    void seed() {
        // the sample's model rollups, and the same traffic in the category and open_weights rollups (by=none
        // reads open_weights)
        Fixtures.SAMPLE_JSONL_TOTALS.forEach((key, totals) -> {
            rollups.applyDelta(key, totals, "u1");
            rollups.applyDelta(new RollupKey("category", key.day(), "other"), totals, "u1-" + key.value());
            rollups.applyDelta(new RollupKey("open_weights", key.day(), "unknown"), totals, "u1-" + key.value());
        });
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    @ParameterizedTest
    @Event(value = "events/api-usage.json", type = APIGatewayV2HTTPEvent.class)
    void handleRequest_shouldAnswer200WithJsonUsage_whenAskedForUsageByModel(APIGatewayV2HTTPEvent event)
            throws Exception {
        // given: GET /v1/usage?from=2026-11-01&to=2026-11-07&granularity=day&by=model

        // when
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new RecordingContext());

        // then
        assertEquals(200, response.getStatusCode());
        assertEquals(JSON_HEADERS, response.getHeaders());
        assertFalse(response.getIsBase64Encoded());
        JsonNode body = body(response);
        assertEquals("2026-11-01", body.get("from").asText());
        assertEquals("2026-11-07", body.get("to").asText());
        List<String> rows = new ArrayList<>();
        body.get("series").forEach(r -> rows.add(r.get("period").asText() + " " + r.get("model").asText()));
        assertEquals(List.of(
                "2026-11-02 anthropic.claude-sonnet-4-20250514-v1:0", "2026-11-02 qwen/qwen3-coder",
                "2026-11-03 deepseek/deepseek-reasoner", "2026-11-03 openai/gpt-4o-mini"), rows);
        // totals: 4 x 2 = 8 requests; prompt 2710+13400+1340+4000=21450; completion 405+3220+210+6000=9835;
        // cost 0.01425+0.005256+0.000327+0.015378=0.035211 from 2+2+2+2=8 priced (gpt-4o-mini's unlogged
        // request priced by the catalog: 0.000159); tool calls 1+1=2
        JsonNode totals = body.get("totals");
        assertEquals(8, totals.get("requests").asLong());
        assertEquals(21450, totals.get("prompt_tokens").asLong());
        assertEquals(9835, totals.get("completion_tokens").asLong());
        assertEquals(31285, totals.get("total_tokens").asLong());
        assertEquals(4500, totals.get("reasoning_tokens").asLong());
        assertEquals(2000, totals.get("cache_read_tokens").asLong());
        assertEquals(0, new BigDecimal("0.035211").compareTo(totals.get("cost_usd").decimalValue()));
        assertEquals(8, totals.get("priced_requests").asLong());
        assertEquals(2, totals.get("tool_call_requests").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/api-usage.json", type = APIGatewayV2HTTPEvent.class)
    void handleRequest_shouldAnswer404AsJson_whenThePathIsUnknown(APIGatewayV2HTTPEvent event) throws Exception {
        // given
        event.setRawPath("/v1/nothing");

        // when
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        // then
        assertEquals(404, response.getStatusCode());
        assertEquals(JSON_HEADERS, response.getHeaders());
        assertEquals("not_found", body(response).get("error").asText());
        assertEquals("no route for /v1/nothing; routes: /v1/usage, /v1/figures, /v1/figures/{figure}, /v1/uploads, "
                + "/v1/models/unknown, /v1/health, /v1/openapi.json, /dashboard, /dashboard/{file}",
                body(response).get("message").asText());
    }

    @ParameterizedTest
    @Event(value = "events/api-usage.json", type = APIGatewayV2HTTPEvent.class)
    void handleRequest_shouldAnswer405_whenTheMethodIsPost(APIGatewayV2HTTPEvent event) throws Exception {
        // given
        event.getRequestContext().getHttp().setMethod("POST");

        // when
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        // then
        assertEquals(405, response.getStatusCode());
        assertEquals("method_not_allowed", body(response).get("error").asText());
    }

    @ParameterizedTest
    @Event(value = "events/api-usage.json", type = APIGatewayV2HTTPEvent.class)
    void handleRequest_shouldUseGetAndTheDefaults_whenContextAndQueryAreAbsent(APIGatewayV2HTTPEvent event)
            throws Exception {
        // given: the last 30 days to 2026-11-05 by day
        event.setRequestContext(null);
        event.setQueryStringParameters(null);

        // when
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        // then
        assertEquals(200, response.getStatusCode());
        JsonNode body = body(response);
        assertEquals("2026-10-07", body.get("from").asText());
        assertEquals("2026-11-05", body.get("to").asText());
        assertEquals(2, body.get("series").size());
        assertEquals(4, body.get("series").get(0).get("requests").asLong());
    }

    @ParameterizedTest
    @Event(value = "events/api-usage.json", type = APIGatewayV2HTTPEvent.class)
    void handleRequest_shouldAnswer400NamingTheParameter_whenAQueryParameterIsBad(APIGatewayV2HTTPEvent event)
            throws Exception {
        // given
        event.setQueryStringParameters(Map.of("from", "2026-11-01", "to", "2026-11-07", "granularity", "hour"));

        // when
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        // then
        assertEquals(400, response.getStatusCode());
        assertEquals("granularity", body(response).get("parameter").asText());
    }
}
