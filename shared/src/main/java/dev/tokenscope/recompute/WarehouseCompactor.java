package dev.tokenscope.recompute;

import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.WarehouseLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compacts the raw JSON partitions of a window of days into the Parquet table `records_parquet`. Each run writes
 * the days it compacts into a folder of its own, then repoints each day's partition at it: a reader sees a day's
 * old files or its new ones, never a mix or a half-written day. A day is compacted only when its raw objects
 * changed since (their fingerprint, kept in the partition), so a second run writes nothing and a re-ingested day
 * is picked up by the next run that covers it.
 */
public final class WarehouseCompactor {

    /**
     * How long a run's files are left alone whatever the partitions say: longer than a run can take (a Lambda
     * invocation ends within 15 minutes), so the garbage collection of one run never deletes the files of another
     * run still writing them (a scheduled and an on-demand run may overlap).
     */
    static final Duration IN_FLIGHT = Duration.ofHours(1);

    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** A file in a run's folder of one day: groups run id and day. */
    private static final Pattern RUN_FILE = Pattern.compile(WarehouseLayout.PARQUET_DAY_FOLDER.pattern() + ".+");

    private final ObjectStore objects;
    private final String bucket;
    private final ParquetExport export;
    private final PartitionCatalog catalog;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public WarehouseCompactor(ObjectStore objects, String bucket, ParquetExport export, PartitionCatalog catalog,
                              Clock clock) {
        this.objects = objects;
        this.bucket = bucket;
        this.export = export;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * What a compaction did: the days written and repointed, the days whose Parquet was already current, the days
     * whose partition was removed (their raw objects are gone) and the superseded Parquet objects deleted.
     */
    public record Result(String runId, List<LocalDate> compacted, int skipped, List<LocalDate> removed,
                         int objectsDeleted) {
        public Result {
            compacted = List.copyOf(compacted);
            removed = List.copyOf(removed);
        }
    }

    public Result compact(QueryEngine.Window window) {
        String runId = runId(clock.instant());
        List<LocalDate> days = window.from().datesUntil(window.to().plusDays(1)).toList();
        Map<LocalDate, PartitionCatalog.Partition> partitions = catalog.get(days);
        Map<LocalDate, String> changed = new TreeMap<>();
        List<LocalDate> removed = new ArrayList<>();
        int skipped = 0;
        for (LocalDate day : days) {
            // Taken before the export reads the day: an object that lands in between leaves a fingerprint that
            // no longer matches, so the next run compacts the day again rather than missing it.
            List<ObjectStore.ObjectSummary> raw = objects.list(bucket, WarehouseLayout.recordsDayPrefix(day));
            Optional<PartitionCatalog.Partition> partition = Optional.ofNullable(partitions.get(day));
            if (raw.isEmpty()) {
                partition.ifPresent(p -> removed.add(day));
                continue;
            }
            String fingerprint = fingerprint(raw);
            if (partition.isPresent() && partition.get().fingerprint().equals(fingerprint)) {
                skipped++;
            } else {
                changed.put(day, fingerprint);
            }
        }
        if (!changed.isEmpty()) {
            export.exportParquet(List.copyOf(changed.keySet()), bucket, WarehouseLayout.parquetRunPrefix(runId));
            catalog.put(changed.entrySet().stream()
                    .map(e -> new PartitionCatalog.Partition(e.getKey(),
                            WarehouseLayout.parquetDayPrefix(runId, e.getKey()), e.getValue()))
                    .toList());
        }
        catalog.remove(removed);
        int deleted = collectGarbage();
        return new Result(runId, List.copyOf(changed.keySet()), skipped, removed, deleted);
    }

    /**
     * Deletes the Parquet folders no partition points at, deciding from a listing and the partitions alone. Per
     * day it keeps the folder the partition points at and the newest one before it (a query planned just before
     * the switch may still be reading it; with no partition, the newest folder), and any folder of a run younger
     * than {@link #IN_FLIGHT}.
     */
    private int collectGarbage() {
        Map<LocalDate, TreeMap<String, List<String>>> folders = new TreeMap<>();
        for (ObjectStore.ObjectSummary object : objects.list(bucket, WarehouseLayout.PARQUET_PREFIX + "run=")) {
            Matcher m = RUN_FILE.matcher(object.key());
            if (m.matches()) {
                folders.computeIfAbsent(LocalDate.parse(m.group(2)), d -> new TreeMap<>())
                        .computeIfAbsent(m.group(1), r -> new ArrayList<>()).add(object.key());
            }
        }
        if (folders.isEmpty()) {
            return 0;
        }
        Map<LocalDate, PartitionCatalog.Partition> partitions = catalog.get(folders.keySet());
        Instant settled = clock.instant().minus(IN_FLIGHT);
        int deleted = 0;
        for (Map.Entry<LocalDate, TreeMap<String, List<String>>> day : folders.entrySet()) {
            TreeMap<String, List<String>> runs = day.getValue();
            Optional<String> current = Optional.ofNullable(partitions.get(day.getKey()))
                    .flatMap(p -> runOf(p.location()));
            Optional<String> previous = current.isPresent()
                    ? Optional.ofNullable(runs.lowerKey(current.get()))
                    : Optional.of(runs.lastKey());
            for (Map.Entry<String, List<String>> run : runs.entrySet()) {
                String id = run.getKey();
                if (current.equals(Optional.of(id)) || previous.equals(Optional.of(id))
                        || !startOf(id).isBefore(settled)) {
                    continue;
                }
                for (String key : run.getValue()) {
                    objects.delete(bucket, key);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** A run id sorts by its start: UTC time to the second, then random hex against two runs in one second. */
    String runId(Instant start) {
        byte[] suffix = new byte[3];
        random.nextBytes(suffix);
        return RUN_TIME.format(start) + "-" + HexFormat.of().formatHex(suffix);
    }

    private static Instant startOf(String runId) {
        try {
            return Instant.from(RUN_TIME.parse(runId.substring(0, runId.indexOf('-'))));
        } catch (DateTimeParseException e) {
            // A run id that is no date counts as new: its files are kept.
            return Instant.MAX;
        }
    }

    /** The run a partition location belongs to, if it is one of ours. */
    private static Optional<String> runOf(String location) {
        Matcher m = WarehouseLayout.PARQUET_DAY_FOLDER.matcher(location);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** SHA-256 over the sorted keys and ETags of a day's raw objects: changes when any object does. */
    static String fingerprint(List<ObjectStore.ObjectSummary> raw) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        raw.stream().sorted(Comparator.comparing(ObjectStore.ObjectSummary::key)).forEach(o ->
                sha.update((o.key() + "\t" + o.etag() + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest());
    }
}
