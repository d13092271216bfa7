package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.classify.FakeConverse.Reply;
import dev.tokenscope.classify.LlmClassifierException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/** Sampling, fallback, counters and the circuit breaker, with a local Converse endpoint or fakes. */
class SampledClassifierTest {

    private static final UseCaseClassifier EMBEDDED = UseCaseClassifier.standard();
    private static final String GOOD_ANSWER = "{\"category\":\"trivia\",\"subtag\":null,\"confidence\":0.97}";

    private FakeConverse bedrock;
    private BedrockRuntimeClient client;
    private BedrockClassifier llm;

    @BeforeEach
    void start() throws IOException {
        bedrock = FakeConverse.start().replying(Reply.answer(GOOD_ANSWER));
        client = bedrock.client(Duration.ofMillis(1_500));
        llm = new BedrockClassifier(client, BedrockClassifierTest.MODEL_ID, LanguageIdentifier.standard());
    }

    @AfterEach
    void stop() {
        client.close();
        bedrock.close();
    }

    @Test
    void classify_should_neverCallBedrock_when_theFractionIsZero() {
        SampledClassifier sampled = new SampledClassifier(llm, EMBEDDED, 0.0);

        for (int i = 0; i < 300; i++) {
            String text = "Question number " + i + ": what is the tallest mountain in Europe?";
            assertEquals(EMBEDDED.classify(text), classify(sampled, text));
        }

        assertTrue(bedrock.received().isEmpty());
        assertEquals(new SampledClassifier.Counts(0, 0, 0, Map.of(), 0, Optional.empty()), sampled.counts());
    }

    @Test
    void classify_should_callBedrockForEveryRequestWithText_when_theFractionIsOne() {
        SampledClassifier sampled = new SampledClassifier(llm, EMBEDDED, 1.0);

        for (int i = 0; i < 40; i++) {
            UseCaseClassification result = classify(sampled, "Trivia question " + i + ": who painted the Mona Lisa?");
            assertEquals(UseCase.TRIVIA, result.category());
            assertEquals(0.97, result.confidence());
        }
        assertEquals(UseCaseClassification.unclassified(), sampled.classify(Optional.empty(), " ", List.of(),
                Optional.empty()));

        assertEquals(40, bedrock.received().size());
        SampledClassifier.Counts counts = sampled.counts();
        assertEquals(40, counts.sent());
        assertEquals(40, counts.answered());
        assertEquals(0, counts.fellBack());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(Reply.answer("Sure! This looks like a trivia question."), Reason.INVALID_ANSWER),
                Arguments.of(Reply.answer("{\"category\":\"sports\",\"subtag\":null,\"confidence\":0.9}"),
                        Reason.INVALID_ANSWER),
                Arguments.of(Reply.error(429, "ThrottlingException", "Too many requests"), Reason.THROTTLED),
                Arguments.of(Reply.error(500, "InternalServerException", "Internal failure"), Reason.SERVER_ERROR),
                Arguments.of(Reply.error(503, "ServiceUnavailableException", "Try later"), Reason.SERVER_ERROR),
                Arguments.of(Reply.answer(GOOD_ANSWER).after(Duration.ofSeconds(20)), Reason.TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void classify_should_giveTheEmbeddedClassificationAndCountIt_when_bedrockFails(Reply reply, Reason reason) {
        // given
        bedrock.replying(reply);
        SampledClassifier sampled = new SampledClassifier(llm, EMBEDDED, 1.0);
        String text = "Translate into Spanish: the hotel breakfast starts at seven.";

        // when
        UseCaseClassification result = classify(sampled, text);

        // then
        assertEquals(EMBEDDED.classify(text), result);
        SampledClassifier.Counts counts = sampled.counts();
        assertEquals(1, counts.sent());
        assertEquals(0, counts.answered());
        assertEquals(1, counts.fellBack());
        assertEquals(Map.of(reason, 1L), counts.byReason());
        assertTrue(counts.lastFailure().orElseThrow().startsWith(reason.name()), counts.lastFailure().get());
    }

    @Test
    void classify_should_sendAboutTheFractionAndAlwaysTheSameTexts_when_theFractionIsBetween() {
        // given: 3,000 distinct texts and a fraction of 0.3
        CountingLlm first = new CountingLlm();
        SampledClassifier sampled = new SampledClassifier(first, EMBEDDED, 0.3);
        int n = 3_000;

        // when
        for (int i = 0; i < n; i++) {
            classify(sampled, "Request " + i + " about the weather in city number " + (i * 7919 % 1000));
        }
        CountingLlm second = new CountingLlm();
        SampledClassifier again = new SampledClassifier(second, EMBEDDED, 0.3);
        for (int i = n - 1; i >= 0; i--) {
            classify(again, "Request " + i + " about the weather in city number " + (i * 7919 % 1000));
        }

        // then: binomial(3000, 0.3) has a standard deviation of 25; 90 is 3.6 of them
        int sent = first.texts.size();
        assertTrue(Math.abs(sent - 900) < 90, sent + " of " + n + " sent");
        assertEquals(sent, sampled.counts().sent());
        assertEquals(first.texts, second.texts, "the same texts go to the LLM in another instance and order");
    }

    @Test
    void picked_should_neverPick_when_theFractionIsZero_and_alwaysPick_when_itIsOne() {
        for (long hash : new long[] {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x5555_5555_5555_5555L}) {
            assertFalse(SampledClassifier.picked(hash, 0.0));
            assertTrue(SampledClassifier.picked(hash, 1.0));
        }
    }

    @Test
    void classify_should_stopCallingTheLlm_when_itFailsSeveralTimesInARow() {
        // given: an LLM that is throttled, a breaker that opens after 3 failures for 60 s, a hand-driven clock
        AtomicLong now = new AtomicLong(0);
        CountingLlm throttled = new CountingLlm();
        throttled.failWith = new LlmClassifierException(Reason.THROTTLED, "HTTP 429 ThrottlingException");
        SampledClassifier sampled = new SampledClassifier(throttled, EMBEDDED, 1.0, 3, Duration.ofSeconds(60),
                now::get);

        // when: 10 requests within the pause
        for (int i = 0; i < 10; i++) {
            assertEquals(EMBEDDED.classify("Legal question " + i), classify(sampled, "Legal question " + i));
        }

        // then: 3 calls, then the breaker held the other 7
        assertEquals(3, throttled.calls.get());
        SampledClassifier.Counts counts = sampled.counts();
        assertEquals(3, counts.sent());
        assertEquals(10, counts.fellBack());
        assertEquals(Map.of(Reason.THROTTLED, 3L, Reason.CIRCUIT_OPEN, 7L), counts.byReason());
        assertEquals(1, counts.breakerTrips());

        // when: the pause is over but the trial call fails too
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        classify(sampled, "Legal question 10");
        classify(sampled, "Legal question 11");

        // then: one trial, and the breaker is open again
        assertEquals(4, throttled.calls.get());

        // when: after another pause the LLM answers
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        throttled.failWith = null;
        for (int i = 12; i < 17; i++) {
            classify(sampled, "Legal question " + i);
        }

        // then: the trial closed the breaker and every request went to the LLM again
        assertEquals(9, throttled.calls.get());
        assertEquals(5, sampled.counts().answered());
    }

    @Test
    void classify_should_neverThrowNorKeepTheMessage_when_theLlmThrowsAnythingOrReturnsNull() {
        // given: an LLM whose exceptions carry the prompt
        RequestClassifier broken = (system, user, tools, app) -> {
            throw new IllegalStateException("could not handle " + user);
        };
        RequestClassifier silent = (system, user, tools, app) -> null;
        String text = "PRIVATE-PROMPT-TEXT write a poem about my neighbour";

        for (RequestClassifier bad : List.of(broken, silent)) {
            SampledClassifier sampled = new SampledClassifier(bad, EMBEDDED, 1.0);

            // when
            UseCaseClassification result = classify(sampled, text);

            // then
            assertEquals(EMBEDDED.classify(text), result);
            assertEquals(1, sampled.counts().fellBack());
            assertFalse(sampled.counts().toString().contains("PRIVATE-PROMPT-TEXT"), sampled.counts().toString());
        }
    }

    @Test
    void classify_should_printNothingOfThePrompt_when_bedrockFailsAndEchoesIt() {
        // given: a service and a model that repeat the prompt in errors and answers
        String secret = "SECRET-PROMPT-0451";
        List<Reply> replies = List.of(Reply.error(429, "ThrottlingException", "Rate exceeded for " + secret),
                Reply.error(400, "ValidationException", "Bad input: " + secret),
                Reply.error(500, "InternalServerException", secret),
                Reply.answer("I think '" + secret + "' is trivia"),
                Reply.answer("{\"category\":\"" + secret + "\",\"subtag\":null,\"confidence\":1}"));
        AtomicInteger next = new AtomicInteger();
        bedrock.replying(body -> replies.get(next.getAndIncrement() % replies.size()));
        SampledClassifier sampled = new SampledClassifier(llm, EMBEDDED, 1.0, 100, Duration.ofMinutes(1),
                System::nanoTime);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;

        // when: every line the JVM prints meanwhile is captured
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            for (int i = 0; i < replies.size(); i++) {
                classify(sampled, "Please keep this private: " + secret + " #" + i);
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        // then
        assertEquals(replies.size(), bedrock.received().size());
        assertTrue(bedrock.received().get(0).body().contains(secret), "the prompt did reach the endpoint");
        assertEquals(replies.size(), sampled.counts().fellBack());
        assertFalse(printed.toString(StandardCharsets.UTF_8).contains(secret), printed.toString(StandardCharsets.UTF_8));
        assertFalse(sampled.counts().toString().contains(secret), sampled.counts().toString());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.01, Double.NaN})
    void constructor_should_refuseTheFraction_when_itIsNotBetweenZeroAndOne(double fraction) {
        assertThrows(IllegalArgumentException.class, () -> new SampledClassifier(llm, EMBEDDED, fraction));
    }

    @Test
    void stableHash_should_costTheSameAndStillSeparateTexts_when_theyDifferOnlyInTheMiddleLength() {
        String head = "h".repeat(3_000);
        long a = SampledClassifier.stableHash(Optional.empty(), head + "x".repeat(1_000_000) + "tail");
        long b = SampledClassifier.stableHash(Optional.empty(), head + "x".repeat(1_000_001) + "tail");
        long c = SampledClassifier.stableHash(Optional.empty(), head + "x".repeat(1_000_000) + "tail");

        assertTrue(a != b, "texts of different lengths hash apart");
        assertEquals(a, c);
    }

    private static UseCaseClassification classify(RequestClassifier classifier, String text) {
        return classifier.classify(Optional.empty(), text, List.of(), Optional.empty());
    }

    /** Records the texts it is asked about; answers trivia, or throws {@link #failWith} when set. */
    private static final class CountingLlm implements RequestClassifier {
        final Set<String> texts = new HashSet<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile RuntimeException failWith;

        @Override
        public UseCaseClassification classify(Optional<String> systemPrompt, String userText,
                List<String> toolsOffered, Optional<String> app) {
            calls.incrementAndGet();
            synchronized (texts) {
                texts.add(userText);
            }
            if (failWith != null) {
                throw failWith;
            }
            return new UseCaseClassification(UseCase.TRIVIA, Optional.empty(), 0.9, Language.of("en"));
        }
    }
}
