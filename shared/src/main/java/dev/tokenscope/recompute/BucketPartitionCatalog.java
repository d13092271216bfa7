package dev.tokenscope.recompute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The day partitions of `records_parquet` as pointer objects in the data bucket, one per day:
 * {@code warehouse/parquet/_partitions/day=YYYY-MM-DD.json} = {"location": ..., "fingerprint": ...}. Replacing
 * one object is one PUT, and S3 reads after a write see it, so a reader sees the old pointer or the new one.
 */
public final class BucketPartitionCatalog implements PartitionCatalog {

    private static final String POINTERS_PREFIX = WarehouseLayout.PARQUET_PREFIX + "_partitions/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore objects;
    private final String bucket;

    public BucketPartitionCatalog(ObjectStore objects, String bucket) {
        this.objects = objects;
        this.bucket = bucket;
    }

    /** One listing of the pointers, then a read of each asked for: a window may be years of days. */
    @Override
    public Map<LocalDate, Partition> get(Collection<LocalDate> days) {
        Map<String, LocalDate> wanted = new HashMap<>();
        days.forEach(day -> wanted.put(key(day), day));
        Map<LocalDate, Partition> found = new TreeMap<>();
        for (ObjectStore.ObjectSummary pointer : objects.list(bucket, POINTERS_PREFIX)) {
            LocalDate day = wanted.get(pointer.key());
            if (day != null) {
                read(day).ifPresent(p -> found.put(day, p));
            }
        }
        return found;
    }

    @Override
    public void put(List<Partition> partitions) {
        for (Partition p : partitions) {
            Map<String, String> pointer = new LinkedHashMap<>();
            pointer.put("location", p.location());
            pointer.put("fingerprint", p.fingerprint());
            try {
                objects.put(bucket, key(p.day()), JSON.writeValueAsBytes(pointer), "application/json");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void remove(Collection<LocalDate> days) {
        days.forEach(day -> objects.delete(bucket, key(day)));
    }

    private Optional<Partition> read(LocalDate day) {
        Optional<ObjectStore.ObjectBody> body = objects.open(bucket, key(day));
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try (ObjectStore.ObjectBody b = body.get(); InputStream in = b.stream()) {
            JsonNode pointer = JSON.readTree(in);
            return Optional.of(new Partition(day, pointer.path("location").asText(),
                    pointer.path("fingerprint").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the partition pointer " + key(day), e);
        }
    }

    /** The pointer object of a day. */
    public static String key(LocalDate day) {
        return POINTERS_PREFIX + WarehouseLayout.PARTITION_COLUMN + "=" + day + ".json";
    }
}
