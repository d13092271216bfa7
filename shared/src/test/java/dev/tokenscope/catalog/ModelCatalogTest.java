package dev.tokenscope.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The built-in catalog answers the ids logs carry; expectations checked by hand against ../shared/data/catalog. */
class ModelCatalogTest {

    private final ModelCatalog catalog = ModelCatalog.builtIn();

    @Test
    void lookup_shouldFindClaude_whenGivenABedrockCrossRegionProfile() {
        // models.dev anthropic/claude-3-5-sonnet-20241022: open_weights = false
        ModelFacts m = catalog.lookup("us.anthropic.claude-3-5-sonnet-20240620-v1:0").orElseThrow();

        assertEquals("claude-3-5-sonnet", m.id());
        assertEquals("anthropic", m.author());
        assertEquals("rest_of_world", m.origin());
        assertEquals(Optional.of("US"), m.country());
        assertEquals(Optional.of(false), m.openWeights());
    }

    @Test
    void lookup_shouldReachTheSameModel_whenSpelledByDifferentProviders() {
        String id = "claude-3-5-sonnet";
        for (String logged : List.of("anthropic.claude-3-5-sonnet-20240620-v1:0",
                "eu.anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
                "openrouter/anthropic/claude-3.5-sonnet", "claude-3-5-sonnet-20241022", "Claude-3-5-Sonnet")) {
            assertEquals(id, catalog.lookup(logged).map(ModelFacts::id).orElse("none"), logged);
        }
    }

    @Test
    void lookup_shouldGiveDeepSeekAsChineseAndOpen_whenGivenDeepSeekChat() {
        // models.dev deepseek/deepseek-chat: open_weights = true; LiteLLM deepseek-chat: 2.8e-07 in, 4.2e-07 out
        ModelFacts m = catalog.lookup("deepseek/deepseek-chat").orElseThrow();

        assertEquals("deepseek", m.author());
        assertEquals("china", m.origin());
        assertEquals(Optional.of(true), m.openWeights());
        assertEquals(m, catalog.lookup("deepseek-chat").orElseThrow());
        PriceSchedule p = m.prices().get(0);
        assertEquals(new BigDecimal("0.00000028"), p.input().orElseThrow());
        assertEquals(new BigDecimal("0.00000042"), p.output().orElseThrow());
    }

    @Test
    void lookup_shouldGiveQwenCoderAsChineseAndLarge_whenGivenItsOpenRouterSlug() {
        // OpenRouter qwen/qwen3-coder, canonical slug qwen/qwen3-coder-480b-a35b-07-25
        ModelFacts m = catalog.lookup("qwen/qwen3-coder:free").orElseThrow();

        assertEquals("alibaba", m.author());
        assertEquals("china", m.origin());
        assertEquals(OptionalLong.of(480_000_000_000L), m.parametersTotal());
        assertEquals(OptionalLong.of(35_000_000_000L), m.parametersActive());
        assertEquals("large", m.sizeBucket());
    }

    @Test
    void lookup_shouldGiveLlamaAsLargeAndOpen_whenGivenTheOpenRouterIdOrTheBedrockId() {
        // models.dev meta/llama-3.3-70b-instruct: open_weights = true; 70B in the name
        ModelFacts m = catalog.lookup("meta-llama/llama-3.3-70b-instruct").orElseThrow();

        assertEquals("meta", m.author());
        assertEquals("large", m.sizeBucket());
        assertEquals(OptionalLong.of(70_000_000_000L), m.parametersTotal());
        assertEquals(Optional.of(true), m.openWeights());
        assertEquals(m, catalog.lookup("us.meta.llama3-3-70b-instruct-v1:0").orElseThrow());
    }

    @Test
    void lookup_shouldGiveGpt4oWithListPrices_whenGivenADatedVersion() {
        // LiteLLM gpt-4o (openai): 2.5e-06 in, 1e-05 out, 1.25e-06 cache read
        ModelFacts m = catalog.lookup("gpt-4o-2024-08-06").orElseThrow();

        assertEquals("gpt-4o", m.id());
        assertEquals("openai", m.author());
        assertEquals(Optional.of(true), m.toolSupport());
        PriceSchedule p = ModelCatalog.priceAt(m, Instant.parse("2025-01-15T00:00:00Z")).orElseThrow();
        assertEquals(new BigDecimal("0.0000025"), p.input().orElseThrow());
        assertEquals(new BigDecimal("0.00001"), p.output().orElseThrow());
        assertEquals(new BigDecimal("0.00000125"), p.cacheRead().orElseThrow());
    }

    @Test
    void lookup_shouldBeEmpty_whenTheModelIsUnknown() {
        assertTrue(catalog.lookup("acme/not-a-model-7").isEmpty());
        assertTrue(catalog.lookup("").isEmpty());
    }

    @Test
    void merge_shouldLetTheUserEntryWin_whenItHasTheSameIdOrAlias() {
        String file = """
                {"models": [
                {"id": "gpt-4o", "author": "openai", "country": "US", "aliases": ["my-gpt"],
                 "prices": [{"effective_from": "2024-01-01", "input": "0.000001", "output": "0.000002"}]},
                {"id": "house-model", "author": "acme", "aliases": ["acme/house-model-v2"]}
                ]}
                """;
        ModelCatalog overrides = ModelCatalog.read(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
                "catalog.json");

        ModelCatalog merged = catalog.merge(overrides);

        ModelFacts gpt = merged.lookup("openai/gpt-4o-2024-08-06").orElseThrow();
        assertEquals(new BigDecimal("0.000001"), gpt.prices().get(0).input().orElseThrow());
        assertEquals("rest_of_world", gpt.origin());
        assertEquals(gpt, merged.lookup("my-gpt").orElseThrow());
        assertEquals("acme", merged.lookup("acme/house-model-v2").orElseThrow().author());
        assertEquals("deepseek", merged.lookup("deepseek-chat").orElseThrow().author());
        assertEquals(new BigDecimal("0.0000025"),
                catalog.lookup("gpt-4o").orElseThrow().prices().get(0).input().orElseThrow());
    }

    @Test
    void priceAt_shouldPickTheLaterSchedule_whenTheInstantIsAfterItsStart() {
        PriceSchedule old = schedule("2024-01-01", "0.00001");
        PriceSchedule cut = schedule("2024-08-06", "0.000005");
        ModelFacts m = new ModelFacts("m", "acme", "unknown", Optional.empty(), Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty(), "unknown", Optional.empty(), Optional.empty(), List.of(), List.of(old, cut));

        assertEquals(cut, ModelCatalog.priceAt(m, Instant.parse("2024-09-01T10:00:00Z")).orElseThrow());
        assertEquals(old, ModelCatalog.priceAt(m, Instant.parse("2024-08-05T23:59:59Z")).orElseThrow());
        assertEquals(old, ModelCatalog.priceAt(m, Instant.parse("2023-06-01T00:00:00Z")).orElseThrow());
    }

    private static PriceSchedule schedule(String from, String input) {
        return new PriceSchedule(LocalDate.parse(from), Optional.of(new BigDecimal(input)), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }
}
