package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import dev.tokenscope.ingest.JsonRecordReader;
import dev.tokenscope.ingest.LogFormat;
import dev.tokenscope.ingest.LogReader;
import dev.tokenscope.ingest.ReadContext;
import dev.tokenscope.ingest.RecordMapper;
import dev.tokenscope.ingest.UsageRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Raw OpenAI API response bodies as applications log them, one per request: Chat Completions objects
 * ({@code "object": "chat.completion"}) and Responses API objects ({@code "object": "response"}), bare or inside a
 * {@code {"request": ..., "response": ...}} wrapper that also keeps the request body (docs/formats/openai-response.md).
 */
public final class OpenAiResponsesFormat implements LogFormat {

    public static final String ID = "openai-response";

    private static final String CHAT = "chat.completion";
    private static final String RESPONSE = "response";

    // The closing quote matters: "chat.completion.chunk" (a stream) must not count as a whole response.
    private static final Pattern CHAT_OBJECT = Pattern.compile("\"object\"\\s*:\\s*\"chat\\.completion\"");
    private static final Pattern RESPONSE_OBJECT = Pattern.compile("\"object\"\\s*:\\s*\"response\"");

    /** Output items the caller has to execute: the Responses API's equivalent of finish_reason "tool_calls". */
    private static final List<String> CLIENT_CALLS = List.of("function_call", "custom_tool_call");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final RecordMapper MAPPER = OpenAiResponsesFormat::map;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int detect(String key, String head) {
        String first = Heads.firstRecordText(head);
        if (!Heads.isJson(first)) {
            return 0;
        }
        Optional<JsonNode> record = firstRecord(first);
        if (record.isPresent()) {
            // Gateway logs (LiteLLM, Helicone, Langfuse) nest these same bodies inside rows of their own: only a
            // body at the top, or in the request/response wrapper, is this format.
            // (LiteLLM's callback payload, for one, has a "response" body but no "request" beside it.)
            JsonNode row = record.get();
            JsonNode body = row.has("object") ? row
                    : row.path("request").isObject() ? row.path("response") : row.path("object");
            String object = body.path("object").asText("");
            boolean chat = object.equals(CHAT) && body.has("usage");
            boolean response = object.equals(RESPONSE) && body.has("output") && body.has("usage");
            return chat || response ? 85 : 0;
        }
        if (CHAT_OBJECT.matcher(head).find() && Heads.hasJsonKeys(head, "usage")) {
            return 85;
        }
        if (RESPONSE_OBJECT.matcher(head).find() && Heads.hasJsonKeys(head, "output", "usage")) {
            return 85;
        }
        return 0;
    }

    /** The first JSON object of the head (of an array: its first element); empty when the head cuts it short. */
    private static Optional<JsonNode> firstRecord(String first) {
        try (JsonParser parser = JSON.createParser(first)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                token = parser.nextToken();
            }
            if (token != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            return Optional.ofNullable(JSON.readTree(parser));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public LogReader open(ReadContext context) {
        return new JsonRecordReader(context, MAPPER);
    }

    private static void map(JsonNode value, RecordMapper.Sink sink) {
        if (!value.isObject()) {
            throw new InvalidFieldException("expected a JSON object, got " + value.getNodeType().name().toLowerCase());
        }
        // A wrapper has no "object" of its own; the bare bodies always do.
        JsonNode body = value;
        Optional<JsonNode> request = Optional.empty();
        if (!value.has("object") && value.has("response")) {
            body = value.get("response");
            if (!body.isObject()) {
                throw new InvalidFieldException("field 'response' must be an object, got "
                        + body.getNodeType().name().toLowerCase());
            }
            request = Optional.ofNullable(value.get("request")).filter(JsonNode::isObject);
        }
        String object = CanonicalFields.text(body, "object")
                .orElseThrow(() -> new InvalidFieldException("missing field 'object'"));
        switch (object) {
            case CHAT -> sink.record(chatCompletion(body, request));
            case RESPONSE -> response(body, request, sink);
            case "chat.completion.chunk" -> sink.error("field 'object' is 'chat.completion.chunk': streamed chunks"
                    + " are not read, log the assembled response (one object per request)");
            default -> throw new InvalidFieldException("field 'object' must be 'chat.completion' or 'response', got '"
                    + CanonicalFields.abbreviate(object) + "'");
        }
    }

    private static UsageRecord chatCompletion(JsonNode body, Optional<JsonNode> request) {
        String model = model(body);
        JsonNode usage = usage(body, true);
        ChatLogFields.ResponseSummary summary = ChatLogFields.responseSummary(Optional.of(body));
        ChatLogFields.Prompt text = request.map(ChatLogFields::prompt).orElse(ChatLogFields.Prompt.NONE);
        return common(UsageRecord.builder(CanonicalFields.timestamp(body, "created"), model), body, request)
                .promptTokens(CanonicalFields.count(usage, "prompt_tokens"))
                .completionTokens(CanonicalFields.count(usage, "completion_tokens"))
                .reasoningTokens(ChatLogFields.count(usage.get("completion_tokens_details"), "reasoning_tokens"))
                .cacheReadTokens(ChatLogFields.count(usage.get("prompt_tokens_details"), "cached_tokens"))
                .cacheWriteTokens(ChatLogFields.count(usage.get("prompt_tokens_details"), "cache_write_tokens"))
                .finishReason(summary.finishReason())
                .toolCalled(summary.toolCalled())
                .toolsOffered(request.map(r -> ChatLogFields.nonEmpty(r.get("tools"))
                        || ChatLogFields.nonEmpty(r.get("functions"))).orElse(false))
                .tools(request.map(r -> ChatLogFields.toolNames(r.has("tools") ? r.get("tools") : r.get("functions")))
                        .orElse(List.of()))
                .prompt(text.user())
                .systemPrompt(text.system())
                .build();
    }

    private static void response(JsonNode body, Optional<JsonNode> request, RecordMapper.Sink sink) {
        String model = model(body);
        String status = CanonicalFields.text(body, "status").orElse("completed");
        if (status.equals("queued") || status.equals("in_progress")) {
            // A background response logged before it finished: its usage is not known yet.
            sink.error("field 'status' is '" + status + "': the response has not finished, log the final object");
            return;
        }
        boolean failed = status.equals("failed");
        JsonNode usage = usage(body, !failed);
        JsonNode output = body.path("output");
        boolean clientCall = false;
        boolean anyCall = false;
        for (JsonNode item : output) {
            String type = item.path("type").asText("");
            clientCall |= CLIENT_CALLS.contains(type);
            // Built-in tools (web_search_call, file_search_call, mcp_call...) are tool calls too, run by OpenAI.
            anyCall |= type.endsWith("_call");
        }
        UsageRecord.Builder builder = common(
                UsageRecord.builder(CanonicalFields.timestamp(body, "created_at"), model), body, request)
                .promptTokens(CanonicalFields.count(usage, "input_tokens"))
                .completionTokens(CanonicalFields.count(usage, "output_tokens"))
                .reasoningTokens(ChatLogFields.count(usage.get("output_tokens_details"), "reasoning_tokens"))
                .cacheReadTokens(ChatLogFields.count(usage.get("input_tokens_details"), "cached_tokens"))
                .cacheWriteTokens(ChatLogFields.count(usage.get("input_tokens_details"), "cache_write_tokens"))
                .toolCalled(output.isArray() ? Optional.of(anyCall) : Optional.empty())
                .toolsOffered(ChatLogFields.nonEmpty(body.get("tools"))
                        || request.map(r -> ChatLogFields.nonEmpty(r.get("tools"))).orElse(false))
                .tools(ChatLogFields.toolNames(ChatLogFields.nonEmpty(body.get("tools")) ? body.get("tools")
                        : request.map(r -> r.get("tools")).orElse(null)));
        ChatLogFields.Prompt text = request.map(r -> responsesPrompt(r, body)).orElse(ChatLogFields.Prompt.NONE);
        builder.prompt(text.user()).systemPrompt(text.system());
        if (failed) {
            JsonNode error = body.path("error");
            builder.errorCode(Optional.of(error.isObject()
                    ? CanonicalFields.text(error, "code").orElse("failed") : "failed"));
        } else {
            builder.finishReason(responsesFinish(status, body, clientCall));
        }
        sink.record(builder.build());
    }

    /** The fields both APIs share: id, provider, service tier, end user. */
    private static UsageRecord.Builder common(UsageRecord.Builder builder, JsonNode body, Optional<JsonNode> request) {
        Optional<String> user = CanonicalFields.text(body, "user")
                .or(() -> request.flatMap(r -> CanonicalFields.text(r, "user")));
        return builder
                .requestId(CanonicalFields.text(body, "id"))
                .provider(Optional.of("openai"))
                .userId(user)
                .tags(CanonicalFields.text(body, "service_tier").map(t -> Map.of("service_tier", t)).orElse(Map.of()));
    }

    private static String model(JsonNode body) {
        return CanonicalFields.text(body, "model").orElseThrow(() -> new InvalidFieldException("missing field 'model'"));
    }

    /** The usage object; a failed response may have none (it still counts as a request, with its error). */
    private static JsonNode usage(JsonNode body, boolean required) {
        JsonNode usage = body.get("usage");
        if (usage == null || usage.isNull()) {
            if (required) {
                throw new InvalidFieldException("missing field 'usage'");
            }
            return JSON.createObjectNode();
        }
        if (!usage.isObject()) {
            throw new InvalidFieldException("field 'usage' must be an object, got "
                    + usage.getNodeType().name().toLowerCase());
        }
        return usage;
    }

    /** Chat Completions' spelling of why a Responses API response ended. */
    private static Optional<String> responsesFinish(String status, JsonNode body, boolean clientCall) {
        if (status.equals("incomplete")) {
            JsonNode details = body.path("incomplete_details");
            Optional<String> reason = details.isObject() ? CanonicalFields.text(details, "reason") : Optional.empty();
            return reason.map(r -> r.equals("max_output_tokens") ? "length" : r);
        }
        if (status.equals("completed")) {
            return Optional.of(clientCall ? "tool_calls" : "stop");
        }
        // cancelled, or a status newer than this reader: as logged.
        return Optional.of(status);
    }

    /**
     * A Responses API request's prompt: its instructions and any system / developer input as the instructions,
     * the user input as the user's text.
     */
    private static ChatLogFields.Prompt responsesPrompt(JsonNode request, JsonNode body) {
        // Instructions are text, or (newer API) a list of input messages: all of them instruct.
        JsonNode instructions = request.hasNonNull("instructions") ? request.get("instructions")
                : body.get("instructions");
        ChatLogFields.Prompt fromInstructions = ChatLogFields.prompt(instructions);
        ChatLogFields.Prompt fromInput = ChatLogFields.prompt(request.get("input"));
        List<String> system = new ArrayList<>();
        fromInstructions.system().ifPresent(system::add);
        fromInstructions.user().ifPresent(system::add);
        fromInput.system().ifPresent(system::add);
        List<String> user = fromInput.user().map(List::of).orElse(List.of());
        if (system.isEmpty() && user.isEmpty()) {
            // A chat-style request body logged with a Responses object: read its messages the usual way.
            return ChatLogFields.prompt(request);
        }
        return ChatLogFields.Prompt.of(system, user);
    }
}
