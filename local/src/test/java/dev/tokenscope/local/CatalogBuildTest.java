package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.catalog.CatalogJson;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.catalog.ModelFacts;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog build merges the four sources by the documented precedence and reproduces the committed file. */
class CatalogBuildTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(CatalogBuildTest.class.getResource("/catalog-sources").toURI());
    }

    private static Map<String, ModelFacts> built() throws Exception {
        return CatalogBuild.build(fixture()).stream().collect(Collectors.toMap(ModelFacts::id, Function.identity()));
    }

    @Test
    void build_shouldMergeModelsDevOpenRouterAndEpoch_whenTheyNameTheSameModel() throws Exception {
        ModelFacts glm = built().get("glm-9");

        assertEquals("zhipuai", glm.author());
        assertEquals("china", glm.origin());
        assertEquals(Optional.of(true), glm.openWeights());
        assertEquals(OptionalLong.of(355_000_000_000L), glm.parametersTotal());
        assertEquals("large", glm.sizeBucket());
        assertEquals(Optional.of(true), glm.reasoning());
        // the canonical slug is a dated spelling, reached without its date, so it is not stored
        assertEquals(List.of("z-ai/glm-9", "zhipuai/glm-9"), glm.aliases());
        assertEquals(glm, ModelCatalog.of(List.of(glm)).lookup("z-ai/glm-9-0301").orElseThrow());
        assertEquals(LocalDate.of(2025, 3, 1), glm.prices().get(0).effectiveFrom());
        assertEquals(new BigDecimal("0.0000006"), glm.prices().get(0).input().orElseThrow());
    }

    @Test
    void build_shouldPreferTheLabsOwnLiteLlmPrice_whenBedrockAlsoListsTheModel() throws Exception {
        ModelFacts claude = built().get("claude-lyric-2");

        assertEquals("anthropic", claude.author());
        assertEquals(Optional.of(false), claude.openWeights());
        assertEquals("unknown", claude.sizeBucket());
        assertEquals(new BigDecimal("0.000003"), claude.prices().get(0).input().orElseThrow());
        assertEquals(new BigDecimal("0.00000375"), claude.prices().get(0).cacheWrite().orElseThrow());
        assertEquals(LocalDate.of(2025, 1, 1), claude.prices().get(0).effectiveFrom());
        ModelCatalog catalog = ModelCatalog.of(List.of(claude));
        assertEquals(claude, catalog.lookup("us.anthropic.claude-lyric-2-20250101-v1:0").orElseThrow());
    }

    @Test
    void build_shouldTakeSizeFromTheName_whenNoSourceCountsParameters() throws Exception {
        Map<String, ModelFacts> models = built();

        ModelFacts tiny = models.get("tinychat-3b");
        assertEquals(OptionalLong.of(3_000_000_000L), tiny.parametersTotal());
        assertEquals("small", tiny.sizeBucket());
        assertEquals("acme", tiny.author());
        // the lab is not in the table; Epoch's row "TinyChat 3B" gives its country
        assertEquals("rest_of_world", tiny.origin());
        assertEquals(Optional.of("US"), tiny.country());
        assertEquals(Optional.of(true), tiny.openWeights());
        assertEquals("medium", models.get("mixtral-like-8x7b").sizeBucket());
        assertTrue(models.get("mixtral-like-8x7b").parametersTotal().isEmpty());
        assertTrue(!models.containsKey("paint-1") && !models.containsKey("text-embedding-9"));
        assertEquals(4, models.size());
    }

    @Test
    void build_shouldWriteTheSameBytes_whenRunTwice() throws Exception {
        assertEquals(CatalogJson.write(CatalogBuild.build(fixture())), CatalogJson.write(CatalogBuild.build(fixture())));
    }

    @Test
    void committedCatalog_shouldEqualAFreshBuild_whenTheSharedSourcesArePresent() throws IOException {
        Path root = TestStack.projectRoot();
        Path sources = root.resolve("../shared/data/catalog").normalize();
        assertTrue(Files.isDirectory(sources), "the catalog sources are missing: expected " + sources
                + " (../shared/data/catalog beside the checkout) to rebuild and compare models.json");

        String fresh = CatalogJson.write(CatalogBuild.build(sources));

        String committed = Files.readString(root.resolve("shared/src/main/resources/catalog/models.json"),
                StandardCharsets.UTF_8);
        assertEquals(fresh, committed, "models.json is out of date: run ./tokenscope catalog build");
    }
}
