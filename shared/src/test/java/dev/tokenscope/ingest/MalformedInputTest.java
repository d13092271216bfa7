package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The malformed-input corpus: each kind of broken file a user may upload, with the outcome tokenscope promises —
 * good records kept, each bad one quarantined with its line and reason, and a file nobody recognises rejected
 * whole. Nothing here may throw past the reader except that rejection.
 */
class MalformedInputTest {

    private static final String GOOD = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt_tokens\":10}";

    private static List<ParsedLine> read(String key, byte[] bytes, Limits limits) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        try (LogReaders.Opened opened = LogReaders.open("s3://b/" + key, key, new ByteArrayInputStream(bytes),
                FormatRegistry.standard(Map.of()), Optional.empty(), limits, BodyResolver.NONE)) {
            opened.reader().forEachRemaining(lines::add);
        }
        return lines;
    }

    private static List<ParsedLine> read(String key, String text) throws IOException {
        return read(key, text.getBytes(StandardCharsets.UTF_8), Limits.DEFAULT);
    }

    private static long good(List<ParsedLine> lines) {
        return lines.stream().filter(ParsedLine.Good.class::isInstance).count();
    }

    private static String reason(ParsedLine line) {
        return assertInstanceOf(ParsedLine.Bad.class, line).error().reason();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void truncatedGzip_shouldKeepTheRecordsBeforeTheCutAndSaySo_whenTheUploadIsCutShort() throws IOException {
        // given: 2,000 records gzipped, then cut to half the compressed bytes
        byte[] whole = gzip((GOOD + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        // when
        List<ParsedLine> lines = read("logs/cut.jsonl.gz", cut, Limits.DEFAULT);

        // then: the records before the cut, the record the cut went through (broken), and a line saying so
        ParsedLine last = lines.get(lines.size() - 1);
        assertTrue(reason(last).startsWith("the file is cut short or corrupt after this line"), reason(last));
        assertTrue(good(lines) >= lines.size() - 2, "all but the cut record and the notice are good");
        assertEquals(good(lines), lines.subList(0, (int) good(lines)).stream()
                .filter(ParsedLine.Good.class::isInstance).count());
        assertTrue(good(lines) > 0 && good(lines) < 2000, "records kept: " + good(lines));
    }

    @Test
    void brokenJson_shouldQuarantineOnlyThatLine_whenOneLineIsNotJson() throws IOException {
        // given
        String text = GOOD + "\n{\"timestamp\": \"2026-11-02T10:00:00Z\", \"model\": \n" + GOOD + "\n";

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", text);

        // then
        assertEquals(3, lines.size());
        assertEquals(2, good(lines));
        assertEquals(2, lines.get(1).line());
        assertTrue(reason(lines.get(1)).startsWith("not valid JSON"), reason(lines.get(1)));
    }

    @Test
    void wrongTypes_shouldQuarantineWithTheFieldNamed_whenValuesHaveTheWrongType() throws IOException {
        // given
        String text = GOOD + "\n"
                + "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt_tokens\":true}\n"
                + "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":{\"id\":\"m\"}}\n"
                + "{\"timestamp\":[2026],\"model\":\"m\"}\n"
                + "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"cost_usd\":\"cheap\"}\n";

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", text);

        // then
        assertEquals(1, good(lines));
        assertEquals("field 'prompt_tokens' must be a whole number, got boolean", reason(lines.get(1)));
        assertEquals("field 'model' must be a string, got object", reason(lines.get(2)));
        assertTrue(reason(lines.get(3)).startsWith("field 'timestamp' must be"), reason(lines.get(3)));
        assertEquals("field 'cost_usd' must be a number, got 'cheap'", reason(lines.get(4)));
    }

    @Test
    void byteOrderMark_shouldBeIgnored_whenJsonLinesOrCsvStartWithIt() throws IOException {
        // given / when
        List<ParsedLine> json = read("logs/a.jsonl", "\uFEFF" + GOOD + "\n");
        List<ParsedLine> csv = read("logs/a.csv", "\uFEFF\"timestamp\",\"model\"\r\n2026-11-02T10:00:00Z,m\r\n");

        // then
        assertEquals(1, good(json));
        assertEquals(1, good(csv));
        assertEquals("m", assertInstanceOf(ParsedLine.Good.class, csv.get(0)).record().model());
    }

    @Test
    void embeddedNewlines_shouldStayInTheField_whenACsvFieldIsQuoted() throws IOException {
        // given: the app spans two lines; the next row starts on line 4
        String text = "timestamp,model,app\n2026-11-02T10:00:00Z,m,\"two\nlines\"\n2026-11-02T11:00:00Z,n,x\n";

        // when
        List<ParsedLine> lines = read("logs/a.csv", text);

        // then
        assertEquals(2, good(lines));
        assertEquals(Optional.of("two\nlines"), assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record().app());
        assertEquals(4, lines.get(1).line());
    }

    @Test
    void tenMegabyteLine_shouldBeQuarantinedWithoutLoadingIt_whenOverTheConfiguredLimit() throws IOException {
        // given: a record with a 10 MB prompt between two good records, and a 1 MiB limit
        String huge = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt\":\""
                + "x".repeat(10 << 20) + "\"}";
        String text = GOOD + "\n" + huge + "\n" + GOOD + "\n";

        // when
        List<ParsedLine> limited = read("logs/a.jsonl", text.getBytes(StandardCharsets.UTF_8), new Limits(1 << 20));
        List<ParsedLine> defaults = read("logs/a.jsonl", text);

        // then: over the limit it is one bad line 2; under the default limit (16 MiB) it is read
        assertEquals(2, good(limited));
        assertTrue(reason(limited.get(1)).startsWith("record longer than the limit of 1048576 characters"),
                reason(limited.get(1)));
        assertEquals(3, good(defaults));
    }

    @Test
    void tenMegabyteArrayElement_shouldBeQuarantined_whenAJsonArrayHoldsIt() throws IOException {
        // given: the same in a JSON array
        String huge = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt\":\""
                + "x".repeat(10 << 20) + "\"}";
        String text = "[" + GOOD + ",\n" + huge + ",\n" + GOOD + "]\n";

        // when
        List<ParsedLine> lines = read("logs/a.json", text.getBytes(StandardCharsets.UTF_8), new Limits(1 << 20));

        // then
        assertEquals(3, lines.size());
        assertEquals(2, good(lines));
        assertTrue(reason(lines.get(1)).startsWith("record longer than the limit"), reason(lines.get(1)));
    }

    @Test
    void invalidUtf8_shouldBeReplacedNotFatal_whenBytesAreNotUtf8() throws IOException {
        // given: Latin-1 bytes for "café" in the app
        byte[] start = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt_tokens\":7,\"app\":\"caf"
                .getBytes(StandardCharsets.UTF_8);
        byte[] end = "\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[start.length + 1 + end.length];
        System.arraycopy(start, 0, bytes, 0, start.length);
        bytes[start.length] = (byte) 0xE9;
        System.arraycopy(end, 0, bytes, start.length + 1, end.length);

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", bytes, Limits.DEFAULT);

        // then: the record counts; the bad byte is U+FFFD
        UsageRecord record = assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
        assertEquals(7, record.promptTokens());
        assertEquals(Optional.of("caf\uFFFD"), record.app());
    }

    @Test
    void emptyFile_shouldReadNothing_whenTheUploadHasNoBytesOrOnlyBlankLines() throws IOException {
        assertEquals(List.of(), read("logs/a.jsonl", ""));
        assertEquals(List.of(), read("logs/a.jsonl.gz", gzip(new byte[0]), Limits.DEFAULT));
        assertEquals(List.of(), read("logs/a.jsonl", "\n \n\r\n"));
    }

    @Test
    void wrongFormat_shouldRejectTheWholeFile_whenItIsNotALog() {
        // given: prose, an image's first bytes, JSON without usage fields
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

        // when / then
        assertThrows(UnrecognisedFormatException.class, () -> read("logs/notes.txt", "Dear team,\nhere are logs"));
        assertThrows(UnrecognisedFormatException.class, () -> read("logs/x.png", png, Limits.DEFAULT));
        assertThrows(UnrecognisedFormatException.class, () -> read("logs/x.json", "{\"hello\": \"world\"}\n"));
    }

    @Test
    void truncatedArray_shouldKeepTheElementsBeforeTheBreak_whenAJsonArrayEndsEarly() throws IOException {
        // given
        String text = "[\n" + GOOD + ",\n" + GOOD + ",\n{\"timestamp\": \"2026";

        // when
        List<ParsedLine> lines = read("logs/a.json", text);

        // then
        assertEquals(2, good(lines));
        assertTrue(reason(lines.get(2)).contains("the rest of the file is not read"), reason(lines.get(2)));
    }

    @Test
    void crlf_shouldReadEveryRecord_whenLinesEndWithCarriageReturns() throws IOException {
        // given / when
        List<ParsedLine> lines = read("logs/a.jsonl", GOOD + "\r\n" + GOOD + "\r\n");

        // then
        assertEquals(2, good(lines));
        assertEquals(List.of(1L, 2L), lines.stream().map(ParsedLine::line).toList());
    }

    // ---- regressions found by the hostile-input tests (ReaderMutationFuzzTest, ReaderPropertiesTest)

    @Test
    void firstLineOverTheLimit_shouldBeQuarantinedAndTheRestRead_whenTheVeryFirstRecordIsHuge() throws IOException {
        // given: the first record is over the default limit (16 MiB). A regression: choosing the layout read the
        // first line past the reader's mark, so the whole file failed with "Mark invalid", an I/O error that ingest
        // retries and that never goes away; the same record on line 2 was quarantined
        String huge = "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt\":\""
                + "x".repeat(17 << 20) + "\"}";
        byte[] bytes = (huge + "\n" + GOOD + "\n" + GOOD + "\n").getBytes(StandardCharsets.UTF_8);

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", bytes, Limits.DEFAULT);

        // then
        assertEquals(3, lines.size());
        assertTrue(reason(lines.get(0)).startsWith("record longer than the limit of 16777216 characters"),
                reason(lines.get(0)));
        assertEquals(2, good(lines));
    }

    @Test
    void leadingBlankLines_shouldBeSkipped_whenThereAreMoreThanTheLookAheadCovers() throws IOException {
        // given: 5,000 blank lines before the records (past the layout's look-ahead; within detection's 64K)
        String text = "\n".repeat(5_000) + GOOD + "\n" + GOOD + "\n";

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", text.getBytes(StandardCharsets.UTF_8), new Limits(1024));

        // then
        assertEquals(2, good(lines));
        assertEquals(List.of(5_001L, 5_002L), lines.stream().map(ParsedLine::line).toList());
    }

    @Test
    void brokenGzipHeader_shouldRejectTheFileWhole_whenTheHeaderIsCutShortOrCorrupt() throws IOException {
        // given: a header cut after the magic bytes, and one with an unknown compression method. A regression:
        // these threw a bare EOFException / ZipException, which ingest retried as if the network had failed
        byte[] cut = Arrays.copyOf(gzip(GOOD.getBytes(StandardCharsets.UTF_8)), 6);
        byte[] method = gzip(GOOD.getBytes(StandardCharsets.UTF_8));
        method[2] = 7;

        // when
        UnrecognisedFormatException e1 = assertThrows(UnrecognisedFormatException.class,
                () -> read("logs/a.jsonl.gz", cut, Limits.DEFAULT));
        UnrecognisedFormatException e2 = assertThrows(UnrecognisedFormatException.class,
                () -> read("logs/a.jsonl.gz", method, Limits.DEFAULT));

        // then
        assertEquals("the file starts as gzip, but its gzip header is cut short or corrupt (end of file)",
                e1.getMessage());
        assertTrue(e2.getMessage().startsWith("the file starts as gzip, but its gzip header is cut short or corrupt"),
                e2.getMessage());
    }

    @Test
    void reason_shouldNotQuoteTheWord_whenTheJsonParserStopsAtABareWord() throws IOException {
        // given: a prompt written without its quotes (Jackson's message quotes the word it stopped at)
        String text = GOOD + "\n{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt\":Confidential}\n";

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", text);

        // then
        assertEquals("not valid JSON: Unrecognized token: was expecting (JSON String, Number, Array, Object or token"
                + " 'null', 'true' or 'false')", reason(lines.get(1)));
    }

    @Test
    void reason_shouldEscapeControlCharacters_whenItQuotesAValue() throws IOException {
        // given: a terminal escape sequence and a line break in a count
        String text = GOOD + "\n{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\","
                + "\"prompt_tokens\":\"12\\u001b[31m\\nFAKE\"}\n";

        // when
        List<ParsedLine> lines = read("logs/a.jsonl", text);

        // then
        assertEquals("field 'prompt_tokens' must be a whole number, got '12\\u001b[31m\\u000aFAKE'",
                reason(lines.get(1)));
    }

    @Test
    void rejection_shouldNameTheFieldsNotTheText_whenNoFormatClaimsTheFile() {
        // given: JSON, CSV and prose that no format claims. A regression: the reason quoted the first 77
        // characters of the file, which may be a prompt, into the upload's status
        String json = "{\"prompt\": \"Confidential plan\", \"answer\": {\"text\": \"no\"}, \"odd key\": 1}\n";
        String csv = "when,what\n2026-01-01,Confidential plan\n";
        String prose = "Confidential plan, do not share\nsecond line\n";

        // when
        String jsonReason = assertThrows(UnrecognisedFormatException.class, () -> read("logs/a.json", json))
                .getMessage();
        String csvReason = assertThrows(UnrecognisedFormatException.class, () -> read("logs/a.csv", csv))
                .getMessage();
        String proseReason = assertThrows(UnrecognisedFormatException.class, () -> read("logs/a.txt", prose))
                .getMessage();

        // then
        assertTrue(jsonReason.endsWith("; it is JSON whose first record has the fields: prompt, answer, "
                + "(a name with spaces or symbols)"), jsonReason);
        assertTrue(csvReason.endsWith("; it is CSV with the columns: when, what"), csvReason);
        assertTrue(proseReason.endsWith("; it is neither JSON nor CSV with a header of field names"), proseReason);
        for (String reason : List.of(jsonReason, csvReason, proseReason)) {
            assertFalse(reason.contains("Confidential"), reason);
        }
    }

    @Test
    void csvRowOfExactlyTheLimit_shouldBeRead_asAJsonLineOfThatLengthIs() throws IOException {
        // given: a row of exactly 1,024 characters, and one of 1,025. A regression: the row's line break counted
        // towards the limit, so a row of exactly the limit was quarantined
        String start = "2026-11-02T10:00:00Z,m,";
        String exact = start + "a".repeat(1024 - start.length());
        String text = "timestamp,model,app\n" + exact + "\n" + exact + "a\n";

        // when
        List<ParsedLine> lines = read("logs/a.csv", text.getBytes(StandardCharsets.UTF_8), new Limits(1024));

        // then
        assertEquals(1, good(lines));
        assertInstanceOf(ParsedLine.Good.class, lines.get(0));
        assertTrue(reason(lines.get(1)).startsWith("record longer than the limit of 1024 characters"),
                reason(lines.get(1)));
    }
}
