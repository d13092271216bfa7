package dev.tokenscope.ingest.formats;

import static dev.tokenscope.ingest.formats.UsageApiFixtures.bad;
import static dev.tokenscope.ingest.formats.UsageApiFixtures.good;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class OpenRouterGenerationFormatTest {

    private final OpenRouterGenerationFormat format = new OpenRouterGenerationFormat();

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.OPENROUTER_JSONL, UsageApiFixtures.OPENROUTER_RESPONSE,
            UsageApiFixtures.OPENROUTER_ARRAY})
    void detect_shouldScore90_whenHeadHasOpenRouterTokenAndCostFields(String resource) {
        // given
        String head = UsageApiFixtures.text(resource);

        // when
        int score = format.detect(resource, head);
        String chosen = FormatRegistry.standard(Map.of()).choose(resource, Optional.empty(), head).id();

        // then
        assertEquals(90, score);
        assertEquals("openrouter", chosen);
    }

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.ACTIVITY_RESPONSE, UsageApiFixtures.ACTIVITY_JSONL,
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
    void detect_shouldScoreZero_whenFileIsCanonicalOrHasTokensWithoutCost() {
        // given
        String canonical = UsageApiFixtures.canonicalSample();
        String tokensOnly = "{\"id\":\"g\",\"created_at\":\"2026-03-14T10:00:00Z\",\"model\":\"m\",\"tokens_prompt\":1}";

        // when / then
        assertEquals(0, format.detect("logs/a.jsonl", canonical));
        assertEquals(0, format.detect("logs/b.jsonl", tokensOnly));
    }

    @Test
    void open_shouldMapEveryField_whenGenerationIsComplete() throws IOException {
        // given: line 1 of generations.jsonl
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.OPENROUTER_JSONL);

        // when
        UsageRecord record = good(lines.get(0));

        // then
        assertEquals(1, lines.get(0).line());
        assertEquals(Optional.of("gen-1700000001-Lk3aQ"), record.requestId());
        assertEquals(Instant.parse("2026-03-14T10:20:30.123456Z"), record.timestamp());
        assertEquals("anthropic/claude-sonnet-4", record.model());
        assertEquals(Optional.of("openrouter"), record.provider());
        assertEquals(Optional.of("reader-42"), record.userId());
        assertEquals(Optional.of("https://notes.example.dev/"), record.app());
        assertEquals(Map.of("upstream_provider", "Anthropic", "app_id", "4711", "api_type", "completions"),
                record.tags());
        assertEquals(1, record.requests());
        // native counts (1234 / 420), not OpenRouter's normalised ones (1180 / 402)
        assertEquals(1234, record.promptTokens());
        assertEquals(420, record.completionTokens());
        assertEquals(120, record.reasoningTokens());
        assertEquals(1000, record.cacheReadTokens());
        assertEquals(0, record.cacheWriteTokens());
        assertEquals(Optional.of(new BigDecimal("0.0042170000")), record.costUsd());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertTrue(record.streamed());
        // 1830.6 ms rounds to 1831
        assertEquals(OptionalLong.of(1831), record.latencyMs());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.empty(), record.prompt());
    }

    @Test
    void open_shouldFallBackToNormalisedCountsAndTagByokAndCancel_whenNativeCountsAreMissingAndNumbersAreStrings()
            throws IOException {
        // given: line 2 of generations.jsonl
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.OPENROUTER_JSONL);

        // when
        UsageRecord record = good(lines.get(1));

        // then
        assertEquals(2, lines.get(1).line());
        assertEquals(Instant.parse("2026-03-14T23:59:59Z"), record.timestamp());
        assertEquals("openai/gpt-4o-mini", record.model());
        assertEquals(300, record.promptTokens());
        assertEquals(75, record.completionTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(Optional.of(new BigDecimal("0.0000915000")), record.costUsd());
        assertEquals(Map.of("upstream_provider", "OpenAI", "byok", "true"), record.tags());
        // finish_reason is null: the provider's own reason is kept
        assertEquals(Optional.of("length"), record.finishReason());
        assertFalse(record.streamed());
        assertEquals(OptionalLong.of(640), record.latencyMs());
        assertEquals(Optional.of("cancelled"), record.errorCode());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Optional.empty(), record.app());
    }

    @Test
    void open_shouldQuarantineWithReason_whenRequiredFieldIsMissingOrCountIsNotANumber() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.OPENROUTER_JSONL);

        // when
        List<String> errors = lines.subList(2, lines.size()).stream().map(UsageApiFixtures::bad).toList();

        // then
        assertEquals(5, lines.size());
        assertEquals(List.of(
                "3: missing field 'model'",
                "4: missing field 'created_at'",
                "5: field 'native_tokens_prompt' must be a whole number, got 'twelve'"), errors);
    }

    @Test
    void open_shouldUnwrapData_whenFileIsTheWholeApiResponse() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.OPENROUTER_RESPONSE);

        // when
        UsageRecord record = good(lines.get(0));

        // then
        assertEquals(1, lines.size());
        assertEquals(Optional.of("gen-1700000100-Wr4pp"), record.requestId());
        // 07:05:00.5 at +02:00
        assertEquals(Instant.parse("2026-04-01T05:05:00.500Z"), record.timestamp());
        assertEquals("deepseek/deepseek-r1", record.model());
        assertEquals(530, record.promptTokens());
        assertEquals(2100, record.completionTokens());
        assertEquals(1900, record.reasoningTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(Optional.of(new BigDecimal("0.0056100000")), record.costUsd());
        assertEquals(Optional.of("tool_calls"), record.finishReason());
        assertEquals(OptionalLong.of(9120), record.latencyMs());
        // origin "" and app_id null are absent, not blank
        assertEquals(Optional.empty(), record.app());
        assertEquals(Map.of("upstream_provider", "DeepInfra"), record.tags());
    }

    @Test
    void open_shouldReadEachElement_whenFileIsAJsonArray() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.OPENROUTER_ARRAY);

        // when
        UsageRecord first = good(lines.get(0));
        UsageRecord second = good(lines.get(1));

        // then
        assertEquals(2, lines.size());
        assertEquals(Optional.of("gen-a"), first.requestId());
        assertEquals(90, first.promptTokens());
        assertEquals(30, first.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0.0000345000")), first.costUsd());
        assertEquals(Optional.of("gen-b"), second.requestId());
        assertEquals(91, second.promptTokens());
        assertEquals(31, second.completionTokens());
        assertEquals(Instant.parse("2026-05-02T12:00:01Z"), second.timestamp());
    }

    @Test
    void open_shouldReadEachGenerationAndReportBadOnesByIndex_whenResponsesAreMergedUnderDataArray()
            throws IOException {
        // given
        String text = "{\"data\":[{\"id\":\"g1\",\"created_at\":\"2026-05-02T12:00:00Z\",\"model\":\"x/y\","
                + "\"tokens_prompt\":5,\"total_cost\":0.1},{\"id\":\"g2\",\"created_at\":\"2026-05-02T12:00:00Z\"}]}";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/merged.json", text);

        // then
        assertEquals(2, lines.size());
        assertEquals(5, good(lines.get(0)).promptTokens());
        assertEquals("1: data[1]: missing field 'model'", bad(lines.get(1)));
    }

    @Test
    void open_shouldQuarantine_whenLatencyIsNegativeOrTimestampIsOutOfRange() throws IOException {
        // given
        String text = "{\"created_at\":\"2026-05-02T12:00:00Z\",\"model\":\"x/y\",\"latency\":-3}\n"
                + "{\"created_at\":\"1999-12-31T23:59:59Z\",\"model\":\"x/y\"}\n";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/bad.jsonl", text);

        // then
        assertEquals("1: field 'latency' must be a number of milliseconds >= 0, got '-3'", bad(lines.get(0)));
        assertEquals("2: field 'created_at' is out of range (2000..2099): 1999-12-31T23:59:59Z", bad(lines.get(1)));
    }

    @Test
    void open_shouldQuarantineRatherThanWrapAround_whenLatencyIsTooLargeForALong() throws IOException {
        // given: latencies past a long, and past a double. A regression: the first became a negative latency
        // (longValue wraps around) and the second threw NumberFormatException out of the reader
        String start = "{\"created_at\":\"2026-05-02T12:00:00Z\",\"model\":\"x/y\",\"latency\":";
        String text = start + "123456789012345678901234567890}\n" + start + "1e400}\n" + start + "\"1e-10000000\"}\n";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/bad.jsonl", text);

        // then
        assertEquals("1: field 'latency' must be a number of milliseconds >= 0, got "
                + "'123456789012345678901234567890'", bad(lines.get(0)));
        assertEquals("2: field 'latency' must be a number of milliseconds >= 0, got '\"Infinity\"'", bad(lines.get(1)));
        assertEquals(OptionalLong.of(0), good(lines.get(2)).latencyMs());
    }
}
