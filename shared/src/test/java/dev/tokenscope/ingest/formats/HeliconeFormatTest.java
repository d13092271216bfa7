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

class HeliconeFormatTest {

    private final HeliconeFormat format = new HeliconeFormat();

    private static String resource(String name) {
        return Fixtures.text("/formats/" + name);
    }

    private static List<ParsedLine> read(String name) throws IOException {
        return Fixtures.readAs(HeliconeFormat.ID, "logs/" + name, Fixtures.resource("/formats/" + name));
    }

    @Test
    void detect_shouldScoreHigh_whenHeliconeExportInJsonOrCsv() throws IOException {
        // given / when / then
        assertEquals(90, format.detect("a.jsonl", resource("helicone/requests.jsonl")));
        assertEquals(90, format.detect("a.json", resource("helicone/requests.json")));
        assertEquals(90, format.detect("a.csv", resource("helicone/requests.csv")));
    }

    @Test
    void detect_shouldScoreZero_whenCanonicalOrOtherVendorFile() throws IOException {
        // given
        String canonical = Files.readString(Path.of("../events/sample-usage.jsonl"));

        // when / then
        assertEquals(0, format.detect("sample-usage.jsonl", canonical));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/spend-logs.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("litellm/spend-logs.csv")));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/callback-payloads.jsonl")));
        assertEquals(0, format.detect("a.jsonl", resource("langfuse/observations.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("langfuse/observations.csv")));
    }

    @Test
    void open_shouldMapEveryField_whenRequestRowHasBodies() throws IOException {
        // given / when
        UsageRecord record = good(read("helicone/requests.jsonl").get(0));

        // then
        assertEquals(Optional.of("req-h-1"), record.requestId());
        assertEquals(Instant.parse("2026-03-05T08:30:00Z"), record.timestamp());
        assertEquals("gpt-4o-2024-08-06", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(Optional.of("user-9"), record.userId());
        assertEquals(Optional.of("search"), record.app());
        assertEquals(Map.of("App", "search", "Env", "prod", "requested_model", "gpt-4o"), record.tags());
        assertEquals(2000, record.promptTokens());
        assertEquals(1100, record.cacheReadTokens());
        assertEquals(0, record.cacheWriteTokens());
        assertEquals(250, record.completionTokens());
        assertEquals(50, record.reasoningTokens());
        assertEquals(Optional.of(new BigDecimal("0.0061000000")), record.costUsd());
        assertEquals(OptionalLong.of(1830), record.latencyMs());
        assertEquals(Optional.of("FR"), record.country());
        assertTrue(record.toolsOffered());
        assertTrue(record.streamed());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.of("You search the catalogue."), record.systemPrompt());
        assertEquals(Optional.of("Red shoes size 40"), record.prompt());
    }

    @Test
    void open_shouldReadStringsAndStatus_whenNumbersAreTextAndRequestFailed() throws IOException {
        // given / when
        UsageRecord record = good(read("helicone/requests.jsonl").get(1));

        // then
        assertEquals("claude-3-5-haiku-20241022", record.model());
        assertEquals(Optional.of("anthropic"), record.provider());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(420, record.promptTokens());
        assertEquals(300, record.cacheWriteTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(Optional.of(new BigDecimal("0.0004000000")), record.costUsd());
        assertEquals(OptionalLong.of(1500), record.latencyMs());
        assertEquals(Optional.of("429"), record.errorCode());
        assertEquals(Map.of("team", "growth", "cache_hit", "true"), record.tags());
        assertEquals(Optional.empty(), record.country());
        assertFalse(record.toolsOffered());
    }

    @Test
    void open_shouldQuarantineWithReason_whenRequiredFieldsAreMissing() throws IOException {
        // given / when
        List<ParsedLine> lines = read("helicone/requests.jsonl");

        // then
        assertEquals(4, lines.size());
        assertEquals("missing field 'request_created_at'", bad(lines.get(2)));
        assertEquals("missing field 'request_model'", bad(lines.get(3)));
        assertEquals(4, lines.get(3).line());
    }

    @Test
    void open_shouldReadAnthropicStyleResponse_whenFileIsJsonArray() throws IOException {
        // given / when
        List<ParsedLine> lines = read("helicone/requests.json");

        // then
        assertEquals(1, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("gemini-2.0-flash", record.model());
        assertEquals(Map.of(), record.tags());
        assertEquals(40, record.promptTokens());
        assertEquals(10, record.completionTokens());
        assertEquals(OptionalLong.of(250), record.latencyMs());
        assertEquals(Optional.of("end_turn"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
    }

    @Test
    void open_shouldReadExportToolColumns_whenFileIsCsv() throws IOException {
        // given / when
        List<ParsedLine> lines = read("helicone/requests.csv");

        // then
        assertEquals(2, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("gpt-4o-mini", record.model());
        assertEquals(Instant.parse("2026-03-05T12:00:00Z"), record.timestamp());
        assertEquals(Optional.of("carol"), record.userId());
        assertEquals(Optional.of("translator"), record.app());
        assertEquals(25, record.promptTokens());
        assertEquals(8, record.completionTokens());
        assertEquals(OptionalLong.of(2000), record.latencyMs());
        assertEquals(Optional.of(new BigDecimal("0.0000085000")), record.costUsd());
        assertEquals(Optional.of("Translate 'hello, world' to German"), record.prompt());
        UsageRecord failed = good(lines.get(1));
        assertEquals(Optional.of("500"), failed.errorCode());
        assertEquals(0, failed.promptTokens());
        assertEquals(Optional.empty(), failed.costUsd());
        assertEquals(OptionalLong.empty(), failed.latencyMs());
    }

    @Test
    void open_shouldQuarantineWithoutQuotingTheMessages_whenABodyIsBrokenJsonText() throws IOException {
        // given: a request body cut short, as a spreadsheet cuts a long cell. A regression: the reason quoted the
        // body's first 57 characters, the messages themselves, into the upload's status
        String line = "{\"request_id\": \"r\", \"request_created_at\": \"2026-03-05T10:00:00Z\", \"request_model\":"
                + " \"gpt-4o\", \"request_body\": \"{\\\"messages\\\": [{\\\"content\\\": \\\"Confidential plan\"}\n";

        // when
        List<ParsedLine> lines = Fixtures.readAs(HeliconeFormat.ID, "logs/h.jsonl", Fixtures.utf8(line));

        // then
        assertEquals("field 'request_body' is text that starts as JSON but does not parse", bad(lines.get(0)));
    }
}
