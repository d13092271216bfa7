package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.FakeParquetExport;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryPartitionCatalog;
import dev.tokenscope.testing.MovingClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WarehouseCompactorTest {

    private static final String BUCKET = "data";
    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);
    private static final QueryEngine.Window WINDOW = new QueryEngine.Window(LocalDate.of(2026, 11, 1),
            LocalDate.of(2026, 11, 7));

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryPartitionCatalog catalog = new InMemoryPartitionCatalog();
    private final FakeParquetExport export = new FakeParquetExport(objects);
    /** Moved forward, so that runs an hour or more apart are told apart. */
    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-08T03:15:00Z"));
    private final WarehouseCompactor compactor = new WarehouseCompactor(objects, BUCKET, export, catalog, clock);


    private void ingest(LocalDate day, String source, String content) {
        objects.put(BUCKET, WarehouseLayout.recordsKey(day, source), content.getBytes(StandardCharsets.UTF_8),
                "application/gzip");
    }

    /** The text of the Parquet object the day's partition points at. */
    private String compacted(LocalDate day) {
        String location = catalog.all().get(day).location();
        List<String> keys = objects.keys(BUCKET, location);
        assertEquals(1, keys.size(), "one file under " + location);
        return objects.get(BUCKET, keys.get(0)).orElseThrow().text();
    }

    /** Every object of the bucket with its ETag. */
    private Map<String, String> everyObject() {
        return objects.list(BUCKET, "").stream()
                .collect(Collectors.toMap(ObjectStore.ObjectSummary::key, ObjectStore.ObjectSummary::etag));
    }

    private Set<String> runFolders(LocalDate day) {
        return objects.keys(BUCKET, WarehouseLayout.PARQUET_PREFIX).stream()
                .filter(k -> k.contains("/day=" + day + "/"))
                .map(k -> k.substring(0, k.indexOf("/day=")))
                .collect(Collectors.toSet());
    }

    @Test
    void compact_shouldWriteEachDayWithRawObjectsAndPointItsPartitionThere_whenNothingIsCompactedYet() {
        // given two sources on the 2nd and one on the 3rd; the other days of the window have no records
        ingest(NOV_2, "a", "a2\n");
        ingest(NOV_2, "b", "b2\n");
        ingest(NOV_3, "a", "a3\n");

        // when
        WarehouseCompactor.Result result = compactor.compact(WINDOW);

        // then one export of both days, each day's partition points into this run's folder
        assertEquals(List.of(NOV_2, NOV_3), result.compacted());
        assertEquals(0, result.skipped());
        assertEquals(List.of(), result.removed());
        assertEquals(List.of(List.of(NOV_2, NOV_3)), export.calls());
        assertEquals(Set.of(NOV_2, NOV_3), catalog.all().keySet());
        assertEquals(WarehouseLayout.parquetDayPrefix(result.runId(), NOV_2), catalog.all().get(NOV_2).location());
        assertEquals("a2\nb2\n", compacted(NOV_2));
        assertEquals("a3\n", compacted(NOV_3));
    }

    @Test
    void compact_shouldWriteNothing_whenRunASecondTimeOverTheSameRawObjects() {
        // given
        ingest(NOV_2, "a", "a2\n");
        ingest(NOV_3, "a", "a3\n");
        compactor.compact(WINDOW);
        Map<String, String> before = everyObject();
        Map<LocalDate, PartitionCatalog.Partition> partitionsBefore = catalog.all();
        clock.advance(Duration.ofDays(1));

        // when
        WarehouseCompactor.Result second = compactor.compact(WINDOW);

        // then
        assertEquals(List.of(), second.compacted());
        assertEquals(2, second.skipped());
        assertEquals(0, second.objectsDeleted());
        assertEquals(1, export.calls().size());
        assertEquals(2, catalog.puts());
        assertEquals(partitionsBefore, catalog.all());
        assertEquals(before, everyObject());
    }

    @Test
    void compact_shouldCompactOnlyTheReingestedDay_whenLateDataChangesIt() {
        // given both days compacted, then the 3rd re-ingested with other records
        ingest(NOV_2, "a", "a2\n");
        ingest(NOV_3, "a", "a3\n");
        WarehouseCompactor.Result first = compactor.compact(WINDOW);
        PartitionCatalog.Partition nov2 = catalog.all().get(NOV_2);
        ingest(NOV_3, "a", "a3 late\n");
        clock.advance(Duration.ofMinutes(5));

        // when
        WarehouseCompactor.Result second = compactor.compact(WINDOW);

        // then
        assertEquals(List.of(NOV_3), second.compacted());
        assertEquals(1, second.skipped());
        assertEquals(List.of(NOV_3), export.calls().get(1));
        assertEquals("a3 late\n", compacted(NOV_3));
        assertEquals(WarehouseLayout.parquetDayPrefix(second.runId(), NOV_3), catalog.all().get(NOV_3).location());
        assertNotEquals(first.runId(), second.runId());
        assertEquals(nov2, catalog.all().get(NOV_2));
    }

    @Test
    void compact_shouldRemoveTheDaysPartition_whenItsRawObjectsAreGone() {
        // given
        ingest(NOV_2, "a", "a2\n");
        ingest(NOV_3, "a", "a3\n");
        compactor.compact(WINDOW);
        objects.delete(BUCKET, WarehouseLayout.recordsKey(NOV_3, "a"));
        clock.advance(Duration.ofMinutes(5));

        // when
        WarehouseCompactor.Result result = compactor.compact(WINDOW);

        // then
        assertEquals(List.of(NOV_3), result.removed());
        assertEquals(List.of(), result.compacted());
        assertEquals(Set.of(NOV_2), catalog.all().keySet());
    }

    @Test
    void compact_shouldDeleteOlderRunsButKeepTheNewestSupersededOne_whenADayIsCompactedThreeTimes() {
        // given the 2nd compacted three times, hours apart; the 3rd once
        ingest(NOV_2, "a", "v1\n");
        ingest(NOV_3, "a", "a3\n");
        String run1 = compactor.compact(WINDOW).runId();
        clock.advance(Duration.ofHours(2));
        ingest(NOV_2, "a", "v2\n");
        String run2 = compactor.compact(WINDOW).runId();
        clock.advance(Duration.ofHours(2));
        ingest(NOV_2, "a", "v3\n");

        // when
        WarehouseCompactor.Result third = compactor.compact(WINDOW);

        // then run 1's copy of the 2nd is gone, run 2's stays for queries planned before the switch; the 3rd
        // still reads run 1
        assertEquals(1, third.objectsDeleted());
        assertEquals(Set.of(WarehouseLayout.PARQUET_PREFIX + "run=" + run2,
                WarehouseLayout.PARQUET_PREFIX + "run=" + third.runId()), runFolders(NOV_2));
        assertEquals("v3\n", compacted(NOV_2));
        assertEquals(Set.of(WarehouseLayout.PARQUET_PREFIX + "run=" + run1), runFolders(NOV_3));
        assertEquals("a3\n", compacted(NOV_3));
    }

    @Test
    void compact_shouldLeaveFilesOfARecentRunAlone_whenNoPartitionPointsAtThemYet() {
        // given the 2nd compacted, then files of two runs no partition points at: one that failed hours ago,
        // and one that started ten minutes ago and may still be writing
        ingest(NOV_2, "a", "a2\n");
        compactor.compact(WINDOW);
        clock.advance(Duration.ofHours(3));
        String failed = compactor.runId(clock.instant().minus(Duration.ofHours(2)));
        String writing = compactor.runId(clock.instant().minus(Duration.ofMinutes(10)));
        for (String run : List.of(failed, writing)) {
            objects.put(BUCKET, WarehouseLayout.parquetDayPrefix(run, NOV_2) + "part-0.parquet", new byte[] {1},
                    "application/octet-stream");
        }

        // when
        WarehouseCompactor.Result result = compactor.compact(WINDOW);

        // then
        assertEquals(1, result.objectsDeleted());
        assertTrue(objects.keys(BUCKET, WarehouseLayout.parquetRunPrefix(failed)).isEmpty());
        assertEquals(1, objects.keys(BUCKET, WarehouseLayout.parquetRunPrefix(writing)).size());
        assertEquals("a2\n", compacted(NOV_2));
    }

    @Test
    void runId_shouldSortByStartTime_whenRunsStartAtDifferentSeconds() {
        // given
        Instant start = Instant.parse("2026-11-08T03:15:00Z");

        // when
        String earlier = compactor.runId(start);
        String later = compactor.runId(start.plusSeconds(1));

        // then
        assertTrue(earlier.startsWith("20261108T031500Z-"), earlier);
        assertTrue(earlier.compareTo(later) < 0, earlier + " before " + later);
    }

    @Test
    void fingerprint_shouldChangeWithAnEtagButNotWithListingOrder_whenComputed() {
        // given
        ObjectStore.ObjectSummary a = new ObjectStore.ObjectSummary("warehouse/records/day=2026-11-02/a.json.gz",
                "e1", 10);
        ObjectStore.ObjectSummary b = new ObjectStore.ObjectSummary("warehouse/records/day=2026-11-02/b.json.gz",
                "e2", 10);
        ObjectStore.ObjectSummary bChanged = new ObjectStore.ObjectSummary(b.key(), "e3", 10);

        // when
        String ab = WarehouseCompactor.fingerprint(List.of(a, b));

        // then
        assertEquals(ab, WarehouseCompactor.fingerprint(List.of(b, a)));
        assertNotEquals(ab, WarehouseCompactor.fingerprint(List.of(a, bChanged)));
        assertNotEquals(ab, WarehouseCompactor.fingerprint(List.of(a)));
    }
}
