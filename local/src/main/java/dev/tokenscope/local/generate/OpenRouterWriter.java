package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/** OpenRouter generation records (docs/formats/openrouter.md): usage, cost and user; no prompt text or tools. */
final class OpenRouterWriter implements FormatWriter {

    @Override
    public String id() {
        return "openrouter";
    }

    @Override
    public Path file(Path dir, LocalDate weekStart) {
        return dir.resolve("generations-" + weekStart + ".jsonl.gz");
    }

    @Override
    public void write(SyntheticRequest r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", r.requestId());
        json.writeStringField("created_at", r.timestamp().toString());
        json.writeStringField("model", r.model().slug());
        json.writeStringField("provider_name", r.model().facts().author());
        json.writeNumberField("tokens_prompt", r.promptTokens());
        json.writeNumberField("tokens_completion", r.completionTokens());
        json.writeNumberField("native_tokens_prompt", r.promptTokens());
        json.writeNumberField("native_tokens_completion", r.completionTokens());
        json.writeNumberField("native_tokens_reasoning", r.reasoningTokens());
        json.writeNumberField("total_cost", r.costUsd());
        json.writeStringField("external_user", r.userId());
        json.writeStringField("finish_reason", r.finishReason());
        json.writeBooleanField("streamed", r.streamed());
        json.writeNumberField("latency", r.latencyMs());
        json.writeEndObject();
    }
}
