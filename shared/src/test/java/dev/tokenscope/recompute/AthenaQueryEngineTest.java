package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.FakeAthena;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

class AthenaQueryEngineTest {

    private static final QueryEngine.Window WINDOW = new QueryEngine.Window(LocalDate.of(2026, 11, 1),
            LocalDate.of(2026, 11, 7));

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "2026-11-01|'2026-11-01'",
        "O'Brien|'O''Brien'",
        "''|''''''",
        "it's a 'quote'|'it''s a ''quote'''",
        "\"\"|''"})
    void literal_shouldQuoteAndDoubleQuotes_whenGivenAnyString(String value, String expected) {
        // given: a parameter value

        // when
        String literal = AthenaQueryEngine.literal(value);

        // then
        assertEquals(expected, literal);
    }

    private static Row row(String... values) {
        List<Datum> data = new ArrayList<>();
        for (String v : values) {
            data.add(v == null ? Datum.builder().build() : Datum.builder().varCharValue(v).build());
        }
        return Row.builder().data(data).build();
    }

    private static GetQueryResultsResponse page(String nextToken, Row... rows) {
        return GetQueryResultsResponse.builder().nextToken(nextToken).resultSet(r -> r
                .resultSetMetadata(m -> m.columnInfo(ColumnInfo.builder().name("day").build(),
                        ColumnInfo.builder().name("model").build(), ColumnInfo.builder().name("cost_usd").build()))
                .rows(Arrays.asList(rows))).build();
    }

    @Test
    void query_shouldBindQuotedParametersInTheWorkgroupAndDatabase_whenStartingTheQuery() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED),
                List.of(page(null, row("day", "model", "cost_usd"))));
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "tokenscope-wg", "tokenscope_db");

        // when
        engine.query("SELECT 1 WHERE a = ? AND b = ?", List.of("2026-11-01", "O'Brien"), WINDOW);

        // then
        assertEquals("SELECT 1 WHERE a = ? AND b = ?", athena.started.queryString());
        assertEquals("tokenscope-wg", athena.started.workGroup());
        assertEquals("tokenscope_db", athena.started.queryExecutionContext().database());
        assertEquals(List.of("'2026-11-01'", "'O''Brien'"), athena.started.executionParameters());
    }

    @Test
    void query_shouldSendNoParameters_whenThereAreNone() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED),
                List.of(page(null, row("day", "model", "cost_usd"))));
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        engine.query("SELECT 1", List.of(), WINDOW);

        // then
        assertTrue(athena.started.executionParameters().isEmpty());
        assertEquals(false, athena.started.hasExecutionParameters());
    }

    @Test
    void query_shouldSkipOnlyTheHeaderRowAndReadEveryPage_whenResultsArePaged() {
        // given: the header row comes once, at the top of the first page
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of(
                page("1", row("day", "model", "cost_usd"), row("2026-11-02", "a", "0.0142500000")),
                page(null, row("2026-11-03", "b", null))));
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        List<Map<String, String>> rows = engine.query("SELECT", List.of("x"), WINDOW);

        // then
        Map<String, String> first = new LinkedHashMap<>();
        first.put("day", "2026-11-02");
        first.put("model", "a");
        first.put("cost_usd", "0.0142500000");
        assertEquals(2, rows.size());
        assertEquals(first, rows.get(0));
        assertEquals("b", rows.get(1).get("model"));
        assertNull(rows.get(1).get("cost_usd"));
        assertTrue(rows.get(1).containsKey("cost_usd"));
        assertEquals(Arrays.asList(null, "1"), athena.tokensAsked);
    }

    @Test
    void query_shouldThrowWithTheReason_whenTheQueryFails() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.FAILED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine.query("SELEC", List.of(), WINDOW));

        // then
        assertEquals("Athena query q-1 FAILED: SYNTAX_ERROR: line 1:8", e.getMessage());
    }

    @Test
    void query_shouldThrow_whenTheQueryIsCancelled() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.CANCELLED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine.query("SELECT", List.of(), WINDOW));

        // then
        assertTrue(e.getMessage().startsWith("Athena query q-1 CANCELLED"), e.getMessage());
    }

    @Test
    void exportParquet_shouldUnloadTheDaysAsZstdParquetPartitionedByDay_whenGivenDays() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        engine.exportParquet(List.of(LocalDate.of(2026, 11, 2), LocalDate.of(2026, 11, 3)), "data-bucket",
                "warehouse/parquet/run=20261108T031500Z-0a1b2c/");

        // then: every column in table order and the partition column last (UNLOAD wants partition columns at
        // the end), one placeholder per day, bound as quoted literals
        String columns = WarehouseLayout.COLUMNS.stream().map(WarehouseLayout.Column::name)
                .collect(java.util.stream.Collectors.joining(", "));
        assertEquals("UNLOAD (SELECT " + columns + ", day FROM records WHERE day IN (?, ?))\n"
                + "TO 's3://data-bucket/warehouse/parquet/run=20261108T031500Z-0a1b2c/'\n"
                + "WITH (format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY['day'])",
                athena.started.queryString());
        assertTrue(columns.startsWith("upload_id, ") && columns.endsWith(", prompt_text"), columns);
        assertEquals(List.of("'2026-11-02'", "'2026-11-03'"), athena.started.executionParameters());
        assertEquals("wg", athena.started.workGroup());
        assertEquals("db", athena.started.queryExecutionContext().database());
    }

    @Test
    void exportParquet_shouldUnloadAtMost100DaysAtATime_whenGivenMore() {
        // given 150 days: Athena's UNLOAD writes at most 100 partitions
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.SUCCEEDED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");
        List<LocalDate> days = LocalDate.of(2026, 1, 1).datesUntil(LocalDate.of(2026, 1, 1).plusDays(150)).toList();

        // when
        engine.exportParquet(days, "data-bucket", WarehouseLayout.parquetRunPrefix("20261108T031500Z-0a1b2c"));

        // then
        assertEquals(2, athena.starts.size());
        assertEquals(100, athena.starts.get(0).executionParameters().size());
        assertEquals(50, athena.starts.get(1).executionParameters().size());
        assertEquals("'2026-04-11'", athena.starts.get(1).executionParameters().get(0));
        for (StartQueryExecutionRequest start : athena.starts) {
            long placeholders = start.queryString().chars().filter(c -> c == '?').count();
            assertEquals(start.executionParameters().size(), placeholders);
        }
    }

    @Test
    void exportParquet_shouldThrow_whenTheUnloadFails() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.FAILED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine.exportParquet(List.of(LocalDate.of(2026, 11, 2)), "data-bucket",
                        WarehouseLayout.parquetRunPrefix("20261108T031500Z-0a1b2c")));

        // then
        assertTrue(e.getMessage().startsWith("Athena query q-1 FAILED"), e.getMessage());
    }

    @Test
    void execute_shouldRunTheStatementWithoutParametersInTheDatabaseUntilItSucceeds_whenGivenDdl() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.RUNNING, QueryExecutionState.SUCCEEDED),
                List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");
        String ddl = "ALTER TABLE records_parquet DROP IF EXISTS PARTITION (day='2026-11-02')";

        // when
        engine.execute(ddl);

        // then
        assertEquals(ddl, athena.started.queryString());
        assertEquals(false, athena.started.hasExecutionParameters());
        assertEquals("wg", athena.started.workGroup());
        assertEquals("db", athena.started.queryExecutionContext().database());
        assertEquals(List.of(QueryExecutionState.SUCCEEDED), athena.states, "it polled past RUNNING");
    }

    @Test
    void execute_shouldThrowWithTheReason_whenTheDdlFails() {
        // given
        FakeAthena athena = new FakeAthena(List.of(QueryExecutionState.FAILED), List.of());
        AthenaQueryEngine engine = new AthenaQueryEngine(athena, "wg", "db");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine.execute("ALTER TABLE records_parquet PARTITION (day='2026-11-02') SET LOCATION 's3://b/'"));

        // then
        assertEquals("Athena query q-1 FAILED: SYNTAX_ERROR: line 1:8", e.getMessage());
    }
}
