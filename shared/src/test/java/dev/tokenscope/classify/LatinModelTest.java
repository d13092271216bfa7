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

    @Test
    void score_should_equal_the_sum_of_every_feature_when_given_known_and_unknown_words() {
        LatinModel m = LatinModel.read(LatinModelTest.class.getResourceAsStream(LanguageIdentifier.MODEL_RESOURCE),
            LanguageIdentifier.MODEL_RESOURCE);
        String text = "The quick brown fox jumps over the lazy dog; über den Zaun, l'été dernier, naïve façade, "
            + "Żółw i jeż, xqzzyv, a, antidisestablishmentarianismus";
        double[] grouped = new double[m.size()];
        double[] plain = new double[m.size()];

        int letters = m.score(text, grouped);
        int plainLetters = m.scoreEachFeature(text, plain);

        assertEquals(plainLetters, letters);
        for (int j = 0; j < plain.length; j++) {
            assertEquals(plain[j], grouped[j], 1e-9 * Math.abs(plain[j]), m.language(j));
        }
    }

    @Test
    void score_should_stop_after_the_decisive_word_when_given_a_margin() {
        LatinModel m = model("langs\taa\tbb\ng:x\t0:9\ng:y\t1:9\nw:xx\t0:3\n");
        double[] all = new double[2];
        double[] early = new double[2];

        int allLetters = m.score("xx xx xx", 8, all, Double.POSITIVE_INFINITY);
        int earlyLetters = m.score("xx xx xx", 8, early, 1e-9);

        assertEquals(6, allLetters);
        assertEquals(2, earlyLetters);
        assertEquals(all[0] - all[1], 3 * (early[0] - early[1]), 1e-9);
    }
}
