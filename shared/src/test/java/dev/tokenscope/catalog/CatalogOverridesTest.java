package dev.tokenscope.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import org.junit.jupiter.api.Test;

class CatalogOverridesTest {

    private static final String BUCKET = "tokenscope-test";

    @Test
    void load_shouldBeTheBuiltInCatalog_whenTheBucketHasNoOverride() {
        assertSame(ModelCatalog.builtIn(), CatalogOverrides.load(new InMemoryObjectStore(), BUCKET));
    }

    @Test
    void load_shouldAddTheUsersModels_whenTheBucketHasAnOverride() {
        // given: an internal model, made in China, 8B parameters
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put(BUCKET, CatalogOverrides.KEY, Fixtures.utf8("{\"models\": [{\"id\": \"acme-internal-7\", "
                + "\"author\": \"acme\", \"country\": \"CN\", \"origin\": \"china\", \"open_weights\": false, "
                + "\"parameters_total\": 8000000000, \"size_bucket\": \"small\", \"aliases\": [\"acme/internal-7\"]}]}"),
                "application/json");

        // when
        ModelCatalog catalog = CatalogOverrides.load(objects, BUCKET);

        // then: the user's model is known by its alias, and the built-in models are still there
        ModelFacts acme = catalog.lookup("acme/internal-7").orElseThrow();
        assertEquals("acme", acme.author());
        assertEquals("china", acme.origin());
        assertEquals("small", acme.sizeBucket());
        assertTrue(catalog.lookup("openai/gpt-4o-mini").isPresent());
    }

    @Test
    void load_shouldFailNamingTheFile_whenTheOverrideIsBroken() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put(BUCKET, CatalogOverrides.KEY, Fixtures.utf8("{\"models\": [ {\"id\": "), "application/json");

        RuntimeException e = assertThrows(RuntimeException.class, () -> CatalogOverrides.load(objects, BUCKET));

        assertTrue(e.getMessage().contains("s3://" + BUCKET + "/" + CatalogOverrides.KEY), e.getMessage());
    }
}
