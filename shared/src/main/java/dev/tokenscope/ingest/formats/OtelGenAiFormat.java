package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.JsonRecordReader;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import dev.tokenscope.ingest.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * OpenTelemetry traces in OTLP/JSON (an ExportTraceServiceRequest per line, as the OTLP file exporter writes them,
 * or pretty-printed documents), read for their GenAI client spans: one record per model call (chat, completion,
 * content generation, embeddings) following the GenAI semantic conventions; every other span is skipped.
 */
public final class OtelGenAiFormat implements LogFormat {

    public static final String ID = "otel";

    /**
     * Operations that are one request to a model. Tool executions, agent invocations, workflows, planning and
     * retrieval are not: an agent span also carries the summed usage of the model calls under it, so counting it
     * would count those calls twice.
     */
    private static final Set<String> MODEL_OPERATIONS = Set.of("chat", "text_completion", "generate_content",
            "embeddings");

    /** OTLP/JSON writes enums as integers; Status.code 2 is STATUS_CODE_ERROR. */
    private static final int STATUS_ERROR = 2;

    /** The value semconv gives error.type when an instrumentation has no better one. */
    private static final String UNKNOWN_ERROR = "_OTHER";

    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public String id() {
        return ID;
    }

    /**
     * "resourceSpans" is OTLP's own top-level key; with a "gen_ai." attribute in sight the file is surely GenAI
     * telemetry. Without one in the head it is still a trace export (the GenAI spans may come later), so it is
     * claimed less surely.
     */
    @Override
    public int detect(String key, String head) {
        if (!Heads.hasJsonKeys(head, "resourceSpans")) {
            return 0;
        }
        return head.contains("\"gen_ai.") ? 90 : 60;
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, OtelGenAiFormat::map);
    }

    /** One export request: every span of every resource and scope, each a record, an error or nothing. */
    static void map(JsonNode request, RecordMapper.Sink sink) {
        if (!request.isObject() || !request.has("resourceSpans")) {
            throw new InvalidFieldException("expected an OTLP trace export with 'resourceSpans'");
        }
        for (JsonNode resourceSpans : array(request, "resourceSpans")) {
            ObjectNode resource = attributes(resourceSpans.path("resource"));
            // instrumentationLibrarySpans is the name scopeSpans had before OTLP 0.15.
            String scopesKey = resourceSpans.has("scopeSpans") ? "scopeSpans" : "instrumentationLibrarySpans";
            for (JsonNode scopeSpans : array(resourceSpans, scopesKey)) {
                for (JsonNode span : array(scopeSpans, "spans")) {
                    try {
                        toRecord(span, resource).ifPresent(sink::record);
                    } catch (InvalidFieldException e) {
                        // One bad span is one error; the other spans of the same export still count.
                        String spanId = CanonicalFields.abbreviate(span.path("spanId").asText("?"));
                        sink.error(e.getMessage() + " (span " + spanId + ")");
                    }
                }
            }
        }
    }

    private static Optional<UsageRecord> toRecord(JsonNode span, ObjectNode resource) {
        ObjectNode attrs = attributes(span);
        if (!isModelCall(attrs)) {
            return Optional.empty();
        }
        String model = CanonicalFields.text(attrs, "gen_ai.response.model")
                .or(() -> CanonicalFields.text(attrs, "gen_ai.request.model"))
                .orElseThrow(() -> new InvalidFieldException("missing attribute gen_ai.request.model"));
        long start = CanonicalFields.optionalCount(span, "startTimeUnixNano")
                .orElseThrow(() -> new InvalidFieldException("missing field 'startTimeUnixNano'"));
        ChatLogFields.Prompt text = prompt(attrs);
        return Optional.of(UsageRecord.builder(instant(start), model)
                .requestId(CanonicalFields.text(attrs, "gen_ai.response.id"))
                .provider(CanonicalFields.text(attrs, "gen_ai.provider.name")
                        .or(() -> CanonicalFields.text(attrs, "gen_ai.system")))
                .app(CanonicalFields.text(resource, "service.name"))
                .userId(userId(attrs).or(() -> userId(resource)))
                .tags(tags(attrs))
                .promptTokens(firstCount(attrs, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"))
                .completionTokens(firstCount(attrs, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"))
                .reasoningTokens(CanonicalFields.count(attrs, "gen_ai.usage.reasoning.output_tokens"))
                .cacheReadTokens(CanonicalFields.count(attrs, "gen_ai.usage.cache_read.input_tokens"))
                .cacheWriteTokens(CanonicalFields.count(attrs, "gen_ai.usage.cache_creation.input_tokens"))
                .finishReason(finishReason(attrs.get("gen_ai.response.finish_reasons")))
                .toolsOffered(isNonEmpty(attrs.get("gen_ai.tool.definitions")))
                .toolCalled(toolCalled(attrs.get("gen_ai.output.messages")))
                .streamed(CanonicalFields.flag(attrs, "gen_ai.request.stream").orElse(false))
                .latencyMs(latency(span, start))
                .errorCode(errorCode(span, attrs))
                .prompt(text.user())
                .systemPrompt(text.system())
                .tools(ChatLogFields.toolNames(structured(attrs.get("gen_ai.tool.definitions"))))
                .build());
    }

    /**
     * A span is a model call when its operation says so. Spans without an operation name count when they carry a
     * provider (or the older gen_ai.system) and token usage: older instrumentations, and some current examples,
     * leave the operation out.
     */
    private static boolean isModelCall(ObjectNode attrs) {
        Optional<String> operation = CanonicalFields.text(attrs, "gen_ai.operation.name");
        if (operation.isPresent()) {
            return MODEL_OPERATIONS.contains(operation.get().toLowerCase(Locale.ROOT));
        }
        boolean provider = attrs.has("gen_ai.provider.name") || attrs.has("gen_ai.system");
        boolean usage = attrs.has("gen_ai.usage.input_tokens") || attrs.has("gen_ai.usage.output_tokens")
                || attrs.has("gen_ai.usage.prompt_tokens") || attrs.has("gen_ai.usage.completion_tokens");
        return provider && usage;
    }

    /** The current attribute, else its deprecated older name (gen_ai.usage.prompt_tokens / completion_tokens). */
    private static long firstCount(ObjectNode attrs, String current, String legacy) {
        OptionalLong value = CanonicalFields.optionalCount(attrs, current);
        return value.isPresent() ? value.getAsLong() : CanonicalFields.count(attrs, legacy);
    }

    /** Nanoseconds since the epoch, exactly. */
    private static Instant instant(long nanos) {
        Instant instant = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        CanonicalFields.inRange(instant, "startTimeUnixNano");
        return instant;
    }

    /** End minus start, rounded to the millisecond; unknown when the span has no end (or ends before it starts). */
    private static OptionalLong latency(JsonNode span, long start) {
        OptionalLong end = CanonicalFields.optionalCount(span, "endTimeUnixNano");
        if (end.isEmpty() || end.getAsLong() < start) {
            return OptionalLong.empty();
        }
        return OptionalLong.of((end.getAsLong() - start + NANOS_PER_MILLI / 2) / NANOS_PER_MILLI);
    }

    private static Optional<String> userId(ObjectNode attrs) {
        return CanonicalFields.text(attrs, "enduser.id").or(() -> CanonicalFields.text(attrs, "user.id"));
    }

    private static Map<String, String> tags(ObjectNode attrs) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key : List.of("server.address", "gen_ai.conversation.id")) {
            CanonicalFields.text(attrs, key).ifPresent(value -> tags.put(key, value));
        }
        return tags;
    }

    /** The first choice's reason: the attribute lists one per choice. */
    private static Optional<String> finishReason(JsonNode reasons) {
        JsonNode value = structured(reasons);
        if (value != null && value.isArray()) {
            return value.isEmpty() ? Optional.empty() : text(value.get(0));
        }
        return text(value);
    }

    /**
     * Whether any output choice asks the application to run a tool. Built-in tools the provider ran itself
     * (server_tool_call parts) are not counted: the response did not hand a call back. Unknown when outputs were
     * not captured, so that the finish reason decides.
     */
    private static Optional<Boolean> toolCalled(JsonNode outputs) {
        JsonNode messages = structured(outputs);
        if (messages == null || !messages.isArray()) {
            return Optional.empty();
        }
        for (JsonNode message : messages) {
            for (JsonNode part : message.path("parts")) {
                if ("tool_call".equals(part.path("type").asText())) {
                    return Optional.of(true);
                }
            }
        }
        return Optional.of(false);
    }

    /** A tool list, structured or as a JSON string, with at least one tool in it. */
    private static boolean isNonEmpty(JsonNode definitions) {
        if (definitions == null || definitions.isNull()) {
            return false;
        }
        JsonNode value = structured(definitions);
        if (value != null && value.isContainerNode()) {
            return !value.isEmpty();
        }
        return definitions.isTextual() && !definitions.asText().isBlank();
    }

    private static Optional<String> errorCode(JsonNode span, ObjectNode attrs) {
        Optional<String> type = CanonicalFields.text(attrs, "error.type");
        if (type.isPresent()) {
            return type;
        }
        JsonNode code = span.path("status").path("code");
        boolean failed = code.asInt(-1) == STATUS_ERROR || "STATUS_CODE_ERROR".equals(code.asText());
        return failed ? Optional.of(UNKNOWN_ERROR) : Optional.empty();
    }

    /**
     * The system instructions, then the text of the system and user messages, in order. Content capture is
     * opt-in, and instrumentations may truncate it: what cannot be read is left out, never an error.
     */
    private static ChatLogFields.Prompt prompt(ObjectNode attrs) {
        List<String> system = new ArrayList<>();
        List<String> user = new ArrayList<>();
        JsonNode instructions = structured(attrs.get("gen_ai.system_instructions"));
        if (instructions != null && instructions.isArray()) {
            system.addAll(partTexts(instructions));
        } else {
            text(instructions).ifPresent(system::add);
        }
        JsonNode messages = structured(attrs.get("gen_ai.input.messages"));
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                String role = message.path("role").asText();
                List<String> into = role.equals("system") ? system : role.equals("user") ? user : null;
                if (into != null) {
                    into.addAll(partTexts(message.path("parts")));
                    // A flat {"role", "content"} message, as some instrumentations write it.
                    text(message.get("content")).ifPresent(into::add);
                }
            }
        }
        return ChatLogFields.Prompt.of(system, user);
    }

    private static List<String> partTexts(JsonNode parts) {
        List<String> texts = new ArrayList<>();
        for (JsonNode part : parts) {
            if ("text".equals(part.path("type").asText())) {
                text(part.get("content")).ifPresent(texts::add);
            }
        }
        return texts;
    }

    /**
     * Structured attributes (messages, tool definitions) come as OTLP arrays/maps or, where the SDK cannot record
     * those on spans, as a JSON string: both read as JSON here. A string that is not JSON stays a string.
     */
    private static JsonNode structured(JsonNode value) {
        if (value == null || value.isNull() || !value.isTextual()) {
            return value;
        }
        String text = value.asText().trim();
        if (!text.startsWith("[") && !text.startsWith("{")) {
            return value;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Optional<String> text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return Optional.empty();
        }
        String text = node.asText().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** An OTLP attribute list ([{key, value: AnyValue}]) as a plain JSON object keyed by attribute name. */
    private static ObjectNode attributes(JsonNode holder) {
        ObjectNode attrs = NODES.objectNode();
        for (JsonNode attr : array(holder, "attributes")) {
            String key = attr.path("key").asText("");
            if (!key.isEmpty()) {
                attrs.set(key, anyValue(attr.get("value")));
            }
        }
        return attrs;
    }

    /**
     * OTLP's AnyValue as plain JSON. intValue is an int64, which OTLP/JSON writes as a decimal string (some
     * exporters write a number): it is kept as it came and read by the counting field readers, which take both.
     */
    private static JsonNode anyValue(JsonNode value) {
        if (value == null || !value.isObject()) {
            return NODES.nullNode();
        }
        for (String scalar : List.of("stringValue", "boolValue", "intValue", "doubleValue", "bytesValue")) {
            if (value.has(scalar)) {
                return value.get(scalar);
            }
        }
        if (value.has("arrayValue")) {
            ArrayNode array = NODES.arrayNode();
            for (JsonNode element : array(value.get("arrayValue"), "values")) {
                array.add(anyValue(element));
            }
            return array;
        }
        if (value.has("kvlistValue")) {
            ObjectNode map = NODES.objectNode();
            for (JsonNode entry : array(value.get("kvlistValue"), "values")) {
                map.set(entry.path("key").asText(""), anyValue(entry.get("value")));
            }
            return map;
        }
        return NODES.nullNode();
    }

    /** The array under a key; absent means empty (proto3 JSON leaves empty repeated fields out). */
    private static JsonNode array(JsonNode holder, String key) {
        JsonNode node = holder == null ? null : holder.get(key);
        if (node == null || node.isNull()) {
            return NODES.arrayNode();
        }
        if (!node.isArray()) {
            throw new InvalidFieldException("field '" + key + "' must be an array, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }
}
