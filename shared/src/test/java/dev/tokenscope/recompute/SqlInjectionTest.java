package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.FakeAthena;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Values from outside never become SQL text: the recompute window's days are parsed strictly and travel as
 * Athena execution parameters; what Athena cannot take as a parameter (UNLOAD's TO, the partition DDL) is built
 * only from a bucket name and our own folders, each checked against a strict pattern. Every attempt below is
 * refused with a clear error, or reaches Athena only as one quoted literal among the execution parameters.
 */
class SqlInjectionTest {

    private static final String BUCKET = "tokenscope-data-123456789012";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-08T03:15:00Z"), ZoneOffset.UTC);
    private static final String RUN = "20261108T031500Z-0a1b2c";
    private static final String ANY_RUN = "\\d{8}T\\d{6}Z-[0-9a-f]{6}";

    /** Text that would change a statement if it were pasted into one. */
    static Stream<String> attempts() {
        return Stream.of(
                "2026-11-01'; DROP TABLE records; --",
                "2026-11-01' OR '1'='1",
                "2026-11-01') UNION SELECT prompt_text FROM records --",
                "2026-11-01/* comment */",
                "2026-11-01 -- comment",
                "2026-11-01;",
                "2026-11-01\n; DELETE FROM records",
                "2026-11-01\r\nDROP TABLE records",
                "2026-11-01\u2019; DROP TABLE records", // a Unicode right quote
                "2026-11-01\u02bc OR 1=1", // a modifier-letter apostrophe
                "\uff12\uff10\uff12\uff16-11-01", // full-width digits
                "2026\u201011\u201001", // Unicode hyphens
                "2026-11-01\\'",
                "2026-11-01\u0000 OR 1=1");
    }

    /** The attempts, and days that parse but that no record can have. */
    static Stream<String> windowAttempts() {
        return Stream.concat(attempts(), Stream.of("+10000-01-01", "1999-12-31"));
    }

    // ---- the window: parsed strictly, refused with a clear error

    @ParameterizedTest
    @MethodSource("windowAttempts")
    void window_shouldBeRefusedWithAClearError_whenFromOrToHoldsAnythingButADay(String attempt) {
        // given: an on-demand run's detail, as EventBridge passes it
        Map<String, Object> badFrom = Map.of("from", attempt, "to", "2026-11-07");
        Map<String, Object> badTo = Map.of("from", "2026-11-01", "to", attempt);

        // when
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class,
                () -> RecomputeWindow.of(badFrom, 7, CLOCK));
        IllegalArgumentException to = assertThrows(IllegalArgumentException.class,
                () -> RecomputeWindow.of(badTo, 7, CLOCK));

        // then: the error names the field, on one line (the value's control characters escaped)
        assertTrue(from.getMessage().startsWith("recompute window: from must be "), from.getMessage());
        assertTrue(to.getMessage().startsWith("recompute window: to must be "), to.getMessage());
        for (String message : List.of(from.getMessage(), to.getMessage())) {
            assertTrue(message.chars().noneMatch(Character::isISOControl), message);
        }
    }

    @Test
    void window_shouldReadTheDay_whenOnlyWhitespaceOrControlCharactersSurroundIt() {
        // given: surrounding whitespace and control characters are trimmed; what is left must be a day and is read
        // as one (a LocalDate, which carries no text into SQL)
        Map<String, Object> detail = Map.of("from", " 2026-11-01\n", "to", "\t2026-11-07\u0000");

        // when
        QueryEngine.Window window = RecomputeWindow.of(detail, 7, CLOCK);

        // then
        assertEquals(new QueryEngine.Window(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)), window);
    }

    // ---- Athena: the text of the query never holds a value

    @ParameterizedTest
    @MethodSource("attempts")
    void query_shouldSendTheValueOnlyAsOneQuotedExecutionParameter_whenItHoldsSqlText(String attempt) {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of(headerOnly()));
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");
        String sql = SqlFiles.load("rollup_day.sql");

        // when
        engine.query(sql, List.of(attempt, "2026-11-07"), new QueryEngine.Window(LocalDate.of(2026, 11, 1),
                LocalDate.of(2026, 11, 7)));

        // then: the query is the file as it is; the value is one literal (its quotes doubled) among the parameters
        StartQueryExecutionRequest started = athena.started;
        assertEquals(sql, started.queryString());
        assertFalse(started.queryString().contains(attempt));
        assertEquals(List.of(AthenaQueryEngine.literal(attempt), "'2026-11-07'"), started.executionParameters());
        assertOneLiteral(started.executionParameters().get(0));
    }

    @Test
    void recompute_shouldSendEveryDayAsAnExecutionParameterAndWriteOnlyCheckedTextIntoStatements() {
        // given: a day of records to compact, and the whole recompute on Athena (queries, UNLOAD, partition DDL)
        InMemoryObjectStore objects = new InMemoryObjectStore();
        LocalDate day = LocalDate.of(2026, 11, 2);
        objects.put(BUCKET, WarehouseLayout.recordsKey(day, "source-1"), new byte[] {1}, "application/gzip");
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of(headerOnly()));
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");
        AthenaDdlPartitionCatalog partitions = new AthenaDdlPartitionCatalog(
                new BucketPartitionCatalog(objects, BUCKET), engine::execute, BUCKET);
        WarehouseCompactor compactor = new WarehouseCompactor(objects, BUCKET, engine, partitions, CLOCK);
        RecomputeService service = new RecomputeService(engine, new InMemoryRollupStore(),
                new InMemoryRetentionStore(), Optional.of(compactor), RecomputeLease.inProcess(CLOCK));
        QueryEngine.Window window = RecomputeWindow.of(Map.of("from", "2026-11-01", "to", "2026-11-07"), 7, CLOCK);

        // when
        service.recompute(window);

        // then: the SELECTs are the SQL files as they are, their days all parameters; UNLOAD and the DDL hold
        // only the bucket, our folders and days, in the shapes the checks allow
        List<String> files = Stream.of("rollup_day.sql", "request_shape_day.sql", "retention_cohorts.sql",
                "retention_identity.sql").map(SqlFiles::load).toList();
        Pattern dayLiteral = Pattern.compile("'\\d{4}-\\d{2}-\\d{2}'");
        Pattern statement = Pattern.compile("(UNLOAD \\(SELECT [a-z_, ]+ FROM records WHERE day IN \\([?, ]+\\)\\)\\n"
                + "TO 's3://" + BUCKET + "/warehouse/parquet/run=" + ANY_RUN + "/'\\n.*"
                + "|ALTER TABLE records_parquet (ADD IF NOT EXISTS )?PARTITION \\(day='\\d{4}-\\d{2}-\\d{2}'\\)"
                + "( LOCATION | SET LOCATION )'s3://" + BUCKET + "/warehouse/parquet/run=" + ANY_RUN
                + "/day=\\d{4}-\\d{2}-\\d{2}/')", Pattern.DOTALL);
        List<String> kinds = new ArrayList<>();
        for (StartQueryExecutionRequest start : athena.starts) {
            String text = start.queryString();
            if (files.contains(text)) {
                kinds.add("select");
                assertTrue(start.hasExecutionParameters(), text);
            } else {
                assertTrue(statement.matcher(text).matches(), "an unexpected statement: " + text);
                kinds.add(text.startsWith("UNLOAD") ? "unload" : "ddl");
            }
            start.executionParameters().forEach(p -> assertTrue(dayLiteral.matcher(p).matches(), p));
        }
        assertEquals(List.of("select", "select", "select", "select", "unload", "ddl", "ddl"), kinds);
    }

    // ---- what cannot be a parameter: checked against strict patterns, refused before Athena sees it

    @ParameterizedTest
    @MethodSource("attempts")
    void exportParquet_shouldRefuseAndStartNothing_whenTheBucketOrFolderHoldsAnythingElse(String attempt) {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");
        List<LocalDate> days = List.of(LocalDate.of(2026, 11, 2));
        String folder = WarehouseLayout.parquetRunPrefix(RUN);

        // when
        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> engine.exportParquet(days, BUCKET + attempt, folder));
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
                () -> engine.exportParquet(days, BUCKET, folder + attempt));
        IllegalArgumentException run = assertThrows(IllegalArgumentException.class,
                () -> engine.exportParquet(days, BUCKET, WarehouseLayout.parquetRunPrefix(attempt)));

        // then
        assertTrue(bucket.getMessage().startsWith("not an S3 bucket name: '"), bucket.getMessage());
        assertTrue(prefix.getMessage().startsWith("not a Parquet run folder: '"), prefix.getMessage());
        assertTrue(run.getMessage().startsWith("not a Parquet run folder: '"), run.getMessage());
        assertEquals(List.of(), athena.starts);
    }

    @ParameterizedTest
    @MethodSource("attempts")
    void partitions_shouldRefuseAndRunNoDdl_whenTheBucketOrLocationHoldsAnythingElse(String attempt) {
        // given
        InMemoryObjectStore objects = new InMemoryObjectStore();
        List<String> statements = new ArrayList<>();
        AthenaDdlPartitionCatalog catalog = new AthenaDdlPartitionCatalog(new BucketPartitionCatalog(objects, BUCKET),
                statements::add, BUCKET);
        LocalDate day = LocalDate.of(2026, 11, 2);
        String folder = WarehouseLayout.parquetDayPrefix(RUN, day);

        // when
        IllegalArgumentException bucket = assertThrows(IllegalArgumentException.class,
                () -> new AthenaDdlPartitionCatalog(new BucketPartitionCatalog(objects, BUCKET), statements::add,
                        attempt));
        IllegalArgumentException appended = assertThrows(IllegalArgumentException.class,
                () -> catalog.put(List.of(new PartitionCatalog.Partition(day, folder + attempt, "f"))));
        IllegalArgumentException inRun = assertThrows(IllegalArgumentException.class,
                () -> catalog.put(List.of(new PartitionCatalog.Partition(day,
                        WarehouseLayout.parquetDayPrefix(attempt, day), "f"))));

        // then
        assertTrue(bucket.getMessage().startsWith("not an S3 bucket name: '"), bucket.getMessage());
        assertTrue(appended.getMessage().startsWith("not a Parquet folder of 2026-11-02: '"), appended.getMessage());
        assertTrue(inRun.getMessage().startsWith("not a Parquet folder of 2026-11-02: '"), inRun.getMessage());
        assertEquals(List.of(), statements);
        assertEquals(Map.of(), catalog.get(List.of(day)));
    }

    /** A SQL string literal with nothing after it: quoted at both ends, every quote inside doubled. */
    private static void assertOneLiteral(String literal) {
        assertTrue(literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'"), literal);
        String inside = literal.substring(1, literal.length() - 1);
        assertFalse(inside.replace("''", "").contains("'"), "a quote ends the literal early: " + literal);
    }

    /** A SELECT's results without rows: the header row only. */
    private static GetQueryResultsResponse headerOnly() {
        return GetQueryResultsResponse.builder().resultSet(r -> r.resultSetMetadata(m -> m.columnInfo(List.of()))
                .rows(List.of())).build();
    }
}
