package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReaders;
import dev.tokenscope.ingest.ParsedLine;
import dev.tokenscope.ingest.UsageRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiResponsesFormatTest {

    private final OpenAiResponsesFormat format = new OpenAiResponsesFormat();

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenAiResponsesFormatTest.class.getResourceAsStream("/formats/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads text through the registry, as ingestion does, and checks that this format was chosen. */
    private static List<ParsedLine> readText(String key, String text) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        try (LogReaders.Opened opened = LogReaders.open(key, key,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), FormatRegistry.standard(Map.of()),
                Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            assertEquals(OpenAiResponsesFormat.ID, opened.format().id());
            opened.reader().forEachRemaining(lines::add);
        }
        return lines;
    }

    private static List<ParsedLine> read(String name) throws IOException {
        return readText("logs/" + name, resource(name));
    }

    private static UsageRecord good(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Good.class, line).record();
    }

    private static String bad(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Bad.class, line).error().reason();
    }

    @Test
    void detect_shouldScore85_whenChatCompletionsResponsesOrWrappedBodies() throws IOException {
        // given / when / then
        assertEquals(85, format.detect("a.jsonl", resource("openai-response/chat-completions.jsonl")));
        assertEquals(85, format.detect("a.json", resource("openai-response/responses.json")));
        assertEquals(85, format.detect("a.jsonl", resource("openai-response/wrapped.jsonl")));
    }

    @Test
    void detect_shouldFallBackToMarkers_whenHeadCutsTheFirstObjectShort() throws IOException {
        // given: a head that ends inside the first object (a very large first response)
        String head = resource("openai-response/responses.json").substring(0, 900);

        // when / then
        assertEquals(85, format.detect("a.json", head));
    }

    @Test
    void detect_shouldScoreZero_whenStreamChunksCanonicalOrOtherVendorFiles() throws IOException {
        // given
        String canonical = Files.readString(Path.of("../events/sample-usage.jsonl"));
        String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1772618400,"
                + "\"model\":\"gpt-4.1\",\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n";

        // when / then
        assertEquals(0, format.detect("a.jsonl", chunk));
        assertEquals(0, format.detect("sample-usage.jsonl", canonical));
        assertEquals(0, format.detect("a.json", resource("openai-usage/completions-page.json")));
        assertEquals(0, format.detect("a.jsonl", resource("openai-usage/pages.jsonl")));
        assertEquals(0, format.detect("a.json", resource("openai-costs/costs-page.json")));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/spend-logs.jsonl")));
        assertEquals(0, format.detect("a.jsonl", resource("litellm/callback-payloads.jsonl")));
        assertEquals(0, format.detect("a.jsonl", resource("helicone/requests.jsonl")));
        assertEquals(0, format.detect("a.csv", resource("helicone/requests.csv")));
        assertEquals(0, format.detect("a.jsonl", resource("langfuse/observations.jsonl")));
    }

    @Test
    void open_shouldMapEveryField_whenChatCompletionCalledATool() throws IOException {
        // given / when
        UsageRecord record = good(read("openai-response/chat-completions.jsonl").get(0));

        // then
        assertEquals(Optional.of("chatcmpl-ts-001"), record.requestId());
        assertEquals(Instant.parse("2026-03-04T10:00:00Z"), record.timestamp());
        assertEquals("gpt-4.1-mini-2025-04-14", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(1, record.requests());
        assertEquals(1500, record.promptTokens());
        assertEquals(240, record.completionTokens());
        assertEquals(64, record.reasoningTokens());
        assertEquals(1024, record.cacheReadTokens());
        assertEquals(0, record.cacheWriteTokens());
        assertEquals(Optional.empty(), record.costUsd());
        assertEquals(Optional.of("tool_calls"), record.finishReason());
        assertEquals(Optional.of(true), record.toolCalled());
        assertFalse(record.toolsOffered(), "a bare chat completion does not echo the request's tools");
        assertFalse(record.streamed());
        assertEquals(Map.of("service_tier", "default"), record.tags());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.empty(), record.prompt());
    }

    @Test
    void open_shouldReadNumbersAsStringsAndIgnoreExtraFields_whenLoggerStringifiedThem() throws IOException {
        // given / when
        UsageRecord record = good(read("openai-response/chat-completions.jsonl").get(1));

        // then
        assertEquals(Instant.parse("2026-03-04T10:01:00Z"), record.timestamp());
        assertEquals(310, record.promptTokens());
        assertEquals(25, record.completionTokens());
        assertEquals(0, record.reasoningTokens());
        assertEquals(0, record.cacheReadTokens());
        assertEquals(Optional.of("length"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Map.of(), record.tags());
    }

    @Test
    void open_shouldQuarantineWithReason_whenModelOrUsageMissingOrValueIsAStreamChunk() throws IOException {
        // given / when
        List<ParsedLine> lines = read("openai-response/chat-completions.jsonl");

        // then
        assertEquals(5, lines.size());
        assertEquals("missing field 'model'", bad(lines.get(2)));
        assertEquals("missing field 'usage'", bad(lines.get(3)));
        assertTrue(bad(lines.get(4)).contains("'chat.completion.chunk'"), bad(lines.get(4)));
        assertEquals(5, assertInstanceOf(ParsedLine.Bad.class, lines.get(4)).error().line());
    }

    @Test
    void open_shouldMapFunctionCallAndEchoedTools_whenResponsesApiObjectCalledAFunction() throws IOException {
        // given / when
        UsageRecord record = good(read("openai-response/responses.json").get(0));

        // then
        assertEquals(Optional.of("resp_ts_101"), record.requestId());
        assertEquals(Instant.parse("2026-03-04T11:00:00Z"), record.timestamp());
        assertEquals("gpt-5-mini-2025-08-07", record.model());
        assertEquals(Optional.of("openai"), record.provider());
        assertEquals(2200, record.promptTokens());
        assertEquals(410, record.completionTokens());
        assertEquals(384, record.reasoningTokens());
        assertEquals(2048, record.cacheReadTokens());
        assertEquals(Optional.of("tool_calls"), record.finishReason());
        assertEquals(Optional.of(true), record.toolCalled());
        assertTrue(record.toolsOffered());
        assertEquals(Optional.of("clerk-17"), record.userId());
        assertEquals(Map.of("service_tier", "flex"), record.tags());
        assertEquals(Optional.empty(), record.errorCode());
        assertEquals(Optional.empty(), record.prompt(), "without the request, the echoed instructions alone are not the prompt");
    }

    @Test
    void open_shouldDeriveFinishReasonAndError_whenResponsesAreIncompleteFailedOrUsedBuiltInTools() throws IOException {
        // given / when
        List<ParsedLine> lines = read("openai-response/responses.json");

        // then: max_output_tokens reads as length
        UsageRecord truncated = good(lines.get(1));
        assertEquals(Optional.of("length"), truncated.finishReason());
        assertEquals(90, truncated.promptTokens());
        assertEquals(500, truncated.completionTokens());
        assertEquals(500, truncated.reasoningTokens());
        assertEquals(Optional.of(false), truncated.toolCalled());
        assertFalse(truncated.toolsOffered());
        // content filter
        UsageRecord filtered = good(lines.get(2));
        assertEquals(Optional.of("content_filter"), filtered.finishReason());
        assertEquals(40, filtered.promptTokens());
        assertEquals(3, filtered.completionTokens());
        // failed: a request with its error code and no usage
        UsageRecord failed = good(lines.get(3));
        assertEquals(Optional.of("server_error"), failed.errorCode());
        assertEquals(Optional.empty(), failed.finishReason());
        assertEquals(1, failed.requests());
        assertEquals(0, failed.promptTokens());
        assertEquals(0, failed.completionTokens());
        // a built-in tool call: a tool was called, but nothing for the caller to run
        UsageRecord searched = good(lines.get(4));
        assertEquals(Optional.of("stop"), searched.finishReason());
        assertEquals(Optional.of(true), searched.toolCalled());
        assertTrue(searched.toolsOffered());
        assertEquals(700, searched.promptTokens());
        assertEquals(60, searched.completionTokens());
    }

    @Test
    void open_shouldQuarantineWithReason_whenCreatedAtMissingOrResponseUnfinished() throws IOException {
        // given / when
        List<ParsedLine> lines = read("openai-response/responses.json");

        // then
        assertEquals(7, lines.size());
        assertEquals("missing field 'created_at'", bad(lines.get(5)));
        assertTrue(bad(lines.get(6)).startsWith("field 'status' is 'in_progress'"), bad(lines.get(6)));
    }

    @Test
    void open_shouldReadPromptAndToolsFromRequest_whenBodiesAreWrappedWithTheirRequest() throws IOException {
        // given / when
        List<ParsedLine> lines = read("openai-response/wrapped.jsonl");

        // then: chat request, system + user text parts (the assistant turn is not prompt)
        UsageRecord chat = good(lines.get(0));
        assertEquals(Optional.of("chatcmpl-ts-201"), chat.requestId());
        assertEquals(Instant.parse("2026-03-04T12:00:00Z"), chat.timestamp());
        assertEquals("gpt-4.1-2025-04-14", chat.model());
        assertEquals(88, chat.promptTokens());
        assertEquals(12, chat.completionTokens());
        assertTrue(chat.toolsOffered());
        assertEquals(Optional.of(false), chat.toolCalled());
        assertEquals(Optional.of("stop"), chat.finishReason());
        assertEquals(Optional.of("customer-77"), chat.userId());
        assertEquals(Optional.of("You answer order questions."), chat.systemPrompt());
        assertEquals(Optional.of("Where is parcel 42?"), chat.prompt());
        assertEquals(List.of("lookup_parcel"), chat.tools());
        // responses request: instructions, then the input messages
        UsageRecord response = good(lines.get(1));
        assertEquals(Optional.of("resp_ts_202"), response.requestId());
        assertEquals(30, response.promptTokens());
        assertEquals(15, response.completionTokens());
        assertFalse(response.toolsOffered());
        assertEquals(Optional.of("Answer in one sentence."), response.systemPrompt());
        assertEquals(Optional.of("What is a parcel locker?"), response.prompt());
        // responses request with plain-text input
        UsageRecord plain = good(lines.get(2));
        assertEquals(Instant.parse("2026-03-04T12:02:00Z"), plain.timestamp());
        assertEquals(Optional.of("Name one planet."), plain.prompt());
        assertEquals(9, plain.promptTokens());
        assertEquals(4, plain.completionTokens());
    }

    @Test
    void open_shouldQuarantineWithReason_whenObjectIsNotAnApiResponse() throws IOException {
        // given: a file detected by its first body, with a second value that is something else
        String text = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"created\":1772618400,\"model\":\"gpt-4.1\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n"
                + "{\"id\":\"emb-1\",\"object\":\"list\",\"model\":\"text-embedding-3-small\"}\n"
                + "{\"id\":\"chatcmpl-y\",\"created\":1772618400,\"model\":\"gpt-4.1\"}\n"
                + "{\"id\":\"chatcmpl-z\",\"object\":\"chat.completion\",\"created\":99,\"model\":\"gpt-4.1\","
                + "\"usage\":{}}\n";

        // when
        List<ParsedLine> lines = readText("logs/mixed.jsonl", text);

        // then
        assertEquals(4, lines.size());
        assertEquals(5, good(lines.get(0)).promptTokens());
        assertEquals(Optional.empty(), good(lines.get(0)).toolCalled(), "no choice, so tool use is unknown");
        assertEquals("field 'object' must be 'chat.completion' or 'response', got 'list'", bad(lines.get(1)));
        assertEquals("missing field 'object'", bad(lines.get(2)));
        assertTrue(bad(lines.get(3)).startsWith("field 'created' is out of range"), bad(lines.get(3)));
    }
}
