package dev.tokenscope.local;

import dev.tokenscope.recompute.BucketPartitionCatalog;
import dev.tokenscope.recompute.PartitionCatalog;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Local copies of the warehouse objects for a window of days, so DuckDB (which cannot read s3:// offline) reads
 * the same files Athena would: the raw records, and the Parquet files the partitions point at. Copies what
 * changed (by ETag) and removes what is gone; uploads what the local engine writes.
 */
final class WarehouseMirror {

    private final ObjectStore objects;
    private final String bucket;
    private final Path root;
    private final Map<String, String> etags = new HashMap<>();
    private final BucketPartitionCatalog partitions;

    WarehouseMirror(ObjectStore objects, String bucket, Path root) {
        this.objects = objects;
        this.bucket = bucket;
        this.root = root;
        this.partitions = new BucketPartitionCatalog(objects, bucket);
    }

    /** The folder holding records/day=.../*.json.gz for the days from..to; other days are not there. */
    synchronized Path sync(LocalDate from, LocalDate to) {
        Path records = root.resolve("records");
        try {
            Files.createDirectories(records);
            Set<Path> wanted = new HashSet<>();
            for (ObjectStore.ObjectSummary object : objects.list(bucket, WarehouseLayout.RECORDS_PREFIX)) {
                String relative = object.key().substring(WarehouseLayout.RECORDS_PREFIX.length());
                LocalDate day = dayOf(relative);
                if (day == null || day.isBefore(from) || day.isAfter(to) || !relative.endsWith(".json.gz")) {
                    continue;
                }
                Path local = records.resolve(relative).normalize();
                if (!local.startsWith(records)) {
                    continue;
                }
                wanted.add(local);
                copy(object, local);
            }
            prune(records, wanted);
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException("could not mirror the warehouse to " + records, e);
        }
    }

    /**
     * The folder holding parquet/day=.../*.parquet for the days from..to: for each day, the files under the folder
     * its partition points at now (BucketPartitionCatalog), as Athena would read `records_parquet`.
     */
    synchronized Path syncParquet(LocalDate from, LocalDate to) {
        Path parquet = root.resolve("parquet");
        try {
            Files.createDirectories(parquet);
            Set<Path> wanted = new HashSet<>();
            List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
            for (PartitionCatalog.Partition partition : partitions.get(days).values()) {
                Path day = parquet.resolve(WarehouseLayout.PARTITION_COLUMN + "=" + partition.day());
                for (ObjectStore.ObjectSummary object : objects.list(bucket, partition.location())) {
                    Path local = day.resolve(object.key().substring(partition.location().length())).normalize();
                    if (local.startsWith(day) && object.key().endsWith(".parquet")) {
                        wanted.add(local);
                        copy(object, local);
                    }
                }
            }
            prune(parquet, wanted);
            return parquet;
        } catch (IOException e) {
            throw new UncheckedIOException("could not mirror the Parquet table to " + parquet, e);
        }
    }

    /** Uploads every file under a folder to the bucket, each under the prefix and its path in the folder. */
    void publish(Path folder, String bucket, String prefix) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                objects.put(bucket, prefix + relative, file, "application/octet-stream");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not upload " + folder, e);
        }
    }

    /** Copies an object to a local file, unless the file is already that version of it (by ETag). */
    private void copy(ObjectStore.ObjectSummary object, Path local) throws IOException {
        if (object.etag().equals(etags.get(object.key())) && Files.exists(local)) {
            return;
        }
        Files.createDirectories(local.getParent());
        try (ObjectStore.ObjectBody body = objects.open(bucket, object.key()).orElseThrow();
             InputStream in = body.stream()) {
            Path partial = local.resolveSibling(local.getFileName() + ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        etags.put(object.key(), object.etag());
    }

    /** Deletes the files under a folder that are not wanted any more. */
    private static void prune(Path folder, Set<Path> wanted) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!wanted.contains(file)) {
                    Files.delete(file);
                }
            }
        }
    }

    /** "day=2026-01-05/x.json.gz" -> 2026-01-05; null for anything else. */
    static LocalDate dayOf(String relative) {
        List<String> parts = List.of(relative.split("/"));
        if (parts.size() != 2 || !parts.get(0).startsWith("day=")) {
            return null;
        }
        try {
            return LocalDate.parse(parts.get(0).substring(4));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
