package dev.tokenscope.ingest.formats;

import static dev.tokenscope.ingest.formats.UsageApiFixtures.bad;
import static dev.tokenscope.ingest.formats.UsageApiFixtures.good;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiCostsFormatTest {

    private final OpenAiCostsFormat format = new OpenAiCostsFormat();

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.COSTS_PAGE, UsageApiFixtures.COSTS_JSONL})
    void detect_shouldScore95_whenHeadNamesACostsResult(String resource) {
        // given
        String head = UsageApiFixtures.text(resource);

        // when
        int score = format.detect(resource, head);
        String chosen = FormatRegistry.standard(Map.of()).choose(resource, Optional.empty(), head).id();

        // then
        assertEquals(95, score);
        assertEquals("openai-costs", chosen);
    }

    @ParameterizedTest
    @ValueSource(strings = {UsageApiFixtures.OPENROUTER_JSONL, UsageApiFixtures.OPENROUTER_RESPONSE,
            UsageApiFixtures.ACTIVITY_RESPONSE, UsageApiFixtures.ACTIVITY_JSONL, UsageApiFixtures.USAGE_PAGE,
            UsageApiFixtures.USAGE_JSONL})
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
    void open_shouldMakeCostOnlyRecordWithModelFromLineItem_whenLineItemNamesAModel() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.COSTS_PAGE);

        // when
        UsageRecord record = good(lines.get(0));

        // then
        assertEquals(5, lines.size());
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), record.timestamp());
        assertEquals("gpt-4.1-mini-2025-04-14", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(Optional.of(new BigDecimal("1.3725000000")), record.costUsd());
        assertEquals(0, record.requests());
        assertEquals(0, record.promptTokens());
        assertEquals(0, record.completionTokens());
        assertEquals(Map.of("line_item", "gpt-4.1-mini-2025-04-14, input", "project_id", "proj_support"),
                record.tags());
    }

    @Test
    void open_shouldUseUnknownModel_whenLineItemIsAProductOrAbsentAndValueIsAString() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.COSTS_PAGE);

        // when
        UsageRecord images = good(lines.get(1));
        UsageRecord ungrouped = good(lines.get(2));

        // then
        assertEquals("unknown", images.model());
        assertEquals(Optional.of(new BigDecimal("0.0800000000")), images.costUsd());
        assertEquals(Map.of("line_item", "Image models"), images.tags());
        assertEquals("unknown", ungrouped.model());
        assertEquals(Optional.of(new BigDecimal("0.5000000000")), ungrouped.costUsd());
        assertEquals(Map.of(), ungrouped.tags());
    }

    @Test
    void open_shouldQuarantineWithReason_whenCurrencyIsNotUsdOrAmountIsMissing() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.COSTS_PAGE);

        // when
        List<String> errors = List.of(bad(lines.get(3)), bad(lines.get(4)));

        // then
        assertEquals(List.of("1: data[0].results[3]: field 'amount.currency' is 'eur'; only usd is read",
                "1: data[0].results[4]: missing field 'amount'"), errors);
    }

    @Test
    void open_shouldReadEachPage_whenPagesAreJsonLines() throws IOException {
        // given
        List<ParsedLine> lines = UsageApiFixtures.read(format, UsageApiFixtures.COSTS_JSONL);

        // when
        UsageRecord embeddings = good(lines.get(0));
        UsageRecord search = good(lines.get(1));

        // then
        assertEquals(2, lines.size());
        assertEquals(Instant.parse("2026-03-02T00:00:00Z"), embeddings.timestamp());
        assertEquals("text-embedding-3-small", embeddings.model());
        assertEquals(Optional.of(new BigDecimal("0.0042000000")), embeddings.costUsd());
        assertEquals(2, lines.get(1).line());
        assertEquals(Instant.parse("2026-03-03T00:00:00Z"), search.timestamp());
        assertEquals("unknown", search.model());
        assertEquals(Optional.of(new BigDecimal("0.7500000000")), search.costUsd());
    }

    @Test
    void open_shouldQuarantine_whenValueIsNotANumberOrNegative() throws IOException {
        // given
        String text = "{\"object\":\"bucket\",\"start_time\":1772323200,\"results\":["
                + "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":\"a lot\",\"currency\":\"usd\"}},"
                + "{\"object\":\"organization.costs.result\",\"amount\":{\"value\":-1,\"currency\":\"usd\"}}]}";

        // when
        List<ParsedLine> lines = UsageApiFixtures.readText(format, "/bucket.json", text);

        // then
        assertEquals("1: bucket.results[0]: field 'amount.value' must be a number, got 'a lot'", bad(lines.get(0)));
        assertEquals("1: bucket.results[1]: field 'amount.value' must not be negative, got -1", bad(lines.get(1)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gpt-4o-2024-08-06, input|gpt-4o-2024-08-06",
            "ft:gpt-4o-mini-2024-07-18:acme::a1b2, training|ft:gpt-4o-mini-2024-07-18:acme::a1b2",
            "whisper-1|whisper-1",
            "Image models|unknown",
            "Embeddings|unknown",
            "web search tool calls|unknown"})
    void modelOf_shouldNameTheModel_whenLineItemStartsWithAModelId(String lineItem, String expected) {
        // when
        String model = OpenAiCostsFormat.modelOf(lineItem).orElse("unknown");

        // then
        assertEquals(expected, model);
    }
}
