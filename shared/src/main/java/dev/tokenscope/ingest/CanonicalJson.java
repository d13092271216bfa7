package dev.tokenscope.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Writes a record in the canonical JSON Lines format (docs/canonical-record.md), the inverse of CanonicalFields:
 * what `tokenscope parse` prints, readable back by tokenscope. Unknown values are left out.
 */
public final class CanonicalJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private CanonicalJson() {
    }

    /** One line of JSON; the prompt text only when asked for. */
    public static String line(UsageRecord r, boolean withText) {
        ObjectNode node = JSON.createObjectNode();
        r.requestId().ifPresent(v -> node.put("request_id", v));
        node.put("timestamp", r.timestamp().toString());
        r.accountId().ifPresent(v -> node.put("account_id", v));
        r.userId().ifPresent(v -> node.put("user_id", v));
        r.app().ifPresent(v -> node.put("app", v));
        if (!r.tags().isEmpty()) {
            ObjectNode tags = node.putObject("tags");
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                tags.put(tag.getKey(), tag.getValue());
            }
        }
        r.provider().ifPresent(v -> node.put("provider", v));
        node.put("model", r.model());
        node.put("requests", r.requests());
        node.put("prompt_tokens", r.promptTokens());
        node.put("completion_tokens", r.completionTokens());
        node.put("reasoning_tokens", r.reasoningTokens());
        node.put("cache_read_tokens", r.cacheReadTokens());
        node.put("cache_write_tokens", r.cacheWriteTokens());
        r.costUsd().ifPresent(v -> node.put("cost_usd", v.stripTrailingZeros()));
        r.finishReason().ifPresent(v -> node.put("finish_reason", v));
        node.put("tools_offered", r.toolsOffered());
        r.toolCalled().ifPresent(v -> node.put("tool_called", v));
        node.put("streamed", r.streamed());
        if (r.latencyMs().isPresent()) {
            node.put("latency_ms", r.latencyMs().getAsLong());
        }
        r.country().ifPresent(v -> node.put("country", v));
        r.region().ifPresent(v -> node.put("region", v));
        r.errorCode().ifPresent(v -> node.put("error_code", v));
        if (!r.tools().isEmpty()) {
            r.tools().forEach(node.putArray("tools")::add);
        }
        if (withText) {
            r.prompt().ifPresent(v -> node.put("prompt", v));
            r.systemPrompt().ifPresent(v -> node.put("system_prompt", v));
        }
        return node.toString();
    }
}
