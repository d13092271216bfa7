package dev.tokenscope.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The harness itself: a property that holds counts its tries; one that fails is shrunk and names its seed. */
class PropertyCheckTest {

    @Test
    void forAll_shouldCountEveryTry_whenThePropertyHolds() {
        // given / when
        PropertyCheck.Tally tally = PropertyCheck.forAll("holds", 50, r -> r.nextInt(10), PropertyCheck.Shrinker.none(),
                String::valueOf, (n, seen) -> seen.count(n < 10 ? "small" : "large"));

        // then
        assertEquals(java.util.Map.of("small", 50L), tally.counts());
    }

    @Test
    void forAll_shouldReportTheSeedAndTheSmallestFailingInput_whenThePropertyFails() {
        // given: a property that fails on any text holding an 'x'
        PropertyCheck.PropertyBody<String> noX = (text, seen) -> assertTrue(text.indexOf('x') < 0, "has an x");

        // when
        AssertionError e = assertThrows(AssertionError.class, () -> PropertyCheck.forAll("no x", 1000,
                r -> "abc".repeat(r.nextInt(5)) + (r.nextInt(4) == 0 ? "x" : "") + "def", PropertyCheck.text(),
                text -> text, noX));

        // then: shrunk to the one character that fails it
        assertTrue(e.getMessage().startsWith("no x falsified at try "), e.getMessage());
        assertTrue(e.getMessage().contains("(seed " + PropertyCheck.seed() + "; rerun with -Dfuzz.seed="),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("smallest failing input: x"), e.getMessage());
    }
}
