package dev.tokenscope.local.classifier;

import dev.tokenscope.classify.LanguageIdentifier;
import dev.tokenscope.classify.UseCase;
import dev.tokenscope.classify.UseCaseClassification;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.classify.UseCaseModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * `tokenscope classifier train | eval`. train: reads ../shared/data/prompts and the own seeds, writes the
 * model resource. eval: leave-one-source-out (each source is held out in turn, the model trained on all the
 * others plus the seeds), prints macro-F1 and per-category precision / recall and writes them into
 * docs/classifier.md between the eval markers.
 */
public final class ClassifierCommand {

    public static final String USAGE = "usage: tokenscope classifier train|eval [--data DIR]";
    public static final String MODEL_PATH = "shared/src/main/resources/classify/usecase-model.bin.gz";
    static final String START = "<!-- eval:start -->";
    static final String END = "<!-- eval:end -->";

    private ClassifierCommand() {
    }

    public static int run(Path root, List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        Path data = root.resolve("../shared/data/prompts").normalize();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--data") && i + 1 < args.size()) {
                data = Path.of(args.get(++i));
            } else {
                err.println("tokenscope classifier: unknown option " + args.get(i));
                err.println(USAGE);
                return 2;
            }
        }
        if (!Files.isDirectory(data)) {
            err.println("tokenscope classifier: no prompt data at " + data + " (expected ../shared/data/prompts)");
            return 2;
        }
        switch (args.get(0)) {
            case "train" -> {
                byte[] model = trainBytes(data);
                Path target = root.resolve(MODEL_PATH);
                Files.createDirectories(target.getParent());
                Files.write(target, model);
                out.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", root.relativize(target), model.length);
                return 0;
            }
            case "eval" -> {
                String report = evaluate(data, out);
                writeSection(root.resolve("docs/classifier.md"), START, END, report);
                out.println("wrote the evaluation into docs/classifier.md");
                return 0;
            }
            default -> {
                err.println(USAGE);
                return 2;
            }
        }
    }

    /** The model file as bytes: the same data gives the same bytes. */
    public static byte[] trainBytes(Path data) throws IOException {
        List<Example> examples = new ArrayList<>(ClassifierTraining.capped(TrainingSources.all(data),
                ClassifierTraining.GROUP_CAP));
        examples.addAll(TrainingSources.seeds());
        return bytes(ClassifierTraining.train(examples));
    }

    public static byte[] bytes(UseCaseModel model) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        model.write(buffer);
        return buffer.toByteArray();
    }

    /**
     * What leave-one-source-out measured: labels with the 0.5 cut and of the top class, accuracy per held-out
     * source (prompts, accuracy), and the number of sources and prompts.
     */
    public record Evaluation(Metrics withCut, Metrics top1, Map<String, double[]> perSource, int sources,
            int prompts) {

        public double macroF1() {
            return withCut.macroF1();
        }

        public double accuracy() {
            return withCut.accuracy();
        }

        /** The per-category table (categories with held-out examples), as Markdown. */
        public String categoryTable() {
            StringBuilder md = new StringBuilder();
            md.append("| category | held-out prompts | precision | recall | F1 | F1 (no cut) | most often taken for |\n"
                    + "|---|---:|---:|---:|---:|---:|---|\n");
            for (String c : UseCase.identifiers()) {
                if (withCut.support(c) > 0) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %s |%n", c,
                            withCut.support(c), withCut.precision(c), withCut.recall(c), withCut.f1(c), top1.f1(c),
                            withCut.topConfusions(c)));
                }
            }
            return md.toString();
        }

        public String markdown() {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "Measured by `./tokenscope classifier eval`: leave-one-source-out "
                    + "over %d sources (%,d prompts after the cap of %d per source and category); the own seed "
                    + "examples are always in training and never in a test set.%n%n", sources, prompts,
                    ClassifierTraining.GROUP_CAP));
            md.append(String.format(Locale.ROOT, "- **macro-F1 with the 0.5 cut (low confidence -> other): %.3f**; "
                    + "accuracy %.3f%n", withCut.macroF1(), withCut.accuracy()));
            md.append(String.format(Locale.ROOT, "- macro-F1 of the top label, no cut: %.3f; accuracy %.3f%n",
                    top1.macroF1(), top1.accuracy()));
            md.append("- macro-F1 averages the categories that have held-out examples (adult has none: seeds "
                    + "only).\n\n");
            md.append(categoryTable());
            md.append("\n| held-out source | prompts | accuracy (with cut) |\n|---|---:|---:|\n");
            perSource.forEach((s, v) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.3f |%n", s, (int) v[0],
                    v[1])));
            return md.toString();
        }
    }

    /** Leave-one-source-out; returns the Markdown report. */
    static String evaluate(Path data, PrintStream out) throws IOException {
        String md = leaveOneSourceOut(data, out).markdown();
        out.print(md);
        return md;
    }

    /** Each source held out in turn: trained on the others plus the seeds, tested on the held-out source. */
    public static Evaluation leaveOneSourceOut(Path data, PrintStream progress) throws IOException {
        List<Example> all = ClassifierTraining.capped(TrainingSources.all(data), ClassifierTraining.GROUP_CAP);
        List<Example> seeds = TrainingSources.seeds();
        TreeSet<String> sources = new TreeSet<>();
        all.forEach(e -> sources.add(e.source()));
        Metrics withCut = new Metrics();
        Metrics top1 = new Metrics();
        Map<String, double[]> perSource = new TreeMap<>();
        for (String held : sources) {
            List<Example> train = new ArrayList<>(seeds);
            List<Example> test = new ArrayList<>();
            for (Example e : all) {
                (e.source().equals(held) ? test : train).add(e);
            }
            UseCaseModel model = ClassifierTraining.train(train);
            UseCaseClassifier classifier = new UseCaseClassifier(model, LanguageIdentifier.standard(),
                    UseCaseClassifier.DEFAULT_THRESHOLD);
            UseCaseClassifier noCut = new UseCaseClassifier(model, LanguageIdentifier.standard(), 0.0);
            int right = 0;
            for (Example e : test) {
                UseCaseClassification c = classifier.classify(e.system(), e.text(), List.of(), java.util.Optional.empty());
                UseCaseClassification t = noCut.classify(e.system(), e.text(), List.of(), java.util.Optional.empty());
                withCut.add(e.category(), c.category());
                top1.add(e.category(), t.category());
                if (c.category().equals(e.category())) {
                    right++;
                }
            }
            perSource.put(held, new double[] {test.size(), right / (double) test.size()});
            progress.printf(Locale.ROOT, "held out %-26s %5d prompts, accuracy %.3f%n", held, test.size(),
                    right / (double) test.size());
        }
        return new Evaluation(withCut, top1, perSource, sources.size(), all.size());
    }

    /** Replaces the text between two markers in a Markdown file (creating the file or markers if missing). */
    public static void writeSection(Path file, String start, String end, String body) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int a = text.indexOf(start);
        int b = text.indexOf(end);
        String section = start + "\n" + body + end;
        String updated = a >= 0 && b > a ? text.substring(0, a) + section + text.substring(b + end.length())
                : text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + section + "\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, updated, StandardCharsets.UTF_8);
    }

    /** Per-category counts of gold and predicted labels. */
    public static final class Metrics {
        private final Map<String, int[]> counts = new TreeMap<>(); // tp, fp, fn
        private int total;
        private int correct;

        private final Map<String, Map<String, Integer>> confusion = new TreeMap<>();

        void add(String gold, String predicted) {
            total++;
            confusion.computeIfAbsent(gold, k -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
            if (gold.equals(predicted)) {
                correct++;
                counts.computeIfAbsent(gold, k -> new int[3])[0]++;
            } else {
                counts.computeIfAbsent(predicted, k -> new int[3])[1]++;
                counts.computeIfAbsent(gold, k -> new int[3])[2]++;
            }
        }

        int support(String c) {
            int[] v = counts.getOrDefault(c, new int[3]);
            return v[0] + v[2];
        }

        double precision(String c) {
            int[] v = counts.getOrDefault(c, new int[3]);
            return v[0] + v[1] == 0 ? 0 : v[0] / (double) (v[0] + v[1]);
        }

        double recall(String c) {
            int[] v = counts.getOrDefault(c, new int[3]);
            return v[0] + v[2] == 0 ? 0 : v[0] / (double) (v[0] + v[2]);
        }

        double f1(String c) {
            double p = precision(c);
            double r = recall(c);
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        double macroF1() {
            double sum = 0;
            int n = 0;
            for (String c : UseCase.identifiers()) {
                if (support(c) > 0) {
                    sum += f1(c);
                    n++;
                }
            }
            return n == 0 ? 0 : sum / n;
        }

        /** The three most frequent wrong labels per gold category. */
        String topConfusions(String gold) {
            return confusion.getOrDefault(gold, Map.of()).entrySet().stream().filter(e -> !e.getKey().equals(gold))
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                    .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
        }

        double accuracy() {
            return total == 0 ? 0 : correct / (double) total;
        }
    }
}
