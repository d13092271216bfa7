package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/** tokenscope's own records (docs/canonical-record.md): every field the generator knows, prompt text included. */
final class CanonicalWriter implements FormatWriter {

    @Override
    public String id() {
        return "canonical";
    }

    @Override
    public Path file(Path dir, LocalDate weekStart) {
        return dir.resolve("usage-" + weekStart + ".jsonl.gz");
    }

    @Override
    public void write(SyntheticRequest r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("request_id", r.requestId());
        json.writeStringField("timestamp", r.timestamp().toString());
        json.writeStringField("user_id", r.userId());
        json.writeStringField("app", FormatWriter.app(r));
        json.writeStringField("provider", "openrouter");
        json.writeStringField("model", r.model().slug());
        json.writeNumberField("prompt_tokens", r.promptTokens());
        json.writeNumberField("completion_tokens", r.completionTokens());
        json.writeNumberField("reasoning_tokens", r.reasoningTokens());
        json.writeNumberField("cost_usd", r.costUsd());
        json.writeStringField("finish_reason", r.finishReason());
        json.writeBooleanField("tools_offered", r.toolsOffered());
        json.writeBooleanField("tool_called", r.toolCalled());
        FormatWriter.stringArray(json, "tools", r.tools());
        json.writeBooleanField("streamed", r.streamed());
        json.writeNumberField("latency_ms", r.latencyMs());
        json.writeStringField("country", r.country());
        json.writeStringField("system_prompt", r.systemPrompt());
        json.writeStringField("prompt", r.prompt());
        json.writeEndObject();
    }
}
