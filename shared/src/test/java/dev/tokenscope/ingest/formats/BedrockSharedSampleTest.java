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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The real, published Bedrock invocation log sample (one pretty-printed ConverseStream record for Nova Lite). */
class BedrockSharedSampleTest {

    private static final Path SAMPLE = Path.of(
            "../../shared/data/formats/bedrock-invocation-logs/dheerajoruganty_setup_md_example.json");

    @Test
    void open_shouldDetectBedrockAndReadTheSampleNumbers_whenReadingThePublishedSample() throws IOException {
        // given
        assertTrue(Files.isRegularFile(SAMPLE), "the shared Bedrock sample is missing: expected it at "
                + SAMPLE.toAbsolutePath().normalize());
        List<ParsedLine> lines = new ArrayList<>();

        // when: under a neutral key, so the content alone has to identify the format
        try (InputStream in = Files.newInputStream(SAMPLE);
             LogReaders.Opened opened = LogReaders.open(SAMPLE.toString(), "uploads/sample.json", in,
                     FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            assertEquals("bedrock", opened.format().id());
            opened.reader().forEachRemaining(lines::add);
        }

        // then: the values written in the sample
        assertEquals(1, lines.size());
        UsageRecord r = assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
        assertEquals(Instant.parse("2025-03-11T00:38:02Z"), r.timestamp());
        assertEquals("amazon.nova-lite-v1:0", r.model());
        assertEquals(Optional.of("ff4b6c63-5561-4431-93b8-06a817275900"), r.requestId());
        assertEquals(Optional.of("XXXXXXXXXXXXX"), r.accountId());
        assertEquals(Optional.of("arn:aws:iam::XXXXXXXXXXXX:user/dheeraj"), r.userId());
        assertEquals(Optional.of("us-east-1"), r.region());
        assertEquals(Optional.of("bedrock"), r.provider());
        assertEquals(4, r.promptTokens());
        assertEquals(0, r.cacheReadTokens());
        assertEquals(0, r.cacheWriteTokens());
        assertEquals(38, r.completionTokens());
        assertTrue(r.streamed());
        assertEquals(Optional.of("hello how are you"), r.prompt());
        assertFalse(r.toolsOffered());
        assertEquals(Optional.of("end_turn"), r.finishReason());
        assertEquals(Optional.of(false), r.toolCalled());
        assertEquals(OptionalLong.of(302), r.latencyMs());
        assertEquals(Optional.empty(), r.costUsd());
        assertEquals(Optional.empty(), r.errorCode());
    }
}
