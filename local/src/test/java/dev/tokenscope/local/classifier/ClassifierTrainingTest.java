package dev.tokenscope.local.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.local.Csv;
import dev.tokenscope.classify.UseCase;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClassifierTrainingTest {

    @Test
    void train_should_giveIdenticalBytes_when_runTwiceOnTheSeeds() throws Exception {
        List<Example> seeds = TrainingSources.seeds();

        byte[] first = ClassifierCommand.bytes(ClassifierTraining.train(seeds));
        byte[] second = ClassifierCommand.bytes(ClassifierTraining.train(seeds));

        assertArrayEquals(first, second);
    }

    @Test
    void seeds_should_coverTheThinCategories_when_read() throws Exception {
        Set<String> categories = TrainingSources.seeds().stream().map(Example::category).collect(Collectors.toSet());

        assertTrue(categories.containsAll(Set.of(UseCase.TRANSLATION, UseCase.TECHNOLOGY, UseCase.MARKETING,
                UseCase.ADULT, UseCase.OTHER)), categories.toString());
    }

    @Test
    void capped_should_keepAtMostTheCapPerSourceAndCategory_when_aGroupIsLarge() {
        List<Example> many = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> new Example("s", Optional.empty(), "text " + i, "health")).toList();

        List<Example> kept = ClassifierTraining.capped(many, 10);

        assertEquals(10, kept.size());
        assertEquals(kept, ClassifierTraining.capped(many, 10));
    }

    @Test
    void sourceBound_should_markBucketsOneSourceExplains_when_otherSourcesRarelyUseThem() {
        List<Example> examples = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            examples.add(new Example("exam", Optional.empty(), "zyxstem shared " + i, "education"));
            examples.add(new Example("chat", Optional.empty(), "hello shared " + i, "trivia"));
            examples.add(new Example(TrainingSources.SEEDS, Optional.empty(), "hello " + i, "other"));
        }
        dev.tokenscope.classify.UseCaseFeatures features = new dev.tokenscope.classify.UseCaseFeatures(
                ClassifierTraining.BUCKETS);
        List<dev.tokenscope.classify.UseCaseFeatures.Vector> vectors = examples.stream()
                .map(e -> features.of(e.system(), e.text(), List.of(), Optional.empty())).toList();

        boolean[] bound = ClassifierTraining.sourceBound(examples, vectors);

        assertTrue(bound[bucketOf(features, "zyxstem")], "only the exam source uses it");
        assertFalse(bound[bucketOf(features, "shared")], "both sources use it alike");
        assertFalse(bound[bucketOf(features, "hello")], "the seeds use it");
    }

    private static int bucketOf(dev.tokenscope.classify.UseCaseFeatures features, String word) {
        return features.of(Optional.empty(), word, List.of(), Optional.empty()).buckets()[0];
    }

    @Test
    void read_should_keepQuotedCommasAndNewLines_when_parsingCsv() {
        List<List<String>> rows = Csv.read("a,b\n\"x, y\",\"line1\nline2 \"\"q\"\"\"\n");

        assertEquals(List.of(List.of("a", "b"), List.of("x, y", "line1\nline2 \"q\"")), rows);
    }
}
