package dev.tokenscope.aggregate;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.EnrichedRecord;
import dev.tokenscope.ingest.Enricher;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RollupBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);

    private static EnrichedRecord enriched(String json) {
        try {
            return new Enricher(dev.tokenscope.catalog.ModelCatalog.builtIn()).enrich(CanonicalFields.toRecord(JSON.readTree(json)));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<RollupKey, Totals> modelDeltas(RollupBuilder builder) {
        Map<RollupKey, Totals> result = new java.util.TreeMap<>();
        builder.deltas().forEach((k, t) -> {
            if (k.dimension().equals(RollupKey.MODEL)) {
                result.put(k, t);
            }
        });
        return result;
    }

    @Test
    void deltas_shouldAddUpToTheSameDayTotalsInEveryDimension_whenRecordsDifferInEveryDimension() {
        // given: records that differ in model, catalog facts, text, tool use and country
        RollupBuilder builder = new RollupBuilder();
        builder.add(enriched("{\"timestamp\":\"2026-11-02T01:00:00Z\",\"model\":\"qwen/qwen3-coder\","
                + "\"prompt_tokens\":100,\"completion_tokens\":10,\"country\":\"DE\",\"tools_offered\":true,"
                + "\"prompt\":\"Write a Python function that reverses a linked list\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T02:00:00Z\",\"model\":\"openai/gpt-4o-mini\","
                + "\"prompt_tokens\":200,\"completion_tokens\":20,\"cost_usd\":0.5,\"finish_reason\":\"tool_calls\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T03:00:00Z\",\"model\":\"no-such-model\","
                + "\"requests\":3,\"prompt_tokens\":300,\"completion_tokens\":30,\"country\":\"JP\"}"));

        // when
        Map<RollupKey, Totals> deltas = builder.deltas();

        // then: every dimension has the same sum; the values are the documented ones
        Map<String, Totals> byDimension = new java.util.TreeMap<>();
        deltas.forEach((k, t) -> byDimension.merge(k.dimension(), t, Totals::plus));
        // the request shape has items of its own: measures zero, one prompt and one completion count per request
        Totals shapes = byDimension.remove(TokenHistogram.DIMENSION);
        assertTrue(shapes.withoutShape().isZero());
        assertEquals(2L, shapes.histogram('p').values().stream().mapToLong(Long::longValue).sum(),
                "the 3-request bucket record has no shape");
        assertEquals(2L, shapes.histogram('c').values().stream().mapToLong(Long::longValue).sum());
        assertEquals(Dimension.values().length, byDimension.size());
        Totals models = byDimension.get(RollupKey.MODEL);
        assertEquals(List.of(5L, 600L, 60L, 1L), List.of(models.requests(), models.promptTokens(),
                models.completionTokens(), models.toolCallRequests()));
        byDimension.values().forEach(t -> assertSameTotals(models, t));
        assertEquals(Set.of("europe", "asia", "unknown"), values(deltas, "continent"));
        assertEquals(Set.of("offered", "called", "none"), values(deltas, "tool_use"));
        assertEquals(Set.of("open", "proprietary", "unknown"), values(deltas, "open_weights"));
        assertEquals(Set.of("china", "rest_of_world", "unknown"), values(deltas, "origin"));
        assertEquals(Set.of("en", "unknown"), values(deltas, "language"));
        assertTrue(values(deltas, "category").contains("unclassified"));
    }

    private static Set<String> values(Map<RollupKey, Totals> deltas, String dimension) {
        Set<String> result = new java.util.HashSet<>();
        deltas.keySet().stream().filter(k -> k.dimension().equals(dimension)).forEach(k -> result.add(k.value()));
        return result;
    }

    @Test
    void deltas_shouldCountLongPrompts_whenARequestHasMoreThan20kPromptTokens() {
        // given: one request just over the line, one on it, and a usage bucket of 3 requests averaging 30K
        RollupBuilder builder = new RollupBuilder();
        builder.add(enriched("{\"timestamp\":\"2026-11-02T01:00:00Z\",\"model\":\"a\",\"prompt_tokens\":20001}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T02:00:00Z\",\"model\":\"a\",\"prompt_tokens\":20000}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T03:00:00Z\",\"model\":\"a\",\"requests\":3,"
                + "\"prompt_tokens\":90000}"));

        // when
        Totals a = modelDeltas(builder).get(new RollupKey(RollupKey.MODEL, NOV_2, "a"));

        // then: only the request over 20,000 counts; a bucket's requests have unknown sizes
        assertEquals(5, a.requests());
        assertEquals(1, a.longPromptRequests());
    }

    @Test
    void deltas_shouldSumEachMeasurePerDayAndModel_whenRecordsShareKeys() {
        // given
        RollupBuilder builder = new RollupBuilder();
        builder.add(enriched("{\"timestamp\":\"2026-11-02T01:00:00Z\",\"model\":\"A\",\"prompt_tokens\":100,"
                + "\"completion_tokens\":10,\"reasoning_tokens\":1,\"cache_read_tokens\":50,\"cache_write_tokens\":5,"
                + "\"cost_usd\":0.25,\"finish_reason\":\"tool_use\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T02:00:00Z\",\"model\":\"a\",\"prompt_tokens\":200,"
                + "\"completion_tokens\":20,\"reasoning_tokens\":2,\"cache_read_tokens\":60,\"cache_write_tokens\":6}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T03:00:00Z\",\"model\":\"a\",\"prompt_tokens\":300,"
                + "\"completion_tokens\":30,\"cost_usd\":\"0.125\",\"tool_called\":true}"));

        // when
        Map<RollupKey, Totals> deltas = modelDeltas(builder);

        // then: 3 requests, prompt 100+200+300=600, completion 10+20+30=60, reasoning 1+2=3, cache read 50+60=110,
        // cache write 5+6=11, cost 0.25+0.125=0.375 from 2 priced with 110+330=440 tokens, 2 tool calls (derived +
        // explicit), no prompt over 20K
        assertEquals(List.of(new RollupKey(RollupKey.MODEL, NOV_2, "a")), List.copyOf(deltas.keySet()));
        assertSameTotals(totals(3, 600, 60, 3, 110, 11, "0.375", 2, 2, 440, 0),
                deltas.get(new RollupKey(RollupKey.MODEL, NOV_2, "a")));
    }

    @Test
    void deltas_shouldBeInKeyOrder_whenRecordsArriveInAnyOrder() {
        // given
        RollupBuilder builder = new RollupBuilder();
        builder.add(enriched("{\"timestamp\":\"2026-11-03T01:00:00Z\",\"model\":\"b\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T01:00:00Z\",\"model\":\"z\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-03T01:00:00Z\",\"model\":\"a\"}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-02T01:00:00Z\",\"model\":\"b\"}"));

        // when
        Map<RollupKey, Totals> deltas = builder.deltas();

        // then
        assertEquals(List.copyOf(new java.util.TreeSet<>(deltas.keySet())), List.copyOf(deltas.keySet()));
        assertEquals(List.of(
                new RollupKey(RollupKey.MODEL, NOV_2, "b"), new RollupKey(RollupKey.MODEL, NOV_2, "z"),
                new RollupKey(RollupKey.MODEL, NOV_3, "a"), new RollupKey(RollupKey.MODEL, NOV_3, "b")),
                List.copyOf(modelDeltas(builder).keySet()));
        assertSameTotals(totals(1, 0, 0, 0, 0, 0, "0", 0, 0), deltas.get(new RollupKey(RollupKey.MODEL, NOV_3, "a")));
    }

    @Test
    void deltas_shouldBeEmpty_whenNothingWasAdded() {
        // given
        RollupBuilder builder = new RollupBuilder();

        // when
        Map<RollupKey, Totals> deltas = builder.deltas();

        // then
        assertEquals(Map.of(), deltas);
    }

    @Test
    void deltas_shouldCountOnlyPricedRequests_whenSomeHaveNoCost() {
        // given
        RollupBuilder builder = new RollupBuilder();
        builder.add(enriched("{\"timestamp\":\"2026-11-03T00:00:00Z\",\"model\":\"m\",\"cost_usd\":0.000168}"));
        builder.add(enriched("{\"timestamp\":\"2026-11-03T07:30:00Z\",\"model\":\"m\"}"));

        // when
        Totals t = builder.deltas().get(new RollupKey(RollupKey.MODEL, NOV_3, "m"));

        // then
        assertEquals(2, t.requests());
        assertEquals(1, t.pricedRequests());
        assertEquals(0, new java.math.BigDecimal("0.000168").compareTo(t.costUsd()));
    }

    @Test
    void deltas_shouldSumCostsExactlyWithTheScaleOfADecimalSum_whenCostsMixScalesAndMagnitudes() {
        // given costs of several scales: whole picodollars, finer than that, and a sum past a long of picodollars (9.2M USD)
        List<String> costs = new java.util.ArrayList<>(List.of("0.000168", "1.5", "0.0000000000001234", "2E+3",
                "0.000000000001"));
        costs.addAll(java.util.Collections.nCopies(12, "999999.99"));
        RollupBuilder builder = new RollupBuilder();
        java.math.BigDecimal expected = java.math.BigDecimal.ZERO;
        for (String cost : costs) {
            EnrichedRecord record = enriched("{\"timestamp\":\"2026-11-03T00:00:00Z\",\"model\":\"m\",\"cost_usd\":"
                    + cost + "}");
            builder.add(record);
            expected = expected.add(record.cost().orElseThrow());
        }

        // when
        Totals t = builder.deltas().get(new RollupKey(RollupKey.MODEL, NOV_3, "m"));

        // then the very decimal a chain of BigDecimal.add gives: same value, same scale
        assertEquals(expected, t.costUsd());
        assertEquals(costs.size(), t.pricedRequests());
    }
}
