package dev.tokenscope.ingest.formats;

import static dev.tokenscope.testing.Fixtures.bad;
import static dev.tokenscope.testing.Fixtures.good;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import dev.tokenscope.testing.Fixtures;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LiteLlmFormatTest {

    private final LiteLlmFormat format = new LiteLlmFormat();

    private static String resource(String name) {
        return Fixtures.text("/formats/" + name);
    }

    private static List<ParsedLine> read(String name) throws IOException {
        return Fixtures.readAs(LiteLlmFormat.ID, "logs/" + name, Fixtures.resource("/formats/" + name));
    }

    @Test
    void detect_shouldScoreHigh_whenSpendLogRowsInJsonOrCsv() throws IOException {
        // given / when / then
        assertEquals(90, format.detect("a.jsonl", resource("litellm/spend-logs.jsonl")));
        assertEquals(90, format.detect("a.json", resource("litellm/spend-logs.json")));
        assertEquals(90, format.detect("a.csv", resource("litellm/spend-logs.csv")));
        assertEquals(85, format.detect("a.jsonl", resource("litellm/callback-payloads.jsonl")));
    }

    @Test
    void detect_shouldScoreZero_whenCanonicalOrOtherVendorFile() throws IOException {
        // given
        String canonical = Files.readString(Path.of("../events/sample-usage.jsonl"));

        // when / then
        assertEquals(0, format.detect("sample-usage.jsonl", canonical));
        assertEquals(0, format.detect("a.jsonl", resource("helicone/requests.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("helicone/requests.csv")));
        assertEquals(0, format.detect("a.jsonl", resource("langfuse/observations.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("langfuse/observations.csv")));
    }

    @Test
    void open_shouldMapEveryField_whenSpendLogRowIsFullyNested() throws IOException {
        // given / when
        UsageRecord record = good(read("litellm/spend-logs.jsonl").get(0));

        // then
        assertEquals(Optional.of("req-lt-001"), record.requestId());
        assertEquals(Instant.parse("2026-03-04T10:00:00.250Z"), record.timestamp());
        assertEquals("claude-sonnet-4-20250514", record.model());
        assertEquals(Optional.of("anthropic"), record.provider());
        assertEquals(Optional.of("customer-77"), record.userId());
        assertEquals(Optional.of("team-support"), record.accountId());
        assertEquals(Map.of("prod", "true", "ticketing", "true", "model_group", "sonnet", "call_type", "acompletion",
                "api_key_alias", "support-bot-key", "team_alias", "support", "organization_id", "org-acme"),
                record.tags());
        assertEquals(1, record.requests());
        assertEquals(1200, record.promptTokens());
        assertEquals(330, record.completionTokens());
        assertEquals(120, record.reasoningTokens());
        assertEquals(800, record.cacheReadTokens());
        assertEquals(100, record.cacheWriteTokens());
        assertEquals(Optional.of(new BigDecimal("0.0042000000")), record.costUsd());
        assertEquals(OptionalLong.of(2500), record.latencyMs());
        assertEquals(Optional.of("tool_calls"), record.finishReason());
        assertTrue(record.toolsOffered());
        assertEquals(Optional.of(true), record.toolCalled());
        assertTrue(record.streamed());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.of("You answer order questions."), record.systemPrompt());
        assertEquals(Optional.of("Where is parcel 42?"), record.prompt());
    }

    @Test
    void open_shouldReadJsonTextNumbersAsStringsAndFailure_whenRowIsAsExported() throws IOException {
        // given / when
        UsageRecord record = good(read("litellm/spend-logs.jsonl").get(1));

        // then: model falls back to the group; user is the key owner when no end user is named
        assertEquals("gpt-4o-mini", record.model());
        assertEquals(Optional.of("alice"), record.userId());
        assertEquals(Optional.of("team-research"), record.accountId());
        assertEquals(50, record.promptTokens());
        assertEquals(30, record.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0E-10")), record.costUsd());
        assertEquals(Map.of("batch", "true", "call_type", "completion", "cache_hit", "true"), record.tags());
        assertEquals(Optional.of("429"), record.errorCode());
        assertEquals(OptionalLong.of(400), record.latencyMs());
        assertEquals(Optional.empty(), record.prompt());
        assertFalse(record.toolsOffered());
        assertFalse(record.streamed());
    }

    @Test
    void open_shouldQuarantineWithReason_whenRequiredFieldsAreMissing() throws IOException {
        // given / when
        List<ParsedLine> lines = read("litellm/spend-logs.jsonl");

        // then
        assertEquals(4, lines.size());
        assertEquals("missing field 'startTime'", bad(lines.get(2)));
        assertEquals(3, lines.get(2).line());
        assertEquals("missing field 'model'", bad(lines.get(3)));
    }

    @Test
    void open_shouldReadRow_whenFileIsPrettyPrintedJsonArray() throws IOException {
        // given / when
        List<ParsedLine> lines = read("litellm/spend-logs.json");

        // then
        assertEquals(1, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("text-embedding-3-small", record.model());
        assertEquals(Instant.parse("2026-03-04T08:00:00Z"), record.timestamp());
        assertEquals(12, record.promptTokens());
        assertEquals(Optional.of(new BigDecimal("0.0000100000")), record.costUsd());
        assertEquals(OptionalLong.of(120), record.latencyMs());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Map.of("call_type", "aembedding"), record.tags());
    }

    @Test
    void open_shouldParseJsonColumns_whenFileIsCsvExport() throws IOException {
        // given / when
        List<ParsedLine> lines = read("litellm/spend-logs.csv");

        // then
        assertEquals(2, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals(Optional.of("req-lt-020"), record.requestId());
        assertEquals("gpt-4.1", record.model());
        assertEquals(Optional.of("azure"), record.provider());
        assertEquals(Optional.of("bob"), record.userId());
        assertEquals(Optional.of("team-data"), record.accountId());
        assertEquals(2000, record.promptTokens());
        assertEquals(600, record.completionTokens());
        assertEquals(1500, record.cacheReadTokens());
        assertEquals(Optional.of(new BigDecimal("0.0125000000")), record.costUsd());
        assertEquals(OptionalLong.of(5125), record.latencyMs());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Map.of("nightly", "true", "model_group", "smart", "call_type", "acompletion"), record.tags());
        assertEquals(Optional.of("Draft the weekly summary, please."), record.prompt());
        assertEquals(3, lines.get(1).line());
        assertEquals("field 'spend' must be a number, got 'not-a-number'", bad(lines.get(1)));
    }

    @Test
    void open_shouldMapCallbackPayload_whenStandardLoggingPayloadLines() throws IOException {
        // given / when
        List<ParsedLine> lines = read("litellm/callback-payloads.jsonl");

        // then
        UsageRecord record = good(lines.get(0));
        assertEquals(Optional.of("req-lt-030"), record.requestId());
        assertEquals(Instant.parse("2026-03-04T10:00:00.500Z"), record.timestamp());
        assertEquals("gpt-4o", record.model());
        assertEquals(Optional.of("visitor-3"), record.userId());
        assertEquals(Optional.of("team-web"), record.accountId());
        assertEquals(500, record.promptTokens());
        assertEquals(200, record.completionTokens());
        assertEquals(256, record.cacheReadTokens());
        assertEquals(Optional.of(new BigDecimal("0.0031000000")), record.costUsd());
        assertEquals(OptionalLong.of(750), record.latencyMs());
        assertTrue(record.streamed());
        assertTrue(record.toolsOffered());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Optional.of("Be concise."), record.systemPrompt());
        assertEquals(Optional.of("Name three rivers."), record.prompt());
        assertEquals(Map.of("web", "true", "model_group", "default-chat", "call_type", "acompletion",
                "api_key_alias", "web-key"), record.tags());
        UsageRecord failed = good(lines.get(1));
        assertEquals(Optional.of("Timeout"), failed.errorCode());
        assertEquals(Optional.of(new BigDecimal("0E-10")), failed.costUsd());
    }
}
