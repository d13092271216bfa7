package dev.tokenscope.recompute;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The day partitions of the Parquet table: pointer objects in the bucket (BucketPartitionCatalog), which on AWS
 * Athena DDL mirrors into the Glue table (AthenaDdlPartitionCatalog). Each partition names the folder its day is
 * read from; repointing it is the switch readers see whole or not at all.
 */
public interface PartitionCatalog {

    /** The partitions of those days that exist. */
    Map<LocalDate, Partition> get(Collection<LocalDate> days);

    /** Creates each partition, or repoints it if it exists. */
    void put(List<Partition> partitions);

    /** Removes the partitions of these days; a day without one is left as it is. */
    void remove(Collection<LocalDate> days);

    /**
     * One day's partition: the key prefix its Parquet files are under (in the data bucket) and the fingerprint of
     * the raw objects they were written from.
     */
    record Partition(LocalDate day, String location, String fingerprint) {
    }
}
