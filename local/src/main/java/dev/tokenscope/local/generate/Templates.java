package dev.tokenscope.local.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The generator's prompt templates and system prompts (resources under generate/), written for it. */
final class Templates {

    private final Map<String, List<String>> prompts;
    private final Map<String, String> systemPrompts;

    private Templates(Map<String, List<String>> prompts, Map<String, String> systemPrompts) {
        this.prompts = prompts;
        this.systemPrompts = systemPrompts;
    }

    static Templates builtIn() {
        Map<String, List<String>> prompts = new HashMap<>();
        for (String[] row : rows("/generate/prompts.tsv", 3)) {
            prompts.computeIfAbsent(row[0] + "/" + row[1], k -> new ArrayList<>()).add(row[2]);
        }
        Map<String, String> systemPrompts = new HashMap<>();
        for (String[] row : rows("/generate/system-prompts.tsv", 2)) {
            systemPrompts.put(row[0], row[1]);
        }
        return new Templates(prompts, systemPrompts);
    }

    /** A prompt of the category in the language, its {a|b} alternatives chosen at random. */
    String prompt(String category, String language, SplittableRandom random) {
        List<String> options = prompts.get(category + "/" + language);
        if (options == null) {
            throw new IllegalStateException("no prompt template for " + category + " in " + language);
        }
        return expand(options.get(random.nextInt(options.size())), random);
    }

    String systemPrompt(String category) {
        return systemPrompts.getOrDefault(category, "You are a helpful assistant.");
    }

    static String expand(String template, SplittableRandom random) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            out.append(template, i, open);
            String[] choices = template.substring(open + 1, close).split("\\|");
            out.append(choices[random.nextInt(choices.length)]);
            i = close + 1;
        }
        return out.toString();
    }

    private static List<String[]> rows(String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Templates.class.getResourceAsStream(resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] row = line.split("\t", columns);
                if (row.length != columns) {
                    throw new IllegalStateException(resource + ": expected " + columns + " columns in: " + line);
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
