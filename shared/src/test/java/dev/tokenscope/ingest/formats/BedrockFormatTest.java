package dev.tokenscope.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockFormatTest {

    private static final String KEY =
            "bedrock/AWSLogs/210987654321/BedrockModelInvocationLogs/us-west-2/2026/04/07/08/20260407T0800Z_a1.json.gz";
    private static final String OFFLOADED_INPUT = "s3://acme-bedrock-logs/AWSLogs/210987654321/"
            + "BedrockModelInvocationLogs/us-west-2/2026/04/07/10/data/abc_input.json.gz";
    private static final String OFFLOADED_OUTPUT = "s3://acme-bedrock-logs/AWSLogs/210987654321/"
            + "BedrockModelInvocationLogs/us-west-2/2026/04/07/10/data/abc_output.json.gz";

    private final BedrockFormat format = new BedrockFormat();

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BedrockFormatTest.class.getResourceAsStream("/formats/bedrock/" + name)) {
            assertNotNull(in, "missing test resource formats/bedrock/" + name);
            return in.readAllBytes();
        }
    }

    private static String text(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    /** Reads a fixture the way ingest does: detection by the standard registry, then the chosen reader. */
    private static List<ParsedLine> read(String name, String key, BodyResolver bodies) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        try (LogReaders.Opened opened = LogReaders.open(name, key, new ByteArrayInputStream(resource(name)),
                FormatRegistry.standard(Map.of()), Optional.empty(), Limits.DEFAULT, bodies)) {
            assertEquals(BedrockFormat.ID, opened.format().id());
            opened.reader().forEachRemaining(lines::add);
        }
        return lines;
    }

    private static List<UsageRecord> records(String name, BodyResolver bodies) throws IOException {
        List<UsageRecord> records = new ArrayList<>();
        for (ParsedLine line : read(name, KEY, bodies)) {
            records.add(assertInstanceOf(ParsedLine.Good.class, line, "line " + line.line()).record());
        }
        return records;
    }

    private static UsageRecord byRequest(List<UsageRecord> records, String requestId) {
        return records.stream().filter(r -> r.requestId().equals(Optional.of(requestId))).findFirst()
                .orElseThrow(() -> new AssertionError("no record " + requestId));
    }

    // ---- detection ----------------------------------------------------------------------------------------------

    @Test
    void detect_shouldScore95_whenKeyIsUnderBedrockModelInvocationLogs() {
        // given: a head that says nothing by itself
        String head = "{\"timestamp\":\"2026-04-07T08:00:01Z\"}";

        // when
        int score = format.detect(KEY, head);

        // then
        assertEquals(95, score);
    }

    @Test
    void detect_shouldScore95_whenHeadHasModelInvocationLogSchemaType() throws IOException {
        // given: the file was uploaded under a key of the user's choosing
        String head = text("invocations.jsonl");

        // when
        int score = format.detect("uploads/bedrock-export.jsonl", head);

        // then
        assertEquals(95, score);
        assertTrue(score > new CanonicalFormat().detect("uploads/bedrock-export.jsonl", head));
    }

    @Test
    void detect_shouldScoreZero_whenFileIsCanonical() throws IOException {
        // given: the canonical sample, which even names provider "bedrock"
        String head;
        try (InputStream in = BedrockFormatTest.class.getResourceAsStream("/events/sample-usage.jsonl")) {
            assertNotNull(in, "missing events/sample-usage.jsonl");
            head = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // when
        int score = format.detect("logs/sample-usage.jsonl", head);

        // then
        assertEquals(0, score);
    }

    @Test
    void detect_shouldScoreZero_whenSchemaTypeIsSomethingElse() {
        // given
        String head = "{\"schemaType\":\"AgentTrace\",\"timestamp\":\"2026-04-07T08:00:01Z\"}";

        // when
        int score = format.detect("logs/traces.jsonl", head);

        // then
        assertEquals(0, score);
    }

    // ---- field mapping per body shape ---------------------------------------------------------------------------

    @Test
    void read_shouldMapEnvelopeAndAnthropicBody_whenModelIsAnInferenceProfileArn() throws IOException {
        // when
        UsageRecord r = byRequest(records("invocations.jsonl", BodyResolver.NONE), "req-anthropic-1");

        // then: envelope
        assertEquals(Instant.parse("2026-04-07T08:00:01Z"), r.timestamp());
        assertEquals("anthropic.claude-3-5-sonnet-20240620-v1:0", r.model());
        assertEquals(Optional.of("210987654321"), r.accountId());
        assertEquals(Optional.of("arn:aws:sts::210987654321:assumed-role/support-bot/lambda"), r.userId());
        assertEquals(Optional.of("us-west-2"), r.region());
        assertEquals(Optional.of("bedrock"), r.provider());
        assertEquals(Map.of("team", "support", "env", "prod"), r.tags());
        assertEquals(1, r.requests());
        // 25 uncached + 1800 read from cache + 300 written to it
        assertEquals(2125, r.promptTokens());
        assertEquals(1800, r.cacheReadTokens());
        assertEquals(300, r.cacheWriteTokens());
        assertEquals(41, r.completionTokens());
        assertFalse(r.streamed());
        assertEquals(Optional.empty(), r.errorCode());
        assertEquals(Optional.empty(), r.costUsd());
        // body: system string, user turns (string and text blocks), not the assistant turn or the tool result
        assertEquals(Optional.of("You route tickets to queues."), r.systemPrompt());
        assertEquals(Optional.of("Where does a refund request go?\nIt is for order 77."), r.prompt());
        assertTrue(r.toolsOffered());
        assertEquals(Optional.of("tool_use"), r.finishReason());
        assertEquals(Optional.of(true), r.toolCalled());
    }

    @Test
    void read_shouldMapConverseBody_whenModelHasCrossRegionPrefix() throws IOException {
        // when
        UsageRecord r = byRequest(records("invocations.jsonl", BodyResolver.NONE), "req-converse-2");

        // then
        assertEquals("amazon.nova-pro-v1:0", r.model());
        assertEquals(120, r.promptTokens());
        assertEquals(18, r.completionTokens());
        assertEquals(Optional.of("Answer briefly."), r.systemPrompt());
        assertEquals(Optional.of("What is the weather in Lyon?"), r.prompt());
        assertTrue(r.toolsOffered());
        assertEquals(Optional.of("tool_use"), r.finishReason());
        assertEquals(Optional.of(true), r.toolCalled());
        assertEquals(OptionalLong.of(812), r.latencyMs());
    }

    @Test
    void read_shouldMapNovaBody_whenModelIsAFoundationModelArn() throws IOException {
        // when
        UsageRecord r = byRequest(records("invocations.jsonl", BodyResolver.NONE), "req-nova-3");

        // then
        assertEquals("amazon.nova-micro-v1:0", r.model());
        assertEquals(9, r.promptTokens());
        assertEquals(0, r.cacheReadTokens());
        assertEquals(3, r.completionTokens());
        assertEquals(Optional.of("Be kind."), r.systemPrompt());
        assertEquals(Optional.of("Say hi."), r.prompt());
        assertFalse(r.toolsOffered());
        assertEquals(Optional.of("end_turn"), r.finishReason());
        assertEquals(Optional.of(false), r.toolCalled());
    }

    @Test
    void read_shouldTakePromptAndStopReason_whenBodyIsLlamaMistralCohereOrTitan() throws IOException {
        // given
        List<UsageRecord> records = records("invocations.jsonl", BodyResolver.NONE);

        // when
        UsageRecord llama = byRequest(records, "req-llama-4");
        UsageRecord mistral = byRequest(records, "req-mistral-5");
        UsageRecord cohere = byRequest(records, "req-cohere-6");
        UsageRecord titan = byRequest(records, "req-titan-7");
        UsageRecord mistralChat = byRequest(records, "req-mistral-chat-8");

        // then
        assertEquals("meta.llama3-70b-instruct-v1:0", llama.model());
        assertEquals(Optional.of("Write a haiku about rain."), llama.prompt());
        assertEquals(Optional.of("length"), llama.finishReason());
        assertEquals(14, llama.promptTokens());
        assertEquals(20, llama.completionTokens());

        assertEquals(Optional.of("<s>[INST] Name three rivers. [/INST]"), mistral.prompt());
        assertEquals(Optional.of("stop"), mistral.finishReason());
        assertEquals(8, mistral.completionTokens());

        // preamble, the user's earlier turn (not the chatbot's), then the new message
        assertEquals(Optional.of("You are terse."), cohere.systemPrompt());
        assertEquals(Optional.of("Hello.\nSummarise our chat."), cohere.prompt());
        assertEquals(Optional.of("COMPLETE"), cohere.finishReason());
        assertTrue(cohere.toolsOffered());
        assertEquals(Optional.of(false), cohere.toolCalled());

        assertEquals("amazon.titan-text-express-v1", titan.model());
        assertEquals(Optional.of("Translate 'cat' to French."), titan.prompt());
        assertEquals(Optional.of("FINISH"), titan.finishReason());

        assertEquals(Optional.of("Reply in French."), mistralChat.systemPrompt());

        assertEquals(Optional.of("Good morning"), mistralChat.prompt());
        assertTrue(mistralChat.toolsOffered());
        assertEquals(Optional.of("tool_calls"), mistralChat.finishReason());
        assertEquals(Optional.of(true), mistralChat.toolCalled());
    }

    @Test
    void read_shouldKeepFailedRequestWithItsErrorCode_whenLogHasErrorCodeAndNoOutput() throws IOException {
        // when
        UsageRecord r = byRequest(records("invocations.jsonl", BodyResolver.NONE), "req-error-9");

        // then
        assertEquals(Optional.of("ThrottlingException"), r.errorCode());
        assertEquals("anthropic.claude-3-haiku-20240307-v1:0", r.model());
        assertEquals(0, r.promptTokens());
        assertEquals(0, r.completionTokens());
        assertEquals(Optional.of("Too much text"), r.prompt());
        assertEquals(Optional.empty(), r.finishReason());
        assertEquals(Optional.empty(), r.toolCalled());
    }

    @Test
    void read_shouldReadEveryRecord_whenFileIsJsonLines() throws IOException {
        // when
        List<ParsedLine> lines = read("invocations.jsonl", KEY, BodyResolver.NONE);

        // then
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), lines.stream().map(ParsedLine::line).toList());
        assertTrue(lines.stream().allMatch(l -> l instanceof ParsedLine.Good));
    }

    // ---- streamed responses -------------------------------------------------------------------------------------

    @Test
    void read_shouldTakeStopReasonAndToolUseFromChunks_whenConverseStreamOutputIsAChunkArray() throws IOException {
        // when
        UsageRecord r = byRequest(records("streams.jsonl", BodyResolver.NONE), "req-stream-converse");

        // then
        assertTrue(r.streamed());
        assertEquals("anthropic.claude-sonnet-4-20250514-v1:0", r.model());
        assertEquals(1000, r.promptTokens());
        assertEquals(950, r.cacheReadTokens());
        assertEquals(22, r.completionTokens());
        assertEquals(Optional.of("List files"), r.prompt());
        assertTrue(r.toolsOffered());
        assertEquals(Optional.of("tool_use"), r.finishReason());
        assertEquals(Optional.of(true), r.toolCalled());
        assertEquals(OptionalLong.of(1430), r.latencyMs());
    }

    @Test
    void read_shouldTakeStopReasonFromMessageDelta_whenAnthropicResponseStreamIsAChunkArray() throws IOException {
        // when
        UsageRecord r = byRequest(records("streams.jsonl", BodyResolver.NONE), "req-stream-anthropic");

        // then
        assertTrue(r.streamed());
        assertEquals(17, r.promptTokens());
        assertEquals(64, r.completionTokens());
        assertEquals(Optional.of("Count aloud."), r.systemPrompt());
        assertEquals(Optional.of("Count to ten"), r.prompt());
        assertFalse(r.toolsOffered());
        assertEquals(Optional.of("max_tokens"), r.finishReason());
        assertEquals(Optional.of(false), r.toolCalled());
        assertEquals(OptionalLong.of(2210), r.latencyMs());
    }

    // ---- bodies offloaded to S3 ---------------------------------------------------------------------------------

    @Test
    void read_shouldFetchBodies_whenLogRefersToThemByS3Path() throws IOException {
        // given
        Map<String, String> objects = Map.of(OFFLOADED_INPUT, text("offloaded-input.json"),
                OFFLOADED_OUTPUT, text("offloaded-output.json"));
        List<String> asked = new ArrayList<>();
        BodyResolver bodies = uri -> {
            asked.add(uri);
            return Optional.ofNullable(objects.get(uri));
        };

        // when
        UsageRecord r = records("offloaded.jsonl", bodies).get(0);

        // then
        assertEquals(List.of(OFFLOADED_INPUT, OFFLOADED_OUTPUT), asked);
        assertEquals("anthropic.claude-3-7-sonnet-20250219-v1:0", r.model());
        assertEquals(40000, r.promptTokens());
        assertEquals(900, r.completionTokens());
        assertEquals(Optional.of("Review this contract."), r.systemPrompt());
        assertEquals(Optional.of("Clause 4 says the tenant pays."), r.prompt());
        assertEquals(List.of("cite"), r.tools());
        assertTrue(r.toolsOffered());
        assertEquals(Optional.of("end_turn"), r.finishReason());
        assertEquals(Optional.of(false), r.toolCalled());
    }

    @Test
    void read_shouldKeepRecordWithoutText_whenOffloadedBodiesAreUnavailable() throws IOException {
        // given: one body missing, the other unreadable
        BodyResolver bodies = uri -> {
            if (uri.equals(OFFLOADED_INPUT)) {
                return Optional.empty();
            }
            throw new UncheckedIOException(new IOException("connection reset"));
        };

        // when
        UsageRecord r = records("offloaded.jsonl", bodies).get(0);

        // then
        assertEquals(40000, r.promptTokens());
        assertEquals(900, r.completionTokens());
        assertEquals(Optional.empty(), r.prompt());
        assertFalse(r.toolsOffered());
        assertEquals(Optional.empty(), r.finishReason());
        assertEquals(Optional.empty(), r.toolCalled());
    }

    @Test
    void read_shouldKeepRecordWithoutText_whenOffloadedBodyIsNotJson() throws IOException {
        // given
        BodyResolver bodies = uri -> Optional.of("this is not json {");

        // when
        UsageRecord r = records("offloaded.jsonl", bodies).get(0);

        // then
        assertEquals(40000, r.promptTokens());
        assertEquals(Optional.empty(), r.prompt());
        assertEquals(Optional.empty(), r.finishReason());
    }

    // ---- tolerance and quarantine -------------------------------------------------------------------------------

    @Test
    void read_shouldQuarantineBadLinesWithReasonAndKeepTheRest_whenSomeRecordsAreBroken() throws IOException {
        // when
        List<ParsedLine> lines = read("mixed.jsonl", KEY, BodyResolver.NONE);

        // then
        assertEquals(5, lines.size());
        UsageRecord strings = assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
        // counts written as strings, a blank count, and fields this reader does not know
        assertEquals(150, strings.promptTokens());
        assertEquals(30, strings.cacheReadTokens());
        assertEquals(0, strings.cacheWriteTokens());
        assertEquals(45, strings.completionTokens());
        assertEquals("meta.llama3-8b-instruct-v1:0", strings.model());

        ParsedLine.Bad noModel = assertInstanceOf(ParsedLine.Bad.class, lines.get(1));
        assertEquals(2, noModel.line());
        assertEquals("missing field 'modelId'", noModel.error().reason());

        ParsedLine.Bad noTime = assertInstanceOf(ParsedLine.Bad.class, lines.get(2));
        assertEquals(3, noTime.line());
        assertEquals("missing field 'timestamp'", noTime.error().reason());

        ParsedLine.Bad badCount = assertInstanceOf(ParsedLine.Bad.class, lines.get(3));
        assertEquals(4, badCount.line());
        assertEquals("field 'input.inputTokenCount' must be a whole number, got 'many'", badCount.error().reason());

        UsageRecord after = assertInstanceOf(ParsedLine.Good.class, lines.get(4)).record();
        assertEquals(7, after.promptTokens());
        assertEquals(3, after.completionTokens());
    }

    @Test
    void read_shouldQuarantineRecord_whenSchemaTypeIsNotModelInvocationLog() throws IOException {
        // given
        String text = "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-04-07T08:00:00Z\","
                + "\"modelId\":\"amazon.nova-lite-v1:0\"}\n"
                + "{\"schemaType\":\"SomethingNew\",\"timestamp\":\"2026-04-07T08:00:00Z\","
                + "\"modelId\":\"amazon.nova-lite-v1:0\"}\n";
        List<ParsedLine> lines = new ArrayList<>();

        // when
        try (LogReaders.Opened opened = LogReaders.open("t.jsonl", KEY,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), FormatRegistry.standard(Map.of()),
                Optional.empty(), Limits.DEFAULT, BodyResolver.NONE)) {
            opened.reader().forEachRemaining(lines::add);
        }

        // then
        assertInstanceOf(ParsedLine.Good.class, lines.get(0));
        ParsedLine.Bad bad = assertInstanceOf(ParsedLine.Bad.class, lines.get(1));
        assertEquals("field 'schemaType' is 'SomethingNew', not ModelInvocationLog", bad.error().reason());
    }

    @Test
    void read_shouldReadEachDocument_whenRecordsArePrettyPrinted() throws IOException {
        // when: detected from the content alone, under a key Bedrock did not write
        List<ParsedLine> lines = read("pretty.json", "exports/bedrock-pretty.json", BodyResolver.NONE);

        // then
        assertEquals(2, lines.size());
        UsageRecord first = assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
        UsageRecord second = assertInstanceOf(ParsedLine.Good.class, lines.get(1)).record();
        assertEquals(Optional.of("req-pretty-1"), first.requestId());
        assertEquals(5, first.promptTokens());
        assertEquals(6, first.completionTokens());
        assertEquals(Optional.of("req-pretty-2"), second.requestId());
        assertEquals(7, second.promptTokens());
        assertEquals(8, second.completionTokens());
    }

    // ---- model ids ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "amazon.nova-lite-v1:0, amazon.nova-lite-v1:0",
            "us.anthropic.claude-3-5-sonnet-20240620-v1:0, anthropic.claude-3-5-sonnet-20240620-v1:0",
            "eu.meta.llama3-2-1b-instruct-v1:0, meta.llama3-2-1b-instruct-v1:0",
            "apac.amazon.nova-pro-v1:0, amazon.nova-pro-v1:0",
            "us-gov.anthropic.claude-3-haiku-20240307-v1:0, anthropic.claude-3-haiku-20240307-v1:0",
            "jp.anthropic.claude-sonnet-4-5-20250929-v1:0, anthropic.claude-sonnet-4-5-20250929-v1:0",
            "au.anthropic.claude-haiku-4-5-20251001-v1:0, anthropic.claude-haiku-4-5-20251001-v1:0",
            "global.anthropic.claude-sonnet-4-20250514-v1:0, anthropic.claude-sonnet-4-20250514-v1:0",
            "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1, anthropic.claude-v2:1",
            "arn:aws:bedrock:eu-west-1:210987654321:inference-profile/eu.amazon.nova-micro-v1:0, amazon.nova-micro-v1:0",
            "arn:aws-us-gov:bedrock:us-gov-west-1:210987654321:inference-profile/us-gov.anthropic.claude-3-haiku-20240307-v1:0,"
                    + " anthropic.claude-3-haiku-20240307-v1:0",
            "arn:aws:bedrock:us-west-2:210987654321:application-inference-profile/k3x9q2m7p1ab, k3x9q2m7p1ab"
    })
    void normalModelId_shouldNameTheFoundationModel_whenIdIsArnOrCrossRegionProfile(String logged, String expected) {
        // when
        String model = BedrockFormat.normalModelId(logged);

        // then
        assertEquals(expected, model);
    }
}
