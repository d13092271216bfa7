package dev.tokenscope.recompute;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchGetPartitionResponse;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionRequestEntry;
import software.amazon.awssdk.services.glue.model.ErrorDetail;
import software.amazon.awssdk.services.glue.model.PartitionError;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.PartitionValueList;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

/**
 * PartitionCatalog on the Glue table `records_parquet`. A partition's location is the S3 URI of its folder, its
 * fingerprint a partition parameter. Glue replaces a partition's definition in one update, and Athena reads
 * the partitions when it plans a query, so a query sees a day's old folder or its new one.
 */
public final class GluePartitionCatalog implements PartitionCatalog {

    static final String FINGERPRINT = "tokenscope.fingerprint";

    // The most entries Glue takes in one call of each batch operation.
    private static final int GET_BATCH = 1000;
    private static final int WRITE_BATCH = 100;
    private static final int DELETE_BATCH = 25;
    private static final int UNPROCESSED_TRIES = 5;

    private final GlueClient glue;
    private final String database;
    private final String table;
    private final String bucket;

    public GluePartitionCatalog(GlueClient glue, String database, String table, String bucket) {
        this.glue = glue;
        this.database = database;
        this.table = table;
        this.bucket = bucket;
    }

    @Override
    public Map<LocalDate, Partition> get(Collection<LocalDate> days) {
        Map<LocalDate, Partition> found = new TreeMap<>();
        for (List<LocalDate> chunk : chunks(List.copyOf(days), GET_BATCH)) {
            List<PartitionValueList> wanted = chunk.stream().map(GluePartitionCatalog::values).toList();
            // Glue may leave keys unprocessed (throttling); ask again for those.
            for (int attempt = 1; !wanted.isEmpty(); attempt++) {
                if (attempt > UNPROCESSED_TRIES) {
                    throw new IllegalStateException("Glue left " + wanted.size() + " partitions of " + table
                            + " unprocessed after " + UNPROCESSED_TRIES + " tries");
                }
                List<PartitionValueList> keys = wanted;
                BatchGetPartitionResponse response = glue.batchGetPartition(b -> b.databaseName(database)
                        .tableName(table).partitionsToGet(keys));
                for (software.amazon.awssdk.services.glue.model.Partition p : response.partitions()) {
                    LocalDate day = LocalDate.parse(p.values().get(0));
                    found.put(day, new Partition(day, keyPrefix(p.storageDescriptor().location()),
                            p.parameters().getOrDefault(FINGERPRINT, "")));
                }
                wanted = response.unprocessedKeys();
            }
        }
        return found;
    }

    /**
     * Creates the partitions not there yet and updates the others, each with the table's storage descriptor (its
     * Parquet formats and columns) and its own location. A partition another run created meanwhile is updated.
     */
    @Override
    public void put(List<Partition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        StorageDescriptor storage = glue.getTable(b -> b.databaseName(database).name(table)).table()
                .storageDescriptor();
        Set<LocalDate> existing = get(partitions.stream().map(Partition::day).toList()).keySet();
        List<Partition> update = new ArrayList<>(partitions.stream().filter(p -> existing.contains(p.day())).toList());
        for (List<Partition> chunk : chunks(partitions.stream().filter(p -> !existing.contains(p.day())).toList(),
                WRITE_BATCH)) {
            List<PartitionInput> inputs = chunk.stream().map(p -> input(p, storage)).toList();
            List<PartitionError> errors = glue.batchCreatePartition(b -> b.databaseName(database).tableName(table)
                    .partitionInputList(inputs)).errors();
            Set<String> raced = new HashSet<>();
            List<String> failed = new ArrayList<>();
            for (PartitionError error : errors) {
                if ("AlreadyExistsException".equals(error.errorDetail().errorCode())) {
                    raced.add(error.partitionValues().get(0));
                } else {
                    failed.add(describe(error.partitionValues(), error.errorDetail()));
                }
            }
            fail("create", failed);
            chunk.stream().filter(p -> raced.contains(p.day().toString())).forEach(update::add);
        }
        for (List<Partition> chunk : chunks(update, WRITE_BATCH)) {
            List<BatchUpdatePartitionRequestEntry> entries = chunk.stream()
                    .map(p -> BatchUpdatePartitionRequestEntry.builder().partitionValueList(p.day().toString())
                            .partitionInput(input(p, storage)).build())
                    .toList();
            fail("update", glue.batchUpdatePartition(b -> b.databaseName(database).tableName(table).entries(entries))
                    .errors().stream().map(e -> describe(e.partitionValueList(), e.errorDetail())).toList());
        }
    }

    @Override
    public void remove(Collection<LocalDate> days) {
        for (List<LocalDate> chunk : chunks(List.copyOf(days), DELETE_BATCH)) {
            List<PartitionValueList> keys = chunk.stream().map(GluePartitionCatalog::values).toList();
            fail("delete", glue.batchDeletePartition(b -> b.databaseName(database).tableName(table)
                            .partitionsToDelete(keys)).errors().stream()
                    .filter(e -> !"EntityNotFoundException".equals(e.errorDetail().errorCode()))
                    .map(e -> describe(e.partitionValues(), e.errorDetail())).toList());
        }
    }

    private PartitionInput input(Partition partition, StorageDescriptor table) {
        return PartitionInput.builder()
                .values(partition.day().toString())
                .storageDescriptor(table.toBuilder().location("s3://" + bucket + "/" + partition.location()).build())
                .parameters(Map.of(FINGERPRINT, partition.fingerprint()))
                .build();
    }

    /** The key prefix of a location in the data bucket; a location elsewhere is kept whole. */
    private String keyPrefix(String location) {
        String ours = "s3://" + bucket + "/";
        return location != null && location.startsWith(ours) ? location.substring(ours.length())
                : String.valueOf(location);
    }

    private void fail(String operation, List<String> failures) {
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Glue could not " + operation + " partitions of " + database + "."
                    + table + ": " + String.join("; ", failures));
        }
    }

    private static String describe(List<String> values, ErrorDetail error) {
        return values + " " + error.errorCode() + ": " + error.errorMessage();
    }

    private static PartitionValueList values(LocalDate day) {
        return PartitionValueList.builder().values(day.toString()).build();
    }

    private static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }
}
