package dev.tokenscope.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NaturalTextTest {

    @Test
    void extract_should_drop_fenced_blocks_inline_code_and_urls_when_given_a_mixed_prompt() {
        String prompt = "Fix this:\n```java\nint x = 1;\n```\nIt fails on `x.y()` see https://example.com/a?b=c now";

        String prose = NaturalText.extract(prompt);

        assertEquals("Fix this:\nIt fails on   see   now\n", prose);
    }

    @Test
    void extract_should_drop_code_lines_when_given_unfenced_code() {
        String prompt = "def f(a, b):\n    return a + b\nfor (int i = 0; i < n; i++) {\nWhat does this do?";

        assertEquals("What does this do?\n", NaturalText.extract(prompt));
    }

    @Test
    void looksLikeCode_should_keep_prose_when_given_a_sentence_with_a_formula_or_a_greek_question() {
        String formula = "Given that f(x) = 4x^3 - 9x - 14, find the value of f(2) for the next step.";
        String greek = "Γιατί ο ουρανός γίνεται κόκκινος στο ηλιοβασίλεμα;";
        String chinese = "Set () to ()块属于哪个类别？";

        assertFalse(NaturalText.looksLikeCode(formula, 0, formula.length()));
        assertFalse(NaturalText.looksLikeCode(greek, 0, greek.length()));
        assertFalse(NaturalText.looksLikeCode(chinese, 0, chinese.length()));
        assertTrue(NaturalText.looksLikeCode("x = foo(bar[1]);", 0, 16));
    }

    @Test
    void extract_should_skip_an_unclosed_fence_to_the_end_when_given_truncated_code() {
        assertEquals("Explain:\n", NaturalText.extract("Explain:\n```\nwhile True:\n    pass"));
    }
}
