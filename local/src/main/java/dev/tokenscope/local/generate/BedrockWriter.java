package dev.tokenscope.local.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Amazon Bedrock model invocation logs (docs/formats/bedrock.md): Converse calls with their bodies inline, in the
 * key layout Bedrock delivers to S3. The log states no cost (the catalog prices it) and the caller is an IAM ARN.
 */
final class BedrockWriter implements FormatWriter {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    @Override
    public String id() {
        return "bedrock";
    }

    @Override
    public Path file(Path dir, LocalDate weekStart) {
        return dir.resolve("AWSLogs/" + ACCOUNT + "/BedrockModelInvocationLogs/" + REGION + "/"
                + weekStart.toString().replace('-', '/') + "/00/" + ACCOUNT + "_BedrockModelInvocationLogs_"
                + weekStart + ".json.gz");
    }

    static String arn(SyntheticRequest r) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + r.userId();
    }

    @Override
    public void write(SyntheticRequest r, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("schemaType", "ModelInvocationLog");
        json.writeStringField("schemaVersion", "1.0");
        json.writeStringField("timestamp", r.timestamp().toString());
        json.writeStringField("accountId", ACCOUNT);
        json.writeObjectFieldStart("identity");
        json.writeStringField("arn", arn(r));
        json.writeEndObject();
        json.writeStringField("region", REGION);
        json.writeStringField("requestId", r.requestId());
        json.writeStringField("operation", "Converse");
        json.writeStringField("modelId", r.model().bedrockId());
        json.writeObjectFieldStart("input");
        json.writeStringField("inputContentType", "application/json");
        json.writeObjectFieldStart("inputBodyJson");
        json.writeArrayFieldStart("system");
        text(json, r.systemPrompt());
        json.writeEndArray();
        json.writeArrayFieldStart("messages");
        json.writeStartObject();
        json.writeStringField("role", "user");
        json.writeArrayFieldStart("content");
        text(json, r.prompt());
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndArray();
        if (r.toolsOffered()) {
            json.writeObjectFieldStart("toolConfig");
            json.writeArrayFieldStart("tools");
            for (String tool : r.tools()) {
                json.writeStartObject();
                json.writeObjectFieldStart("toolSpec");
                json.writeStringField("name", tool);
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeNumberField("inputTokenCount", r.promptTokens());
        json.writeEndObject();
        json.writeObjectFieldStart("output");
        json.writeStringField("outputContentType", "application/json");
        json.writeObjectFieldStart("outputBodyJson");
        json.writeObjectFieldStart("output");
        json.writeObjectFieldStart("message");
        json.writeStringField("role", "assistant");
        json.writeArrayFieldStart("content");
        if (r.toolCalled()) {
            json.writeStartObject();
            json.writeObjectFieldStart("toolUse");
            json.writeStringField("toolUseId", "tooluse_" + r.requestId());
            json.writeStringField("name", r.tools().get(0));
            json.writeObjectFieldStart("input");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } else {
            text(json, "(generated answer)");
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
        json.writeStringField("stopReason", switch (r.finishReason()) {
            case "tool_calls" -> "tool_use";
            case "length" -> "max_tokens";
            default -> "end_turn";
        });
        json.writeObjectFieldStart("metrics");
        json.writeNumberField("latencyMs", r.latencyMs());
        json.writeEndObject();
        json.writeEndObject();
        json.writeNumberField("outputTokenCount", r.completionTokens());
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void text(JsonGenerator json, String text) throws IOException {
        json.writeStartObject();
        json.writeStringField("text", text);
        json.writeEndObject();
    }
}
