package dev.tokenscope.local;

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
 * the same files Athena would. Copies what changed (by ETag) and removes what is gone.
 */
final class WarehouseMirror {

    private final ObjectStore objects;
    private final String bucket;
    private final Path root;
    private final Map<String, String> etags = new HashMap<>();

    WarehouseMirror(ObjectStore objects, String bucket, Path root) {
        this.objects = objects;
        this.bucket = bucket;
        this.root = root;
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
                if (object.etag().equals(etags.get(object.key())) && Files.exists(local)) {
                    continue;
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
            try (Stream<Path> files = Files.walk(records)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (!wanted.contains(file)) {
                        Files.delete(file);
                    }
                }
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException("could not mirror the warehouse to " + records, e);
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
