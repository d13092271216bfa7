package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Langfuse blob-storage exports of observations (docs/formats/langfuse.md): the enriched observations_v2/ files
 * and the legacy observations/ files, as JSON, JSON Lines or CSV. Only GENERATION observations are LLM calls;
 * spans, events and the rest are skipped without an error.
 */
public final class LangfuseFormat implements LogFormat {

    public static final String ID = "langfuse";

    @Override
    public String id() {
        return ID;
    }

    /** A trace id and an observation type, with a GENERATION or a usage map in sight. */
    @Override
    public int detect(String key, String head) {
        if (Heads.isJson(head)) {
            boolean trace = Heads.hasJsonKeys(head, "trace_id") || Heads.hasJsonKeys(head, "traceId");
            boolean generation = Heads.hasJsonString(head, "GENERATION") || Heads.hasJsonKeys(head, "usage_details")
                    || Heads.hasJsonKeys(head, "usageDetails");
            return trace && Heads.hasJsonKeys(head, "type") && generation ? 90 : 0;
        }
        List<String> header = Heads.csvHeader(head);
        boolean generation = header.contains("usage_details") || header.contains("provided_model_name");
        return header.contains("trace_id") && header.contains("type") && generation ? 90 : 0;
    }

    @Override
    public LogReader open(ReadContext context) throws IOException {
        // Observations that are not generations leave no record, in CSV as in JSON.
        RecordMapper mapper = (value, sink) -> toRecord(value).ifPresent(sink::record);
        return Heads.csvOrJson(context, mapper);
    }

    /** The observation's record, or empty when it is not a generation. */
    static Optional<UsageRecord> toRecord(JsonNode row) {
        if (!row.isObject()) {
            throw new InvalidFieldException("expected a JSON object, got "
                    + row.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        Optional<String> type = CanonicalFields.text(row, "type");
        if (type.isEmpty()) {
            throw new InvalidFieldException("missing field 'type'");
        }
        if (!type.get().equalsIgnoreCase("GENERATION")) {
            return Optional.empty();
        }
        String model = ChatLogFields.text(row, "provided_model_name", "model", "providedModelName")
                .orElseThrow(() -> new InvalidFieldException("missing field 'provided_model_name'"));
        // The export writes snake_case; the public API (and files made from it) camelCase.
        String startField = row.has("startTime") ? "startTime" : "start_time";
        Instant start = ChatLogFields.time(row, startField);
        Optional<Instant> end = ChatLogFields.optionalTime(row, row.has("endTime") ? "endTime" : "end_time");
        Optional<Instant> firstToken = ChatLogFields.optionalTime(row,
                row.has("completionStartTime") ? "completionStartTime" : "completion_start_time");

        Usage usage = usage(row);
        Map<String, String> tags = new LinkedHashMap<>(ChatLogFields.tagList(ChatLogFields.json(row, "tags")));
        ChatLogFields.text(row, "environment").ifPresent(e -> tags.put("environment", e));
        ChatLogFields.text(row, "trace_name").ifPresent(n -> tags.put("trace_name", n));
        ChatLogFields.text(row, "name").ifPresent(n -> tags.put("observation_name", n));
        ChatLogFields.text(row, "prompt_name").ifPresent(n -> tags.put("prompt_name", n));

        Optional<JsonNode> toolNames = ChatLogFields.json(row, "tool_call_names");
        Optional<JsonNode> toolDefinitions = ChatLogFields.json(row, "tool_definitions");
        Optional<JsonNode> output = ChatLogFields.json(row, "output");
        ChatLogFields.ResponseSummary summary = ChatLogFields.responseSummary(output);
        Optional<Boolean> toolCalled = toolNames.isPresent()
                ? Optional.of(ChatLogFields.nonEmpty(toolNames.get())) : summary.toolCalled();

        boolean error = ChatLogFields.text(row, "level").map(l -> l.equalsIgnoreCase("ERROR")).orElse(false);
        ChatLogFields.Prompt text = input(row).map(ChatLogFields::prompt).orElse(ChatLogFields.Prompt.NONE);
        return Optional.of(UsageRecord.builder(start, model)
                .requestId(ChatLogFields.text(row, "id"))
                .userId(ChatLogFields.text(row, "user_id", "userId"))
                .tags(tags)
                .promptTokens(usage.input)
                .completionTokens(usage.output)
                .reasoningTokens(usage.reasoning)
                .cacheReadTokens(usage.cacheRead)
                .cacheWriteTokens(usage.cacheWrite)
                .costUsd(cost(row))
                .finishReason(summary.finishReason())
                .toolsOffered(toolDefinitions.map(ChatLogFields::nonEmpty).orElse(false))
                .toolCalled(toolCalled)
                // Langfuse sets completion_start_time only for streamed calls.
                .streamed(firstToken.isPresent())
                .latencyMs(ChatLogFields.millisBetween(start, end))
                .errorCode(error ? Optional.of("ERROR") : Optional.empty())
                .prompt(text.user())
                .systemPrompt(text.system())
                .tools(toolDefinitions.map(ChatLogFields::toolNames).orElse(java.util.List.of()))
                .build());
    }

    /** Token counts from usage_details, whose keys are disjoint parts summing to "total". */
    private record Usage(long input, long output, long reasoning, long cacheRead, long cacheWrite) {
    }

    /**
     * Langfuse splits usage into disjoint keys ("input", "output", "input_cached_tokens",
     * "cache_read_input_tokens", "output_reasoning_tokens", ...), with "total" their sum. Canonical prompt tokens
     * include cached input and completion tokens include reasoning, so each side is summed back. Keys that name
     * neither side (a vendor-specific unit) are left out. The deprecated usage object (input/output/total) is read
     * when usage_details is absent.
     */
    private static Usage usage(JsonNode row) {
        JsonNode details = ChatLogFields.json(row, "usage_details")
                .or(() -> ChatLogFields.json(row, "usageDetails"))
                .filter(ChatLogFields::nonEmpty)
                .or(() -> ChatLogFields.json(row, "usage"))
                .orElse(JsonNodeFactory.instance.objectNode());
        if (!details.isObject()) {
            throw new InvalidFieldException("field 'usage_details' must be an object of counts");
        }
        long input = 0;
        long output = 0;
        long reasoning = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        for (Iterator<String> it = details.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String name = key.toLowerCase(Locale.ROOT);
            if (name.equals("total") || name.equals("unit") || name.endsWith("cost")) {
                continue;
            }
            JsonNode value = details.get(key);
            if (!value.isNumber() && !value.isTextual()) {
                continue;
            }
            long count = CanonicalFields.count(details, key);
            boolean cacheReadKey = name.contains("cache_read") || name.contains("cached");
            boolean cacheWriteKey = name.contains("cache_creation") || name.contains("cache_write");
            if (name.startsWith("input") || name.startsWith("prompt") || cacheReadKey || cacheWriteKey) {
                input += count;
                cacheRead += cacheReadKey ? count : 0;
                cacheWrite += cacheWriteKey && !cacheReadKey ? count : 0;
            } else if (name.startsWith("output") || name.startsWith("completion") || name.contains("reasoning")) {
                output += count;
                reasoning += name.contains("reasoning") ? count : 0;
            }
        }
        return new Usage(input, output, reasoning, cacheRead, cacheWrite);
    }

    /** total_cost; else the "total" of cost_details; else the legacy API's calculated total. */
    private static Optional<BigDecimal> cost(JsonNode row) {
        Optional<BigDecimal> total = CanonicalFields.cost(row, "total_cost");
        if (total.isPresent()) {
            return total;
        }
        Optional<JsonNode> details = ChatLogFields.json(row, "cost_details");
        if (details.isPresent() && details.get().isObject()) {
            Optional<BigDecimal> detailTotal = CanonicalFields.cost(details.get(), "total");
            if (detailTotal.isPresent()) {
                return detailTotal;
            }
        }
        return CanonicalFields.cost(row, "calculated_total_cost")
                .or(() -> CanonicalFields.cost(row, "calculatedTotalCost"));
    }

    /** The input as JSON (messages), or as the plain text prompt it may also be. */
    private static Optional<JsonNode> input(JsonNode row) {
        Optional<JsonNode> json = ChatLogFields.json(row, "input");
        if (json.isPresent()) {
            return json;
        }
        JsonNode node = row.get("input");
        return node != null && node.isTextual() && !node.asText().isBlank() ? Optional.of(node) : Optional.empty();
    }
}
