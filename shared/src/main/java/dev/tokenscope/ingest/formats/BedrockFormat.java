package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.JsonRecordReader;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon Bedrock model invocation logs as Bedrock delivers them to S3
 * ({@code .../AWSLogs/{account}/BedrockModelInvocationLogs/{region}/YYYY/MM/DD/HH/*.json.gz}): JSON Lines of
 * {@code ModelInvocationLog} records, one per InvokeModel, InvokeModelWithResponseStream, Converse or ConverseStream
 * call. Token counts come from Bedrock's own envelope; prompt text, tools and the stop reason come from the model's
 * request and response bodies, whose shape depends on the model family. docs/formats/bedrock.md maps every field.
 */
public final class BedrockFormat implements LogFormat {

    public static final String ID = "bedrock";

    private static final String SCHEMA_TYPE = "ModelInvocationLog";

    /**
     * Geography prefixes of system-defined cross-Region inference profiles ({@code us.anthropic.claude-...}). The
     * profile routes to the same foundation model, so usage is counted under the model's own id.
     */
    private static final Set<String> CROSS_REGION_PREFIXES = Set.of("us", "us-gov", "eu", "apac", "jp", "au",
            "global");

    /** Any Bedrock ARN (every partition): the resource type and what follows its first slash. */
    private static final Pattern BEDROCK_ARN = Pattern.compile("^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)/(.+)$");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return ID;
    }

    /**
     * Certain from the key Bedrock writes under, or from the schemaType every record carries; nothing else uses
     * either.
     */
    @Override
    public int detect(String key, String head) {
        if (key != null && key.contains("/BedrockModelInvocationLogs/")) {
            return 95;
        }
        if (Heads.hasJsonKeys(head, "schemaType") && Heads.hasJsonString(head, SCHEMA_TYPE)) {
            return 95;
        }
        return 0;
    }

    @Override
    public LogReader open(ReadContext context) {
        BodyResolver bodies = context.bodies();
        return new JsonRecordReader(context, (value, sink) -> sink.record(toRecord(value, bodies)));
    }

    /** One ModelInvocationLog as a canonical record; throws InvalidFieldException for what makes it unusable. */
    static UsageRecord toRecord(JsonNode log, BodyResolver bodies) {
        if (!log.isObject()) {
            throw new InvalidFieldException("expected a ModelInvocationLog object, got "
                    + log.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        Optional<String> schemaType = CanonicalFields.text(log, "schemaType");
        if (schemaType.isPresent() && !schemaType.get().equals(SCHEMA_TYPE)) {
            throw new InvalidFieldException("field 'schemaType' is '" + CanonicalFields.abbreviate(schemaType.get())
                    + "', not " + SCHEMA_TYPE);
        }
        Instant timestamp = CanonicalFields.text(log, "timestamp").map(CanonicalFields::parseTimestamp)
                .orElseThrow(() -> new InvalidFieldException("missing field 'timestamp'"));
        String model = CanonicalFields.text(log, "modelId").map(BedrockFormat::normalModelId)
                .orElseThrow(() -> new InvalidFieldException("missing field 'modelId'"));
        JsonNode input = section(log, "input");
        JsonNode output = section(log, "output");

        // inputTokenCount is the uncached part of the input only: with prompt caching Bedrock reports, e.g., 3
        // input tokens beside 90,000 read from the cache. The canonical prompt_tokens is the whole input.
        long uncached = count(input, "input", "inputTokenCount");
        long cacheRead = count(input, "input", "cacheReadInputTokenCount");
        long cacheWrite = count(input, "input", "cacheWriteInputTokenCount");

        Optional<JsonNode> request = body(input, "inputBodyJson", "inputBodyS3Path", bodies);
        Optional<JsonNode> response = body(output, "outputBodyJson", "outputBodyS3Path", bodies);
        String operation = CanonicalFields.text(log, "operation").orElse("");
        ChatLogFields.Prompt text = request.map(BedrockFormat::prompt).orElse(ChatLogFields.Prompt.NONE);

        return UsageRecord.builder(timestamp, model)
                .requestId(CanonicalFields.text(log, "requestId"))
                .accountId(CanonicalFields.text(log, "accountId"))
                .userId(identityArn(log))
                .tags(requestMetadata(log))
                .provider(Optional.of(ID))
                .region(CanonicalFields.text(log, "region"))
                .promptTokens(uncached + cacheRead + cacheWrite)
                .cacheReadTokens(cacheRead)
                .cacheWriteTokens(cacheWrite)
                .completionTokens(count(output, "output", "outputTokenCount"))
                .streamed(operation.endsWith("Stream"))
                .errorCode(CanonicalFields.text(log, "errorCode"))
                .prompt(text.user())
                .systemPrompt(text.system())
                .tools(request.map(BedrockFormat::toolNames).orElse(List.of()))
                .toolsOffered(request.map(BedrockFormat::offersTools).orElse(false))
                .finishReason(response.flatMap(BedrockFormat::stopReason))
                .toolCalled(response.map(BedrockFormat::callsTool))
                .latencyMs(response.map(BedrockFormat::latency).orElse(OptionalLong.empty()))
                .build();
    }

    /**
     * The foundation model a modelId names: the resource id of an ARN (foundation-model, inference-profile,
     * application-inference-profile, ...), without a cross-Region geography prefix.
     */
    static String normalModelId(String modelId) {
        String id = modelId;
        Matcher arn = BEDROCK_ARN.matcher(id);
        if (arn.matches()) {
            id = arn.group(2);
        }
        int dot = id.indexOf('.');
        // Only a prefix before a provider.model id: "us.anthropic.claude-..." but never "amazon.nova-lite-v1:0".
        if (dot > 0 && CROSS_REGION_PREFIXES.contains(id.substring(0, dot)) && id.indexOf('.', dot + 1) > 0) {
            id = id.substring(dot + 1);
        }
        return id;
    }

    private static JsonNode section(JsonNode log, String field) {
        JsonNode node = log.get(field);
        if (node == null || node.isNull()) {
            return JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw new InvalidFieldException("field '" + field + "' must be an object, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** A count inside input/output, named with its section in errors so the user finds it. */
    private static long count(JsonNode section, String sectionName, String field) {
        try {
            return CanonicalFields.count(section, field);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(e.getMessage().replace("'" + field + "'",
                    "'" + sectionName + "." + field + "'"));
        }
    }

    private static Optional<String> identityArn(JsonNode log) {
        JsonNode identity = log.get("identity");
        return identity != null && identity.isObject() ? CanonicalFields.text(identity, "arn") : Optional.empty();
    }

    /** requestMetadata is the caller's own string map (set per request): exactly what tags are for. */
    private static Map<String, String> requestMetadata(JsonNode log) {
        JsonNode metadata = log.get("requestMetadata");
        if (metadata == null || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject()) {
            throw new InvalidFieldException("field 'requestMetadata' must be an object of strings, got "
                    + metadata.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                tags.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return tags;
    }

    /**
     * The body inline, or fetched from the object Bedrock offloaded it to (bodies over its inline limit). A body
     * that cannot be fetched or parsed only costs the prompt and stop reason, never the record's usage.
     */
    private static Optional<JsonNode> body(JsonNode section, String inlineField, String pathField,
                                           BodyResolver bodies) {
        JsonNode inline = section.get(inlineField);
        if (inline != null && !inline.isNull() && (inline.isObject() || inline.isArray())) {
            return Optional.of(inline);
        }
        JsonNode path = section.get(pathField);
        if (path == null || !path.isTextual() || path.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            Optional<String> text = bodies.text(path.asText().trim());
            if (text.isEmpty()) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(text.get());
            return node != null && (node.isObject() || node.isArray()) ? Optional.of(node) : Optional.empty();
        } catch (UncheckedIOException | IOException e) {
            return Optional.empty();
        }
    }

    // ---- request bodies -------------------------------------------------------------------------------------

    /**
     * System and user text of the request, whatever the model family: Anthropic messages and Converse / Nova
     * (system, messages[].content as a string or blocks with text), Mistral / OpenAI-style chat (messages with
     * string content), Cohere chat (preamble, chat_history, message), and single-prompt bodies (Llama, Mistral,
     * Cohere and Anthropic text completions: prompt; Titan: inputText).
     */
    static ChatLogFields.Prompt prompt(JsonNode request) {
        if (!request.isObject()) {
            return ChatLogFields.Prompt.NONE;
        }
        List<String> system = new ArrayList<>();
        List<String> user = new ArrayList<>();
        texts(request.get("system"), system);
        addText(request.get("preamble"), system);
        JsonNode messages = request.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                String role = message.path("role").asText("").toLowerCase(Locale.ROOT);
                texts(message.get("content"), role.equals("system") ? system : role.equals("user") ? user : null);
            }
        }
        JsonNode history = request.get("chat_history");
        if (history != null && history.isArray()) {
            for (JsonNode turn : history) {
                String role = turn.path("role").asText("").toLowerCase(Locale.ROOT);
                addText(turn.get("message"), role.equals("system") ? system : role.equals("user") ? user : null);
            }
        }
        addText(request.get("message"), user);
        addText(request.get("prompt"), user);
        addText(request.get("inputText"), user);
        return ChatLogFields.Prompt.of(system, user);
    }

    /** A string, or a list of blocks of which the text ones ({"text": ...}, Anthropic's and Converse's) count. */
    private static void texts(JsonNode content, List<String> parts) {
        // No list: a turn that is not the caller's (earlier answers, tool results) is not prompt text.
        if (parts == null || content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            addText(content, parts);
        } else if (content.isArray()) {
            for (JsonNode block : content) {
                if (block.isTextual()) {
                    addText(block, parts);
                } else if (block.isObject()) {
                    addText(block.get("text"), parts);
                }
            }
        }
    }

    private static void addText(JsonNode node, List<String> parts) {
        if (parts != null && node != null && node.isTextual() && !node.asText().isBlank()) {
            parts.add(node.asText());
        }
    }

    static List<String> toolNames(JsonNode request) {
        return ChatLogFields.toolNames(nonEmptyArray(request.get("tools")) ? request.get("tools")
                : request.path("toolConfig").get("tools"));
    }

    /** Anthropic, Mistral, Cohere and OpenAI-style bodies list tools[]; Converse and Nova under toolConfig. */
    static boolean offersTools(JsonNode request) {
        return nonEmptyArray(request.get("tools")) || nonEmptyArray(request.path("toolConfig").get("tools"));
    }

    // ---- response bodies ------------------------------------------------------------------------------------

    /**
     * The stop reason as the model spelled it (the Enricher maps spellings onto one vocabulary). A streamed
     * response is logged as the array of its chunks; the reason is in the chunk that ends the message.
     */
    static Optional<String> stopReason(JsonNode response) {
        Optional<String> found = Optional.empty();
        for (JsonNode chunk : chunks(response)) {
            Optional<String> reason = chunkStopReason(chunk);
            if (reason.isPresent()) {
                found = reason;
            }
        }
        return found;
    }

    private static Optional<String> chunkStopReason(JsonNode body) {
        if (!body.isObject()) {
            return Optional.empty();
        }
        // Converse / Nova: stopReason; Anthropic and Llama: stop_reason; Cohere chat: finish_reason;
        // Titan stream chunks: completionReason.
        for (String field : List.of("stopReason", "stop_reason", "finish_reason", "completionReason")) {
            Optional<String> reason = reason(body.get(field));
            if (reason.isPresent()) {
                return reason;
            }
        }
        // Stream chunks: ConverseStream's messageStop, Anthropic's message_delta.
        Optional<String> reason = reason(body.path("messageStop").get("stopReason"))
                .or(() -> reason(body.path("delta").get("stop_reason")));
        if (reason.isPresent()) {
            return reason;
        }
        // Mistral outputs[], Mistral chat / OpenAI-style choices[], Titan results[], Cohere generations[].
        for (String list : List.of("outputs", "choices", "results", "generations")) {
            JsonNode items = body.get(list);
            if (items != null && items.isArray()) {
                for (JsonNode item : items) {
                    for (String field : List.of("stop_reason", "finish_reason", "completionReason")) {
                        reason = reason(item.get(field));
                        if (reason.isPresent()) {
                            return reason;
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reason(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank()
                ? Optional.of(node.asText().trim()) : Optional.empty();
    }

    /** Whether the response called a tool, in any of the families' spellings, whole or streamed. */
    static boolean callsTool(JsonNode response) {
        for (JsonNode chunk : chunks(response)) {
            if (!chunk.isObject()) {
                continue;
            }
            // Anthropic: content[] blocks of type tool_use; streamed, content_block_start.content_block.
            if (hasBlock(chunk.get("content"), block -> "tool_use".equals(block.path("type").asText()))
                    || "tool_use".equals(chunk.path("content_block").path("type").asText())) {
                return true;
            }
            // Converse / Nova: output.message.content[].toolUse; streamed, contentBlockStart.start.toolUse.
            if (hasBlock(chunk.path("output").path("message").get("content"), block -> block.has("toolUse"))
                    || chunk.path("contentBlockStart").path("start").has("toolUse")) {
                return true;
            }
            // Cohere chat: tool_calls[]; Mistral chat / OpenAI-style: choices[].message.tool_calls.
            if (nonEmptyArray(chunk.get("tool_calls"))) {
                return true;
            }
            JsonNode choices = chunk.get("choices");
            if (choices != null && choices.isArray()) {
                for (JsonNode choice : choices) {
                    if (nonEmptyArray(choice.path("message").get("tool_calls"))
                            || nonEmptyArray(choice.path("delta").get("tool_calls"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Latency as the response reports it: Converse's metrics.latencyMs (in ConverseStream's metadata chunk) or
     * the invocation metrics Bedrock adds to the last chunk of an InvokeModelWithResponseStream.
     */
    static OptionalLong latency(JsonNode response) {
        OptionalLong found = OptionalLong.empty();
        for (JsonNode chunk : chunks(response)) {
            for (JsonNode node : List.of(chunk.path("metrics").path("latencyMs"),
                    chunk.path("metadata").path("metrics").path("latencyMs"),
                    chunk.path("amazon-bedrock-invocationMetrics").path("invocationLatency"))) {
                if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0) {
                    found = OptionalLong.of(node.asLong());
                }
            }
        }
        return found;
    }

    private static Iterable<JsonNode> chunks(JsonNode response) {
        return response.isArray() ? response : List.of(response);
    }

    private static boolean hasBlock(JsonNode content, Predicate<JsonNode> test) {
        if (content == null || !content.isArray()) {
            return false;
        }
        for (JsonNode block : content) {
            if (block.isObject() && test.test(block)) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonEmptyArray(JsonNode node) {
        return node != null && node.isArray() && !node.isEmpty();
    }
}
