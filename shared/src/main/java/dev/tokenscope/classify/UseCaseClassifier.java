package dev.tokenscope.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Classifies a request by use case (the report's categories, {@link UseCase}) with the embedded model in
 * {@value #MODEL_RESOURCE}, and tags its language with {@link LanguageIdentifier}.
 *
 * <p>The signal is the system prompt, the user text, the tools offered and the app; their lengths are
 * bounded by {@link UseCaseFeatures}, so the cost per request does not grow with the prompt. The category
 * is the model's most probable class when its probability reaches {@link #threshold()} (0.5, the report's
 * cut) and {@code other} below it. A request with no text at all is {@code unclassified}, never guessed.
 * Sub-tags come from documented rules, not the model (there is no labelled data for them; see
 * docs/classifier.md). Deterministic, offline and thread-safe; share one instance.
 */
public final class UseCaseClassifier implements RequestClassifier {

    public static final String MODEL_RESOURCE = "/classify/usecase-model.bin.gz";
    public static final double DEFAULT_THRESHOLD = 0.5;
    static final int LANGUAGE_HEAD = 600;
    static final int LANGUAGE_TAIL = 200;

    /** Coding agents and IDE assistants whose traffic the report counts as development tools. */
    private static final List<String> DEV_TOOL_APPS = List.of("cline", "roo", "kilo", "cursor", "continue",
            "aider", "claude-code", "claude code", "codex", "copilot", "windsurf", "zed", "opencode", "goose");
    /** Tool names an agent offers when it edits files and runs commands. */
    private static final List<String> DEV_TOOL_TOOLS = List.of("read_file", "write_file", "write_to_file",
            "edit_file", "apply_diff", "apply_patch", "replace_in_file", "execute_command", "run_terminal",
            "bash", "shell", "list_files", "search_files", "str_replace", "grep", "glob");
    private static final List<String> DEV_TOOL_WORDS = List.of("git ", "commit", "pull request", "repository",
            "terminal", "vscode", "vs code", "intellij", "docker", "kubernetes", "ci/cd", "pipeline", "npm ",
            "pip install", "maven", "gradle", "webpack", "stack trace", "traceback", "compiler", "linter",
            "debugger", "workspace", "<environment_details>", "current working directory");
    private static final List<String> WRITER_WORDS = List.of("story", "novel", "chapter", "plot", "character sheet",
            "worldbuilding", "world-building", "narrat", "manuscript", "fanfic", "screenplay", "小说", "剧情", "故事");
    private static final List<String> ADULT_WORDS = List.of("nsfw", "erotic", "explicit", "sexual", "sexy", "lewd",
            "18+", "seduc", "nude", "horny", "fetish", "色情", "成人");

    private static volatile UseCaseClassifier standard;

    private final UseCaseModel model;
    private final UseCaseFeatures features;
    private final LanguageIdentifier languages;
    private final double threshold;
    private final int adultIndex;

    public UseCaseClassifier(UseCaseModel model, LanguageIdentifier languages, double threshold) {
        this.model = model;
        this.features = new UseCaseFeatures(model.buckets());
        this.languages = languages;
        this.threshold = threshold;
        this.adultIndex = model.classes().indexOf(UseCase.ADULT);
    }

    /** The classifier with the model shipped in this jar, loaded once per process. */
    public static UseCaseClassifier standard() {
        UseCaseClassifier s = standard;
        if (s == null) {
            synchronized (UseCaseClassifier.class) {
                s = standard;
                if (s == null) {
                    s = new UseCaseClassifier(loadModel(), LanguageIdentifier.standard(), DEFAULT_THRESHOLD);
                    standard = s;
                }
            }
        }
        return s;
    }

    public static UseCaseModel loadModel() {
        try (InputStream in = UseCaseClassifier.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + MODEL_RESOURCE);
            }
            return UseCaseModel.read(in, MODEL_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public double threshold() {
        return threshold;
    }

    public UseCaseModel model() {
        return model;
    }

    public UseCaseClassification classify(String userText) {
        return classify(Optional.empty(), userText, List.of(), Optional.empty());
    }

    @Override
    public UseCaseClassification classify(Optional<String> systemPrompt, String userText, List<String> toolsOffered,
            Optional<String> app) {
        String user = userText == null ? "" : userText;
        Optional<String> system = systemPrompt.filter(s -> !s.isBlank());
        if (user.isBlank() && system.isEmpty()) {
            return UseCaseClassification.unclassified();
        }
        double[] probs = new double[model.classes().size()];
        model.probabilities(features.of(system, user, toolsOffered, app), probs);
        int best = 0;
        for (int c = 1; c < probs.length; c++) {
            if (probs[c] > probs[best]) {
                best = c;
            }
        }
        Language language = languages.identify(languageSample(user.isBlank() ? system.get() : user));
        String category = model.classes().get(best);
        if (probs[best] < threshold) {
            return new UseCaseClassification(UseCase.OTHER, Optional.empty(), probs[best], language);
        }
        double adult = adultIndex >= 0 ? probs[adultIndex] : 0;
        return new UseCaseClassification(category, subtag(category, system, user, toolsOffered, app, adult),
                probs[best], language);
    }

    /**
     * The part of the text the language is judged on: its first {@value #LANGUAGE_HEAD} and last
     * {@value #LANGUAGE_TAIL} characters, so a long prompt costs no more than a short one (the identifier
     * would otherwise scan up to 16 KB; it decides Latin-script languages on 600 characters of prose).
     */
    static String languageSample(String text) {
        int head = LANGUAGE_HEAD;
        int tail = LANGUAGE_TAIL;
        return text.length() <= head + tail ? text
                : text.substring(0, head) + "\n" + text.substring(text.length() - tail);
    }

    /** Rule-based sub-tags; see the class comment. */
    static Optional<String> subtag(String category, Optional<String> system, String user, List<String> tools,
            Optional<String> app, double adultProbability) {
        if (UseCase.PROGRAMMING.equals(category)) {
            String appName = app.map(a -> a.toLowerCase(Locale.ROOT)).orElse("");
            boolean devTool = DEV_TOOL_APPS.stream().anyMatch(appName::contains)
                    || tools.stream().map(t -> t.toLowerCase(Locale.ROOT)).anyMatch(DEV_TOOL_TOOLS::contains)
                    || containsAny(sample(system, user), DEV_TOOL_WORDS);
            return Optional.of(devTool ? "development_tools" : "general");
        }
        if (UseCase.ROLEPLAY.equals(category)) {
            String text = sample(system, user);
            if (adultProbability >= 0.2 || containsAny(text, ADULT_WORDS)) {
                return Optional.of("adult");
            }
            return Optional.of(containsAny(text, WRITER_WORDS) ? "writers_resources" : "games");
        }
        return Optional.empty();
    }

    private static String sample(Optional<String> system, String user) {
        String s = system.map(v -> v.substring(0, Math.min(v.length(), UseCaseFeatures.SYSTEM_CHARS))).orElse("");
        String u = user.substring(0, Math.min(user.length(), UseCaseFeatures.HEAD_CHARS));
        return (s + "\n" + u).toLowerCase(Locale.ROOT);
    }

    private static boolean containsAny(String text, List<String> words) {
        for (String w : words) {
            if (text.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
