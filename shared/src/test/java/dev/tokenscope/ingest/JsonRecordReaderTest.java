package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import dev.tokenscope.ingest.formats.CanonicalFormat;
import org.junit.jupiter.api.Test;

class JsonRecordReaderTest {

    private static final String FILE = "s3://bucket/logs/a.jsonl";

    private static List<ParsedLine> readAll(String text) throws IOException {
        List<ParsedLine> result = new ArrayList<>();
        try (JsonRecordReader reader = reader(text)) {
            while (reader.hasNext()) {
                result.add(reader.next());
            }
        }
        return result;
    }

    private static JsonRecordReader reader(String text) {
        return new JsonRecordReader(new ReadContext(FILE, "logs/a.jsonl", new BufferedReader(new StringReader(text)),
                Limits.DEFAULT, BodyResolver.NONE), CanonicalFormat.MAPPER);
    }

    @Test
    void next_shouldReturnEachRecordWithItsLineNumber_whenEveryLineIsAnObject() throws IOException {
        // given
        String text = "{\"timestamp\":\"2026-11-02T09:15:02Z\",\"model\":\"m1\",\"prompt_tokens\":10}\n"
                + "{\"timestamp\":\"2026-11-02T09:16:00Z\",\"model\":\"m2\",\"prompt_tokens\":20}\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals(2, lines.size());
        ParsedLine.Good first = assertInstanceOf(ParsedLine.Good.class, lines.get(0));
        ParsedLine.Good second = assertInstanceOf(ParsedLine.Good.class, lines.get(1));
        assertEquals(1, first.line());
        assertEquals("m1", first.record().model());
        assertEquals(10, first.record().promptTokens());
        assertEquals(2, second.line());
        assertEquals("m2", second.record().model());
        assertEquals(20, second.record().promptTokens());
    }

    @Test
    void hasNext_shouldSkipBlankLinesButCountThem_whenFileHasBlankLines() throws IOException {
        // given: lines 1 and 3 are blank, line 5 is only spaces
        String text = "\n{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"a\"}\n  \t\n"
                + "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"b\"}\n   \n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals(List.of(2L, 4L), lines.stream().map(ParsedLine::line).toList());
    }

    @Test
    void next_shouldReturnBadLineAndKeepGoing_whenLineIsNotJson() throws IOException {
        // given
        String text = "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"a\"}\n"
                + "{\"timestamp\": oops\n"
                + "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"c\"}\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals(3, lines.size());
        ParsedLine.Bad bad = assertInstanceOf(ParsedLine.Bad.class, lines.get(1));
        assertEquals(2, bad.line());
        assertEquals(FILE, bad.error().file());
        assertEquals(2, bad.error().line());
        assertTrue(bad.error().reason().startsWith("not valid JSON: "), bad.error().reason());
        assertEquals("c", assertInstanceOf(ParsedLine.Good.class, lines.get(2)).record().model());
    }

    @Test
    void next_shouldReturnBadLine_whenALineHoldsTwoObjects() throws IOException {
        // given: two records run together on one line (a lost newline): reading only the first would drop the
        // second without a trace
        String text = "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"a\"}"
                + "{\"timestamp\":\"2026-11-02T00:00:01Z\",\"model\":\"b\"}\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals(1, lines.size());
        ParsedLine.Bad bad = assertInstanceOf(ParsedLine.Bad.class, lines.get(0));
        assertEquals(1, bad.line());
        assertTrue(bad.error().reason().startsWith("not valid JSON: "), bad.error().reason());
    }

    @Test
    void next_shouldReturnBadLineNamingTheField_whenModelIsMissing() throws IOException {
        // given
        String text = "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"prompt_tokens\":5}\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        ParsedLine.Bad bad = assertInstanceOf(ParsedLine.Bad.class, lines.get(0));
        assertEquals(new LineError(FILE, 1, "missing field 'model'"), bad.error());
        assertEquals(FILE + ":1: missing field 'model'", bad.error().toString());
    }

    @Test
    void next_shouldReturnBadLine_whenLineIsJsonButNotAnObject() throws IOException {
        // given: a file that starts with a string is JSON Lines (one starting with '[' would be one array)
        String text = "\"text\"\n[1,2]\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals("expected a JSON object, got string",
                assertInstanceOf(ParsedLine.Bad.class, lines.get(0)).error().reason());
        assertEquals("expected a JSON object, got array",
                assertInstanceOf(ParsedLine.Bad.class, lines.get(1)).error().reason());
    }

    @Test
    void next_shouldIgnoreByteOrderMark_whenFirstLineStartsWithOne() throws IOException {
        // given
        String text = "\uFEFF{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"a\"}\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        ParsedLine.Good good = assertInstanceOf(ParsedLine.Good.class, lines.get(0));
        assertEquals(1, good.line());
        assertEquals("a", good.record().model());
    }

    @Test
    void next_shouldReadEveryLine_whenLinesEndWithCrLf() throws IOException {
        // given
        String text = "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"a\"}\r\n"
                + "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"b\"}\r\n";

        // when
        List<ParsedLine> lines = readAll(text);

        // then
        assertEquals(List.of("a", "b"), lines.stream()
                .map(l -> assertInstanceOf(ParsedLine.Good.class, l).record().model()).toList());
    }

    @Test
    void next_shouldThrowNoSuchElement_whenNoLinesAreLeft() throws IOException {
        // given
        JsonRecordReader reader = reader("\n\n");

        // when
        boolean hasNext = reader.hasNext();

        // then
        assertFalse(hasNext);
        assertThrows(NoSuchElementException.class, reader::next);
        reader.close();
    }
}
