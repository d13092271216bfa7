package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.InMemoryObjectStore;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketPartitionCatalogTest {

    private static final String BUCKET = "data";
    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);
    private static final LocalDate NOV_4 = LocalDate.of(2026, 11, 4);

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final BucketPartitionCatalog catalog = new BucketPartitionCatalog(objects, BUCKET);

    private static PartitionCatalog.Partition partition(LocalDate day, String run, String fingerprint) {
        return new PartitionCatalog.Partition(day, WarehouseLayout.parquetDayPrefix(run, day), fingerprint);
    }

    @Test
    void get_shouldReturnWhatWasPutForTheDaysAskedFor_whenSomeDaysHavePointers() {
        // given
        PartitionCatalog.Partition nov2 = partition(NOV_2, "20261108T031500Z-0a1b2c", "f2");
        PartitionCatalog.Partition nov3 = partition(NOV_3, "20261108T031500Z-0a1b2c", "f3");
        catalog.put(List.of(nov2, nov3));

        // when
        Map<LocalDate, PartitionCatalog.Partition> found = catalog.get(List.of(NOV_2, NOV_4));

        // then
        assertEquals(Map.of(NOV_2, nov2), found);
    }

    @Test
    void put_shouldKeepOnePointerObjectPerDayAsJson_whenADayIsRepointed() {
        // given
        catalog.put(List.of(partition(NOV_2, "20261108T031500Z-0a1b2c", "f1")));
        PartitionCatalog.Partition moved = partition(NOV_2, "20261109T031500Z-3d4e5f", "f2");

        // when
        catalog.put(List.of(moved));

        // then
        assertEquals(List.of("warehouse/parquet/_partitions/day=2026-11-02.json"),
                objects.keys(BUCKET, WarehouseLayout.PARQUET_PREFIX));
        assertEquals("{\"location\":\"warehouse/parquet/run=20261109T031500Z-3d4e5f/day=2026-11-02/\","
                + "\"fingerprint\":\"f2\"}", objects.get(BUCKET, BucketPartitionCatalog.key(NOV_2)).orElseThrow().text());
        assertEquals(Map.of(NOV_2, moved), catalog.get(List.of(NOV_2)));
    }

    @Test
    void remove_shouldDeleteThePointersAndLeaveOtherDays_whenSomeDaysHaveNone() {
        // given
        catalog.put(List.of(partition(NOV_2, "20261108T031500Z-0a1b2c", "f2"),
                partition(NOV_3, "20261108T031500Z-0a1b2c", "f3")));

        // when
        catalog.remove(List.of(NOV_2, NOV_4));

        // then
        assertEquals(List.of(NOV_3), List.copyOf(catalog.get(List.of(NOV_2, NOV_3, NOV_4)).keySet()));
        assertTrue(objects.get(BUCKET, BucketPartitionCatalog.key(NOV_2)).isEmpty());
    }
}
