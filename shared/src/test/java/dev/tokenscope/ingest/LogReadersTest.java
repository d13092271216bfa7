package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.testing.Fixtures;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogReadersTest {

    private static final String ONE_JSON = "{\"timestamp\":\"2026-11-02T00:00:00Z\",\"model\":\"m1\",\"prompt_tokens\":7}\n";
    private static final String ONE_CSV = "timestamp,model,prompt_tokens\n2026-11-02T00:00:00Z,m1,7\n";

    private static List<ParsedLine> readAll(String name, byte[] bytes) throws IOException {
        List<ParsedLine> lines = new ArrayList<>();
        try (LogReader reader = LogReaders.open(name, new ByteArrayInputStream(bytes))) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    private static UsageRecord onlyRecord(List<ParsedLine> lines) {
        assertEquals(1, lines.size());
        return assertInstanceOf(ParsedLine.Good.class, lines.get(0)).record();
    }

    @Test
    void open_shouldGunzip_whenContentIsGzipButNameLacksGz() throws IOException {
        // given
        byte[] gzipped = Fixtures.gzip(Fixtures.utf8(ONE_JSON));

        // when
        UsageRecord record = onlyRecord(readAll("logs/a.jsonl", gzipped));

        // then
        assertEquals("m1", record.model());
        assertEquals(7, record.promptTokens());
    }

    @Test
    void open_shouldReadPlainText_whenNameEndsInGzButContentIsNotGzip() throws IOException {
        // given
        byte[] plain = Fixtures.utf8(ONE_CSV);

        // when
        UsageRecord record = onlyRecord(readAll("logs/a.csv.gz", plain));

        // then
        assertEquals(7, record.promptTokens());
    }

    @Test
    void open_shouldReadCsv_whenGzippedFileIsNamedCsvGz() throws IOException {
        // given
        byte[] gzipped = Fixtures.gzip(Fixtures.utf8(ONE_CSV));

        // when
        UsageRecord record = onlyRecord(readAll("logs/A.CSV.GZ", gzipped));

        // then
        assertEquals("m1", record.model());
    }

    @Test
    void open_shouldSniffJsonLines_whenGzippedFileHasNoKnownExtension() throws IOException {
        // given
        byte[] gzipped = Fixtures.gzip(Fixtures.utf8("\uFEFF  \n" + ONE_JSON));

        // when
        List<ParsedLine> lines = readAll("logs/upload.bin", gzipped);

        // then
        assertEquals(2, assertInstanceOf(ParsedLine.Good.class, lines.get(0)).line());
        assertEquals(7, onlyRecord(lines).promptTokens());
    }

    @Test
    void open_shouldReadAllEightSampleRecords_whenSampleFileIsGzipped() throws IOException {
        // given
        byte[] gzipped = Fixtures.gzip(Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        List<ParsedLine> lines = readAll("sample", gzipped);

        // then
        assertEquals(8, lines.stream().filter(ParsedLine.Good.class::isInstance).count());
    }

    @Test
    void head_shouldLeaveTheReaderAtTheStart_whenItPeeked() throws IOException {
        // given
        BufferedReader reader = new BufferedReader(new StringReader("  {\"a\":1}\nsecond"));

        // when
        String head = LogReaders.head(reader);

        // then
        assertEquals("  {\"a\":1}\nsecond", head);
        assertEquals("  {\"a\":1}", reader.readLine());
    }

    @Test
    void open_shouldReadACanonicalJsonArray_whenTheFileIsOneArray() throws IOException {
        // given: a pretty-printed array of two records
        String text = "[\n  {\"timestamp\": \"2026-11-02T09:15:02Z\",\n   \"model\": \"m1\"},\n"
                + "  {\"timestamp\": \"2026-11-02T09:16:02Z\", \"model\": \"m2\"}\n]\n";

        // when
        List<ParsedLine> lines = readAll("logs/a.json", text.getBytes(StandardCharsets.UTF_8));

        // then: each element is a record, at the line it starts on
        assertEquals(List.of(2L, 4L), lines.stream().map(ParsedLine::line).toList());
        assertEquals("m2", assertInstanceOf(ParsedLine.Good.class, lines.get(1)).record().model());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world\nthis is not a log\n", "{\"foo\": 1, \"bar\": [2]}\n", "a,b\n1,2\n"})
    void open_shouldRejectTheWholeFile_whenNoFormatRecognisesIt(String content) {
        // given / when
        UnrecognisedFormatException e = assertThrows(UnrecognisedFormatException.class,
                () -> readAll("logs/unknown.txt", content.getBytes(StandardCharsets.UTF_8)));

        // then
        assertTrue(e.getMessage().startsWith("no known format recognises this file"), e.getMessage());
    }

    @Test
    void open_shouldReadNothing_whenTheFileIsEmpty() throws IOException {
        assertEquals(List.of(), readAll("logs/empty.jsonl", new byte[0]));
        assertEquals(List.of(), readAll("logs/blank.csv", "\n\n".getBytes(StandardCharsets.UTF_8)));
    }
}
