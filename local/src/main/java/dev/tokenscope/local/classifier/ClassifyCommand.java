package dev.tokenscope.local.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.classify.UseCaseClassification;
import dev.tokenscope.classify.UseCaseClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * `tokenscope classify [FILE]`: JSON Lines {"id", "text"} in (stdin without FILE), JSON Lines
 * {"id", "category", "subtag", "confidence", "language"} out, one line per input line, in the same order.
 * Optional input fields "system", "tools" (array of names) and "app" are used when present. Text is never
 * written out. A line that is not a JSON object stops the run with its line number.
 */
public final class ClassifyCommand {

    public static final String USAGE = "usage: tokenscope classify [FILE]   (JSON Lines {\"id\",\"text\"}; stdin without FILE)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifyCommand() {
    }

    public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) throws IOException {
        if (args.size() > 1) {
            err.println(USAGE);
            return 2;
        }
        String name = args.isEmpty() ? "stdin" : args.get(0);
        InputStream in = args.isEmpty() ? stdin : Files.newInputStream(Path.of(args.get(0)));
        UseCaseClassifier classifier = UseCaseClassifier.standard();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    err.println("tokenscope classify: " + name + " line " + number + ": expected a JSON object "
                            + "{\"id\": ..., \"text\": ...}");
                    return 1;
                }
                out.println(JSON.writeValueAsString(classify(classifier, node)));
            }
        }
        out.flush();
        return 0;
    }

    static ObjectNode classify(UseCaseClassifier classifier, JsonNode node) {
        String text = node.path("text").isTextual() ? node.path("text").asText() : "";
        java.util.Optional<String> system = node.path("system").isTextual()
                ? java.util.Optional.of(node.path("system").asText()) : java.util.Optional.empty();
        List<String> tools = new java.util.ArrayList<>();
        node.path("tools").forEach(t -> tools.add(t.asText()));
        java.util.Optional<String> app = node.path("app").isTextual()
                ? java.util.Optional.of(node.path("app").asText()) : java.util.Optional.empty();
        UseCaseClassification c = classifier.classify(system, text, tools, app);
        ObjectNode result = JSON.createObjectNode();
        result.set("id", node.has("id") ? node.get("id") : JSON.nullNode());
        result.put("category", c.category());
        if (c.subtag().isPresent()) {
            result.put("subtag", c.subtag().get());
        } else {
            result.putNull("subtag");
        }
        result.put("confidence", Math.round(c.confidence() * 1000) / 1000.0);
        result.put("language", c.language().code());
        return result;
    }
}
