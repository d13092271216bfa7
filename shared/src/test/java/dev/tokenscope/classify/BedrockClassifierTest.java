package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.classify.FakeConverse.Reply;
import dev.tokenscope.classify.LlmClassifierException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** The Bedrock classifier against a local Converse endpoint, through a real SDK client; no network. */
class BedrockClassifierTest {

    static final String MODEL_ID = "us.anthropic.claude-3-haiku-20240307-v1:0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Language EN = Language.of("en");

    private FakeConverse bedrock;
    private BedrockRuntimeClient client;
    private BedrockClassifier classifier;

    @BeforeEach
    void start() throws IOException {
        bedrock = FakeConverse.start();
        // Generous: the first call in a JVM loads much of the SDK inside the call timeout.
        client = bedrock.client(Duration.ofSeconds(5));
        classifier = new BedrockClassifier(client, MODEL_ID, LanguageIdentifier.standard());
    }

    @AfterEach
    void stop() {
        client.close();
        bedrock.close();
    }

    @Test
    void classify_should_returnTheModelsCategorySubtagAndConfidence_when_theAnswerIsValid() throws IOException {
        // given
        bedrock.replying(Reply.answer("{\"category\":\"programming\",\"subtag\":\"development_tools\",\"confidence\":0.91}"));

        // when
        UseCaseClassification result = classifier.classify(Optional.of("You are Cline, a coding agent."),
                "Fix the failing unit test in the payment service and run the build again.",
                List.of("read_file", "execute_command"), Optional.of("cline"));

        // then
        assertEquals(new UseCaseClassification(UseCase.PROGRAMMING, Optional.of("development_tools"), 0.91, EN),
                result);
        FakeConverse.Received request = bedrock.received().get(0);
        assertEquals(MODEL_ID, request.modelId());
        JsonNode body = JSON.readTree(request.body());
        assertEquals(0.0, body.at("/inferenceConfig/temperature").asDouble(-1));
        assertEquals(BedrockClassifier.MAX_TOKENS, body.at("/inferenceConfig/maxTokens").asInt());
        assertEquals("user", body.at("/messages/0/role").asText());
        JsonNode data = JSON.readTree(body.at("/messages/0/content/0/text").asText());
        assertEquals("cline", data.get("app").asText());
        assertEquals("[\"read_file\",\"execute_command\"]", data.get("tools").toString());
        assertEquals("You are Cline, a coding agent.", data.get("system_prompt").asText());
        assertTrue(data.get("user_text").asText().startsWith("Fix the failing unit test"));
    }

    @Test
    void classify_should_sendTheInstructionWithEveryCategoryIdAndSubtag_when_called() throws IOException {
        // when
        classifier.classify(Optional.empty(), "What is the capital of Australia?", List.of(), Optional.empty());

        // then
        String instruction = JSON.readTree(bedrock.received().get(0).body()).at("/system/0/text").asText();
        for (String id : UseCase.identifiers()) {
            assertTrue(instruction.contains("\n" + id + ": "), "the instruction lacks " + id);
        }
        for (String subtag : List.of("\"general\"", "\"development_tools\"", "\"games\"", "\"writers_resources\"",
                "\"adult\"")) {
            assertTrue(instruction.contains(subtag), "the instruction lacks " + subtag);
        }
        assertTrue(instruction.contains("{\"category\""));
    }

    @Test
    void classify_should_takeTheLanguageFromTheIdentifier_when_theModelAnswersAnotherOne() {
        // given: the model adds a language field; it is not asked for and not used
        bedrock.replying(Reply.answer("{\"category\":\"health\",\"subtag\":null,\"confidence\":0.8,\"language\":\"fr\"}"));

        // when
        UseCaseClassification result = classifier.classify(Optional.empty(),
                "Welche Hausmittel helfen gegen Halsschmerzen und wann sollte ich zum Arzt gehen?", List.of(),
                Optional.empty());

        // then
        assertEquals(UseCase.HEALTH, result.category());
        assertEquals(Language.of("de"), result.language());
    }

    @Test
    void classify_should_boundTheRequestBody_when_thePromptIsOneMegabyte() throws IOException {
        // given: 1 MB of user text, a long system prompt and many tools
        String middle = "the quick brown fox jumps over the lazy dog ".repeat(24_000);
        String user = "HEAD-MARK please review this log. " + middle + " TAIL-MARK what failed?";
        List<String> tools = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tools.add("tool_number_" + i + "_" + "x".repeat(100));
        }
        bedrock.replying(Reply.answer("{\"category\":\"technology\",\"subtag\":null,\"confidence\":0.7}"));

        // when
        UseCaseClassification result = classifier.classify(Optional.of("S".repeat(300_000)), user, tools,
                Optional.of("a".repeat(1_000)));

        // then
        assertTrue(user.length() > 1_000_000);
        assertEquals(UseCase.TECHNOLOGY, result.category());
        String body = bedrock.received().get(0).body();
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 12_000, "request body of " + bytes + " bytes");
        JsonNode data = JSON.readTree(JSON.readTree(body).at("/messages/0/content/0/text").asText());
        String sent = data.get("user_text").asText();
        assertTrue(sent.startsWith("HEAD-MARK"));
        assertTrue(sent.endsWith("TAIL-MARK what failed?"));
        assertTrue(sent.contains("[...]"));
        assertEquals(BedrockClassifier.MAX_TOOLS, data.get("tools").size());
        for (String id : UseCase.identifiers()) {
            assertTrue(body.contains(id), id);
        }
    }

    @Test
    void classify_should_notCallTheModel_when_thereIsNoText() {
        UseCaseClassification result = classifier.classify(Optional.of(" "), "", List.of("bash"), Optional.of("x"));

        assertEquals(UseCaseClassification.unclassified(), result);
        assertTrue(bedrock.received().isEmpty());
    }

    @Test
    void classify_should_failAsThrottled_when_bedrockAnswers429() {
        bedrock.replying(Reply.error(429, "ThrottlingException", "Too many requests, please wait."));

        assertEquals(Reason.THROTTLED, failureOf("Summarise this contract for me."));
        assertEquals(1, bedrock.received().size(), "no retries: the breaker and the fallback handle throttling");
    }

    @Test
    void classify_should_failAsServerError_when_bedrockAnswers500() {
        bedrock.replying(Reply.error(500, "InternalServerException", "Internal failure"));

        assertEquals(Reason.SERVER_ERROR, failureOf("Summarise this contract for me."));
    }

    @Test
    void classify_should_failAsRejected_when_theModelIdIsNotAllowed() {
        bedrock.replying(Reply.error(403, "AccessDeniedException", "You don't have access to the model"));

        assertEquals(Reason.REJECTED, failureOf("Summarise this contract for me."));
    }

    @Test
    void classify_should_failAsTimeoutWithinTheCallTimeout_when_bedrockIsSlow() {
        // given: an answer that comes after 20 s, with a 500 ms call timeout
        bedrock.replying(Reply.answer("{\"category\":\"legal\",\"subtag\":null,\"confidence\":0.9}")
                .after(Duration.ofSeconds(20)));
        try (BedrockRuntimeClient impatient = bedrock.client(Duration.ofMillis(500))) {
            BedrockClassifier slow = new BedrockClassifier(impatient, MODEL_ID, LanguageIdentifier.standard());

            // when
            long start = System.nanoTime();
            LlmClassifierException e = assertThrows(LlmClassifierException.class, () -> slow.classify(
                    Optional.empty(), "Summarise this contract for me.", List.of(), Optional.empty()));
            long millis = (System.nanoTime() - start) / 1_000_000;

            // then
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(millis < 5_000, "took " + millis + " ms");
        }
    }

    @Test
    void classify_should_failAsUnreachable_when_nothingListens() {
        bedrock.close();

        assertEquals(Reason.UNREACHABLE, failureOf("Summarise this contract for me."));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "The category is programming.",
        "{\"category\":\"cooking\",\"subtag\":null,\"confidence\":0.9}",
        "{\"category\":\"Programming\",\"subtag\":\"general\",\"confidence\":0.9}",
        "{\"category\":\"legal\",\"subtag\":null}",
        "{\"category\":\"legal\",\"subtag\":null,\"confidence\":\"high\"}",
        "{\"category\":\"legal\",\"subtag\":null,\"confidence\":1.5}",
        "{\"category\":\"legal\",\"subtag\":null,\"confidence\":0.9} and also finance",
        "{\"category\":\"legal\",\"subtag\":null,\"confidence\":0.9}{\"category\":\"finance\"}",
        "[{\"category\":\"legal\",\"subtag\":null,\"confidence\":0.9}]",
        "{\"category\":\"legal\",",
        "",
    })
    void classify_should_failAsInvalidAnswer_when_theAnswerIsNotOneValidObject(String answer) {
        bedrock.replying(Reply.answer(answer));

        assertEquals(Reason.INVALID_ANSWER, failureOf("Can my landlord keep the deposit?"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "programming | \"games\"",
        "programming | null",
        "roleplay | \"general\"",
        "roleplay | \"\"",
        "trivia | \"general\"",
        "finance | \"adult\"",
    })
    void parseAnswer_should_rejectTheSubtag_when_itDoesNotBelongToTheCategory(String category, String subtag) {
        String answer = "{\"category\":\"" + category + "\",\"subtag\":" + subtag + ",\"confidence\":0.9}";

        LlmClassifierException e = assertThrows(LlmClassifierException.class,
                () -> BedrockClassifier.parseAnswer(answer, EN));

        assertEquals(Reason.INVALID_ANSWER, e.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"category\":\"programming\",\"subtag\":\"general\",\"confidence\":0.8}         | programming | general",
        "{\"category\":\"roleplay\",\"subtag\":\"writers_resources\",\"confidence\":0.8}  | roleplay    | writers_resources",
        "{\"category\":\"roleplay\",\"subtag\":\"adult\",\"confidence\":0.8}              | roleplay    | adult",
        "{\"category\":\"trivia\",\"subtag\":null,\"confidence\":0.8}                     | trivia      | ''",
        "{\"category\":\"trivia\",\"confidence\":0.8}                                     | trivia      | ''",
        "'```json\n{\"category\":\"adult\",\"subtag\":null,\"confidence\":0.8}\n```'        | adult       | ''",
        "{\"category\":\"finance\",\"subtag\":null,\"confidence\":0.3}                     | other       | ''",
    })
    void parseAnswer_should_acceptTheAnswer_when_theSubtagFitsTheCategory(String answer, String category,
            String subtag) {
        UseCaseClassification result = BedrockClassifier.parseAnswer(answer, EN);

        assertEquals(category, result.category());
        assertEquals(subtag.isEmpty() ? Optional.empty() : Optional.of(subtag), result.subtag());
    }

    @Test
    void headAndTail_should_notSplitASurrogatePair_when_theCutFallsInsideOne() {
        String emoji = "\uD83D\uDE00";
        String text = "a" + emoji.repeat(10) + "b";

        String cut = BedrockClassifier.headAndTail(text, 4, 4);

        assertEquals("a" + emoji + BedrockClassifier.CUT_MARK + emoji + "b", cut);
    }

    @Test
    void failureMessages_should_notQuoteThePromptOrTheAnswer_when_theModelEchoesThePrompt() {
        // given: the service and the model both repeat the prompt back
        String secret = "SECRET-PROMPT-4711";
        for (Reply reply : List.of(Reply.answer("You asked: " + secret),
                Reply.answer("{\"category\":\"" + secret + "\",\"subtag\":null,\"confidence\":0.9}"),
                Reply.error(400, "ValidationException", "Malformed input: " + secret),
                Reply.error(500, "InternalServerException", secret))) {
            bedrock.replying(reply);

            // when
            LlmClassifierException e = assertThrows(LlmClassifierException.class, () -> classifier.classify(
                    Optional.empty(), "Please answer " + secret, List.of(), Optional.empty()));

            // then
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertEquals(null, e.getCause());
        }
    }

    private Reason failureOf(String text) {
        LlmClassifierException e = assertThrows(LlmClassifierException.class,
                () -> classifier.classify(Optional.empty(), text, List.of(), Optional.empty()));
        return e.reason();
    }
}
