package dev.tokenscope.recompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchDeletePartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchDeletePartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchGetPartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchGetPartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionRequest;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionResponse;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ErrorDetail;
import software.amazon.awssdk.services.glue.model.GetTableRequest;
import software.amazon.awssdk.services.glue.model.GetTableResponse;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.PartitionValueList;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

class GluePartitionCatalogTest {

    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);
    private static final StorageDescriptor TABLE = StorageDescriptor.builder()
            .location("s3://data/warehouse/parquet/")
            .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
            .serdeInfo(s -> s.serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"))
            .columns(Column.builder().name("upload_id").type("string").build())
            .build();

    /** Glue in memory: the partitions of one table by day, and every batch request it was sent. */
    private static final class FakeGlue implements GlueClient {
        final Map<String, Partition> partitions = new TreeMap<>();
        final List<BatchCreatePartitionRequest> creates = new ArrayList<>();
        final List<BatchUpdatePartitionRequest> updates = new ArrayList<>();
        final List<BatchDeletePartitionRequest> deletes = new ArrayList<>();
        /** Days a concurrent run creates just before this one's create arrives. */
        Set<String> createdMeanwhile = Set.of();
        /** Days Glue leaves unprocessed on the first get. */
        Set<String> unprocessedOnce = Set.of();
        /** Days whose create or update Glue refuses. */
        Set<String> refused = Set.of();

        @Override
        public GetTableResponse getTable(GetTableRequest request) {
            return GetTableResponse.builder().table(t -> t.name(request.name()).storageDescriptor(TABLE)).build();
        }

        @Override
        public BatchGetPartitionResponse batchGetPartition(BatchGetPartitionRequest request) {
            List<Partition> found = new ArrayList<>();
            List<PartitionValueList> unprocessed = new ArrayList<>();
            for (PartitionValueList key : request.partitionsToGet()) {
                String day = key.values().get(0);
                if (unprocessedOnce.contains(day)) {
                    unprocessed.add(key);
                } else if (partitions.containsKey(day)) {
                    found.add(partitions.get(day));
                }
            }
            unprocessedOnce = Set.of();
            return BatchGetPartitionResponse.builder().partitions(found).unprocessedKeys(unprocessed).build();
        }

        @Override
        public BatchCreatePartitionResponse batchCreatePartition(BatchCreatePartitionRequest request) {
            creates.add(request);
            List<PartitionError> errors = new ArrayList<>();
            for (PartitionInput input : request.partitionInputList()) {
                String day = input.values().get(0);
                if (createdMeanwhile.contains(day)) {
                    errors.add(error(day, "AlreadyExistsException"));
                } else if (refused.contains(day)) {
                    errors.add(error(day, "InvalidInputException"));
                } else {
                    partitions.put(day, partition(input));
                }
            }
            return BatchCreatePartitionResponse.builder().errors(errors).build();
        }

        @Override
        public BatchUpdatePartitionResponse batchUpdatePartition(BatchUpdatePartitionRequest request) {
            updates.add(request);
            request.entries().forEach(e -> partitions.put(e.partitionValueList().get(0),
                    partition(e.partitionInput())));
            return BatchUpdatePartitionResponse.builder().build();
        }

        @Override
        public BatchDeletePartitionResponse batchDeletePartition(BatchDeletePartitionRequest request) {
            deletes.add(request);
            List<PartitionError> errors = new ArrayList<>();
            for (PartitionValueList key : request.partitionsToDelete()) {
                if (partitions.remove(key.values().get(0)) == null) {
                    errors.add(error(key.values().get(0), "EntityNotFoundException"));
                }
            }
            return BatchDeletePartitionResponse.builder().errors(errors).build();
        }

        private static PartitionError error(String day, String code) {
            return PartitionError.builder().partitionValues(day)
                    .errorDetail(ErrorDetail.builder().errorCode(code).errorMessage("no").build()).build();
        }

        private static Partition partition(PartitionInput input) {
            return Partition.builder().values(input.values()).storageDescriptor(input.storageDescriptor())
                    .parameters(input.parameters()).build();
        }

        @Override
        public String serviceName() {
            return "glue";
        }

        @Override
        public void close() {
        }
    }

    private final FakeGlue glue = new FakeGlue();
    private final GluePartitionCatalog catalog = new GluePartitionCatalog(glue, "tokenscope_dev", "records_parquet",
            "data");

    private static PartitionCatalog.Partition partition(LocalDate day, String run, String fingerprint) {
        return new PartitionCatalog.Partition(day, "warehouse/parquet/run=" + run + "/day=" + day + "/", fingerprint);
    }

    @Test
    void put_shouldCreateNewDaysAndRepointExistingOnesWithTheTablesFormats_whenGivenPartitions() {
        // given the 2nd registered by an earlier run
        catalog.put(List.of(partition(NOV_2, "r1", "f1")));

        // when
        catalog.put(List.of(partition(NOV_2, "r2", "f2"), partition(NOV_3, "r2", "f3")));

        // then the 3rd is created, the 2nd updated, each with the table's Parquet formats and its own folder
        assertEquals(List.of("2026-11-03"), glue.creates.get(1).partitionInputList().stream()
                .map(p -> p.values().get(0)).toList());
        assertEquals(1, glue.updates.size());
        PartitionInput updated = glue.updates.get(0).entries().get(0).partitionInput();
        assertEquals(List.of("2026-11-02"), glue.updates.get(0).entries().get(0).partitionValueList());
        assertEquals("s3://data/warehouse/parquet/run=r2/day=2026-11-02/", updated.storageDescriptor().location());
        assertEquals(TABLE.serdeInfo(), updated.storageDescriptor().serdeInfo());
        assertEquals(TABLE.inputFormat(), updated.storageDescriptor().inputFormat());
        assertEquals(TABLE.columns(), updated.storageDescriptor().columns());
        assertEquals(Map.of(GluePartitionCatalog.FINGERPRINT, "f2"), updated.parameters());
        assertEquals("tokenscope_dev", glue.updates.get(0).databaseName());
        assertEquals("records_parquet", glue.updates.get(0).tableName());
    }

    @Test
    void get_shouldGiveLocationsInTheBucketAndFingerprints_whenGlueLeavesSomeKeysUnprocessedFirst() {
        // given
        catalog.put(List.of(partition(NOV_2, "r1", "f1"), partition(NOV_3, "r1", "f3")));
        glue.unprocessedOnce = Set.of("2026-11-03");

        // when
        Map<LocalDate, PartitionCatalog.Partition> found = catalog.get(List.of(NOV_2, NOV_3, NOV_3.plusDays(1)));

        // then
        assertEquals(Map.of(NOV_2, partition(NOV_2, "r1", "f1"), NOV_3, partition(NOV_3, "r1", "f3")), found);
    }

    @Test
    void put_shouldRepointThePartition_whenAnotherRunCreatedItMeanwhile() {
        // given
        glue.createdMeanwhile = Set.of("2026-11-02");

        // when
        catalog.put(List.of(partition(NOV_2, "r2", "f2")));

        // then
        assertEquals(1, glue.updates.size());
        assertEquals("s3://data/warehouse/parquet/run=r2/day=2026-11-02/",
                glue.partitions.get("2026-11-02").storageDescriptor().location());
    }

    @Test
    void put_shouldThrowNamingTheDay_whenGlueRefusesAPartition() {
        // given
        glue.refused = Set.of("2026-11-03");

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> catalog.put(List.of(partition(NOV_2, "r1", "f1"), partition(NOV_3, "r1", "f3"))));

        // then
        assertTrue(e.getMessage().contains("[2026-11-03] InvalidInputException"), e.getMessage());
        assertTrue(glue.partitions.containsKey("2026-11-02"));
    }

    @Test
    void remove_shouldDeleteAtMost25PerCallAndIgnoreDaysWithoutAPartition_whenGiven30Days() {
        // given 30 days, the first registered
        List<LocalDate> days = NOV_2.datesUntil(NOV_2.plusDays(30)).toList();
        catalog.put(List.of(partition(NOV_2, "r1", "f1")));

        // when
        catalog.remove(days);

        // then
        assertEquals(List.of(25, 5), glue.deletes.stream().map(d -> d.partitionsToDelete().size()).toList());
        assertTrue(glue.partitions.isEmpty());
    }
}
