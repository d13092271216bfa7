package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OpenAI's own costs API example (shared/data) read through the standard registry. */
class OpenAiCostsSharedSampleTest {

    @Test
    void open_shouldReadTheCostsBucket_whenSampleIsOpenAisCostsExample() throws IOException {
        // given
        Path file = OpenAiUsageSharedSampleTest.SAMPLES.resolve("organization_costs.response.json");

        // when
        OpenAiUsageSharedSampleTest.Read read = OpenAiUsageSharedSampleTest.open(file);
        UsageRecord record = OpenAiUsageSharedSampleTest.only(read);

        // then: 0.06 usd for 2024-11-01, no line item, so no model
        assertEquals("openai-costs", read.formatId());
        assertEquals(Instant.parse("2024-11-01T00:00:00Z"), record.timestamp());
        assertEquals("unknown", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(Optional.of(new BigDecimal("0.0600000000")), record.costUsd());
        assertEquals(0, record.requests());
        assertEquals(0, record.promptTokens());
        assertEquals(0, record.completionTokens());
        assertEquals(Map.of(), record.tags());
    }
}
