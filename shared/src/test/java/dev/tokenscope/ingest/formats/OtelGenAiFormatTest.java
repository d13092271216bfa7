package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.ingest.BodyResolver;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.LogReader;
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
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OtelGenAiFormatTest {

    private final OtelGenAiFormat format = new OtelGenAiFormat();

    // ---- helpers ----

    private static String resource(String name) throws IOException {
        try (InputStream in = OtelGenAiFormatTest.class.getResourceAsStream("/formats/otel/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test fixture missing: formats/otel/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads text through the registry, as ingest does, and checks the otel format was chosen. */
    private static List<ParsedLine> read(String key, String text) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        try (LogReaders.Opened opened = LogReaders.open("s3://bucket/" + key, key,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), FormatRegistry.standard(Map.of()),
                Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            assertEquals(OtelGenAiFormat.ID, opened.format().id());
            LogReader reader = opened.reader();
            while (reader.hasNext()) {
                lines.add(reader.next());
            }
        }
        return lines;
    }

    private static UsageRecord good(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Good.class, line).record();
    }

    private static String bad(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Bad.class, line).error().reason();
    }

    /** One export request line holding one span with the given attributes (JSON fragments). */
    private static String exportLine(String spanFields, String attributes) {
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},"
                + "\"spans\":[{\"traceId\":\"11112222333344445555666677778888\",\"spanId\":\"aaaabbbbccccdddd\","
                + "\"name\":\"chat\",\"kind\":3," + spanFields + "\"attributes\":[" + attributes + "]}]}]}]}\n";
    }

    private static String str(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
    }

    private static final String TIMES = "\"startTimeUnixNano\":\"1762075302000000000\","
            + "\"endTimeUnixNano\":\"1762075302500000000\",";

    // ---- detection ----

    @Test
    void detect_shouldScore90_whenHeadIsOtlpExportWithGenAiAttributes() throws IOException {
        // given
        String jsonl = resource("traces.jsonl");
        String pretty = resource("trace-pretty.json");

        // when / then
        assertEquals(90, format.detect("traces/a.jsonl", jsonl));
        assertEquals(90, format.detect("traces/b.json", pretty));
    }

    @Test
    void detect_shouldScore60_whenOtlpExportHasNoGenAiAttributeInHead() {
        // given
        String head = exportLine(TIMES, str("http.request.method", "GET"));

        // when / then
        assertEquals(60, format.detect("traces/c.jsonl", head));
    }

    @Test
    void detect_shouldScore0_whenFileIsCanonicalOrAnotherFormat() throws IOException {
        // given
        String canonical = Files.readString(Path.of("../events/sample-usage.jsonl"));
        String csv = Files.readString(Path.of("../events/sample-usage-with-errors.csv"));
        String bedrockLike = "{\"schemaType\":\"ModelInvocationLog\",\"modelId\":\"m\",\"input\":{}}";

        // when / then
        assertEquals(0, format.detect("logs/usage.jsonl", canonical));
        assertEquals(0, format.detect("logs/usage.csv", csv));
        assertEquals(0, format.detect("logs/bedrock.json", bedrockLike));
    }

    // ---- JSON Lines export ----

    @Test
    void read_shouldEmitOneRecordPerModelCallSpan_whenJsonlExportMixesSpanKinds() throws IOException {
        // given: line 1 = chat, embeddings, execute_tool, HTTP; line 2 = failed chat, invoke_agent,
        // legacy chat without operation name, generate_content

        // when
        List<ParsedLine> lines = read("traces/2025/11/02/traces.jsonl", resource("traces.jsonl"));

        // then: tool, agent and HTTP spans are skipped silently
        assertEquals(5, lines.size());
        assertEquals(List.of(1L, 1L, 2L, 2L, 2L), lines.stream().map(ParsedLine::line).toList());
        assertEquals(List.of("gpt-4o-2024-08-06", "text-embedding-3-small", "claude-sonnet-4-5",
                "claude-sonnet-4-5-20250929", "gemini-2.5-flash"),
                lines.stream().map(l -> good(l).model()).toList());
    }

    @Test
    void read_shouldMapEveryChatAttribute_whenContentCaptureIsOn() throws IOException {
        // when
        UsageRecord chat = good(read("traces.jsonl", resource("traces.jsonl")).get(0));

        // then
        assertEquals(Instant.parse("2025-11-02T09:21:42.123456789Z"), chat.timestamp());
        assertEquals("gpt-4o-2024-08-06", chat.model());
        assertEquals(Optional.of("openai"), chat.provider());
        assertEquals(Optional.of("chatcmpl-ord7731"), chat.requestId());
        assertEquals(Optional.of("support-bot"), chat.app());
        assertEquals(Optional.of("customer-118"), chat.userId());
        assertEquals(1, chat.requests());
        assertEquals(1200, chat.promptTokens());
        assertEquals(310, chat.completionTokens());
        assertEquals(800, chat.cacheReadTokens());
        assertEquals(0, chat.cacheWriteTokens());
        assertEquals(0, chat.reasoningTokens());
        assertEquals(Optional.of("tool_calls"), chat.finishReason());
        assertTrue(chat.toolsOffered());
        assertEquals(Optional.of(true), chat.toolCalled());
        assertFalse(chat.streamed());
        assertEquals(OptionalLong.of(2310), chat.latencyMs());
        assertEquals(Map.of("server.address", "api.openai.com", "gen_ai.conversation.id", "conv_order_7731"),
                chat.tags());
        assertEquals(Optional.empty(), chat.errorCode());
        assertEquals(Optional.empty(), chat.costUsd());
        assertEquals(Optional.of("Never share payment details.\nYou answer questions about orders."),
                chat.systemPrompt());
        assertEquals(Optional.of("Where is order 7731?\nIt was due on Monday."), chat.prompt());
    }

    @Test
    void read_shouldUseRequestModelAndNumericIntValue_whenEmbeddingsSpanHasNoResponseModel() throws IOException {
        // when
        UsageRecord embeddings = good(read("traces.jsonl", resource("traces.jsonl")).get(1));

        // then
        assertEquals("text-embedding-3-small", embeddings.model());
        assertEquals(Instant.parse("2025-11-02T09:21:50Z"), embeddings.timestamp());
        assertEquals(64, embeddings.promptTokens());
        assertEquals(0, embeddings.completionTokens());
        assertEquals(OptionalLong.of(180), embeddings.latencyMs());
        assertEquals(Optional.empty(), embeddings.toolCalled());
        assertFalse(embeddings.toolsOffered());
        assertEquals(Optional.empty(), embeddings.prompt());
        assertEquals(Optional.empty(), embeddings.userId());
        assertEquals(Map.of("server.address", "api.openai.com"), embeddings.tags());
    }

    @Test
    void read_shouldSetErrorCodeFromErrorType_whenSpanStatusIsError() throws IOException {
        // when
        UsageRecord failed = good(read("traces.jsonl", resource("traces.jsonl")).get(2));

        // then
        assertEquals(Optional.of("overloaded_error"), failed.errorCode());
        assertEquals(Instant.parse("2025-11-02T10:20:00.25Z"), failed.timestamp());
        assertEquals(OptionalLong.of(4750), failed.latencyMs());
        assertEquals(Optional.of("research-agent"), failed.app());
        assertEquals(Optional.of("team-insights"), failed.userId());
        assertEquals(0, failed.promptTokens());
        assertEquals(0, failed.completionTokens());
    }

    @Test
    void read_shouldReadLegacyAttributes_whenSpanHasGenAiSystemAndNoOperationName() throws IOException {
        // when
        UsageRecord legacy = good(read("traces.jsonl", resource("traces.jsonl")).get(3));

        // then
        assertEquals(Optional.of("anthropic"), legacy.provider());
        assertEquals(Instant.parse("2025-11-02T10:21:40.000000001Z"), legacy.timestamp());
        assertEquals(4000, legacy.promptTokens());
        assertEquals(650, legacy.completionTokens());
        assertEquals(1500, legacy.cacheWriteTokens());
        assertEquals(Optional.of("end_turn"), legacy.finishReason());
        assertEquals(OptionalLong.of(3000), legacy.latencyMs());
        assertEquals(Optional.empty(), legacy.errorCode());
    }

    @Test
    void read_shouldMapReasoningStreamAndFirstFinishReason_whenGenerateContentSpan() throws IOException {
        // when
        UsageRecord gemini = good(read("traces.jsonl", resource("traces.jsonl")).get(4));

        // then
        assertEquals(Optional.of("gcp.gemini"), gemini.provider());
        assertEquals(500, gemini.promptTokens());
        assertEquals(900, gemini.completionTokens());
        assertEquals(700, gemini.reasoningTokens());
        assertTrue(gemini.streamed());
        assertEquals(Optional.of("STOP"), gemini.finishReason());
        assertEquals(OptionalLong.of(6789), gemini.latencyMs());
        assertEquals(Instant.parse("2025-11-02T10:40:00Z"), gemini.timestamp());
    }

    // ---- pretty-printed document ----

    @Test
    void read_shouldReadStructuredMessages_whenExportIsOnePrettyPrintedDocument() throws IOException {
        // when
        List<ParsedLine> lines = read("traces/digest.json", resource("trace-pretty.json"));

        // then
        assertEquals(1, lines.size());
        UsageRecord record = good(lines.get(0));
        assertEquals("eu.anthropic.claude-3-5-haiku-20241022-v1:0", record.model());
        assertEquals(Optional.of("aws.bedrock"), record.provider());
        assertEquals(Optional.of("ops-digest"), record.app());
        assertEquals(Instant.parse("2025-11-02T09:21:42Z"), record.timestamp());
        assertEquals(OptionalLong.of(1250), record.latencyMs());
        assertEquals(420, record.promptTokens());
        assertEquals(55, record.completionTokens());
        assertEquals(Optional.of("end_turn"), record.finishReason());
        assertEquals(Optional.of(false), record.toolCalled());
        assertEquals(Optional.of("Summarise the attached incident report in three bullet points."), record.prompt());
        assertEquals(Optional.empty(), record.errorCode());
    }

    // ---- errors and tolerance ----

    @Test
    void read_shouldQuarantineOnlyTheSpanWithoutModel_whenOneSpanLacksBothModels() throws IOException {
        // given
        String text = exportLine(TIMES, str("gen_ai.operation.name", "chat") + ","
                + str("gen_ai.provider.name", "openai"))
                + exportLine(TIMES, str("gen_ai.operation.name", "chat") + ","
                + str("gen_ai.request.model", "gpt-4o-mini"));

        // when
        List<ParsedLine> lines = read("traces/x.jsonl", text);

        // then
        assertEquals(2, lines.size());
        assertEquals(1, lines.get(0).line());
        assertEquals("missing attribute gen_ai.request.model (span aaaabbbbccccdddd)", bad(lines.get(0)));
        assertEquals("gpt-4o-mini", good(lines.get(1)).model());
    }

    @Test
    void read_shouldQuarantineSpan_whenTokenCountIsNotANumber() throws IOException {
        // given
        String text = exportLine(TIMES, str("gen_ai.operation.name", "chat") + ","
                + str("gen_ai.request.model", "m") + ","
                + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"twelve\"}}");

        // when
        List<ParsedLine> lines = read("traces/x.jsonl", text);

        // then
        assertEquals("field 'gen_ai.usage.input_tokens' must be a whole number, got 'twelve' (span aaaabbbbccccdddd)",
                bad(lines.get(0)));
    }

    @Test
    void read_shouldQuarantineSpan_whenStartTimeIsMissing() throws IOException {
        // given
        String text = exportLine("", str("gen_ai.operation.name", "chat") + "," + str("gen_ai.request.model", "m"));

        // when
        List<ParsedLine> lines = read("traces/x.jsonl", text);

        // then
        assertEquals("missing field 'startTimeUnixNano' (span aaaabbbbccccdddd)", bad(lines.get(0)));
    }

    @Test
    void read_shouldQuarantineLine_whenValueIsNotATraceExport() throws IOException {
        // given: a trace export followed by a line that is some other JSON
        String text = exportLine(TIMES, str("gen_ai.operation.name", "chat") + "," + str("gen_ai.request.model", "m"))
                + "{\"resourceLogs\":[]}\n";

        // when
        List<ParsedLine> lines = read("traces/x.jsonl", text);

        // then
        assertEquals(2, lines.size());
        assertEquals("m", good(lines.get(0)).model());
        assertEquals(2, lines.get(1).line());
        assertEquals("expected an OTLP trace export with 'resourceSpans'", bad(lines.get(1)));
    }

    @Test
    void read_shouldSetOtherErrorCode_whenStatusIsErrorWithoutErrorType() throws IOException {
        // given
        String text = exportLine(TIMES + "\"status\":{\"code\":2,\"message\":\"connection reset\"},",
                str("gen_ai.operation.name", "text_completion") + "," + str("gen_ai.request.model", "m"));

        // when
        UsageRecord record = good(read("traces/x.jsonl", text).get(0));

        // then
        assertEquals(Optional.of("_OTHER"), record.errorCode());
        assertEquals(OptionalLong.of(500), record.latencyMs());
    }

    @Test
    void read_shouldEmitNothing_whenSpansAreToolAgentRetrievalOrPlainHttp() throws IOException {
        // given
        String text = exportLine(TIMES, str("gen_ai.operation.name", "execute_tool"))
                + exportLine(TIMES, str("gen_ai.operation.name", "invoke_agent") + ","
                + str("gen_ai.request.model", "m") + ","
                + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"10\"}}")
                + exportLine(TIMES, str("gen_ai.operation.name", "retrieval"))
                + exportLine(TIMES, str("http.request.method", "GET"))
                + "{\"resourceSpans\":[]}\n";

        // when
        List<ParsedLine> lines = read("traces/x.jsonl", text);

        // then
        assertEquals(List.of(), lines);
    }
}
