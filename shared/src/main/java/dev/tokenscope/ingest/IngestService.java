package dev.tokenscope.ingest;

import dev.tokenscope.aggregate.RollupBuilder;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.RollupWrites;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.UploadStatusStore;
import dev.tokenscope.store.WarehouseLayout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Ingests one uploaded log object: stream, parse, enrich, aggregate; write the day partitions of the warehouse,
 * the rollup deltas and the upload status. Exactly once per upload: every step is idempotent, the warehouse
 * objects are keyed by source object, and each rollup item refuses a delta it already holds (docs/storage.md).
 */
public final class IngestService {

    /** How many errors the status item carries; all of them are in the quarantine object. */
    static final int ERRORS_IN_STATUS = 20;

    private final ObjectStore objects;
    private final RollupStore rollups;
    private final UploadStatusStore statuses;
    private final String dataBucket;
    private final Path scratch;
    private final Clock clock;
    private final FormatRegistry formats;
    private final Limits limits;
    private final BodyResolver bodies;
    private final Enricher enricher;
    private final PromptStorage prompts;

    /** With every format detected, default limits and the built-in model catalog. */
    public IngestService(ObjectStore objects, RollupStore rollups, UploadStatusStore statuses, String dataBucket,
                         Path scratch, Clock clock) {
        this(objects, rollups, statuses, dataBucket, scratch, clock, FormatRegistry.standard(Map.of()),
                Limits.DEFAULT, new Enricher(ModelCatalog.builtIn()), PromptStorage.NONE);
    }

    public IngestService(ObjectStore objects, RollupStore rollups, UploadStatusStore statuses, String dataBucket,
                         Path scratch, Clock clock, FormatRegistry formats, Limits limits, Enricher enricher,
                         PromptStorage prompts) {
        this.objects = objects;
        this.rollups = rollups;
        this.statuses = statuses;
        this.dataBucket = dataBucket;
        this.scratch = scratch;
        this.clock = clock;
        this.formats = formats;
        this.limits = limits;
        this.bodies = new ObjectBodies(objects, limits.maxRecordChars());
        this.enricher = enricher;
        this.prompts = prompts;
    }

    /**
     * One object named by an S3 event. The event's ETag and sequencer, when present, tell a stale or repeated
     * delivery from a new version.
     */
    public record Upload(String bucket, String key, Optional<String> etag, Optional<String> sequencer) {
    }

    public UploadStatus ingest(Upload upload) {
        Instant started = clock.instant();
        String sourceId = Ids.sourceId(upload.bucket(), upload.key());
        if (FormatRegistry.isAuxiliary(upload.key())) {
            return ended(upload, sourceId, upload.etag().orElse(""), "", UploadStatus.State.SKIPPED, started);
        }
        Optional<ObjectStore.ObjectBody> opened = objects.open(upload.bucket(), upload.key());
        if (opened.isEmpty()) {
            return superseded(upload, sourceId, upload.etag().orElse(""), started);
        }
        try (ObjectStore.ObjectBody body = opened.get()) {
            String etag = body.etag();
            if (upload.etag().isPresent() && !ObjectStore.bareEtag(upload.etag().get()).equals(etag)) {
                // The object changed since this event: the newer version's own event will count it.
                return superseded(upload, sourceId, upload.etag().get(), started);
            }
            // The manifest keeps the event's sequencer only: an ETag standing in for a missing one (a manual
            // invocation) names the upload but cannot be ordered against real sequencers.
            String sequencer = upload.sequencer().orElse("");
            String uploadId = Ids.uploadId(upload.bucket(), upload.key(), etag, upload.sequencer().orElse(etag));
            UploadManifest manifest = loadManifest(sourceId, upload);
            if (isOlderThanManifest(manifest, uploadId, upload.sequencer())) {
                return superseded(upload, sourceId, etag, started);
            }
            Optional<UploadStatus> previous = statuses.status(sourceId);
            if (previous.isPresent() && previous.get().uploadId().equals(uploadId)
                    && (previous.get().state() == UploadStatus.State.COMPLETE
                    || previous.get().state() == UploadStatus.State.REJECTED)) {
                // A repeated delivery of an upload already counted (or already refused): nothing to do.
                return previous.get();
            }
            statuses.save(new UploadStatus(sourceId, upload.bucket(), upload.key(), etag, uploadId,
                    UploadStatus.State.PROCESSING, 0, 0, 0, List.of(), Optional.empty(), 0, 0, started,
                    Optional.empty(), Map.of(), ""));
            String file = "s3://" + upload.bucket() + "/" + upload.key();
            LogReaders.Opened reader;
            try {
                reader = LogReaders.open(file, upload.key(), body.stream(), formats,
                        Optional.ofNullable(body.metadata().get(FormatRegistry.METADATA_KEY)), limits, bodies);
            } catch (UnrecognisedFormatException e) {
                // Not retried: the same bytes will not become readable. Nothing of the file is counted.
                UploadStatus rejected = new UploadStatus(sourceId, upload.bucket(), upload.key(), etag, uploadId,
                        UploadStatus.State.REJECTED, 0, 0, 0, List.of(file + ": " + e.getMessage()), Optional.empty(),
                        0, 0, started, Optional.of(clock.instant()), Map.of(), "");
                statuses.save(rejected);
                return rejected;
            }
            try (reader) {
                return process(upload, sourceId, etag, sequencer, uploadId, manifest, reader, started);
            } catch (RuntimeException | IOException e) {
                // Recorded for the user, then rethrown so that Lambda retries the event.
                statuses.save(new UploadStatus(sourceId, upload.bucket(), upload.key(), etag, uploadId,
                        UploadStatus.State.FAILED, 0, 0, 0, List.of(failure(e)), Optional.empty(), 0, 0, started,
                        Optional.of(clock.instant()), Map.of(), reader.format().id()));
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + upload.bucket() + "/" + upload.key() + ": " + e.getMessage(), e);
        }
    }

    private UploadStatus process(Upload upload, String sourceId, String etag, String sequencer, String uploadId,
                                 UploadManifest manifest, LogReaders.Opened opened, Instant started)
            throws IOException {
        LogReader reader = opened.reader();
        Map<String, Long> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        RollupBuilder rollup = new RollupBuilder();
        List<String> errors = new ArrayList<>();
        long read = 0;
        long kept = 0;
        long bad = 0;
        Path quarantine = Files.createTempFile(scratch, "quarantine-", ".jsonl");
        try (WarehouseWriter warehouse = new WarehouseWriter(scratch, uploadId, upload.key(), prompts);
             BufferedWriter quarantined = Files.newBufferedWriter(quarantine, StandardCharsets.UTF_8)) {
            while (reader.hasNext()) {
                ParsedLine line = reader.next();
                read++;
                if (line instanceof ParsedLine.Good good) {
                    EnrichedRecord enriched = enricher.enrich(good.record());
                    rollup.add(enriched);
                    warehouse.write(enriched, good.line());
                    kept++;
                } else if (line instanceof ParsedLine.Bad badLine) {
                    bad++;
                    if (errors.size() < ERRORS_IN_STATUS) {
                        errors.add(badLine.error().toString());
                    }
                    quarantined.write(QuarantineLine.json(badLine.error()));
                    quarantined.write('\n');
                }
            }
            quarantined.flush();
            timings.put("parse_ms", millisSince(t0));

            long t1 = System.nanoTime();
            Map<LocalDate, Path> days = warehouse.finish();
            List<String> warehouseKeys = new ArrayList<>();
            for (Map.Entry<LocalDate, Path> day : days.entrySet()) {
                String key = WarehouseLayout.recordsKey(day.getKey(), sourceId);
                objects.put(dataBucket, key, day.getValue(), "application/x-ndjson");
                warehouseKeys.add(key);
            }
            Optional<String> quarantineKey = Optional.empty();
            if (bad > 0) {
                quarantineKey = Optional.of(WarehouseLayout.quarantineKey(sourceId));
                objects.put(dataBucket, quarantineKey.get(), quarantine, "application/x-ndjson");
            } else {
                // A previous version of this object may have left one; deleting a missing key is a no-op.
                objects.delete(dataBucket, WarehouseLayout.quarantineKey(sourceId));
            }
            timings.put("warehouse_ms", millisSince(t1));

            long t2 = System.nanoTime();
            Map<RollupKey, Totals> deltas = rollup.deltas();
            UploadManifest.Upload current = new UploadManifest.Upload(uploadId, etag, sequencer, false,
                    warehouseKeys, UploadManifest.deltas(deltas));
            List<UploadManifest.Upload> earlier = manifest.uploads().stream()
                    .filter(u -> !u.uploadId().equals(uploadId)).toList();
            List<UploadManifest.Upload> pending = new ArrayList<>(earlier);
            pending.add(current);
            saveManifest(new UploadManifest(sourceId, upload.bucket(), upload.key(), pending));

            // Every earlier upload is retracted before this one is applied; within each phase the writes are
            // independent (each is conditional on its own item), so they go out concurrently.
            List<Supplier<Boolean>> retractions = new ArrayList<>();
            for (UploadManifest.Upload old : earlier) {
                old.deltaMap().forEach((key, delta) ->
                        retractions.add(() -> rollups.retractDelta(key, delta, old.uploadId())));
            }
            long writes = RollupWrites.run(retractions).size();
            List<Supplier<Boolean>> applications = new ArrayList<>();
            deltas.forEach((key, delta) -> applications.add(() -> rollups.applyDelta(key, delta, uploadId)));
            writes += RollupWrites.run(applications).size();
            Set<String> stale = new HashSet<>();
            earlier.forEach(u -> stale.addAll(u.warehouseKeys()));
            warehouseKeys.forEach(stale::remove);
            for (String key : stale) {
                objects.delete(dataBucket, key);
            }
            saveManifest(new UploadManifest(sourceId, upload.bucket(), upload.key(), List.of(
                    new UploadManifest.Upload(uploadId, etag, sequencer, true, warehouseKeys, current.deltas()))));
            timings.put("rollup_ms", millisSince(t2));
            timings.put("total_ms", millisSince(t0));

            UploadStatus done = new UploadStatus(sourceId, upload.bucket(), upload.key(), etag, uploadId,
                    UploadStatus.State.COMPLETE, read, kept, bad, errors, quarantineKey, deltas.size(), writes,
                    started, Optional.of(clock.instant()), timings, opened.format().id());
            statuses.save(done);
            return done;
        } finally {
            Files.deleteIfExists(quarantine);
        }
    }

    /** An upload older than the one the manifest already holds is a late duplicate of a replaced version. */
    private static boolean isOlderThanManifest(UploadManifest manifest, String uploadId, Optional<String> sequencer) {
        if (sequencer.isEmpty()) {
            return false;
        }
        for (UploadManifest.Upload u : manifest.uploads()) {
            if (!u.uploadId().equals(uploadId) && !u.sequencer().isEmpty()
                    && compareSequencers(sequencer.get(), u.sequencer()) < 0) {
                return true;
            }
        }
        return false;
    }

    /** S3 sequencers are hex strings compared after left-padding to the same length. */
    static int compareSequencers(String a, String b) {
        int width = Math.max(a.length(), b.length());
        return String.format("%" + width + "s", a).replace(' ', '0')
                .compareTo(String.format("%" + width + "s", b).replace(' ', '0'));
    }

    private UploadManifest loadManifest(String sourceId, Upload upload) throws IOException {
        Optional<ObjectStore.ObjectBody> body = objects.open(dataBucket, WarehouseLayout.manifestKey(sourceId));
        if (body.isEmpty()) {
            return new UploadManifest(sourceId, upload.bucket(), upload.key(), List.of());
        }
        try (ObjectStore.ObjectBody b = body.get()) {
            return UploadManifest.fromJson(b.stream().readAllBytes());
        }
    }

    private void saveManifest(UploadManifest manifest) {
        objects.put(dataBucket, WarehouseLayout.manifestKey(manifest.sourceId()), manifest.toJson(),
                "application/json");
    }

    private UploadStatus superseded(Upload upload, String sourceId, String etag, Instant started) {
        return ended(upload, sourceId, etag, "", UploadStatus.State.SUPERSEDED, started);
    }

    /** An outcome that counts nothing and is not saved: the object's status stays that of its last upload. */
    private UploadStatus ended(Upload upload, String sourceId, String etag, String uploadId, UploadStatus.State state,
                               Instant started) {
        return new UploadStatus(sourceId, upload.bucket(), upload.key(), etag, uploadId, state, 0, 0, 0, List.of(),
                Optional.empty(), 0, 0, started, Optional.of(clock.instant()), Map.of(), "");
    }

    /** A failure as a user can read it: the exception's own message, never a stack trace. */
    private static String failure(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() <= 500 ? message : message.substring(0, 497) + "...";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
