package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UseCaseLexiconTest {

    private static final int BUCKETS = 1 << 17;

    private static UseCaseLexicon lexicon(String tsv) throws IOException {
        return UseCaseLexicon.read(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), "test.tsv");
    }

    private static Set<Integer> buckets(UseCaseFeatures features, String text) {
        UseCaseFeatures.Vector v = features.of(Optional.empty(), text, List.of(), Optional.empty());
        Set<Integer> out = new TreeSet<>();
        for (int i = 0; i < v.count(); i++) {
            out.add(v.buckets()[i]);
        }
        return out;
    }

    private static boolean hasConcept(UseCaseLexicon lexicon, String concept, String text) {
        UseCaseFeatures features = new UseCaseFeatures(BUCKETS, lexicon);
        return buckets(features, text).contains(features.conceptBucket(lexicon.concepts().indexOf(concept)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "law | Please review this contract before I sign it.",
        "law | Revisa este contrato de alquiler, por favor.",
        "law | Kannst du den Vertrag prüfen?",
        "law | Проверь этот договор аренды.",
        "law | 帮我看看这份合同有没有问题。",
        "law | この契約書を確認してください。",
        "medicine | J'ai mal à la tête, dois-je voir un médecin ?",
        "money | Como funciona o imposto de renda?",
        "code | プログラミングを始めたいです。",
        "translate | Traduce esto al inglés.",
        "adventure | You find a dungeon door.",
    })
    void standard_should_mapTopicWordsOfEveryLanguage_when_theyMeanOneConcept(String concept, String text) {
        assertTrue(hasConcept(UseCaseLexicon.standard(), concept, text), concept + ": " + text);
    }

    @Test
    void features_should_matchWholeWordsAndWordStarts_when_termsSaySo() throws IOException {
        UseCaseLexicon lexicon = lexicon("law\ten\tlaw lawyer*\n");

        assertTrue(hasConcept(lexicon, "law", "ask a law question"));
        assertTrue(hasConcept(lexicon, "law", "my lawyers said no"));
        assertFalse(hasConcept(lexicon, "law", "mow the lawn"));
        assertFalse(hasConcept(lexicon, "law", "laws"));
    }

    @Test
    void features_should_preferTheLongestWordStart_when_twoTermsMatch() throws IOException {
        UseCaseLexicon lexicon = lexicon("code\ten\tprogram*\nschool\ten\tprogramme*\n");

        assertTrue(hasConcept(lexicon, "school", "the programmes"));
        assertFalse(hasConcept(lexicon, "code", "the programmes"));
        assertTrue(hasConcept(lexicon, "code", "programming"));
    }

    @Test
    void features_should_matchCjkTermsInsideARun_when_noSpacesSeparateWords() throws IOException {
        UseCaseLexicon lexicon = lexicon("law\tzh\t合同 律师事务所\n");

        assertTrue(hasConcept(lexicon, "law", "请帮我审查一下这份合同吧"));
        assertTrue(hasConcept(lexicon, "law", "我去律师事务所"));
        assertFalse(hasConcept(lexicon, "law", "合作愉快"));
    }

    @Test
    void read_should_nameTheLine_when_aTermCannotBeMatched() {
        IOException e = assertThrows(IOException.class, () -> lexicon("# comment\nlaw\ten\tlaw e-mail\n"));

        assertTrue(e.getMessage().contains("test.tsv line 2"), e.getMessage());
        assertThrows(IOException.class, () -> lexicon("law\tzh\t法\n"));
        assertThrows(IOException.class, () -> lexicon("law\ten\tla*\n"));
        assertThrows(IOException.class, () -> lexicon("law en law\n"));
    }

    @Test
    void standard_should_coverTheProjectLanguages_when_loaded() throws IOException {
        Set<String> languages = new TreeSet<>();
        try (var in = UseCaseLexicon.class.getResourceAsStream(UseCaseLexicon.RESOURCE)) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#"))
                    .map(l -> l.split("\t")).filter(p -> p.length == 3).forEach(p -> languages.add(p[1]));
        }

        assertTrue(languages.containsAll(Set.of("en", "zh", "es", "fr", "de", "ru", "ja", "pt")), languages.toString());
        assertTrue(UseCaseLexicon.standard().concepts().containsAll(List.of("law", "money", "medicine", "advertising",
                "devices", "code", "translate", "persona", "story", "office", "school", "adult")));
    }

    @Test
    void features_should_dropExamBoilerplate_when_optionLettersAndAnswerLabelsAppear() {
        UseCaseFeatures features = new UseCaseFeatures(BUCKETS);

        assertEquals(buckets(features, "Which city is larger?\nParis\nLondon"),
                buckets(features, "Question. Which city is larger?\nA. Paris\nB. London\nAnswer"));
    }

    @Test
    void features_should_beUnchanged_when_theLexiconIsEmptyAndNoTermMatches() {
        UseCaseFeatures with = new UseCaseFeatures(BUCKETS);
        UseCaseFeatures without = new UseCaseFeatures(BUCKETS, UseCaseLexicon.empty());

        assertEquals(buckets(without, "zzq xxv"), buckets(with, "zzq xxv"));
    }
}
