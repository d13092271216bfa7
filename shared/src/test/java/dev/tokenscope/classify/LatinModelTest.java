package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LatinModelTest {

    private static LatinModel model(String text) {
        return LatinModel.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.tsv");
    }

    @Test
    void score_should_favour_the_language_whose_features_match_when_given_a_tiny_model() {
        LatinModel m = model("langs\taa\tbb\ng:x\t0:9\ng:y\t1:9\nw:xx\t0:3\n");
        double[] scores = new double[2];

        m.score("xx xx", scores);

        assertTrue(scores[0] > scores[1]);
        assertEquals("aa", m.language(0));
    }

    @Test
    void read_should_name_the_source_and_line_when_given_a_malformed_row() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> model("langs\taa\nthis line has no tab\n"));

        assertEquals("test.tsv:2: expected 'feature<TAB>i:count,...'", e.getMessage());
    }

    @Test
    void standard_model_should_cover_the_documented_latin_languages() {
        LanguageIdentifier.standard();
        LatinModel m = LatinModel.read(LatinModelTest.class.getResourceAsStream(LanguageIdentifier.MODEL_RESOURCE),
            LanguageIdentifier.MODEL_RESOURCE);

        assertEquals(LanguageIdentifier.LATIN_LANGUAGES, java.util.Set.copyOf(m.languages()));
    }
}
