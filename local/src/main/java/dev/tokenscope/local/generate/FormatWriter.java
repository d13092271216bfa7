package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Writes generated requests in one log format: one gzip JSON Lines file per week, named as the format's logs are. */
public interface FormatWriter {

    DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** Format id, as `--format` names it and the project's format registry knows it. */
    String id();

    /** The week's file under {@code dir}. */
    Path file(Path dir, LocalDate weekStart);

    /** One request as one JSON value (the caller ends the line). */
    void write(SyntheticRequest request, JsonGenerator json) throws IOException;

    static List<FormatWriter> all() {
        return List.of(new CanonicalWriter(), new BedrockWriter(), new OpenRouterWriter(), new LiteLlmWriter(),
                new OtelWriter());
    }

    static FormatWriter named(String id) {
        return all().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown format '" + id + "'; known: canonical, bedrock, openrouter, "
                        + "litellm, otel"));
    }

    /** The calling application, by use case: what a team's apps would be called. */
    static String app(SyntheticRequest r) {
        return switch (r.category()) {
            case "programming" -> "code-agent";
            case "roleplay", "creative_writing" -> "story-chat";
            case "translation" -> "translate-api";
            default -> "assistant";
        };
    }

    static void stringArray(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }
}
