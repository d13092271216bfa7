package dev.tokenscope.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.classify.LanguageIdentifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures language identification throughput on one thread: prompts per second over the evaluation set
 * (shared/src/test/resources/classify/language-eval.jsonl), repeated, after a warm-up. Includes everything a
 * Lambda request pays: code stripping, sampling, script counts and the n-gram model.
 *
 * <p>Run from the repository root (docs/language.md):
 * <pre>
 * mvn -q -pl local -am compile
 * mvn -q -pl local dependency:build-classpath -Dmdep.outputFile=local/target/cp.txt
 * java -cp "shared/target/classes:local/target/classes:$(cat local/target/cp.txt)" \
 *     dev.tokenscope.local.LanguageBench [EVAL_JSONL] [SECONDS]
 * </pre>
 */
public final class LanguageBench {

    private LanguageBench() {
    }

    public static void main(String[] args) throws IOException {
        Path eval = Path.of(args.length > 0 ? args[0] : "shared/src/test/resources/classify/language-eval.jsonl");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        ObjectMapper json = new ObjectMapper();
        List<String> prompts = new ArrayList<>();
        long chars = 0;
        for (String line : Files.readAllLines(eval, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                String text = json.readTree(line).get("text").asText();
                prompts.add(text);
                chars += text.length();
            }
        }
        long loadStart = System.nanoTime();
        LanguageIdentifier identifier = LanguageIdentifier.standard();
        double loadMs = (System.nanoTime() - loadStart) / 1e6;

        int sink = 0;
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            for (String p : prompts) {
                sink += identifier.identify(p).code().length();
            }
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (String p : prompts) {
                sink += identifier.identify(p).code().length();
            }
            count += prompts.size();
            now = System.nanoTime();
        } while (now < end);
        double elapsed = (now - start) / 1e9;
        System.out.printf("model load: %.1f ms%n", loadMs);
        System.out.printf("%d prompts (mean %.0f chars) x %d rounds in %.2f s on one thread: %.0f prompts/s (%.2f us each)%n",
            prompts.size(), (double) chars / prompts.size(), count / prompts.size(), elapsed, count / elapsed,
            elapsed * 1e6 / count);
        if (sink == 42) {
            System.out.println(); // keeps the JIT from dropping the loop
        }
    }
}
