package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.FakeParquetExport;
import dev.tokenscope.testing.InMemoryObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AthenaDdlPartitionCatalogTest {

    private static final String BUCKET = "tokenscope-dev-123456789012-eu-west-1";
    private static final String RUN_1 = "20261108T031500Z-0a1b2c";
    private static final String RUN_2 = "20261109T031500Z-3d4e5f";
    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);

    /**
     * Athena over a Glue table in memory: records each statement it is given and applies the three partition
     * statements to the table's partitions (day to location) as Athena does; a statement starting with
     * {@link #failOn} fails instead.
     */
    private static final class FakeAthena implements AthenaDdlPartitionCatalog.Ddl {
        private static final Pattern PARTITION = Pattern.compile(
                "PARTITION \\(day='([0-9-]+)'\\)(?: (?:SET )?LOCATION '([^']+)')?");

        final List<String> statements = new ArrayList<>();
        final Map<String, String> glue = new TreeMap<>();
        Optional<String> failOn = Optional.empty();

        @Override
        public void execute(String statement) {
            statements.add(statement);
            if (failOn.isPresent() && statement.startsWith(failOn.get())) {
                throw new IllegalStateException("Athena query q-1 FAILED: " + statement);
            }
            Matcher m = PARTITION.matcher(statement);
            if (statement.startsWith("ALTER TABLE records_parquet ADD IF NOT EXISTS ")) {
                while (m.find()) {
                    glue.putIfAbsent(m.group(1), m.group(2));
                }
            } else if (statement.startsWith("ALTER TABLE records_parquet DROP IF EXISTS ")) {
                while (m.find()) {
                    glue.remove(m.group(1));
                }
            } else if (statement.startsWith("ALTER TABLE records_parquet PARTITION ") && m.find()
                    && glue.containsKey(m.group(1))) {
                glue.put(m.group(1), m.group(2));
            } else {
                throw new IllegalStateException("Athena query q-1 FAILED: cannot run " + statement);
            }
        }
    }

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final BucketPartitionCatalog pointers = new BucketPartitionCatalog(objects, BUCKET);
    private final FakeAthena athena = new FakeAthena();
    private final AthenaDdlPartitionCatalog catalog = new AthenaDdlPartitionCatalog(pointers, athena, BUCKET);

    private static PartitionCatalog.Partition partition(LocalDate day, String run, String fingerprint) {
        return new PartitionCatalog.Partition(day, WarehouseLayout.parquetDayPrefix(run, day), fingerprint);
    }

    private static String uri(String run, LocalDate day) {
        return "s3://" + BUCKET + "/" + WarehouseLayout.parquetDayPrefix(run, day);
    }

    /** Where the pointers say each day is, as S3 URIs: what Glue must say after every change. */
    private Map<String, String> pointed() {
        return pointers.get(List.of(NOV_2, NOV_3)).values().stream()
                .collect(Collectors.toMap(p -> p.day().toString(), p -> "s3://" + BUCKET + "/" + p.location(),
                        (a, b) -> a, TreeMap::new));
    }

    @Test
    void put_shouldAddTheNewDaysInOneStatementThenSetEachLocation_whenNoDayHasAPartition() {
        // given
        List<PartitionCatalog.Partition> partitions = List.of(partition(NOV_2, RUN_1, "f2"),
                partition(NOV_3, RUN_1, "f3"));

        // when
        catalog.put(partitions);

        // then
        assertEquals(List.of(
                "ALTER TABLE records_parquet ADD IF NOT EXISTS PARTITION (day='2026-11-02') LOCATION '"
                        + uri(RUN_1, NOV_2) + "' PARTITION (day='2026-11-03') LOCATION '" + uri(RUN_1, NOV_3) + "'",
                "ALTER TABLE records_parquet PARTITION (day='2026-11-02') SET LOCATION '" + uri(RUN_1, NOV_2) + "'",
                "ALTER TABLE records_parquet PARTITION (day='2026-11-03') SET LOCATION '" + uri(RUN_1, NOV_3) + "'"),
                athena.statements);
        assertEquals(Map.of(NOV_2, partitions.get(0), NOV_3, partitions.get(1)), catalog.get(List.of(NOV_2, NOV_3)));
        assertEquals(pointed(), athena.glue);
    }

    @Test
    void put_shouldSetTheLocationOfTheMovedDayOnly_whenTheOtherDayKeepsItsFolder() {
        // given both days in run 1
        catalog.put(List.of(partition(NOV_2, RUN_1, "f2"), partition(NOV_3, RUN_1, "f3")));
        athena.statements.clear();
        PartitionCatalog.Partition moved = partition(NOV_2, RUN_2, "f2b");
        PartitionCatalog.Partition kept = partition(NOV_3, RUN_1, "f3b");

        // when
        catalog.put(List.of(moved, kept));

        // then
        assertEquals(List.of(
                "ALTER TABLE records_parquet PARTITION (day='2026-11-02') SET LOCATION '" + uri(RUN_2, NOV_2) + "'"),
                athena.statements);
        assertEquals(Map.of(NOV_2, moved, NOV_3, kept), catalog.get(List.of(NOV_2, NOV_3)));
        assertEquals(pointed(), athena.glue);
    }

    @Test
    void remove_shouldDropTheDaysInOneStatementThenDeleteTheirPointers_whenDaysAreRemoved() {
        // given
        catalog.put(List.of(partition(NOV_2, RUN_1, "f2"), partition(NOV_3, RUN_1, "f3")));
        athena.statements.clear();

        // when
        catalog.remove(List.of(NOV_2, NOV_3));

        // then
        assertEquals(List.of(
                "ALTER TABLE records_parquet DROP IF EXISTS PARTITION (day='2026-11-02'), PARTITION (day='2026-11-03')"),
                athena.statements);
        assertEquals(Map.of(), catalog.get(List.of(NOV_2, NOV_3)));
        assertEquals(Map.of(), athena.glue);
    }

    @Test
    void put_shouldPointTheDayAtThisRunsFolder_whenAnotherRunAddedItsPartitionFirst() {
        // given the 2nd in Glue from another run that has not written (or failed to write) its pointer
        athena.glue.put(NOV_2.toString(), uri(RUN_2, NOV_2));

        // when
        catalog.put(List.of(partition(NOV_2, RUN_1, "f2")));

        // then IF NOT EXISTS left it alone, and SET LOCATION moved it
        assertEquals(Map.of(NOV_2.toString(), uri(RUN_1, NOV_2)), athena.glue);
        assertEquals(pointed(), athena.glue);
    }

    @Test
    void put_shouldIssueEachStatementBeforeTheDaysPointerIsWritten_whenADayMoves() {
        // given
        catalog.put(List.of(partition(NOV_2, RUN_1, "f2")));
        List<String> pointedAtEachStatement = new ArrayList<>();
        AthenaDdlPartitionCatalog watched = new AthenaDdlPartitionCatalog(pointers, statement -> {
            pointedAtEachStatement.add(pointers.get(List.of(NOV_2)).get(NOV_2).location());
            athena.execute(statement);
        }, BUCKET);

        // when
        watched.put(List.of(partition(NOV_2, RUN_2, "f2b")));

        // then the pointer still named run 1 while the DDL ran, and names run 2 after it
        assertEquals(List.of(WarehouseLayout.parquetDayPrefix(RUN_1, NOV_2)), pointedAtEachStatement);
        assertEquals(WarehouseLayout.parquetDayPrefix(RUN_2, NOV_2), catalog.get(List.of(NOV_2)).get(NOV_2).location());
    }

    @Test
    void put_shouldLeaveThePointersAsTheyWere_whenTheDdlFails() {
        // given the 2nd in run 1; then every SET LOCATION fails
        PartitionCatalog.Partition nov2 = partition(NOV_2, RUN_1, "f2");
        catalog.put(List.of(nov2));
        athena.failOn = Optional.of("ALTER TABLE records_parquet PARTITION ");

        // when
        assertThrows(IllegalStateException.class,
                () -> catalog.put(List.of(partition(NOV_2, RUN_2, "f2b"), partition(NOV_3, RUN_2, "f3"))));

        // then neither the moved day nor the new one has a new pointer
        assertEquals(Map.of(NOV_2, nov2), catalog.get(List.of(NOV_2, NOV_3)));
    }

    @Test
    void remove_shouldKeepThePointers_whenTheDropFails() {
        // given
        PartitionCatalog.Partition nov2 = partition(NOV_2, RUN_1, "f2");
        catalog.put(List.of(nov2));
        athena.failOn = Optional.of("ALTER TABLE records_parquet DROP ");

        // when
        assertThrows(IllegalStateException.class, () -> catalog.remove(List.of(NOV_2)));

        // then
        assertEquals(Map.of(NOV_2, nov2), catalog.get(List.of(NOV_2)));
    }

    @Test
    void putAndRemove_shouldIssueNothing_whenNothingChanged() {
        // given a day compacted, then a compactor run over the same raw objects, and empty changes
        objects.put(BUCKET, WarehouseLayout.recordsKey(NOV_2, "s1"), new byte[] {1}, "application/gzip");
        WarehouseCompactor compactor = new WarehouseCompactor(objects, BUCKET, new FakeParquetExport(objects), catalog,
                Clock.fixed(Instant.parse("2026-11-08T03:15:00Z"), ZoneOffset.UTC));
        QueryEngine.Window window = new QueryEngine.Window(NOV_2, NOV_3);
        compactor.compact(window);
        athena.statements.clear();

        // when
        compactor.compact(window);
        catalog.put(List.of());
        catalog.remove(List.of());

        // then
        assertEquals(List.of(), athena.statements);
        assertEquals(pointed(), athena.glue);
    }

    @Test
    void put_shouldRefuseTheLocationAndIssueNothing_whenItIsNotOneOfOurDayFolders() {
        // given a location that would end the SQL string, and one of another day
        PartitionCatalog.Partition quote = new PartitionCatalog.Partition(NOV_2,
                "warehouse/parquet/run=x'; DROP TABLE records; --/day=2026-11-02/", "f2");
        PartitionCatalog.Partition otherDay = new PartitionCatalog.Partition(NOV_2,
                WarehouseLayout.parquetDayPrefix(RUN_1, NOV_3), "f2");

        // when
        assertThrows(IllegalArgumentException.class, () -> catalog.put(List.of(quote)));
        assertThrows(IllegalArgumentException.class, () -> catalog.put(List.of(otherDay)));

        // then
        assertEquals(List.of(), athena.statements);
        assertEquals(Map.of(), catalog.get(List.of(NOV_2)));
    }

    @Test
    void constructor_shouldRefuseTheBucket_whenItsNameIsNoS3BucketName() {
        // given
        String bucket = "data' LOCATION 's3://elsewhere";

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AthenaDdlPartitionCatalog(pointers, athena, bucket));

        // then
        assertTrue(e.getMessage().startsWith("not an S3 bucket name"), e.getMessage());
    }

    @Test
    void put_shouldAddAtMostOneBatchOfDaysAStatement_whenManyDaysAreNew() {
        // given 150 new days
        List<PartitionCatalog.Partition> partitions = NOV_2.datesUntil(NOV_2.plusDays(150))
                .map(day -> partition(day, RUN_1, "f")).toList();

        // when
        catalog.put(partitions);

        // then two ADD statements of 100 and 50 days, and a SET LOCATION for each day
        List<Long> added = athena.statements.stream().filter(s -> s.contains(" ADD IF NOT EXISTS "))
                .map(s -> (long) s.split(" LOCATION ").length - 1).toList();
        assertEquals(List.of(100L, 50L), added);
        assertEquals(152, athena.statements.size());
        assertEquals(150, athena.glue.size());
        assertEquals(150, catalog.get(partitions.stream().map(PartitionCatalog.Partition::day).toList()).size());
    }
}
