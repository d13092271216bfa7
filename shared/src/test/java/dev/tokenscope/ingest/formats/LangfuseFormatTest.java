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

class LangfuseFormatTest {

    private final LangfuseFormat format = new LangfuseFormat();

    private static String resource(String name) {
        return Fixtures.text("/formats/" + name);
    }

    private static List<ParsedLine> read(String name) throws IOException {
        return Fixtures.readAs(LangfuseFormat.ID, "logs/" + name, Fixtures.resource("/formats/" + name));
    }

    @Test
    void detect_shouldScoreHigh_whenObservationExportInJsonOrCsv() throws IOException {
        // given / when / then
        assertEquals(90, format.detect("a.jsonl", resource("langfuse/observations.jsonl")));
        assertEquals(90, format.detect("a.json", resource("langfuse/observations.json")));
        assertEquals(90, format.detect("a.csv", resource("langfuse/observations.csv")));
    }

    @Test
    void detect_shouldScoreZero_whenCanonicalOrOtherVendorFile() throws IOException {
        // given
        String canonical = Files.readString(Path.of("../events/sample-usage.jsonl"));

        // when / then
        assertEquals(0, format.detect("sample-usage.jsonl", canonical));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/spend-logs.jsonl")));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/callback-payloads.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("litellm/spend-logs.csv")));
        assertEquals(0, format.detect("a.jsonl", resource("helicone/requests.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("helicone/requests.csv")));
    }

    @Test
    void open_shouldMapEveryField_whenEnrichedGeneration() throws IOException {
        // given / when
        UsageRecord record = good(read("langfuse/observations.jsonl").get(0));

        // then
        assertEquals(Optional.of("obs-1"), record.requestId());
        assertEquals(Instant.parse("2026-03-06T12:00:00Z"), record.timestamp());
        assertEquals("gpt-4.1", record.model());
        assertEquals(Optional.of("u-5"), record.userId());
        assertEquals(Map.of("beta", "true", "environment", "production", "trace_name", "report-summary",
                "observation_name", "answer", "prompt_name", "summary"), record.tags());
        assertEquals(1000, record.promptTokens());
        assertEquals(600, record.cacheReadTokens());
        assertEquals(200, record.completionTokens());
        assertEquals(50, record.reasoningTokens());
        assertEquals(Optional.of(new BigDecimal("0.0022000000")), record.costUsd());
        assertEquals(OptionalLong.of(3200), record.latencyMs());
        assertTrue(record.streamed());
        assertFalse(record.toolsOffered());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.of("Be brief."), record.systemPrompt());
        assertEquals(Optional.of("Summarise the report."), record.prompt());
    }

    @Test
    void open_shouldSkipSpansAndReadCacheKeysAndErrors_whenMixedObservations() throws IOException {
        // given / when
        List<ParsedLine> lines = read("langfuse/observations.jsonl");

        // then: the span (line 2) leaves nothing; line 3 is the second record
        assertEquals(4, lines.size());
        assertEquals(3, lines.get(1).line());
        UsageRecord record = good(lines.get(1));
        assertEquals("claude-sonnet-4-20250514", record.model());
        assertEquals(2530, record.promptTokens());
        assertEquals(2000, record.cacheReadTokens());
        assertEquals(500, record.cacheWriteTokens());
        assertEquals(0, record.completionTokens());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Optional.of("ERROR"), record.errorCode());
        assertTrue(record.toolsOffered());
        assertEquals(Optional.of(true), record.toolCalled());
        assertFalse(record.streamed());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Optional.empty(), record.prompt());
    }

    @Test
    void open_shouldQuarantineWithReason_whenRequiredFieldsAreMissing() throws IOException {
        // given / when
        List<ParsedLine> lines = read("langfuse/observations.jsonl");

        // then
        assertEquals("missing field 'start_time'", bad(lines.get(2)));
        assertEquals(4, lines.get(2).line());
        assertEquals("missing field 'type'", bad(lines.get(3)));
    }

    @Test
    void open_shouldReadCostDetailsTotalAndPlainTextInput_whenJsonArray() throws IOException {
        // given / when
        List<ParsedLine> lines = read("langfuse/observations.json");

        // then: the event leaves nothing
        assertEquals(1, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("mistral-small-latest", record.model());
        assertEquals(9, record.promptTokens());
        assertEquals(17, record.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0.0000200000")), record.costUsd());
        assertEquals(OptionalLong.of(500), record.latencyMs());
        assertEquals(Optional.of("Write a haiku about tea."), record.prompt());
    }

    @Test
    void open_shouldParseJsonColumnsAndSkipEvents_whenFileIsCsv() throws IOException {
        // given / when
        List<ParsedLine> lines = read("langfuse/observations.csv");

        // then
        assertEquals(2, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("gpt-4o-mini", record.model());
        assertEquals(Optional.of("dave"), record.userId());
        assertEquals(100, record.promptTokens());
        assertEquals(30, record.cacheReadTokens());
        assertEquals(5, record.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0.0000300000")), record.costUsd());
        assertEquals(OptionalLong.of(2000), record.latencyMs());
        assertFalse(record.streamed());
        assertEquals(Map.of("csv", "true", "triage", "true", "observation_name", "classify"), record.tags());
        assertEquals(Optional.of("Is this spam?"), record.prompt());
        assertEquals(4, lines.get(1).line());
        assertEquals("missing field 'start_time'", bad(lines.get(1)));
    }
}
