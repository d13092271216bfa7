package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.recompute.BucketPartitionCatalog;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.recompute.WarehouseCompactor;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The recompute's Parquet compaction against the real local stack: S3Mock, dynalite, DuckDB writing the Parquet
 * files and reading both tables, pointer objects standing in for the Glue partitions.
 */
class CompactionIT {

    private static final LocalDate FROM = LocalDate.parse("2026-11-01");
    private static final LocalDate TO = LocalDate.parse("2026-11-07");
    private static final QueryEngine.Window WINDOW = new QueryEngine.Window(FROM, TO);
    /** Demo traffic on these days; the samples add records on the 2nd, 3rd and 4th. */
    private static final List<LocalDate> DEMO_DAYS = FROM.datesUntil(LocalDate.parse("2026-11-06")).toList();

    /**
     * Per day: rows, the sum of every numeric column, the trues of every boolean one, and a few strings. Sums of
     * doubles are rounded: their last bits depend on the order the rows are added in.
     */
    private static final String PER_DAY = "SELECT day, count(*) AS rows_, "
            + WarehouseLayout.COLUMNS.stream()
                    .filter(c -> c.type().equals("bigint") || c.type().startsWith("decimal"))
                    .map(c -> "sum(" + c.name() + ") AS sum_" + c.name())
                    .collect(Collectors.joining(", ")) + ", "
            + WarehouseLayout.COLUMNS.stream()
                    .filter(c -> c.type().equals("double"))
                    .map(c -> "round(sum(" + c.name() + "), 9) AS sum_" + c.name())
                    .collect(Collectors.joining(", ")) + ", "
            + WarehouseLayout.COLUMNS.stream()
                    .filter(c -> c.type().equals("boolean"))
                    .map(c -> "sum(CASE WHEN " + c.name() + " THEN 1 ELSE 0 END) AS true_" + c.name())
                    .collect(Collectors.joining(", "))
            + ", count(DISTINCT request_id) AS request_ids, min(ts) AS first_ts, max(ts) AS last_ts, "
            + "string_agg(DISTINCT model, ',' ORDER BY model) AS models, "
            + "string_agg(DISTINCT country, ',' ORDER BY country) AS countries "
            + "FROM %s GROUP BY day ORDER BY day";

    @TempDir
    Path work;

    private LocalStack stack;
    private String name;
    private LocalFunctions functions;
    private DuckDbQueryEngine reader;

    @BeforeEach
    void setUp() {
        stack = TestStack.get();
        name = TestStack.freshName("compact");
        functions = LocalFunctions.wire(stack, name, name, work.resolve("functions"), 7, Clock.systemUTC());
        reader = new DuckDbQueryEngine(new WarehouseMirror(new S3ObjectStore(stack.s3()), name, work.resolve("reader")));
    }

    @Test
    void recompute_shouldCompactToParquetWithTheSameRowsAndRedoOnlyAReingestedDay_whenRunAgain() {
        // given demo traffic and both samples ingested
        for (LocalDate day : DEMO_DAYS) {
            upload("logs/demo/" + day + ".jsonl.gz", DemoLogs.day(day, 40, 7), "0001");
        }
        upload("logs/sample-usage.jsonl", TestStack.sample("sample-usage.jsonl"), "0001");
        upload("logs/sample-usage-with-errors.csv", TestStack.sample("sample-usage-with-errors.csv"), "0001");

        // when
        WarehouseCompactor.Result first = compaction(functions.recomputeService().recompute(WINDOW));

        // then every day with records is compacted, and the Parquet table reads exactly the raw table's rows
        assertEquals(DEMO_DAYS, first.compacted());
        assertSameRows();
        assertEquals(DEMO_DAYS.size() * 40 + 8 + 3, count(WarehouseLayout.PARQUET_TABLE));

        // when run again
        Map<String, String> objects = everyObject();
        WarehouseCompactor.Result second = compaction(functions.recomputeService().recompute(WINDOW));

        // then nothing is written, moved or deleted
        assertEquals(List.of(), second.compacted());
        assertEquals(DEMO_DAYS.size(), second.skipped());
        assertEquals(0, second.objectsDeleted());
        assertEquals(objects, everyObject());

        // when the 5th is uploaded again with other traffic
        LocalDate fifth = LocalDate.parse("2026-11-05");
        upload("logs/demo/" + fifth + ".jsonl.gz", DemoLogs.day(fifth, 25, 8), "0002");
        WarehouseCompactor.Result third = compaction(functions.recomputeService().recompute(WINDOW));

        // then only the 5th is compacted again, from a run of its own, and both tables agree again
        assertEquals(List.of(fifth), third.compacted());
        assertEquals(DEMO_DAYS.size() - 1, third.skipped());
        assertSameRows();
        assertEquals(DEMO_DAYS.size() * 40 - 15 + 8 + 3, count(WarehouseLayout.PARQUET_TABLE));
        Map<String, String> after = everyObject();
        assertTrue(after.keySet().containsAll(objects.keySet()), "the superseded run of the 5th is kept");
        List<String> changed = after.keySet().stream()
                .filter(k -> !after.get(k).equals(objects.get(k)))
                .filter(k -> k.startsWith(WarehouseLayout.PARQUET_PREFIX))
                .toList();
        assertFalse(changed.isEmpty());
        assertTrue(changed.stream().allMatch(k -> k.contains("run=" + third.runId() + "/day=" + fifth + "/")
                || k.equals(BucketPartitionCatalog.key(fifth))), changed.toString());
    }

    /** The per-day figures of both tables are equal, and so are their rows, compared whole both ways. */
    private void assertSameRows() {
        List<Map<String, String>> raw = reader.query(PER_DAY.formatted("records"), List.of(), WINDOW);
        List<Map<String, String>> parquet = reader.query(PER_DAY.formatted(WarehouseLayout.PARQUET_TABLE), List.of(),
                WINDOW);
        assertEquals(DEMO_DAYS.size(), raw.size());
        assertEquals(raw, parquet);
        for (String[] pair : List.of(new String[] {"records", WarehouseLayout.PARQUET_TABLE},
                new String[] {WarehouseLayout.PARQUET_TABLE, "records"})) {
            String except = "SELECT count(*) AS n FROM (SELECT * FROM " + pair[0] + " EXCEPT ALL SELECT * FROM "
                    + pair[1] + ")";
            assertEquals("0", reader.query(except, List.of(), WINDOW).get(0).get("n"), pair[0] + " - " + pair[1]);
        }
    }

    private long count(String table) {
        return Long.parseLong(reader.query("SELECT count(*) AS n FROM " + table, List.of(), WINDOW).get(0).get("n"));
    }

    private static WarehouseCompactor.Result compaction(RecomputeService.Result result) {
        return result.compaction().orElseThrow();
    }

    private void upload(String key, byte[] body, String sequencer) {
        String etag = stack.s3().putObject(b -> b.bucket(name).key(key), RequestBody.fromBytes(body)).eTag()
                .replace("\"", "");
        functions.ingest().handleRequest(LocalEvents.objectCreated(name, key, 0, etag, sequencer), null);
    }

    /** Every object of the bucket with its ETag. */
    private Map<String, String> everyObject() {
        Map<String, String> objects = new TreeMap<>();
        stack.s3().listObjectsV2Paginator(b -> b.bucket(name)).contents()
                .forEach(o -> objects.put(o.key(), o.eTag()));
        return objects;
    }
}
