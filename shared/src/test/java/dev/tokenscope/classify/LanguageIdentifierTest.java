package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LanguageIdentifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROMPTS = Path.of("../../shared/data/prompts");
    private final LanguageIdentifier identifier = LanguageIdentifier.standard();

    record Example(String text, String lang) {
    }

    @Test
    void identify_should_reach_97_percent_when_given_the_eval_set_of_20_plus_characters() throws IOException {
        List<Example> examples = ownEvalSet();
        Map<String, int[]> perLang = new TreeMap<>();
        int correct = 0;
        int total = 0;
        List<String> misses = new ArrayList<>();
        for (Example e : examples) {
            if (e.text().length() < 20) {
                continue;
            }
            String got = identifier.identify(e.text()).code();
            int[] c = perLang.computeIfAbsent(e.lang(), k -> new int[2]);
            c[1]++;
            total++;
            if (got.equals(e.lang())) {
                c[0]++;
                correct++;
            } else {
                misses.add(e.lang() + " -> " + got + ": " + e.text().replace('\n', ' '));
            }
        }
        double accuracy = (double) correct / total;
        System.out.printf("language-eval.jsonl: %d/%d = %.4f (%d languages)%n", correct, total, accuracy,
            perLang.size());
        perLang.forEach((lang, c) -> System.out.printf("  %-8s %d/%d%n", lang, c[0], c[1]));
        misses.forEach(m -> System.out.println("  miss " + m));
        assertTrue(perLang.size() >= 15, "the eval set covers at least 15 languages");
        assertTrue(accuracy >= 0.97, "accuracy " + accuracy + " on 20+ character inputs; misses: " + misses);
    }

    @Test
    void identify_should_tag_simplified_chinese_when_given_the_shared_chinese_prompt_sets() throws IOException {
        double belle = accuracy("belle-eval-zh", jsonl(PROMPTS.resolve("belle-eval-zh/eval_set.json"), "question"),
            "zh-Hans");
        double baseline = accuracy("chat-dataset-baseline-zh",
            jsonl(PROMPTS.resolve("chat-dataset-baseline-zh/DERIVED_instructions_by_file.jsonl"), "instruction"),
            "zh-Hans");
        assertTrue(belle >= 0.97, "belle-eval-zh accuracy " + belle);
        assertTrue(baseline >= 0.97, "chat-dataset-baseline-zh accuracy " + baseline);
    }

    @Test
    void identify_should_follow_the_prompt_language_when_given_the_chatharuhi_system_prompts() throws IOException {
        Path dir = requireDir("chatharuhi-roleplay-zh/characters");
        // SOURCE.md of the set lists these 11 characters as English prompts; the other 24 are Chinese.
        List<String> english = List.of("Dumbledore", "Harry", "Hermione", "Luna", "Malfoy", "McGonagall", "Ron",
            "Snape", "Sheldon", "Penny", "Raj");
        int correct = 0;
        int total = 0;
        List<String> misses = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        try (Stream<Path> characters = Files.list(dir)) {
            for (Path character : characters.sorted().toList()) {
                Path prompt = character.resolve("system_prompt.txt");
                if (!Files.isRegularFile(prompt)) {
                    continue;
                }
                String expected = english.contains(character.getFileName().toString()) ? "en" : "zh-Hans";
                String text = Files.readString(prompt, StandardCharsets.UTF_8);
                String got = identifier.identify(text).code();
                if (isMixed(text)) {
                    // An English role-play frame around a Chinese character sheet (or the reverse): no single
                    // right answer, so reported and not scored.
                    mixed.add(character.getFileName() + "=" + got);
                    continue;
                }
                total++;
                if (got.equals(expected)) {
                    correct++;
                } else {
                    misses.add(character.getFileName() + ": " + expected + " -> " + got);
                }
            }
        }
        double accuracy = (double) correct / total;
        System.out.printf("chatharuhi-roleplay-zh (single-language prompts): %d/%d = %.4f misses %s%n", correct, total,
            accuracy, misses);
        System.out.printf("chatharuhi-roleplay-zh (mixed English/Chinese, not scored): %s%n", mixed);
        assertTrue(accuracy >= 0.97, "chatharuhi accuracy " + accuracy + " misses " + misses);
    }

    @Test
    void identify_should_tag_english_when_given_the_shared_english_prompt_sets() throws IOException {
        List<String> mtBench = new ArrayList<>();
        for (JsonNode n : jsonNodes(PROMPTS.resolve("fastchat-mt-bench/question.jsonl"))) {
            n.get("turns").forEach(t -> mtBench.add(t.asText()));
        }
        double mt = accuracy("fastchat-mt-bench (all turns)", mtBench, "en");
        // HumanEval prompts are Python signatures with an English docstring: the code-heavy case.
        double humanEval = accuracy("openai-human-eval (prompt = code + docstring)",
            jsonl(PROMPTS.resolve("openai-human-eval/HumanEval.jsonl"), "prompt"), "en");
        double gsm8k = accuracy("gsm8k", jsonl(PROMPTS.resolve("gsm8k/test.jsonl"), "question"), "en");
        assertTrue(mt >= 0.97, "mt-bench accuracy " + mt);
        assertTrue(humanEval >= 0.97, "human-eval accuracy " + humanEval);
        assertTrue(gsm8k >= 0.97, "gsm8k accuracy " + gsm8k);
    }

    @Test
    void identify_should_use_the_prose_when_given_mostly_code() {
        String prompt = "```python\nimport os\nfor f in os.listdir('.'):\n    print(f)\n```\n"
            + "Dieses Skript soll nur die Dateien auflisten, nicht die Ordner. Wie ändere ich das?";

        assertEquals("de", identifier.identify(prompt).code());
    }

    @Test
    void identify_should_ignore_urls_and_inline_code_when_given_a_short_question() {
        String prompt = "¿Qué significa `Content-Type: application/json` en https://api.example.com/v1/users?";

        assertEquals("es", identifier.identify(prompt).code());
    }

    @Test
    void identify_should_return_und_when_given_only_code_or_too_little_text() {
        assertEquals(Language.UNDETERMINED, identifier.identify("```\nx = f(y);\n```"));
        assertEquals(Language.UNDETERMINED, identifier.identify("int main() { return 0; }"));
        assertEquals(Language.UNDETERMINED, identifier.identify("ok"));
        assertEquals(Language.UNDETERMINED, identifier.identify("12345 + 678 = ?"));
        assertEquals(Language.UNDETERMINED, identifier.identify(""));
        assertEquals(Language.UNDETERMINED, identifier.identify(null));
        assertFalse(Language.UNDETERMINED.isDetermined());
    }

    @Test
    void identify_should_split_chinese_variants_and_japanese_when_given_han_text() {
        assertEquals("zh-Hans", identifier.identify("我们这个问题应该怎么处理？").code());
        assertEquals("zh-Hant", identifier.identify("我們這個問題應該怎麼處理？").code());
        assertEquals("ja", identifier.identify("この問題はどう処理すればいいですか？").code());
        assertEquals("ko", identifier.identify("이 문제를 어떻게 처리해야 하나요?").code());
    }

    @Test
    void identify_should_read_only_a_bounded_sample_when_given_a_very_long_prompt() {
        String prompt = "Please read the following report carefully and tell me what it says. ".repeat(5_000)
            + "Ceci est une phrase en français tout à la fin.";

        assertEquals("en", identifier.identify(prompt).code());
        assertTrue(NaturalText.extract(prompt).length() <= NaturalText.MAX_SAMPLE);
    }

    /** Both scripts carry real content: 20+ Han characters, 100+ Latin letters, neither a mere note. */
    private static boolean isMixed(String text) {
        long han = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count();
        long latin = text.codePoints().filter(c -> c < 0x80 && Character.isLetter(c)).count();
        return han >= 20 && latin >= 100 && han * 3 >= latin / 2;
    }

    private double accuracy(String source, List<String> texts, String expected) {
        int correct = 0;
        int total = 0;
        Map<String, Integer> wrong = new TreeMap<>();
        for (String text : texts) {
            if (text.length() < 20) {
                continue;
            }
            total++;
            String got = identifier.identify(text).code();
            if (got.equals(expected)) {
                correct++;
            } else {
                wrong.merge(got, 1, Integer::sum);
            }
        }
        double accuracy = (double) correct / total;
        System.out.printf("%s: %d/%d = %.4f (expected %s; other answers %s)%n", source, correct, total, accuracy,
            expected, wrong);
        return accuracy;
    }

    private static List<Example> ownEvalSet() throws IOException {
        List<Example> out = new ArrayList<>();
        try (InputStream in = LanguageIdentifierTest.class.getResourceAsStream("/classify/language-eval.jsonl")) {
            assertTrue(in != null, "classify/language-eval.jsonl on the test classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    out.add(new Example(n.get("text").asText(), n.get("lang").asText()));
                }
            }
        }
        return out;
    }

    private static List<String> jsonl(Path file, String field) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : jsonNodes(file)) {
            out.add(n.get(field).asText());
        }
        return out;
    }

    private static List<JsonNode> jsonNodes(Path file) throws IOException {
        requireDir(PROMPTS.relativize(file.getParent()).toString());
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static Path requireDir(String relative) {
        Path dir = PROMPTS.resolve(relative);
        assertTrue(Files.isDirectory(dir), "missing " + dir.toAbsolutePath().normalize()
            + ": these tests read the shared prompt sets from ../../shared/data/prompts next to the repository");
        return dir;
    }
}
