package dev.tokenscope.ingest.formats;

import static dev.tokenscope.ingest.formats.UsageApiFixtures.bad;
import static dev.tokenscope.ingest.formats.UsageApiFixtures.good;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiUsageFormatTest {

    private final OpenAiUsageFormat format = new OpenAiUsageFormat();

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.USAGE_PAGE, UsageApiFixtures.USAGE_JSONL})
    void detect_shouldScore95_whenHeadNamesACompletionsOrEmbeddingsResult(String resource) {
        // given
        String head = UsageApiFixtures.text(resource);

        // when
        int score = format.detect(resource, head);
        String chosen = FormatRegistry.standard(Map.of()).choose(resource, Optional.empty(), head).id();

        // then
        assertEquals(95, score);
        assertEquals("openai-usage", chosen);
    }

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.OPENROUTER_JSONL, UsageApiFixtures.OPENROUTER_RESPONSE,
            UsageApiFixtures.ACTIVITY_RESPONSE, UsageApiFixtures.ACTIVITY_JSONL, UsageApiFixtures.COSTS_PAGE,
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
        // given
        String head = UsageApiFixtures.canonicalSample();

        // when
        int score = format.detect("logs/a.jsonl", head);

        // then
        assertEquals(0, score);
    }

    @Test
    void open_shouldMapEveryField_whenResultIsGroupedByModelProjectUserAndKey() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.USAGE_PAGE);

        // when
        UsageRecord record = good(lines.get(0));

        // then
        assertEquals(1, lines.get(0).line());
        // bucket start_time 1772323200
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), record.timestamp());
        assertEquals("gpt-4.1-mini-2025-04-14", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(130, record.requests());
        // input_tokens already includes the 20000 cached, 3000 cache-write and 400 audio tokens
        assertEquals(52000, record.promptTokens());
        assertEquals(8100, record.completionTokens());
        assertEquals(20000, record.cacheReadTokens());
        assertEquals(3000, record.cacheWriteTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(Optional.of("user-kim"), record.userId());
        assertEquals(Map.of("project_id", "proj_support", "api_key_id", "key_live_01", "batch", "false",
                "service_tier", "default"), record.tags());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Optional.empty(), record.requestId());
    }

    @Test
    void open_shouldUseUnknownModel_whenUsageIsNotGroupedByModelAndNumbersAreStrings() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.USAGE_PAGE);

        // when
        UsageRecord record = good(lines.get(1));

        // then
        assertEquals("unknown", record.model());
        assertEquals(3, record.requests());
        assertEquals(700, record.promptTokens());
        assertEquals(90, record.completionTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Map.of("batch", "true"), record.tags());
    }

    @Test
    void open_shouldQuarantineOnlyThatResultByPlace_whenResultLacksItsRequestCount() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.USAGE_PAGE);

        // when
        String error = bad(lines.get(2));

        // then: the empty second bucket adds nothing
        assertEquals(3, lines.size());
        assertEquals("1: data[0].results[2]: missing field 'num_model_requests'", error);
    }

    @Test
    void open_shouldReadEmbeddingsAndRejectOtherResultTypes_whenPagesAreJsonLines() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.USAGE_JSONL);

        // when
        UsageRecord embeddings = good(lines.get(0));
        String images = bad(lines.get(1));
        UsageRecord o3 = good(lines.get(2));
        String noStart = bad(lines.get(3));

        // then
        assertEquals(4, lines.size());
        assertEquals(Instant.parse("2026-03-03T00:00:00Z"), embeddings.timestamp());
        assertEquals("text-embedding-3-small", embeddings.model());
        assertEquals(600, embeddings.requests());
        assertEquals(48000, embeddings.promptTokens());
        assertEquals(0, embeddings.completionTokens());
        assertEquals(Map.of("project_id", "proj_search", "usage_type", "embeddings"), embeddings.tags());
        assertEquals("2: data[0].results[0]: result object 'organization.usage.images.result' is not read by "
                + "openai-usage (only organization.usage.completions.result and "
                + "organization.usage.embeddings.result)", images);
        assertEquals(2, lines.get(2).line());
        assertEquals(Instant.parse("2026-03-03T01:00:00Z"), o3.timestamp());
        assertEquals("o3", o3.model());
        assertEquals(1, o3.requests());
        assertEquals(10, o3.promptTokens());
        assertEquals(2, o3.completionTokens());
        assertEquals("2: data[1]: missing field 'start_time'", noStart);
    }

    @Test
    void open_shouldReadABucketOnItsOwn_whenFileHoldsBucketsRatherThanPages() throws IOException {
        // given
        String text = "{\"object\":\"bucket\",\"start_time\":\"1772323200\",\"results\":[{\"object\":"
                + "\"organization.usage.completions.result\",\"input_tokens\":4,\"output_tokens\":1,"
                + "\"num_model_requests\":1,\"model\":\"gpt-4o\"}]}\n{\"object\":\"list\"}\n";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/buckets.jsonl", text);

        // then
        assertEquals(2, lines.size());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), good(lines.get(0)).timestamp());
        assertEquals("2: expected a page with field 'data' or a bucket with field 'results'", bad(lines.get(1)));
    }
}
