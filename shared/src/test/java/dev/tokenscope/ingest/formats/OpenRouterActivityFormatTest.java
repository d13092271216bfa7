package dev.tokenscope.ingest.formats;

import static dev.tokenscope.ingest.formats.UsageApiFixtures.bad;
import static dev.tokenscope.ingest.formats.UsageApiFixtures.good;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenRouterActivityFormatTest {

    private final OpenRouterActivityFormat format = new OpenRouterActivityFormat();

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.ACTIVITY_RESPONSE, UsageApiFixtures.ACTIVITY_JSONL})
    void detect_shouldScore85_whenHeadHasActivityRowFields(String resource) {
        // given
        String head = UsageApiFixtures.text(resource);

        // when
        int score = format.detect(resource, head);
        String chosen = FormatRegistry.standard(Map.of()).choose(resource, Optional.empty(), head).id();

        // then
        assertEquals(85, score);
        assertEquals("openrouter-activity", chosen);
    }

    @Test
    void detect_shouldScore85_whenRowHasNoPermaslugButDayRequestsAndTokens() {
        // given
        String head = "{\"date\":\"2026-06-10\",\"model\":\"m\",\"requests\":3,\"prompt_tokens\":10}";

        // when
        int score = format.detect("logs/a.jsonl", head);

        // then
        assertEquals(85, score);
    }

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.OPENROUTER_JSONL, UsageApiFixtures.OPENROUTER_RESPONSE,
            UsageApiFixtures.USAGE_PAGE, UsageApiFixtures.USAGE_JSONL, UsageApiFixtures.COSTS_PAGE,
            UsageApiFixtures.COSTS_JSONL})
    void detect_shouldScoreZero_whenFileIsAnotherUsageApiFormat(String resource) {
        // given
        String head = UsageApiFixtures.text(resource);

        // when
        int score = format.detect(resource, head);

        // then
        assertEquals(0, score);
    }

    @Test
    void detect_shouldScoreZero_whenFileIsCanonical() {
        // given: canonical records have requests and prompt_tokens, but a timestamp instead of a date
        String head = UsageApiFixtures.canonicalSample()
                + "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"m\",\"requests\":4,\"prompt_tokens\":1}\n";

        // when
        int score = format.detect("logs/a.jsonl", head);

        // then
        assertEquals(0, score);
    }

    @Test
    void open_shouldMapEveryFieldOfEachRow_whenFileIsTheWholeApiResponse() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.ACTIVITY_RESPONSE);

        // when
        UsageRecord sonnet = good(lines.get(0));
        UsageRecord mini = good(lines.get(1));

        // then
        assertEquals(3, lines.size());
        assertEquals(Instant.parse("2026-06-09T00:00:00Z"), sonnet.timestamp());
        assertEquals("anthropic/claude-sonnet-4", sonnet.model());
        assertEquals(Optional.of("openrouter"), sonnet.provider());
        assertEquals(212, sonnet.requests());
        assertEquals(301200, sonnet.promptTokens());
        assertEquals(22050, sonnet.completionTokens());
        assertEquals(0, sonnet.reasoningTokens());
        assertEquals(Optional.of(new BigDecimal("1.2540000000")), sonnet.costUsd());
        assertEquals(Map.of("upstream_provider", "Anthropic",
                "model_permaslug", "anthropic/claude-4-sonnet-20250522",
                "endpoint_id", "7f3c2a10-0000-4000-8000-00000000abcd"), sonnet.tags());
        assertEquals(Optional.empty(), sonnet.requestId());
        assertEquals(OptionalLong.empty(), sonnet.latencyMs());

        assertEquals("openai/o4-mini", mini.model());
        assertEquals(9, mini.requests());
        assertEquals(4100, mini.promptTokens());
        assertEquals(9800, mini.completionTokens());
        assertEquals(7200, mini.reasoningTokens());
        // usage only: the 0.25 charged to the user's own key is a tag, not cost_usd
        assertEquals(Optional.of(new BigDecimal("0.0125000000")), mini.costUsd());
        assertEquals(null, mini.tags().get("byok"), "a day's row may mix key and credit requests");
        assertEquals("0.25", mini.tags().get("byok_usage_inference"));
    }

    @Test
    void open_shouldQuarantineOnlyTheBadRowByIndex_whenOneRowOfTheResponseLacksItsDate() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.ACTIVITY_RESPONSE);

        // when
        String error = bad(lines.get(2));

        // then
        assertEquals("1: data[2]: missing field 'date'", error);
    }

    @Test
    void open_shouldReadRowsWithNumbersAsStrings_whenFileIsJsonLines() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.ACTIVITY_JSONL);

        // when
        UsageRecord record = good(lines.get(0));

        // then
        assertEquals(3, lines.size());
        assertEquals(Instant.parse("2026-06-10T00:00:00Z"), record.timestamp());
        assertEquals("meta-llama/llama-3.3-70b-instruct", record.model());
        assertEquals(40, record.requests());
        assertEquals(52000, record.promptTokens());
        assertEquals(6100, record.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0.0310000000")), record.costUsd());
        assertEquals(Map.of("upstream_provider", "Groq", "model_permaslug", "meta-llama/llama-3.3-70b-instruct",
                "endpoint_id", "e-1"), record.tags());
    }

    @Test
    void open_shouldQuarantine_whenRequestsIsMissingOrDateIsNotADay() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.ACTIVITY_JSONL);

        // when
        List<String> errors = List.of(bad(lines.get(1)), bad(lines.get(2)));

        // then: a pre-aggregated row without its count cannot be weighted
        assertEquals(List.of("2: missing field 'requests'",
                "3: field 'date' must be a day (YYYY-MM-DD), got '10/06/2026'"), errors);
    }

    @Test
    void open_shouldKeepTheDay_whenDateCarriesAMidnightTime() throws IOException {
        // given
        String text = "[{\"date\":\"2026-06-11 00:00:00\",\"model\":\"x/y\",\"requests\":1,\"prompt_tokens\":2}]";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/rows.json", text);

        // then
        assertEquals(Instant.parse("2026-06-11T00:00:00Z"), good(lines.get(0)).timestamp());
    }
}
