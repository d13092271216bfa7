package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * OpenTelemetry GenAI spans as OTLP/JSON (docs/formats/otel.md): one export request per line, one chat span in it,
 * with content capture on (system instructions, input and output messages, tool definitions as JSON strings).
 */
final class OtelWriter implements FormatWriter {

    @Override
    public String id() {
        return "otel";
    }

    @Override
    public Path file(Path dir, LocalDate weekStart) {
        return dir.resolve("traces-" + weekStart + ".jsonl.gz");
    }

    @Override
    public void write(SyntheticRequest r, JsonGenerator json) throws IOException {
        long startNanos = r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano();
        json.writeStartObject();
        json.writeArrayFieldStart("resourceSpans");
        json.writeStartObject();
        json.writeObjectFieldStart("resource");
        json.writeArrayFieldStart("attributes");
        string(json, "service.name", FormatWriter.app(r));
        json.writeEndArray();
        json.writeEndObject();
        json.writeArrayFieldStart("scopeSpans");
        json.writeStartObject();
        json.writeObjectFieldStart("scope");
        json.writeStringField("name", "tokenscope.generate");
        json.writeEndObject();
        json.writeArrayFieldStart("spans");
        json.writeStartObject();
        String hex = String.format("%016x", r.requestId().hashCode() * 0x9E3779B97F4A7C15L);
        json.writeStringField("traceId", hex + hex);
        json.writeStringField("spanId", hex);
        json.writeStringField("name", "chat " + r.model().slug());
        json.writeNumberField("kind", 3);
        json.writeStringField("startTimeUnixNano", Long.toString(startNanos));
        json.writeStringField("endTimeUnixNano", Long.toString(startNanos + r.latencyMs() * 1_000_000L));
        json.writeArrayFieldStart("attributes");
        string(json, "gen_ai.operation.name", "chat");
        string(json, "gen_ai.provider.name", "openrouter");
        string(json, "gen_ai.request.model", r.model().slug());
        string(json, "gen_ai.response.model", r.model().slug());
        string(json, "gen_ai.response.id", r.requestId());
        integer(json, "gen_ai.usage.input_tokens", r.promptTokens());
        integer(json, "gen_ai.usage.output_tokens", r.completionTokens());
        integer(json, "gen_ai.usage.reasoning.output_tokens", r.reasoningTokens());
        json.writeStartObject();
        json.writeStringField("key", "gen_ai.response.finish_reasons");
        json.writeObjectFieldStart("value");
        json.writeObjectFieldStart("arrayValue");
        json.writeArrayFieldStart("values");
        json.writeStartObject();
        json.writeStringField("stringValue", r.finishReason());
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
        json.writeStartObject();
        json.writeStringField("key", "gen_ai.request.stream");
        json.writeObjectFieldStart("value");
        json.writeBooleanField("boolValue", r.streamed());
        json.writeEndObject();
        json.writeEndObject();
        string(json, "user.id", r.userId());
        string(json, "gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":" + quoted(r.systemPrompt()) + "}]");
        string(json, "gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                + quoted(r.prompt()) + "}]}]");
        string(json, "gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[" + (r.toolCalled()
                ? "{\"type\":\"tool_call\",\"name\":" + quoted(r.tools().get(0)) + ",\"arguments\":{}}"
                : "{\"type\":\"text\",\"content\":\"(generated answer)\"}") + "],\"finish_reason\":"
                + quoted(r.finishReason()) + "}]");
        if (r.toolsOffered()) {
            StringBuilder tools = new StringBuilder("[");
            for (String tool : r.tools()) {
                tools.append(tools.length() > 1 ? "," : "").append("{\"type\":\"function\",\"name\":")
                        .append(quoted(tool)).append('}');
            }
            string(json, "gen_ai.tool.definitions", tools.append(']').toString());
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
    }

    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static void string(JsonGenerator json, String key, String value) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", key);
        json.writeObjectFieldStart("value");
        json.writeStringField("stringValue", value);
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void integer(JsonGenerator json, String key, long value) throws IOException {
        json.writeStartObject();
        json.writeStringField("key", key);
        json.writeObjectFieldStart("value");
        json.writeStringField("intValue", Long.toString(value));
        json.writeEndObject();
        json.writeEndObject();
    }
}
