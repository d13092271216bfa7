package dev.tokenscope.local.classifier;

import dev.tokenscope.classify.LanguageIdentifier;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.classify.UseCaseFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Throughput of the use-case classifier (category + sub-tag + language) on one thread, over the prompts of
 * ../shared/data/prompts as they are (after the training cap), and writes the figure into docs/classifier.md.
 * Run: java -cp ... dev.tokenscope.local.classifier.ClassifierBench [PROJECT_ROOT]
 */
public final class ClassifierBench {

    static final String START = "<!-- speed:start -->";
    static final String END = "<!-- speed:end -->";

    private ClassifierBench() {
    }

    private static double best(Runnable pass, int size) {
        for (int i = 0; i < 3; i++) {
            pass.run();
        }
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            long start = System.nanoTime();
            pass.run();
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return size / (fastest / 1e9);
    }

    /** Prompts per second on one thread: full classify, the use-case model alone, language alone. */
    public record Speed(int prompts, long meanChars, double full, double model, double language) {

        public String markdown() {
            return String.format(Locale.ROOT, "Measured by `ClassifierBench` (one thread, %s, Java %s, %d cores; "
                    + "best of 7 timed passes after 3 warm-up passes, on a shared machine): %,d prompts (mean %,d "
                    + "characters).%n%n| what | prompts/s |%n|---|---:|%n| full `classify` (category, sub-tag, "
                    + "language) | **%,.0f** |%n| use-case model only (features + scores) | %,.0f |%n| language "
                    + "identification only (whole text) | %,.0f |%n", System.getProperty("os.arch"),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), prompts,
                    meanChars, full, model, language);
        }
    }

    /** Times the shipped classifier over the prompts of {@code ../shared/data/prompts} (after the cap) and the seeds. */
    public static Speed measure(Path root) throws IOException {
        List<Example> examples = new ArrayList<>(ClassifierTraining.capped(
                TrainingSources.all(root.resolve("../shared/data/prompts").normalize()), ClassifierTraining.GROUP_CAP));
        examples.addAll(TrainingSources.seeds());
        UseCaseClassifier classifier = UseCaseClassifier.standard();
        long chars = 0;
        for (Example e : examples) {
            chars += e.text().length() + e.system().map(String::length).orElse(0);
        }
        UseCaseFeatures features = new UseCaseFeatures(classifier.model().buckets());
        LanguageIdentifier languages = LanguageIdentifier.standard();
        double[] probs = new double[classifier.model().classes().size()];
        long[] sink = {0};
        Runnable full = () -> examples.forEach(e -> sink[0] += classifier.classify(e.system(), e.text(), List.of(),
                Optional.empty()).category().length());
        Runnable model = () -> examples.forEach(e -> {
            classifier.model().probabilities(features.of(e.system(), e.text(), List.of(), Optional.empty()), probs);
            sink[0] += (long) probs[0];
        });
        Runnable language = () -> examples.forEach(e -> sink[0] += languages.identify(
                e.text().isEmpty() ? e.system().orElse("") : e.text()).code().length());
        double fullRate = best(full, examples.size());
        double modelRate = best(model, examples.size());
        double languageRate = best(language, examples.size());
        if (sink[0] == 42) {
            System.out.println();
        }
        return new Speed(examples.size(), chars / examples.size(), fullRate, modelRate, languageRate);
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        String body = measure(root).markdown();
        System.out.print(body);
        ClassifierCommand.writeSection(root.resolve("docs/classifier.md"), START, END, body);
    }
}
