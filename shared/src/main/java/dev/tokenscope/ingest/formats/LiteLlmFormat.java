package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * LiteLLM proxy logs (docs/formats/litellm.md): rows of the LiteLLM_SpendLogs table exported as JSON, JSON Lines
 * or CSV, and the StandardLoggingPayload that LiteLLM hands its logging callbacks (which write it as JSON Lines).
 */
public final class LiteLlmFormat implements LogFormat {

    public static final String ID = "litellm";

    @Override
    public String id() {
        return ID;
    }

    /**
     * A spend-log row names "spend" and "startTime"; a StandardLoggingPayload names "response_cost" and
     * "startTime" (plus "call_type"). Neither is a canonical field name.
     */
    @Override
    public int detect(String key, String head) {
        if (Heads.isJson(head)) {
            if (Heads.hasJsonKeys(head, "spend", "startTime")) {
                return 90;
            }
            return Heads.hasJsonKeys(head, "response_cost", "startTime", "call_type") ? 85 : 0;
        }
        List<String> header = Heads.csvHeader(head);
        return header.contains("spend") && header.contains("starttime") ? 90 : 0;
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
        // The callback payload carries its cost as response_cost and its id as id; a spend-log row has spend.
        boolean payload = !row.has("spend") && row.has("response_cost");
        JsonNode metadata = ChatLogFields.json(row, "metadata").orElse(MissingNode.getInstance());
        JsonNode usage = metadata.path("usage_object");
        Optional<JsonNode> request = ChatLogFields.json(row, "proxy_server_request");
        Optional<JsonNode> parameters = ChatLogFields.json(row, "model_parameters");
        Optional<JsonNode> response = ChatLogFields.json(row, "response");

        // `model` is the deployment's model as sent to the provider; model_group is the alias the caller asked for.
        Optional<String> called = ChatLogFields.text(row, "model");
        Optional<String> group = ChatLogFields.text(row, "model_group");
        String model = called.or(() -> group)
                .orElseThrow(() -> new InvalidFieldException("missing field 'model'"));
        Instant start = ChatLogFields.time(row, "startTime");

        long prompt = CanonicalFields.count(row, "prompt_tokens");
        long completion = CanonicalFields.count(row, "completion_tokens");
        JsonNode usageSource = payload ? response.map(r -> r.path("usage")).orElse(MissingNode.getInstance()) : usage;
        long cacheRead = ChatLogFields.count(usageSource.path("prompt_tokens_details"), "cached_tokens");
        if (cacheRead == 0) {
            cacheRead = ChatLogFields.count(usageSource, "cache_read_input_tokens");
        }
        long cacheWrite = ChatLogFields.count(usageSource, "cache_creation_input_tokens");
        long reasoning = ChatLogFields.count(usageSource.path("completion_tokens_details"), "reasoning_tokens");

        Map<String, String> tags = new LinkedHashMap<>(ChatLogFields.tagList(ChatLogFields.json(row, "request_tags")));
        group.filter(g -> !g.equals(model)).ifPresent(g -> tags.put("model_group", g));
        ChatLogFields.text(row, "call_type").ifPresent(t -> tags.put("call_type", t));
        if (isTrue(row.get("cache_hit"))) {
            tags.put("cache_hit", "true");
        }
        text(metadata, "user_api_key_alias").ifPresent(a -> tags.put("api_key_alias", a));
        text(metadata, "user_api_key_team_alias").ifPresent(a -> tags.put("team_alias", a));
        ChatLogFields.text(row, "organization_id").or(() -> text(metadata, "user_api_key_org_id"))
                .ifPresent(o -> tags.put("organization_id", o));

        Optional<JsonNode> messages = ChatLogFields.json(row, "messages").filter(ChatLogFields::nonEmpty)
                .or(() -> request.map(r -> r.get("messages")).filter(ChatLogFields::nonEmpty));
        JsonNode tools = request.map(r -> r.get("tools"))
                .or(() -> parameters.map(p -> p.get("tools"))).orElse(null);
        ChatLogFields.ResponseSummary summary = ChatLogFields.responseSummary(response);
        ChatLogFields.Prompt text = messages.map(ChatLogFields::prompt).orElse(ChatLogFields.Prompt.NONE);

        return UsageRecord.builder(start, model)
                .requestId(ChatLogFields.text(row, "request_id", "id"))
                .accountId(ChatLogFields.text(row, "team_id").or(() -> text(metadata, "user_api_key_team_id")))
                .userId(userId(row, metadata))
                .tags(tags)
                .provider(ChatLogFields.text(row, "custom_llm_provider"))
                .promptTokens(prompt)
                .completionTokens(completion)
                .reasoningTokens(reasoning)
                .cacheReadTokens(cacheRead)
                .cacheWriteTokens(cacheWrite)
                .costUsd(CanonicalFields.cost(row, payload ? "response_cost" : "spend"))
                .finishReason(summary.finishReason())
                .toolsOffered(ChatLogFields.nonEmpty(tools))
                .toolCalled(summary.toolCalled())
                .streamed(isTrue(row.get("stream")) || request.map(r -> isTrue(r.get("stream"))).orElse(false))
                .latencyMs(ChatLogFields.millisBetween(start, ChatLogFields.optionalTime(row, "endTime")))
                .errorCode(errorCode(row, metadata))
                .prompt(text.user())
                .systemPrompt(text.system())
                .tools(ChatLogFields.toolNames(tools))
                .build();
    }

    /**
     * The end user the request was made for (the request's "user") wins over the proxy user who owns the key:
     * it is the more specific of the two, and the key owner is often a service account.
     */
    private static Optional<String> userId(JsonNode row, JsonNode metadata) {
        return ChatLogFields.text(row, "end_user")
                .or(() -> text(metadata, "user_api_key_end_user_id"))
                .or(() -> ChatLogFields.text(row, "user"))
                .or(() -> text(metadata, "user_api_key_user_id"));
    }

    /** A failed call: the provider's error code when LiteLLM recorded one, else its error class, else "failure". */
    private static Optional<String> errorCode(JsonNode row, JsonNode metadata) {
        Optional<String> status = ChatLogFields.text(row, "status");
        if (status.isEmpty() || !status.get().equalsIgnoreCase("failure")) {
            return Optional.empty();
        }
        JsonNode error = row.has("error_information") ? row.get("error_information")
                : metadata.path("error_information");
        return text(error, "error_code").or(() -> text(error, "error_class")).or(() -> Optional.of("failure"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node != null && node.isObject() ? CanonicalFields.text(node, field) : Optional.empty();
    }

    /** LiteLLM writes flags as booleans, "True"/"False" (Python) or "None". */
    private static boolean isTrue(JsonNode node) {
        return node != null && (node.isBoolean() ? node.asBoolean() : node.asText().trim().equalsIgnoreCase("true"));
    }
}
