package dev.tokenscope.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.ingest.CanonicalFields;
import dev.tokenscope.ingest.InvalidFieldException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Field readers shared by the gateway and tracing exports (LiteLLM, Helicone, Langfuse): they all store chat
 * requests and responses as JSON that an export may write either nested or as JSON text (always as text in CSV),
 * and they share the OpenAI / Anthropic message shapes.
 */
final class ChatLogFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why generation stopped and whether a tool was called, as far as a stored response tells. */
    record ResponseSummary(Optional<String> finishReason, Optional<Boolean> toolCalled) {
        static final ResponseSummary UNKNOWN = new ResponseSummary(Optional.empty(), Optional.empty());
    }

    private ChatLogFields() {
    }


    /** The first of the fields that holds text (camelCase and snake_case spellings of one field, say). */
    static Optional<String> text(JsonNode row, String... fields) {
        for (String field : fields) {
            Optional<String> value = CanonicalFields.text(row, field);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /**
     * A field holding a JSON object or array, given nested or as JSON text. Blank, null and Python's "None" are
     * absent; other text (not JSON) is absent too, since the field's structure is what is read.
     */
    static Optional<JsonNode> json(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isContainerNode()) {
            return Optional.of(node);
        }
        if (!node.isTextual()) {
            return Optional.empty();
        }
        String text = node.asText().trim();
        if (!(text.startsWith("{") || text.startsWith("["))) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(text));
        } catch (IOException e) {
            // Not quoted: these fields hold the messages, and a reason is kept in statuses and logs.
            throw new InvalidFieldException("field '" + field + "' is text that starts as JSON but does not parse");
        }
    }

    /** A required date-time: ISO-8601 (with or without offset; without is UTC) or epoch seconds / milliseconds. */
    static Instant time(JsonNode row, String field) {
        return optionalTime(row, field)
                .orElseThrow(() -> new InvalidFieldException("missing field '" + field + "'"));
    }

    static Optional<Instant> optionalTime(JsonNode row, String field) {
        JsonNode node = row.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return Optional.empty();
        }
        return Optional.of(CanonicalFields.timestamp(row, field));
    }

    /** Whole milliseconds from start to end; unknown when the end is missing or before the start. */
    static OptionalLong millisBetween(Instant start, Optional<Instant> end) {
        if (end.isEmpty() || end.get().isBefore(start)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Duration.between(start, end.get()).toMillis());
    }

    /** Strings of a JSON array as tags of their own name (value "true"); other elements are skipped. */
    static Map<String, String> tagList(Optional<JsonNode> array) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (array.isPresent() && array.get().isArray()) {
            for (JsonNode tag : array.get()) {
                if (tag.isValueNode() && !tag.asText().isBlank()) {
                    tags.put(tag.asText().trim(), "true");
                }
            }
        }
        return tags;
    }

    /** Whether a node is an array or object with something in it (a tool list, say). */
    static boolean nonEmpty(JsonNode node) {
        return node != null && node.isContainerNode() && !node.isEmpty();
    }

    /** What a request's messages say: the system (or developer) instructions and the user's text, each joined. */
    record Prompt(Optional<String> system, Optional<String> user) {
        static final Prompt NONE = new Prompt(Optional.empty(), Optional.empty());

        static Prompt of(List<String> system, List<String> user) {
            return new Prompt(joined(system), joined(user));
        }

        private static Optional<String> joined(List<String> parts) {
            return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", parts));
        }
    }

    /**
     * The prompt from chat messages: system and developer contents as the instructions, user contents as the
     * user's text (strings, or the text parts of a content list). Accepts a messages array, an object holding
     * "messages" (and Anthropic's top-level "system"), or plain text (a completion prompt: user text).
     */
    static Prompt prompt(JsonNode input) {
        if (input == null || input.isNull()) {
            return Prompt.NONE;
        }
        if (input.isTextual()) {
            return input.asText().isBlank() ? Prompt.NONE : new Prompt(Optional.empty(), Optional.of(input.asText()));
        }
        List<String> system = new ArrayList<>();
        List<String> user = new ArrayList<>();
        JsonNode messages = input;
        if (input.isObject()) {
            addContent(input.get("system"), system);
            messages = input.get("messages");
            if (messages == null && input.has("prompt")) {
                addContent(input.get("prompt"), user);
            }
        }
        if (messages != null && messages.isArray()) {
            for (JsonNode message : messages) {
                String role = message.path("role").asText("").toLowerCase(Locale.ROOT);
                if (role.equals("system") || role.equals("developer")) {
                    addContent(message.get("content"), system);
                } else if (role.equals("user")) {
                    addContent(message.get("content"), user);
                }
            }
        }
        return Prompt.of(system, user);
    }

    /**
     * Names of the tools a request offers: OpenAI ({"type": "function", "function": {"name"}}, or "name" at the
     * top as in the Responses API), Anthropic ({"name"}), Bedrock Converse ({"toolSpec": {"name"}}) or plain
     * strings; or an object keyed by tool name. At most {@link CanonicalFields#MAX_TOOL_NAMES}.
     */
    static List<String> toolNames(JsonNode tools) {
        List<String> names = new ArrayList<>();
        if (tools != null && tools.isObject()) {
            // A map of name -> definition, as some exports write it.
            tools.fieldNames().forEachRemaining(n -> {
                if (names.size() < CanonicalFields.MAX_TOOL_NAMES) {
                    names.add(n);
                }
            });
            return names;
        }
        if (tools == null || !tools.isArray()) {
            return names;
        }
        for (JsonNode tool : tools) {
            // Built-in tools without a name (OpenAI's web_search, file_search) go by their type.
            JsonNode name = tool.isTextual() ? tool
                    : tool.path("function").path("name").isTextual() ? tool.path("function").path("name")
                    : tool.path("toolSpec").path("name").isTextual() ? tool.path("toolSpec").path("name")
                    : tool.path("name").isTextual() ? tool.path("name")
                    : tool.path("type");
            if (name.isTextual() && !name.asText().isBlank() && names.size() < CanonicalFields.MAX_TOOL_NAMES) {
                names.add(name.asText().trim());
            }
        }
        return names;
    }

    private static void addContent(JsonNode content, List<String> parts) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            if (!content.asText().isBlank()) {
                parts.add(content.asText());
            }
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    addContent(part, parts);
                } else if (part.path("text").isTextual()) {
                    addContent(part.get("text"), parts);
                }
            }
        }
    }

    /**
     * Finish reason and tool use from a stored response: OpenAI chat completions (choices[0].finish_reason,
     * message.tool_calls) or Anthropic messages (stop_reason, tool_use content blocks).
     */
    static ResponseSummary responseSummary(Optional<JsonNode> response) {
        if (response.isEmpty() || !response.get().isObject()) {
            return ResponseSummary.UNKNOWN;
        }
        JsonNode body = response.get();
        JsonNode choice = body.path("choices").path(0);
        if (choice.isObject()) {
            Optional<String> finish = CanonicalFields.text(choice, "finish_reason");
            JsonNode message = choice.get("message");
            Optional<Boolean> called = message != null && message.isObject()
                    ? Optional.of(nonEmpty(message.get("tool_calls")) || nonEmpty(message.get("function_call")))
                    : Optional.empty();
            return new ResponseSummary(finish, called);
        }
        if (body.has("stop_reason")) {
            boolean called = false;
            for (JsonNode block : body.path("content")) {
                called |= "tool_use".equals(block.path("type").asText());
            }
            return new ResponseSummary(CanonicalFields.text(body, "stop_reason"), Optional.of(called));
        }
        return ResponseSummary.UNKNOWN;
    }

    /** A count that some exports write as JSON text inside an object (usage maps in CSV). */
    static long count(JsonNode object, String field) {
        return object == null || !object.isObject() ? 0 : CanonicalFields.count(object, field);
    }
}
