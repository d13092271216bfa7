package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UseCaseTrainerTest {

    private static final int BUCKETS = 1 << 10;
    private static final List<String> CLASSES = List.of("a", "b");
    private final UseCaseFeatures features = new UseCaseFeatures(BUCKETS);

    private List<UseCaseTrainer.Sample> toyData() {
        List<UseCaseTrainer.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(new UseCaseTrainer.Sample(features.of(Optional.empty(), "apple banana cherry " + i, List.of(),
                    Optional.empty()), 0, 1f));
            samples.add(new UseCaseTrainer.Sample(features.of(Optional.empty(), "engine wheel brake " + i, List.of(),
                    Optional.empty()), 1, 1f));
        }
        return samples;
    }

    private static byte[] bytes(UseCaseModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.write(out);
        return out.toByteArray();
    }

    @Test
    void train_should_giveIdenticalBytes_when_runTwiceOnTheSameData() throws IOException {
        byte[] first = bytes(new UseCaseTrainer(BUCKETS, 3, 2.0, 7).train(CLASSES, toyData()));
        byte[] second = bytes(new UseCaseTrainer(BUCKETS, 3, 2.0, 7).train(CLASSES, toyData()));

        assertArrayEquals(first, second);
    }

    @Test
    void train_should_separateTheClasses_when_theirWordsDiffer() {
        UseCaseModel model = new UseCaseTrainer(BUCKETS, 5, 2.0, 7).train(CLASSES, toyData());
        double[] p = new double[2];

        model.probabilities(features.of(Optional.empty(), "banana", List.of(), Optional.empty()), p);

        assertTrue(p[0] > 0.8, "p(a) = " + p[0]);
    }

    @Test
    void read_should_returnTheSameModel_when_givenWhatWriteWrote() throws IOException {
        UseCaseModel model = new UseCaseTrainer(BUCKETS, 2, 2.0, 7).train(CLASSES, toyData());

        UseCaseModel back = UseCaseModel.read(new ByteArrayInputStream(bytes(model)), "test");

        assertEquals(model.classes(), back.classes());
        assertArrayEquals(bytes(model), bytes(back));
    }

    @Test
    void of_should_boundTheFeatures_when_theTextIsVeryLong() {
        UseCaseFeatures.Vector v = features.of(Optional.of("s ".repeat(10_000)), "word ".repeat(100_000), List.of(),
                Optional.empty());

        assertTrue(v.count() <= UseCaseFeatures.MAX_FEATURES);
    }

    @Test
    void of_should_addToolAndAppFeatures_when_present() {
        UseCaseFeatures.Vector plain = features.of(Optional.empty(), "hello there", List.of(), Optional.empty());
        UseCaseFeatures.Vector rich = features.of(Optional.empty(), "hello there", List.of("read_file"),
                Optional.of("cline"));

        assertEquals(plain.count() + 2, rich.count());
    }

    @Test
    void of_should_useCharacterFeatures_when_theTextIsChinese() {
        UseCaseFeatures plain = new UseCaseFeatures(BUCKETS, UseCaseLexicon.empty());

        UseCaseFeatures.Vector v = plain.of(Optional.empty(), "翻译成英文", List.of(), Optional.empty());
        UseCaseFeatures.Vector withConcepts = features.of(Optional.empty(), "翻译成英文", List.of(), Optional.empty());

        assertEquals(5 + 4, v.count());
        assertEquals(5 + 4 + 2, withConcepts.count(), "翻译 (translate) and 英文 (a language name) are lexicon terms");
    }
}
