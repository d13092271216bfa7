package dev.tokenscope.local.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.local.Csv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the labelled prompt sources in ../shared/data/prompts into {@link Example}s through
 * {@link LabelMapping}, plus the project's own seed examples (classifier/seeds.tsv). Output order is fixed
 * (sources by name, files sorted, rows in file order), so training is reproducible. Prompt text is held in
 * memory only for training; nothing is written out but the model.
 */
public final class TrainingSources {

    public static final String SEEDS = "seeds";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingSources() {
    }

    public static List<Example> all(Path prompts) throws IOException {
        List<Example> out = new ArrayList<>();
        agieval(prompts.resolve("agieval-gaokao-zh"), out);
        awesome(prompts.resolve("awesome-chatgpt-prompts/prompts.csv"), out);
        belle(prompts.resolve("belle-eval-zh/eval_set.json"), out);
        chatBaseline(prompts.resolve("chat-dataset-baseline-zh/DERIVED_instructions_by_file.jsonl"), out);
        aiShort(prompts.resolve("chatgpt-shortcut-aishort/prompt_en.json"), out);
        chatHaruhi(prompts.resolve("chatharuhi-roleplay-zh/characters"), out);
        clinc(prompts.resolve("clinc150"), out);
        fastChat("fastchat-mt-bench", prompts.resolve("fastchat-mt-bench/question.jsonl"), out);
        fastChat("fastchat-vicuna-bench", prompts.resolve("fastchat-vicuna-bench/question.jsonl"), out);
        jsonLines(prompts.resolve("gsm8k/test.jsonl"), n -> add(out, "gsm8k", n.path("question").asText()));
        justEval(prompts.resolve("just-eval-tags/tags_list.json"), out);
        legalBench(prompts.resolve("legalbench/base_prompts"), out);
        jsonLines(prompts.resolve("medquad/DERIVED_medquad_questions_sample.jsonl"),
                n -> add(out, "medquad", n.path("question").asText()));
        mmlu(prompts.resolve("mmlu-hendrycks"), out);
        jsonLines(prompts.resolve("openai-human-eval/HumanEval.jsonl"),
                n -> add(out, "openai-human-eval", n.path("prompt").asText()));
        pubmed(prompts.resolve("pubmedqa/ori_pqal.json"), out);
        qmsum(prompts.resolve("qmsum-meeting-queries/DERIVED_qmsum_queries.jsonl"), out);
        roleBench(prompts.resolve("rolebench"), out);
        sciBench(prompts.resolve("scibench/original"), out);
        tatQa(prompts.resolve("tat-qa/tatqa_dataset_dev.json"), out);
        theoremQa(prompts.resolve("theoremqa/theoremqa_test.json"), out);
        workBench(prompts.resolve("workbench-office-tasks"), out);
        writingBench(prompts.resolve("writingbench/DERIVED_writingbench_queries_trunc1500.jsonl"), out);
        return out;
    }

    /** The project's own seed examples (category TAB text; `\n` for new lines), written for thin categories. */
    public static List<Example> seeds() throws IOException {
        List<Example> out = new ArrayList<>();
        try (InputStream in = TrainingSources.class.getResourceAsStream("/classifier/seeds.tsv")) {
            if (in == null) {
                throw new IOException("missing classpath resource /classifier/seeds.tsv");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                String category = tab < 0 ? "" : line.substring(0, tab);
                if (LabelMapping.seed(category).isEmpty()) {
                    throw new IOException("seeds.tsv line " + number + ": expected a category, a tab and a text");
                }
                out.add(new Example(SEEDS, Optional.empty(), line.substring(tab + 1).replace("\\n", "\n"), category));
            }
        }
        return out;
    }

    private static void add(List<Example> out, String source, String text) {
        add(out, source, Optional.empty(), text, LabelMapping.bySource(source));
    }

    private static void add(List<Example> out, String source, Optional<String> system, String text,
            Optional<String> category) {
        if (category.isPresent() && text != null && !(text.isBlank() && system.isEmpty())) {
            out.add(new Example(source, system, text, category.get()));
        }
    }

    interface NodeConsumer {
        void accept(JsonNode node) throws IOException;
    }

    private static void jsonLines(Path file, NodeConsumer consumer) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    consumer.accept(JSON.readTree(line));
                }
            }
        }
    }

    private static List<Path> sorted(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void agieval(Path dir, List<Example> out) throws IOException {
        for (Path f : sorted(dir, ".jsonl")) {
            String subject = f.getFileName().toString().replace("gaokao-", "").replace(".jsonl", "");
            jsonLines(f, n -> add(out, "agieval-gaokao-zh", Optional.empty(),
                    n.path("question").asText() + "\n" + String.join("\n", texts(n.path("options"))),
                    LabelMapping.gaokao(subject)));
        }
    }

    private static void awesome(Path file, List<Example> out) throws IOException {
        List<List<String>> rows = Csv.read(Files.readString(file, StandardCharsets.UTF_8));
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() >= 3) {
                add(out, "awesome-chatgpt-prompts", Optional.empty(), row.get(1),
                        LabelMapping.awesomePrompt(row.get(0), "TRUE".equalsIgnoreCase(row.get(2))));
            }
        }
    }

    private static void belle(Path file, List<Example> out) throws IOException {
        jsonLines(file, n -> add(out, "belle-eval-zh", Optional.empty(), n.path("question").asText(),
                LabelMapping.belle(n.path("class").asText())));
    }

    private static void chatBaseline(Path file, List<Example> out) throws IOException {
        jsonLines(file, n -> add(out, "chat-dataset-baseline-zh", Optional.empty(),
                (n.path("instruction").asText() + "\n" + n.path("input").asText()).strip(),
                LabelMapping.chatBaseline(n.path("source_file").asText())));
    }

    private static void aiShort(Path file, List<Example> out) throws IOException {
        for (JsonNode n : JSON.readTree(file.toFile())) {
            add(out, "chatgpt-shortcut-aishort", Optional.empty(), n.path("en").path("prompt").asText(),
                    LabelMapping.aiShort(texts(n.path("tags"))));
        }
    }

    private static void chatHaruhi(Path dir, List<Example> out) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : s.sorted().toList()) {
                Path f = d.resolve("system_prompt.txt");
                if (Files.isRegularFile(f)) {
                    String system = Files.readString(f, StandardCharsets.UTF_8);
                    add(out, "chatharuhi-roleplay-zh", Optional.of(system), "",
                            LabelMapping.bySource("chatharuhi-roleplay-zh"));
                }
            }
        }
    }

    private static void clinc(Path dir, List<Example> out) throws IOException {
        jsonLines(dir.resolve("DERIVED_selected_intents_all_splits.jsonl"), n -> add(out, "clinc150",
                Optional.empty(), n.path("text").asText(), LabelMapping.clinc(n.path("intent").asText())));
        JsonNode full = JSON.readTree(dir.resolve("data_full.test_and_oos_test.json").toFile());
        // The selected intents are already in the derived file; of the rest (assistant chores), every 6th row.
        int i = 0;
        for (String split : List.of("test", "oos_test")) {
            for (JsonNode pair : full.path(split)) {
                Optional<String> category = LabelMapping.clinc(pair.get(1).asText());
                if (category.filter("other"::equals).isPresent() && i++ % 6 == 0) {
                    add(out, "clinc150", Optional.empty(), pair.get(0).asText(), category);
                }
            }
        }
    }

    private static void fastChat(String source, Path file, List<Example> out) throws IOException {
        jsonLines(file, n -> add(out, source, Optional.empty(), n.path("turns").path(0).asText(),
                LabelMapping.fastChat(n.path("category").asText())));
    }

    private static void justEval(Path file, List<Example> out) throws IOException {
        for (JsonNode n : JSON.readTree(file.toFile())) {
            add(out, "just-eval-tags", Optional.empty(), n.path("instruction").asText(),
                    LabelMapping.justEval(texts(n.path("task_types")), texts(n.path("topics"))));
        }
    }

    private static void legalBench(Path dir, List<Example> out) throws IOException {
        for (Path f : sorted(dir, ".txt")) {
            add(out, "legalbench", Files.readString(f, StandardCharsets.UTF_8));
        }
    }

    private static void mmlu(Path dir, List<Example> out) throws IOException {
        for (String split : List.of("dev", "val", "test")) {
            for (Path f : sorted(dir.resolve(split), ".csv")) {
                String subject = f.getFileName().toString().replace("_" + split + ".csv", "");
                Optional<String> category = LabelMapping.mmlu(subject);
                for (List<String> row : Csv.read(Files.readString(f, StandardCharsets.UTF_8))) {
                    if (row.size() >= 5) {
                        add(out, "mmlu-hendrycks", Optional.empty(), row.get(0) + "\nA. " + row.get(1) + "\nB. "
                                + row.get(2) + "\nC. " + row.get(3) + "\nD. " + row.get(4), category);
                    }
                }
            }
        }
    }

    private static void pubmed(Path file, List<Example> out) throws IOException {
        Iterator<JsonNode> it = JSON.readTree(file.toFile()).elements();
        while (it.hasNext()) {
            JsonNode n = it.next();
            add(out, "pubmedqa", String.join("\n", texts(n.path("CONTEXTS"))) + "\n\nQuestion: "
                    + n.path("QUESTION").asText());
        }
    }

    /** QMSum queries come without the transcript; a short stub stands in for it, as a user would paste one. */
    private static void qmsum(Path file, List<Example> out) throws IOException {
        jsonLines(file, n -> add(out, "qmsum-meeting-queries", "Meeting transcript:\nSpeaker 1: ...\nSpeaker 2: ..."
                + "\n\n" + n.path("query").asText()));
    }

    /** RoleBench questions with a character system prompt of our own wording, as RoleLLM prompts them. */
    private static void roleBench(Path dir, List<Example> out) throws IOException {
        for (String f : List.of("DERIVED_role_specific_questions_en.jsonl", "DERIVED_role_specific_questions_zh.jsonl")) {
            boolean zh = f.contains("_zh");
            jsonLines(dir.resolve(f), n -> {
                String role = n.path("role").asText();
                String system = zh ? "你是" + role + "。请保持角色，用" + role + "的口吻回答。"
                        : "You are " + role + ". Stay in character and answer as " + role + " would.";
                add(out, "rolebench", Optional.of(system), n.path("question").asText(),
                        LabelMapping.bySource("rolebench"));
            });
        }
    }

    private static void sciBench(Path dir, List<Example> out) throws IOException {
        for (Path f : sorted(dir, ".json")) {
            for (JsonNode n : JSON.readTree(f.toFile())) {
                add(out, "scibench", n.path("problem_text").asText());
            }
        }
    }

    private static void tatQa(Path file, List<Example> out) throws IOException {
        for (JsonNode report : JSON.readTree(file.toFile())) {
            StringBuilder context = new StringBuilder();
            for (JsonNode row : report.path("table").path("table")) {
                context.append(String.join(" | ", texts(row))).append('\n');
            }
            for (JsonNode p : report.path("paragraphs")) {
                context.append(p.path("text").asText()).append('\n');
            }
            for (JsonNode q : report.path("questions")) {
                add(out, "tat-qa", context + "\n" + q.path("question").asText());
            }
        }
    }

    private static void theoremQa(Path file, List<Example> out) throws IOException {
        for (JsonNode n : JSON.readTree(file.toFile())) {
            add(out, "theoremqa", Optional.empty(), n.path("Question").asText(),
                    LabelMapping.theoremQa(n.path("field").asText()));
        }
    }

    private static void workBench(Path dir, List<Example> out) throws IOException {
        for (Path f : sorted(dir, ".csv")) {
            List<List<String>> rows = Csv.read(Files.readString(f, StandardCharsets.UTF_8));
            for (List<String> row : rows.subList(1, rows.size())) {
                add(out, "workbench-office-tasks", row.get(0));
            }
        }
    }

    private static void writingBench(Path file, List<Example> out) throws IOException {
        jsonLines(file, n -> add(out, "writingbench", Optional.empty(), n.path("query").asText(),
                LabelMapping.writingBench(n.path("domain1").asText(), n.path("domain2").asText())));
    }
}
