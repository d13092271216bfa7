package dev.tokenscope.figures;

import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Totals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcentrationTest {

    private static final double EXACT = 1e-12;

    /** Tokens as prompt + completion, with reasoning and cache tokens that must not be added again. */
    private static Totals tokens(long prompt, long completion) {
        return totals(1, prompt, completion, completion / 2, prompt, 7, "0.01", 1, 0, prompt + completion, 0);
    }

    @Test
    void among_shouldGiveSharesTopFiveAndHhi_whenThreeOpenModels() {
        // given: 500 + 300 + 200 = 1000 open tokens -> shares 0.5, 0.3, 0.2
        Map<String, Totals> openModel = Map.of(
                "deepseek/deepseek-v3", tokens(400, 100),
                "qwen/qwen3-235b", tokens(250, 50),
                "moonshotai/kimi-k2", tokens(150, 50),
                "proprietary", tokens(9000, 1000),
                "unknown", tokens(40, 10));

        // when
        Concentration c = Concentration.among(openModel);

        // then
        assertEquals(1000, c.openTokens());
        assertEquals(3, c.members());
        assertEquals(List.of(
                new Concentration.Share("deepseek/deepseek-v3", 500, 0.5),
                new Concentration.Share("qwen/qwen3-235b", 300, 0.3),
                new Concentration.Share("moonshotai/kimi-k2", 200, 0.2)), c.top());
        assertEquals(0.5, c.topShare(), EXACT);
        assertEquals(1.0, c.top5Share(), EXACT); // fewer than five members: they are all of it
        assertEquals(0.38, c.hhi(), EXACT); // 0.25 + 0.09 + 0.04
        assertEquals(List.of(
                new Excluded("proprietary", 10000, Excluded.NOT_OPEN_WEIGHT),
                new Excluded("unknown", 50, Excluded.NOT_OPEN_WEIGHT)), c.excluded());
    }

    @Test
    void among_shouldKeepFiveAndBreakTiesByName_whenSevenMembers() {
        // given: 2000 tokens; shares 0.30, 0.20, 0.20, 0.10, 0.10, 0.05, 0.05
        Map<String, Totals> openAuthor = Map.of(
                "qwen", tokens(600, 0),
                "mistralai", tokens(300, 100),
                "deepseek", tokens(400, 0),
                "z-ai", tokens(200, 0),
                "meta-llama", tokens(100, 100),
                "google", tokens(100, 0),
                "nvidia", tokens(50, 50));

        // when
        Concentration c = Concentration.among(openAuthor);

        // then: ranking qwen .30, deepseek .20, mistralai .20, meta-llama .10, z-ai .10, google .05, nvidia .05;
        // equal shares go by name, so google and nvidia (both .05) fall outside the five
        assertEquals(2000, c.openTokens());
        assertEquals(7, c.members());
        assertEquals(List.of("qwen", "deepseek", "mistralai", "meta-llama", "z-ai"),
                c.top().stream().map(Concentration.Share::name).toList());
        assertEquals(0.3, c.topShare(), EXACT);
        assertEquals(0.9, c.top5Share(), EXACT); // (600 + 400 + 400 + 200 + 200) / 2000
        // 0.09 + 0.04 + 0.04 + 0.01 + 0.01 + 0.0025 + 0.0025
        assertEquals(0.195, c.hhi(), EXACT);
        assertTrue(c.excluded().isEmpty());
    }

    @Test
    void among_shouldGiveOneAndHhiOne_whenOneOpenModel() {
        // when
        Concentration c = Concentration.among(Map.of("deepseek/deepseek-r1", tokens(10, 5)));

        // then
        assertEquals(1.0, c.topShare(), EXACT);
        assertEquals(1.0, c.top5Share(), EXACT);
        assertEquals(1.0, c.hhi(), EXACT);
    }

    @Test
    void among_shouldGiveZerosAndNoTop_whenNoOpenTokens() {
        // given: only proprietary traffic, and an open model whose tokens were all retracted
        Map<String, Totals> openModel = Map.of("proprietary", tokens(100, 0), "qwen/qwen3-coder", Totals.ZERO);

        // when
        Concentration c = Concentration.among(openModel);

        // then
        assertEquals(0, c.openTokens());
        assertEquals(0, c.members());
        assertTrue(c.top().isEmpty());
        assertEquals(0, c.topShare());
        assertEquals(0, c.top5Share());
        assertEquals(0, c.hhi());
        assertEquals(List.of(
                new Excluded("proprietary", 100, Excluded.NOT_OPEN_WEIGHT),
                new Excluded("qwen/qwen3-coder", 0, Excluded.NO_TOKENS)), c.excluded());
    }

    @Test
    void among_shouldGiveEmptyFigure_whenNoRollups() {
        // when
        Concentration c = Concentration.among(Map.of());

        // then
        assertEquals(new Concentration(0, 0, List.of(), 0, 0, 0, List.of()), c);
    }

    @Test
    void of_shouldComputeModelsAndAuthorsApart_whenBothDimensionsGiven() {
        // given: two DeepSeek models (300 + 200) against one Qwen model (500): by model the top is 0.5 either
        // way, by author DeepSeek and Qwen tie at 0.5 and the name breaks it
        Map<String, Totals> openModel = Map.of(
                "deepseek/deepseek-v3", tokens(300, 0),
                "deepseek/deepseek-r1", tokens(200, 0),
                "qwen/qwen3-coder", tokens(500, 0));
        Map<String, Totals> openAuthor = Map.of("deepseek", tokens(500, 0), "qwen", tokens(500, 0));

        // when
        OpenModelConcentration figure = OpenModelConcentration.of(openModel, openAuthor);

        // then: by model shares 0.5, 0.3, 0.2 -> HHI 0.25 + 0.09 + 0.04 = 0.38
        assertEquals("qwen/qwen3-coder", figure.byModel().top().get(0).name());
        assertEquals(0.38, figure.byModel().hhi(), EXACT);
        // by author 0.25 + 0.25 = 0.5
        assertEquals("deepseek", figure.byAuthor().top().get(0).name());
        assertEquals(0.5, figure.byAuthor().topShare(), EXACT);
        assertEquals(0.5, figure.byAuthor().hhi(), EXACT);
    }
}
