package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The real LiteLLM fixtures (a SpendLogs row and a StandardLoggingPayload) read end to end. */
class LiteLlmSharedSampleTest {

    private static final Path SAMPLES = Path.of("../../shared/data/formats/litellm-logging-fixtures");

    private static UsageRecord readOnly(String name) throws IOException {
        Path file = SAMPLES.resolve(name);
        assertTrue(Files.isRegularFile(file), "shared sample missing: " + file.toAbsolutePath()
                + " (expected the LiteLLM fixtures under /work/shared/data/formats)");
        String key = "logs/litellm/" + name;
        List<ParsedLine> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             LogReaders.Opened opened = LogReaders.open(key, key, in, FormatRegistry.standard(Map.of()),
                     Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            assertEquals(LiteLlmFormat.ID, opened.format().id());
            opened.reader().forEachRemaining(lines::add);
        }
        assertEquals(1, lines.size());
        return assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
    }

    @Test
    void open_shouldReadSpendLogRow_whenRealSpendLogsPayload() throws IOException {
        // given / when
        UsageRecord record = readOnly("spend_logs_payload.json");

        // then: the values the file states
        assertEquals(Optional.of("chatcmpl-2283081b-dc89-41f6-93e6-d4f914774027"), record.requestId());
        assertEquals(Instant.parse("2025-01-24T09:20:46.847371Z"), record.timestamp());
        assertEquals("gpt-4o", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(10, record.promptTokens());
        assertEquals(20, record.completionTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(Optional.of(new BigDecimal("0.0002250000")), record.costUsd());
        assertEquals(OptionalLong.of(4), record.latencyMs());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Optional.empty(), record.accountId());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.empty(), record.prompt());
        assertEquals(Map.of("call_type", "acompletion"), record.tags());
    }

    @Test
    void open_shouldReadCallbackPayload_whenRealStandardLoggingPayload() throws IOException {
        // given / when
        UsageRecord record = readOnly("standard_logging_payload.json");

        // then
        assertEquals(Optional.of("chatcmpl-2299b6a2-82a3-465a-b47c-04e685a2227f"), record.requestId());
        assertEquals(Instant.parse("2025-01-24T09:20:46.847371Z"), record.timestamp());
        assertEquals("gpt-4o", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(10, record.promptTokens());
        assertEquals(20, record.completionTokens());
        assertEquals(Optional.of(new BigDecimal("0.0002250000")), record.costUsd());
        assertEquals(OptionalLong.of(4), record.latencyMs());
        assertTrue(record.streamed());
        assertFalse(record.toolsOffered());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Optional.of("Hello, world!"), record.prompt());
        assertEquals(Optional.empty(), record.errorCode());
    }
}
