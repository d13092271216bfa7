package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.ingest.formats.CanonicalFormat;
import dev.tokenscope.testing.Fixtures;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static final String FILE = "s3://bucket/logs/a.csv";
    private static final UsageRecord ANY = CanonicalFields.toRecord(new ObjectMapper().createObjectNode()
            .put("timestamp", "2026-11-02T00:00:00Z").put("model", "any"));

    /** The rows the reader hands to its mapper, and what it returned for each line. */
    private static final class Capture {
        final List<JsonNode> rows = new ArrayList<>();
        final List<ParsedLine> lines = new ArrayList<>();
    }

    private static Capture read(String text) throws IOException {
        Capture capture = new Capture();
        RecordMapper mapper = (row, sink) -> {
            capture.rows.add(row);
            sink.record(ANY);
        };
        try (CsvReader reader = new CsvReader(FILE, new StringReader(text), mapper, Limits.DEFAULT)) {
            while (reader.hasNext()) {
                capture.lines.add(reader.next());
            }
        }
        return capture;
    }

    private static String field(JsonNode row, String name) {
        return row.get(name).asText();
    }

    @Test
    void next_shouldKeepCommasInsideQuotes_whenFieldIsQuoted() throws IOException {
        // given
        String text = "app,model\n\"notes, drafts\",m1\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(1, capture.rows.size());
        assertEquals("notes, drafts", field(capture.rows.get(0), "app"));
        assertEquals("m1", field(capture.rows.get(0), "model"));
    }

    @Test
    void next_shouldReadOneQuote_whenQuotesAreDoubledInsideQuotes() throws IOException {
        // given
        String text = "app,model\n\"say \"\"hi\"\"\",\"\"\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals("say \"hi\"", field(capture.rows.get(0), "app"));
        assertEquals("", field(capture.rows.get(0), "model"));
    }

    @Test
    void next_shouldNumberRowByTheLineItStartsOn_whenQuotedFieldHoldsLineBreaks() throws IOException {
        // given: the row of line 2 spans lines 2..4, so the next row starts on line 5
        String text = "app,model\n\"first\nsecond\nthird\",m1\nplain,m2\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(List.of(2L, 5L), capture.lines.stream().map(ParsedLine::line).toList());
        assertEquals("first\nsecond\nthird", field(capture.rows.get(0), "app"));
        assertEquals("plain", field(capture.rows.get(1), "app"));
    }

    @Test
    void next_shouldEndRowsAtCrLfWithoutKeepingTheCr_whenLinesEndWithCrLf() throws IOException {
        // given
        String text = "app,model\r\na1,m1\r\n\"x\r\ny\",m2\r\na3,m3\r\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(List.of(2L, 3L, 5L), capture.lines.stream().map(ParsedLine::line).toList());
        assertEquals("m1", field(capture.rows.get(0), "model"));
        assertEquals("x\r\ny", field(capture.rows.get(1), "app"));
        assertEquals("m3", field(capture.rows.get(2), "model"));
    }

    @Test
    void next_shouldStripByteOrderMarkFromTheHeader_whenFileStartsWithOne() throws IOException {
        // given
        String text = "\uFEFFapp,model\na1,m1\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals("a1", field(capture.rows.get(0), "app"));
        assertEquals(List.of("app", "model"), iterable(capture.rows.get(0)));
    }

    @Test
    void next_shouldStripByteOrderMark_whenTheHeaderFieldsAreQuoted() throws IOException {
        // given: what PowerShell's Export-Csv -Encoding UTF8 writes: a BOM, then every field quoted
        String text = "\uFEFF\"app\",\"model\"\n\"a1\",\"m1\"\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(List.of("app", "model"), iterable(capture.rows.get(0)));
        assertEquals("a1", field(capture.rows.get(0), "app"));
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void next_shouldReturnBadLineWithCounts_whenRowHasWrongColumnCount() throws IOException {
        // given
        String text = "app,model\na1,m1,extra\nalone\na4,m4\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(3, capture.lines.size());
        ParsedLine.Bad tooMany = assertInstanceOf(ParsedLine.Bad.class, capture.lines.get(0));
        ParsedLine.Bad tooFew = assertInstanceOf(ParsedLine.Bad.class, capture.lines.get(1));
        assertEquals(new LineError(FILE, 2, "expected 2 columns as in the header, got 3"), tooMany.error());
        assertEquals(new LineError(FILE, 3, "expected 2 columns as in the header, got 1"), tooFew.error());
        assertEquals(4, assertInstanceOf(ParsedLine.Good.class, capture.lines.get(2)).line());
        assertEquals(1, capture.rows.size());
    }

    @Test
    void next_shouldReturnBadLineAtItsStart_whenQuoteIsNotClosed() throws IOException {
        // given: the quote opened on line 3 runs to the end of the file
        String text = "app,model\na1,m1\n\"open,m2\nmore\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(2, capture.lines.size());
        ParsedLine.Bad bad = assertInstanceOf(ParsedLine.Bad.class, capture.lines.get(1));
        assertEquals(new LineError(FILE, 3, "quoted field not closed before the end of the file"), bad.error());
    }

    @Test
    void next_shouldReturnBadLine_whenCharactersFollowAClosingQuote() throws IOException {
        // given
        String text = "app,model\n\"a\"b,m1\n";

        // when
        Capture capture = read(text);

        // then
        assertEquals(new LineError(FILE, 2, "unexpected character after a closing quote"),
                assertInstanceOf(ParsedLine.Bad.class, capture.lines.get(0)).error());
    }

    @Test
    void hasNext_shouldSkipBlankLinesAndReadTheLastRow_whenFileHasBlankLinesAndNoFinalNewline()
            throws IOException {
        // given
        String text = "\napp,model\n\na1,m1\n\na2,m2";

        // when
        Capture capture = read(text);

        // then
        assertEquals(List.of(4L, 6L), capture.lines.stream().map(ParsedLine::line).toList());
        assertEquals("m2", field(capture.rows.get(1), "model"));
    }

    @Test
    void hasNext_shouldBeFalse_whenFileHasOnlyAHeaderOrNothing() throws IOException {
        // given
        String headerOnly = "app,model\n";
        String empty = "";

        // when
        Capture a = read(headerOnly);
        Capture b = read(empty);

        // then
        assertEquals(0, a.lines.size());
        assertEquals(0, b.lines.size());
    }

    @Test
    void next_shouldReturnBadLineWithTheFieldError_whenMapperRefusesTheRow() throws IOException {
        // given
        String text = "timestamp,model,prompt_tokens\n2026-11-02T00:00:00Z,m1,-5\n";
        List<ParsedLine> lines = new ArrayList<>();

        // when
        try (CsvReader reader = new CsvReader(FILE, new StringReader(text), CanonicalFormat.MAPPER, Limits.DEFAULT)) {
            reader.forEachRemaining(lines::add);
        }

        // then
        assertEquals(new LineError(FILE, 2, "field 'prompt_tokens' must not be negative, got -5"),
                assertInstanceOf(ParsedLine.Bad.class, lines.get(0)).error());
    }

    @Test
    void next_shouldKeepGoodRowsAndReportBadOnes_whenReadingTheSampleFile() throws IOException {
        // given: events/sample-usage-with-errors.csv, header on line 1 and five rows on lines 2..6
        List<ParsedLine> lines = new ArrayList<>();

        // when
        try (CsvReader reader = new CsvReader("sample.csv", new InputStreamReader(
                new java.io.ByteArrayInputStream(Fixtures.resource(Fixtures.SAMPLE_CSV)), StandardCharsets.UTF_8),
                CanonicalFormat.MAPPER, Limits.DEFAULT)) {
            reader.forEachRemaining(lines::add);
        }

        // then
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), lines.stream().map(ParsedLine::line).toList());
        assertEquals("field 'prompt_tokens' must be a whole number, got 'lots'",
                assertInstanceOf(ParsedLine.Bad.class, lines.get(1)).error().reason());
        assertEquals("missing field 'timestamp'",
                assertInstanceOf(ParsedLine.Bad.class, lines.get(3)).error().reason());
        UsageRecord first = assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
        assertEquals(900, first.promptTokens());
        assertEquals(Map.of("team", "support", "env", "prod"), first.tags());
        assertEquals(0, new BigDecimal("0.00009").compareTo(first.costUsd().orElseThrow()));
        UsageRecord last = assertInstanceOf(ParsedLine.Good.class, lines.get(4)).record();
        assertEquals("notes, drafts", last.app().orElseThrow());
        assertEquals("openai/gpt-4o-mini", last.model());
        assertTrue(last.tags().isEmpty());
    }
}
