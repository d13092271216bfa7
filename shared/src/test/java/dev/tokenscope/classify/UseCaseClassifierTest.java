package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed model on short, clear requests written for this test (not in the training data). */
class UseCaseClassifierTest {

    private final UseCaseClassifier classifier = UseCaseClassifier.standard();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "programming | Write a Java method that reverses a linked list in place.",
        "programming | def fib(n):\\n    return n if n < 2 else fib(n-1) + fib(n-2)\\nMake this faster with memoization.",
        "roleplay | You are a pirate captain. Stay in character. *I climb aboard your ship*",
        "translation | Translate into Spanish: the hotel breakfast starts at seven.",
        "translation | 请把这句话翻译成英文：今天天气很好。",
        "health | What are the usual symptoms of a migraine and how is it treated?",
        "finance | How should I split my savings between an index fund and bonds at age 30?",
        "legal | Can my landlord evict me without written notice under tenancy law?",
        "marketing | Write an Instagram caption and hashtags to promote our new coffee blend.",
        "technology | My laptop will not connect to the Wi-Fi after the Windows update, how do I fix it?",
        "creative_writing | Write a short poem about the sea at night.",
        "productivity | Draft an email to my team moving Monday's meeting to Tuesday at 10am.",
        "science | Explain why the second law of thermodynamics means entropy increases.",
    })
    void classify_should_giveTheClearCategory_when_theRequestIsUnambiguous(String expected, String text) {
        UseCaseClassification result = classifier.classify(text.replace("\\n", "\n"));

        assertEquals(expected, result.category(), text);
        assertTrue(result.confidence() >= classifier.threshold(), "confidence " + result.confidence());
    }

    @Test
    void classify_should_returnUnclassified_when_thereIsNoText() {
        assertEquals(UseCase.UNCLASSIFIED, classifier.classify("").category());
        assertEquals(UseCase.UNCLASSIFIED, classifier.classify(null).category());
        assertEquals(UseCase.UNCLASSIFIED,
                classifier.classify(Optional.of("  "), " \n", List.of(), Optional.empty()).category());
    }

    @Test
    void classify_should_returnOther_when_theTopProbabilityIsBelowTheThreshold() {
        UseCaseClassifier strict = new UseCaseClassifier(classifier.model(), LanguageIdentifier.standard(), 0.999_999);

        UseCaseClassification result = strict.classify("Tell me about the history and the price of oranges");

        assertEquals(UseCase.OTHER, result.category());
        assertTrue(result.confidence() < 0.999_999);
        assertEquals(Optional.empty(), result.subtag());
    }

    @Test
    void classify_should_tagLanguage_when_theTextIsLongEnough() {
        assertEquals("de", classifier.classify("Übersetze bitte diesen Satz ins Englische, danke schön.").language().code());
    }

    @Test
    void classify_should_tagDevelopmentTools_when_anAgentOffersFileAndShellTools() {
        UseCaseClassification result = classifier.classify(Optional.empty(),
                "Fix the failing unit test in src/parser.py and rerun pytest.", List.of("read_file", "execute_command"),
                Optional.empty());

        assertEquals(UseCase.PROGRAMMING, result.category());
        assertEquals(Optional.of("development_tools"), result.subtag());
    }

    @Test
    void classify_should_tagGeneralProgramming_when_noToolsOrAgentSignals() {
        UseCaseClassification result = classifier.classify("Write a Python function that checks if a number is prime.");

        assertEquals(Optional.of("general"), result.subtag());
    }

    @Test
    void subtag_should_splitRoleplay_when_textSignalsAdultOrWriting() {
        assertEquals(Optional.of("adult"), UseCaseClassifier.subtag(UseCase.ROLEPLAY, Optional.empty(),
                "Let's do an NSFW scene", List.of(), Optional.empty(), 0.0));
        assertEquals(Optional.of("writers_resources"), UseCaseClassifier.subtag(UseCase.ROLEPLAY, Optional.empty(),
                "Play my novel's villain so I can find his voice for chapter 3", List.of(), Optional.empty(), 0.0));
        assertEquals(Optional.of("games"), UseCaseClassifier.subtag(UseCase.ROLEPLAY, Optional.empty(),
                "You are the dungeon master, I open the door", List.of(), Optional.empty(), 0.0));
        assertEquals(Optional.empty(), UseCaseClassifier.subtag(UseCase.HEALTH, Optional.empty(), "x", List.of(),
                Optional.empty(), 0.0));
    }

    @Test
    void classify_should_giveTheSameAnswer_when_calledTwice() {
        String text = "Summarise the key risks in this quarterly report for the board.";
        assertEquals(classifier.classify(text), classifier.classify(text));
    }

    @Test
    void committedModel_should_loadWithTheFifteenCategoriesAndStaySmall_when_readFromTheClasspath() throws IOException {
        UseCaseModel model = UseCaseClassifier.loadModel();
        long bytes;
        try (InputStream in = UseCaseClassifier.class.getResourceAsStream(UseCaseClassifier.MODEL_RESOURCE)) {
            bytes = in.readAllBytes().length;
        }

        assertEquals(UseCase.identifiers(), model.classes());
        assertTrue(bytes < 1_000_000, "model resource is " + bytes + " bytes");
    }

    @Test
    void languageSample_should_keepHeadAndTail_when_theTextIsLong() {
        String text = "a".repeat(5000) + "TAIL";

        String sample = UseCaseClassifier.languageSample(text);

        assertTrue(sample.length() <= UseCaseClassifier.LANGUAGE_HEAD + UseCaseClassifier.LANGUAGE_TAIL + 1);
        assertTrue(sample.endsWith("TAIL"));
    }
}
