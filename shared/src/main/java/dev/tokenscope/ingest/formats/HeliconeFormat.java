package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Helicone request exports (docs/formats/helicone.md): the rows of Helicone's request query API as the
 * {@code @helicone/export} tool writes them, as JSON, JSON Lines or CSV.
 */
public final class HeliconeFormat implements LogFormat {

    public static final String ID = "helicone";

    /** Helicone's cache_reference_id for a request that was not served from its cache. */
    private static final String NOT_CACHED = "00000000-0000-0000-0000-000000000000";

    @Override
    public String id() {
        return ID;
    }

    /** request_created_at together with one of Helicone's other request_* / response_* column names. */
    @Override
    public int detect(String key, String head) {
        if (Heads.isJson(head)) {
            boolean created = Heads.hasJsonKeys(head, "request_created_at");
            boolean other = Heads.hasJsonKeys(head, "request_model") || Heads.hasJsonKeys(head, "response_model")
                    || Heads.hasJsonKeys(head, "request_user_id") || Heads.hasJsonKeys(head, "response_created_at");
            return created && other ? 90 : 0;
        }
        List<String> header = Heads.csvHeader(head);
        boolean other = header.contains("request_model") || header.contains("response_created_at")
                || header.contains("request_user_id") || header.contains("request_properties");
        return header.contains("request_created_at") && other ? 90 : 0;
    }

    @Override
    public LogReader open(ReadContext context) throws IOException {
        return Heads.csvOrJson(context, (value, sink) -> sink.record(toRecord(value)));
    }

    static UsageRecord toRecord(JsonNode row) {
        if (!row.isObject()) {
            throw new InvalidFieldException("expected a JSON object, got "
                    + row.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        // The override is the user's own name for the model (set for cost tracking); then what the provider
        // answered with; then what was asked for.
        Optional<String> requested = ChatLogFields.text(row, "request_model");
        String model = ChatLogFields.text(row, "model_override", "response_model", "model", "request_model")
                .orElseThrow(() -> new InvalidFieldException("missing field 'request_model'"));
        Instant created = ChatLogFields.time(row, "request_created_at");

        // Helicone keeps cache reads and writes, and reasoning, in columns of their own beside prompt_tokens and
        // completion_tokens (its total_tokens is prompt + completion + reasoning): add them back.
        long cacheRead = CanonicalFields.count(row, "prompt_cache_read_tokens");
        long cacheWrite = CanonicalFields.count(row, "prompt_cache_write_tokens");
        long reasoning = CanonicalFields.count(row, "reasoning_tokens");

        Map<String, String> tags = new LinkedHashMap<>(properties(row));
        requested.filter(r -> !r.equals(model)).ifPresent(r -> tags.put("requested_model", r));
        ChatLogFields.text(row, "cache_reference_id").filter(id -> !id.equals(NOT_CACHED))
                .ifPresent(id -> tags.put("cache_hit", "true"));

        Optional<JsonNode> body = ChatLogFields.json(row, "request_body");
        ChatLogFields.ResponseSummary summary = ChatLogFields.responseSummary(ChatLogFields.json(row, "response_body"));
        ChatLogFields.Prompt text = body.map(ChatLogFields::prompt).orElse(ChatLogFields.Prompt.NONE);

        return UsageRecord.builder(created, model)
                .requestId(ChatLogFields.text(row, "request_id"))
                .userId(ChatLogFields.text(row, "request_user_id"))
                .app(appProperty(tags))
                .tags(tags)
                .provider(ChatLogFields.text(row, "provider").map(p -> p.toLowerCase(Locale.ROOT)))
                .promptTokens(CanonicalFields.count(row, "prompt_tokens") + cacheRead + cacheWrite)
                .completionTokens(CanonicalFields.count(row, "completion_tokens") + reasoning)
                .reasoningTokens(reasoning)
                .cacheReadTokens(cacheRead)
                .cacheWriteTokens(cacheWrite)
                .costUsd(cost(row))
                .finishReason(summary.finishReason())
                .toolsOffered(body.map(b -> ChatLogFields.nonEmpty(b.get("tools"))).orElse(false))
                .toolCalled(summary.toolCalled())
                .streamed(body.map(b -> b.path("stream").asBoolean(false)).orElse(false))
                .latencyMs(latency(row, created))
                .country(ChatLogFields.text(row, "country_code").map(c -> c.toUpperCase(Locale.ROOT)))
                .errorCode(errorCode(row))
                .prompt(text.user())
                .systemPrompt(text.system())
                .tools(body.map(b -> ChatLogFields.toolNames(b.get("tools"))).orElse(java.util.List.of()))
                .build();
    }

    /** The API and newer exports say cost; the CLI's CSV says cost_usd; older API versions costUSD. */
    private static Optional<java.math.BigDecimal> cost(JsonNode row) {
        for (String field : new String[] {"cost", "cost_usd", "costUSD"}) {
            Optional<java.math.BigDecimal> cost = CanonicalFields.cost(row, field);
            if (cost.isPresent()) {
                return cost;
            }
        }
        return Optional.empty();
    }

    /** delay_ms (the API) or latency (the CLI's CSV), else the time between request and response. */
    private static OptionalLong latency(JsonNode row, Instant created) {
        OptionalLong delay = CanonicalFields.optionalCount(row, "delay_ms");
        if (delay.isPresent()) {
            return delay;
        }
        OptionalLong latency = CanonicalFields.optionalCount(row, "latency");
        return latency.isPresent() ? latency
                : ChatLogFields.millisBetween(created, ChatLogFields.optionalTime(row, "response_created_at"));
    }

    /** Custom properties (Helicone-Property-* headers), under request_properties or properties. */
    private static Map<String, String> properties(JsonNode row) {
        Map<String, String> tags = new LinkedHashMap<>();
        Optional<JsonNode> properties = ChatLogFields.json(row, "request_properties")
                .or(() -> ChatLogFields.json(row, "properties"));
        if (properties.isPresent() && properties.get().isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.get().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                    tags.put(entry.getKey(), entry.getValue().asText());
                }
            }
        }
        return tags;
    }

    /** Helicone's docs name the app through a custom property ("Helicone-Property-App"). */
    private static Optional<String> appProperty(Map<String, String> tags) {
        return tags.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("app"))
                .map(Map.Entry::getValue).filter(v -> !v.isBlank()).findFirst();
    }

    /** An HTTP error status (4xx/5xx), or Helicone's negative statuses for requests that never got an answer. */
    private static Optional<String> errorCode(JsonNode row) {
        OptionalLong status = OptionalLong.empty();
        JsonNode node = row.get("response_status");
        if (node != null && !node.isNull() && !node.asText().isBlank()) {
            try {
                status = OptionalLong.of(Long.parseLong(node.asText().trim()));
            } catch (NumberFormatException e) {
                throw new InvalidFieldException("field 'response_status' must be a whole number, got '"
                        + CanonicalFields.abbreviate(node.asText()) + "'");
            }
        }
        if (status.isPresent() && (status.getAsLong() >= 400 || status.getAsLong() < 0)) {
            return Optional.of(Long.toString(status.getAsLong()));
        }
        return Optional.empty();
    }
}
