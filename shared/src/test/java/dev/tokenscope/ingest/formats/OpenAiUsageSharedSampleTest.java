package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI's own usage API examples (shared/data, from openai/openai-openapi) read through the standard registry. */
class OpenAiUsageSharedSampleTest {

    static final Path SAMPLES = Path.of("../../shared/data/formats/openai-api-usage-examples");

    /** The format the registry chose and what it read. */
    record Read(String formatId, List<ParsedLine> lines) {
    }

    static Read open(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), () -> "missing shared sample " + file.toAbsolutePath().normalize()
                + ": the OpenAI usage-API examples are expected under shared/data/formats next to the project");
        List<ParsedLine> lines = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             LogReaders.Opened opened = LogReaders.open(file.toString(), "usage/" + file.getFileName(), in,
                     FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            opened.reader().forEachRemaining(lines::add);
            return new Read(opened.format().id(), lines);
        }
    }

    static UsageRecord only(Read read) {
        assertEquals(1, read.lines().size(), () -> "lines: " + read.lines());
        return assertInstanceOf(ParsedLine.Good.class, read.lines().get(0)).record();
    }

    @Test
    void open_shouldReadTheCompletionsBucket_whenSampleIsOpenAisCompletionsUsageExample() throws IOException {
        // given
        Path file = SAMPLES.resolve("organization_usage_completions.response.json");

        // when
        Read read = open(file);
        UsageRecord record = only(read);

        // then: the sample's one bucket, not grouped, so every group-by field is null
        assertEquals("openai-usage", read.formatId());
        assertEquals(Instant.parse("2024-11-01T00:00:00Z"), record.timestamp());
        assertEquals("unknown", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(5, record.requests());
        assertEquals(1000, record.promptTokens());
        assertEquals(500, record.completionTokens());
        assertEquals(400, record.cacheReadTokens());
        assertEquals(100, record.cacheWriteTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(Optional.empty(), record.userId());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Map.of(), record.tags());
    }

    @Test
    void open_shouldReadTheEmbeddingsBucket_whenSampleIsOpenAisEmbeddingsUsageExample() throws IOException {
        // given
        Path file = SAMPLES.resolve("organization_usage_embeddings.response.json");

        // when
        Read read = open(file);
        UsageRecord record = only(read);

        // then
        assertEquals("openai-usage", read.formatId());
        assertEquals(Instant.parse("2024-11-01T00:00:00Z"), record.timestamp());
        assertEquals("unknown", record.model());
        assertEquals(2, record.requests());
        assertEquals(16, record.promptTokens());
        assertEquals(0, record.completionTokens());
        assertEquals(Map.of("usage_type", "embeddings"), record.tags());
    }
}
