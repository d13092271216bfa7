package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tokenscope.testing.Fixtures;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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

    @ParameterizedTest
    @CsvSource({
        "a.csv, CSV", "a.CSV, CSV", "a.csv.gz, CSV", "dir.jsonl/a.csv, CSV",
        "a.jsonl, JSON_LINES", "a.ndjson, JSON_LINES", "a.json, JSON_LINES", "a.jsonl.gz, JSON_LINES",
        "A.NDJSON.GZ, JSON_LINES"})
    void formatOf_shouldTrustTheName_whenExtensionIsKnown(String name, LogReaders.Format expected)
            throws IOException {
        // given: content that would sniff as the other format
        String content = expected == LogReaders.Format.CSV ? "{\"a\":1}\n" : "a,b\n1,2\n";

        // when
        LogReaders.Format format = LogReaders.formatOf(name, new BufferedReader(new StringReader(content)));

        // then
        assertEquals(expected, format);
    }

    static Stream<Arguments> sniffed() {
        return Stream.of(
                Arguments.of("{\"a\":1}", LogReaders.Format.JSON_LINES),
                Arguments.of("  \t\r\n\n{\"a\":1}", LogReaders.Format.JSON_LINES),
                Arguments.of("\uFEFF{\"a\":1}", LogReaders.Format.JSON_LINES),
                Arguments.of("request_id,model\n", LogReaders.Format.CSV),
                Arguments.of("\"{quoted\",x\n", LogReaders.Format.CSV),
                Arguments.of("", LogReaders.Format.CSV));
    }

    @ParameterizedTest
    @MethodSource("sniffed")
    void formatOf_shouldSniffTheFirstCharacter_whenNameHasNoKnownExtension(String content,
                                                                           LogReaders.Format expected)
            throws IOException {
        // given
        BufferedReader reader = new BufferedReader(new StringReader(content));

        // when
        LogReaders.Format format = LogReaders.formatOf("logs/upload", reader);

        // then
        assertEquals(expected, format);
    }

    @Test
    void formatOf_shouldLeaveTheReaderAtTheStart_whenItSniffed() throws IOException {
        // given
        BufferedReader reader = new BufferedReader(new StringReader("  {\"a\":1}"));

        // when
        LogReaders.formatOf("upload", reader);

        // then
        assertEquals("  {\"a\":1}", reader.readLine());
    }
}
