package dev.tokenscope.recompute;

import dev.tokenscope.store.WarehouseLayout;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * Keeps the Glue table `records_parquet` in step with the partition pointers through Athena DDL, so that Athena
 * queries see each flip. The pointers stay the truth: {@link #get} reads them, and each change runs its DDL first
 * and writes the pointers after. A failure between the two leaves the pointer as it was, so the next run redoes
 * the day (every statement here may run twice) rather than keep a pointer that claims a flip Glue never saw.
 * The Glue SDK would do the same with API calls, but its module is 10 MB: the recompute jar would pass 20 MiB.
 */
public final class AthenaDdlPartitionCatalog implements PartitionCatalog {

    /** Runs one statement and returns once it succeeded, or throws (AthenaQueryEngine::execute on AWS). */
    @FunctionalInterface
    public interface Ddl {
        void execute(String statement);
    }

    /**
     * Partitions per ADD or DROP statement. Athena sets no number, but a query string is at most 256 KB and a long
     * statement is slower to apply; 100 partitions is about 12 KB. The pointers of a batch are written after its
     * DDL, so a run that times out keeps the batches it finished.
     */
    static final int BATCH = 100;

    private final PartitionCatalog pointers;
    private final Ddl ddl;
    private final String bucket;

    public AthenaDdlPartitionCatalog(PartitionCatalog pointers, Ddl ddl, String bucket) {
        AthenaQueryEngine.requireBucketName(bucket);
        this.pointers = pointers;
        this.ddl = ddl;
        this.bucket = bucket;
    }

    @Override
    public Map<LocalDate, Partition> get(Collection<LocalDate> days) {
        return pointers.get(days);
    }

    /**
     * A new day is added (one ADD IF NOT EXISTS a batch) and then, like a day that moves, pointed at its folder
     * (one SET LOCATION a day). The ADD alone would not do: a day without a pointer may have a partition all the
     * same, from a run that failed after its DDL or another run that added it first, and IF NOT EXISTS leaves such
     * a partition where it points. A day whose folder stays gets no statement, only its new pointer.
     */
    @Override
    public void put(List<Partition> partitions) {
        Map<LocalDate, Partition> current = pointers.get(partitions.stream().map(Partition::day).toList());
        for (List<Partition> batch : batches(partitions)) {
            List<Partition> added = batch.stream().filter(p -> !current.containsKey(p.day())).toList();
            if (!added.isEmpty()) {
                ddl.execute(addSql(added));
            }
            for (Partition partition : batch) {
                Partition before = current.get(partition.day());
                if (before == null || !before.location().equals(partition.location())) {
                    // The flip. Glue replaces the partition in one update, and Athena reads the partitions when it
                    // plans a query: a query planned before reads the old folder (the compactor keeps it), one
                    // planned after reads the new one; none sees a mix of both or a day missing.
                    ddl.execute(setLocationSql(partition));
                }
            }
            pointers.put(batch);
        }
    }

    @Override
    public void remove(Collection<LocalDate> days) {
        for (List<LocalDate> batch : batches(List.copyOf(days))) {
            ddl.execute(dropSql(batch));
            pointers.remove(batch);
        }
    }

    // Athena takes execution parameters only in SELECT, INSERT INTO, CTAS and UNLOAD, not in DDL, so the
    // statements below are text. Their only values are days (LocalDate, which prints as digits and dashes) and
    // locations checked against the strict pattern of our own folders in a bucket whose name was checked.

    private String addSql(List<Partition> added) {
        return "ALTER TABLE " + WarehouseLayout.PARQUET_TABLE + " ADD IF NOT EXISTS " + added.stream()
                .map(p -> spec(p.day()) + " LOCATION " + location(p))
                .collect(Collectors.joining(" "));
    }

    private String setLocationSql(Partition partition) {
        return "ALTER TABLE " + WarehouseLayout.PARQUET_TABLE + " " + spec(partition.day()) + " SET LOCATION "
                + location(partition);
    }

    private static String dropSql(List<LocalDate> days) {
        return "ALTER TABLE " + WarehouseLayout.PARQUET_TABLE + " DROP IF EXISTS " + days.stream()
                .map(AthenaDdlPartitionCatalog::spec)
                .collect(Collectors.joining(", "));
    }

    private static String spec(LocalDate day) {
        return "PARTITION (" + WarehouseLayout.PARTITION_COLUMN + "='" + day + "')";
    }

    /** The partition's folder as a quoted S3 URI, if it is one of our day folders, and of that day. */
    private String location(Partition partition) {
        Matcher m = WarehouseLayout.PARQUET_DAY_FOLDER.matcher(partition.location());
        if (!m.matches() || !m.group(2).equals(partition.day().toString())) {
            throw new IllegalArgumentException("not a Parquet folder of " + partition.day() + ": "
                    + AthenaQueryEngine.shown(partition.location()));
        }
        return "'s3://" + bucket + "/" + partition.location() + "'";
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += BATCH) {
            batches.add(items.subList(from, Math.min(items.size(), from + BATCH)));
        }
        return batches;
    }
}
