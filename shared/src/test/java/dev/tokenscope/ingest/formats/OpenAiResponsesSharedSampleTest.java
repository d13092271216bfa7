package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI's own API reference examples (shared/data, from openai/openai-openapi) read through the standard registry. */
class OpenAiResponsesSharedSampleTest {

    private static final Path SAMPLES = OpenAiUsageSharedSampleTest.SAMPLES;

    @Test
    void open_shouldReadTheChatCompletion_whenSampleIsOpenAisChatCompletionsExample() throws IOException {
        // given
        Path file = SAMPLES.resolve("chat_completions_create.default.response.json");

        // when
        OpenAiUsageSharedSampleTest.Read read = OpenAiUsageSharedSampleTest.open(file);
        UsageRecord record = OpenAiUsageSharedSampleTest.only(read);

        // then: created 1741569952, usage 19 / 10 (0 cached, 0 reasoning)
        assertEquals(OpenAiResponsesFormat.ID, read.formatId());
        assertEquals(Optional.of("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT"), record.requestId());
        assertEquals(Instant.parse("2025-03-10T01:25:52Z"), record.timestamp());
        assertEquals("gpt-5.4", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(1, record.requests());
        assertEquals(19, record.promptTokens());
        assertEquals(10, record.completionTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(0, record.cacheWriteTokens());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertFalse(record.toolsOffered());
        assertEquals(Map.of("service_tier", "default"), record.tags());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Optional.empty(), record.errorCode());
    }

    @Test
    void open_shouldReadTheResponse_whenSampleIsOpenAisResponsesExample() throws IOException {
        // given
        Path file = SAMPLES.resolve("responses_create.first_example.response.json");

        // when
        OpenAiUsageSharedSampleTest.Read read = OpenAiUsageSharedSampleTest.open(file);
        UsageRecord record = OpenAiUsageSharedSampleTest.only(read);

        // then: created_at 1741476542, usage 36 in / 87 out (0 cached, 0 cache writes, 0 reasoning), tools []
        assertEquals(OpenAiResponsesFormat.ID, read.formatId());
        assertEquals(Optional.of("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b"), record.requestId());
        assertEquals(Instant.parse("2025-03-08T23:29:02Z"), record.timestamp());
        assertEquals("gpt-5.4", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(1, record.requests());
        assertEquals(36, record.promptTokens());
        assertEquals(87, record.completionTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(0, record.cacheWriteTokens());
        assertEquals(Optional.of("stop"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertFalse(record.toolsOffered());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Map.of(), record.tags());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Optional.empty(), record.errorCode());
    }

    @Test
    void detect_shouldScoreZero_whenSampleIsAnOrganizationUsageOrCostsPage() throws IOException {
        // given
        OpenAiResponsesFormat format = new OpenAiResponsesFormat();

        // when / then
        for (String name : new String[] {"organization_usage_completions.response.json",
                "organization_usage_embeddings.response.json", "organization_costs.response.json"}) {
            String text = java.nio.file.Files.readString(SAMPLES.resolve(name));
            assertEquals(0, format.detect(name, text), name);
        }
    }
}
