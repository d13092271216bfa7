package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Enricher enricher = new Enricher(dev.tokenscope.catalog.ModelCatalog.builtIn());

    private static ObjectNode row() {
        return JSON.createObjectNode().put("timestamp", "2026-11-02T09:15:02Z").put("model", "m");
    }

    @ParameterizedTest
    @CsvSource({
        "stop, stop", "end_turn, stop", "stop_sequence, stop", "complete, stop", "eos, stop", "end, stop",
        "length, length", "max_tokens, length", "model_context_window_exceeded, length",
        "tool_calls, tool_calls", "tool_use, tool_calls", "function_call, tool_calls", "tool_call, tool_calls",
        "content_filter, content_filter", "content_filtered, content_filter",
        "guardrail_intervened, content_filter", "safety, content_filter", "error, error",
        "END_TURN, stop", "'  Tool_Use  ', tool_calls", "RECITATION, content_filter", "FINISH, stop", "Other_Reason, other_reason"})
    void enrich_shouldMapFinishReasonToTheCommonVocabulary_whenVendorSpellsItItsWay(String vendor,
                                                                                   String expected) {
        // given
        UsageRecord record = CanonicalFields.toRecord(row().put("finish_reason", vendor));

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then
        assertEquals(expected, enriched.finishReason());
    }

    @Test
    void enrich_shouldSayUnknown_whenFinishReasonIsAbsentAndThereIsNoError() {
        // given
        UsageRecord record = CanonicalFields.toRecord(row());

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then
        assertEquals(Enricher.UNKNOWN, enriched.finishReason());
        assertFalse(enriched.toolCalled());
    }

    @Test
    void enrich_shouldSayError_whenFinishReasonIsAbsentAndErrorCodeIsPresent() {
        // given
        UsageRecord record = CanonicalFields.toRecord(row().put("error_code", "throttled"));

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then
        assertEquals("error", enriched.finishReason());
    }

    @Test
    void enrich_shouldDeriveToolCall_whenToolCalledIsAbsentAndFinishReasonIsToolCalls() {
        // given
        UsageRecord toolUse = CanonicalFields.toRecord(row().put("finish_reason", "tool_use"));
        UsageRecord stop = CanonicalFields.toRecord(row().put("finish_reason", "stop"));

        // when
        EnrichedRecord a = enricher.enrich(toolUse);
        EnrichedRecord b = enricher.enrich(stop);

        // then
        assertTrue(a.toolCalled());
        assertFalse(b.toolCalled());
    }

    @Test
    void enrich_shouldKeepToolCalled_whenItIsPresentWhateverTheFinishReason() {
        // given
        UsageRecord saysNoButFinishedOnTools = CanonicalFields.toRecord(row()
                .put("finish_reason", "tool_calls").put("tool_called", false));
        UsageRecord saysYesButStopped = CanonicalFields.toRecord(row()
                .put("finish_reason", "stop").put("tool_called", true));

        // when
        EnrichedRecord a = enricher.enrich(saysNoButFinishedOnTools);
        EnrichedRecord b = enricher.enrich(saysYesButStopped);

        // then
        assertFalse(a.toolCalled());
        assertTrue(b.toolCalled());
    }

    @Test
    void enrich_shouldNormaliseModelButKeepTheRawOne_whenModelHasCapitalsAndSpaces() {
        // given: CanonicalFields trims; the record keeps the case
        UsageRecord record = CanonicalFields.toRecord(row().put("model", "  DeepSeek/DeepSeek-Reasoner "));

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then
        assertEquals("deepseek/deepseek-reasoner", enriched.model());
        assertEquals("DeepSeek/DeepSeek-Reasoner", enriched.record().model());
        assertSame(record, enriched.record());
    }

    @Test
    void normalModel_shouldTrimAndLowerCase_whenGivenAnyId() {
        // given
        String model = " Anthropic.Claude-Sonnet-4-20250514-V1:0\t";

        // when
        String normal = Enricher.normalModel(model);

        // then
        assertEquals("anthropic.claude-sonnet-4-20250514-v1:0", normal);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-03T08:30:00+01:00, 2026-11-03",
        "2026-11-03T00:30:00+01:00, 2026-11-02",
        "2026-11-02T23:30:00-05:00, 2026-11-03",
        "2026-11-02T23:59:59Z, 2026-11-02",
        "2026-11-03T00:00:00Z, 2026-11-03"})
    void enrich_shouldUseTheUtcDay_whenTimestampHasAnOffset(String timestamp, LocalDate expected) {
        // given
        UsageRecord record = CanonicalFields.toRecord(row().put("timestamp", timestamp));

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then
        assertEquals(expected, enriched.day());
    }

    @org.junit.jupiter.api.Test
    void disagree_shouldFlag_whenTheLoggedCostIsOverTwiceOrUnderHalfTheCatalogs() {
        java.math.BigDecimal catalog = new java.math.BigDecimal("0.010");
        assertEquals(false, Enricher.disagree(new java.math.BigDecimal("0.020"), catalog));
        assertEquals(true, Enricher.disagree(new java.math.BigDecimal("0.0201"), catalog));
        assertEquals(false, Enricher.disagree(new java.math.BigDecimal("0.005"), catalog));
        assertEquals(true, Enricher.disagree(new java.math.BigDecimal("0.0049"), catalog));
        assertEquals(true, Enricher.disagree(java.math.BigDecimal.ZERO, catalog));
        assertEquals(false, Enricher.disagree(java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO));
    }

    @Test
    void enrich_shouldTakeTheCountryFromTheLogThenTheRegionMapping_whenTheyHaveOne() {
        // given: the user's mapping sends account 111 to Germany
        dev.tokenscope.region.RegionMapping regions = dev.tokenscope.region.RegionMapping.read(
                new java.io.ByteArrayInputStream("{\"accounts\": {\"111\": \"DE\"}}".getBytes()), "regions.json");
        Enricher mapped = new Enricher(dev.tokenscope.catalog.ModelCatalog.builtIn(),
                dev.tokenscope.classify.UseCaseClassifier.standard(), regions);

        // when
        EnrichedRecord fromMapping = mapped.enrich(CanonicalFields.toRecord(row().put("account_id", "111")));
        EnrichedRecord fromLog = mapped.enrich(CanonicalFields.toRecord(row().put("account_id", "111")
                .put("country", "br")));
        EnrichedRecord unknown = mapped.enrich(CanonicalFields.toRecord(row().put("account_id", "222")));
        EnrichedRecord fromTag = mapped.enrich(CanonicalFields.toRecord(row().put("account_id", "111")
                .put("tags", "Country=jp;team=x")));
        EnrichedRecord badTag = mapped.enrich(CanonicalFields.toRecord(row().put("account_id", "111")
                .put("tags", "country=Japan")));

        // then: the log wins over the mapping; no rule, no country
        assertEquals(java.util.Optional.of("DE"), fromMapping.country());
        assertEquals(java.util.Optional.of("europe"), fromMapping.continent());
        assertEquals(java.util.Optional.of("BR"), fromLog.country());
        assertEquals(java.util.Optional.of("south_america"), fromLog.continent());
        assertEquals(java.util.Optional.empty(), unknown.country());
        assertEquals(java.util.Optional.empty(), unknown.continent());
        assertEquals(java.util.Optional.of("JP"), fromTag.country(), "a country tag is the log's word");
        assertEquals(java.util.Optional.of("DE"), badTag.country(), "a tag that is not a code is not a country");
    }

    @Test
    void enrich_shouldLeaveTheCostOut_whenTheRequestIsBringYourOwnKey() {
        // given: an OpenRouter BYOK request whose logged cost is OpenRouter's fee only
        UsageRecord record = CanonicalFields.toRecord(row().put("model", "openai/gpt-4o-mini")
                .put("prompt_tokens", 1000).put("cost_usd", "0.00002").put("tags", "byok=true"));

        // when
        EnrichedRecord enriched = enricher.enrich(record);

        // then: no cost, from neither the log nor the catalog; the tokens stay
        assertEquals(java.util.Optional.empty(), enriched.cost());
        assertEquals("byok", enriched.costSource());
        assertFalse(enriched.costMismatch());
        assertEquals(1000, enriched.record().promptTokens());
    }
}
