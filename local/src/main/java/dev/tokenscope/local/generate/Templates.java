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

    /** Templates parsed once: each part a single text or its alternatives. */
    private final Map<String, List<String[][]>> prompts;
    private final Map<String, String> systemPrompts;

    private Templates(Map<String, List<String[][]>> prompts, Map<String, String> systemPrompts) {
        this.prompts = prompts;
        this.systemPrompts = systemPrompts;
    }

    static Templates builtIn() {
        Map<String, List<String[][]>> prompts = new HashMap<>();
        for (String[] row : rows("/generate/prompts.tsv", 3)) {
            prompts.computeIfAbsent(row[0] + "/" + row[1], k -> new ArrayList<>()).add(parse(row[2]));
        }
        Map<String, String> systemPrompts = new HashMap<>();
        for (String[] row : rows("/generate/system-prompts.tsv", 2)) {
            systemPrompts.put(row[0], row[1]);
        }
        return new Templates(prompts, systemPrompts);
    }

    /** A prompt of the category in the language, its {a|b} alternatives chosen at random. */
    String prompt(String category, String language, SplittableRandom random) {
        List<String[][]> options = prompts.get(category + "/" + language);
        if (options == null) {
            throw new IllegalStateException("no prompt template for " + category + " in " + language);
        }
        StringBuilder out = new StringBuilder(160);
        for (String[] part : options.get(random.nextInt(options.size()))) {
            out.append(part.length == 1 ? part[0] : part[random.nextInt(part.length)]);
        }
        return out.toString();
    }

    String systemPrompt(String category) {
        return systemPrompts.getOrDefault(category, "You are a helpful assistant.");
    }

    /** "a {b|c} d" as [a], [b, c], [d]: a plain part is one text, a braced part its alternatives. */
    static String[][] parse(String template) {
        List<String[]> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(new String[] {template.substring(i)});
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalStateException("unclosed { in template: " + template);
            }
            if (open > i) {
                parts.add(new String[] {template.substring(i, open)});
            }
            String[] choices = template.substring(open + 1, close).split("\\|");
            // A single braced choice would be mistaken for plain text; keep it a choice of one by doubling it.
            parts.add(choices.length == 1 ? new String[] {choices[0], choices[0]} : choices);
            i = close + 1;
        }
        return parts.toArray(String[][]::new);
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
