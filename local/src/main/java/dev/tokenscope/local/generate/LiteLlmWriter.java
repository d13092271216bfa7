package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/** LiteLLM SpendLogs rows (docs/formats/litellm.md), with the messages, tools and response LiteLLM can store. */
final class LiteLlmWriter implements FormatWriter {

    @Override
    public String id() {
        return "litellm";
    }

    @Override
    public Path file(Path dir, LocalDate weekStart) {
        return dir.resolve("spend-logs-" + weekStart + ".jsonl.gz");
    }

    @Override
    public void write(SyntheticRequest r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("request_id", r.requestId());
        json.writeStringField("call_type", "acompletion");
        json.writeStringField("startTime", ISO_MILLIS.format(r.timestamp()));
        json.writeStringField("endTime", ISO_MILLIS.format(r.timestamp().plusMillis(r.latencyMs())));
        json.writeStringField("model", r.model().slug());
        json.writeStringField("custom_llm_provider", "openrouter");
        json.writeStringField("end_user", r.userId());
        json.writeNumberField("spend", r.costUsd());
        json.writeNumberField("prompt_tokens", r.promptTokens());
        json.writeNumberField("completion_tokens", r.completionTokens());
        json.writeNumberField("total_tokens", r.tokens());
        json.writeObjectFieldStart("metadata");
        json.writeObjectFieldStart("usage_object");
        json.writeObjectFieldStart("completion_tokens_details");
        json.writeNumberField("reasoning_tokens", r.reasoningTokens());
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        json.writeArrayFieldStart("messages");
        message(json, "system", r.systemPrompt());
        message(json, "user", r.prompt());
        json.writeEndArray();
        json.writeObjectFieldStart("proxy_server_request");
        json.writeBooleanField("stream", r.streamed());
        if (r.toolsOffered()) {
            json.writeArrayFieldStart("tools");
            for (String tool : r.tools()) {
                json.writeStartObject();
                json.writeStringField("type", "function");
                json.writeObjectFieldStart("function");
                json.writeStringField("name", tool);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeObjectFieldStart("response");
        json.writeArrayFieldStart("choices");
        json.writeStartObject();
        json.writeStringField("finish_reason", r.finishReason());
        json.writeObjectFieldStart("message");
        json.writeStringField("role", "assistant");
        if (r.toolCalled()) {
            json.writeArrayFieldStart("tool_calls");
            json.writeStartObject();
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", r.tools().get(0));
            json.writeStringField("arguments", "{}");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeStringField("status", "success");
        json.writeEndObject();
    }

    private static void message(JsonGenerator json, String role, String content) throws IOException {
        json.writeStartObject();
        json.writeStringField("role", role);
        json.writeStringField("content", content);
        json.writeEndObject();
    }
}
