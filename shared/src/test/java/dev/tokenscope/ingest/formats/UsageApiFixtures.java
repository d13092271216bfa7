package dev.tokenscope.ingest.formats;

import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.UsageRecord;
import dev.tokenscope.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the OpenRouter and OpenAI usage-API fixtures (formats/...) through one format, for their tests. */
final class UsageApiFixtures {

    static final String OPENROUTER_JSONL = "/formats/openrouter/generations.jsonl";
    static final String OPENROUTER_RESPONSE = "/formats/openrouter/generation-response.json";
    static final String OPENROUTER_ARRAY = "/formats/openrouter/generations-array.json";
    static final String ACTIVITY_RESPONSE = "/formats/openrouter-activity/activity-response.json";
    static final String ACTIVITY_JSONL = "/formats/openrouter-activity/activity-rows.jsonl";
    static final String USAGE_PAGE = "/formats/openai-usage/completions-page.json";
    static final String USAGE_JSONL = "/formats/openai-usage/pages.jsonl";
    static final String COSTS_PAGE = "/formats/openai-costs/costs-page.json";
    static final String COSTS_JSONL = "/formats/openai-costs/costs-pages.jsonl";

    private UsageApiFixtures() {
    }

    static String text(String resource) {
        return new String(Fixtures.resource(resource), StandardCharsets.UTF_8);
    }

    static String canonicalSample() {
        return text(Fixtures.SAMPLE_JSONL);
    }

    static List<ParsedLine> read(LogFormat format, String resource) throws IOException {
        return readText(format, resource, text(resource));
    }

    static List<ParsedLine> readText(LogFormat format, String name, String text) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        ReadContext context = new ReadContext("s3://bucket" + name, name.substring(1),
                new BufferedReader(new StringReader(text)), Limits.DEFAULT, BodyResolver.NONE);
        try (LogReader reader = format.open(context)) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    static UsageRecord good(ParsedLine line) {
        return Fixtures.good(line);
    }

    /** The line number and reason of a quarantined line, as "3: reason". */
    static String bad(ParsedLine line) {
        return line.line() + ": " + Fixtures.bad(line);
    }
}
