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
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Ingests one uploaded log object: stream, parse, enrich, aggregate; write the day partitions of the warehouse,
 * the rollup deltas and the upload status. Exactly once per upload: every step is idempotent, the warehouse
 * objects are keyed by source object, and each rollup item refuses a delta it already holds (docs/storage.md).
 * A file too long for one invocation is cut into segments of a fixed number of records, each applied under an id
 * of its own; when time runs short the rest is handed over to a new invocation (a continuation object).
 */
public final class IngestService {

    /** How many errors the status item carries; all of them are in the quarantine object. */
    static final int ERRORS_IN_STATUS = 20;

    /**
     * Records per segment: the unit an upload too long for one invocation is cut into (docs/storage.md). About 25
     * seconds of work at the ingest's measured rate, so a 15-minute invocation does dozens before it hands over,
     * and almost every file is one segment, counted exactly as before segments existed.
     */
    public static final long SEGMENT_ITEMS = 500_000;

    /**
     * A segment is started only with this many times the longest segment so far left: segments of one file vary
     * (days with more distinct keys write more deltas), and running out of time kills the invocation mid-segment.
     */
    static final long HANDOVER_FACTOR = 2;

    /**
     * How long the lease of an object runs when not renewed: longer than an invocation can (15 minutes), so it
     * runs out only when its holder has died; renewed at each segment.
     */
    static final java.time.Duration LEASE = java.time.Duration.ofMinutes(20);

    /** An invocation waiting for the lease hands over with this much time left (the writes of a hand-over). */
    static final long LEASE_WAIT_HANDOVER_MILLIS = 10_000;

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
    private final long segmentItems;

    /** With every format detected, default limits and the built-in model catalog. */
    public IngestService(ObjectStore objects, RollupStore rollups, UploadStatusStore statuses, String dataBucket,
                         Path scratch, Clock clock) {
        this(objects, rollups, statuses, dataBucket, scratch, clock, FormatRegistry.standard(Map.of()),
                Limits.DEFAULT, new Enricher(ModelCatalog.builtIn()), PromptStorage.NONE);
    }

    public IngestService(ObjectStore objects, RollupStore rollups, UploadStatusStore statuses, String dataBucket,
                         Path scratch, Clock clock, FormatRegistry formats, Limits limits, Enricher enricher,
                         PromptStorage prompts) {
        this(objects, rollups, statuses, dataBucket, scratch, clock, formats, limits, enricher, prompts,
                SEGMENT_ITEMS);
    }

    /** With segments of {@code segmentItems} records: small in tests, to cut small files into many. */
    public IngestService(ObjectStore objects, RollupStore rollups, UploadStatusStore statuses, String dataBucket,
                         Path scratch, Clock clock, FormatRegistry formats, Limits limits, Enricher enricher,
                         PromptStorage prompts, long segmentItems) {
        if (segmentItems < 1) {
            throw new IllegalArgumentException("a segment holds at least one record, got " + segmentItems);
        }
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
        this.segmentItems = segmentItems;
    }

    /**
     * One object named by an S3 event. The event's ETag and sequencer, when present, tell a stale or repeated
     * delivery from a new version.
     */
    public record Upload(String bucket, String key, Optional<String> etag, Optional<String> sequencer) {
    }

    /** The whole file in this invocation, however long it takes. */
    public UploadStatus ingest(Upload upload) {
        return ingest(upload, TimeBudget.UNBOUNDED);
    }

    /**
     * An upload, or a continuation of one (an object under state/continuations/ of the data bucket): as many
     * segments as the budget allows, then a hand-over to a new invocation, which the status reports as PROCESSING.
     */
    public UploadStatus ingest(Upload upload, TimeBudget budget) {
        if (upload.bucket().equals(dataBucket) && upload.key().startsWith(WarehouseLayout.CONTINUATIONS_PREFIX)
                && upload.key().endsWith(WarehouseLayout.CONTINUATION_SUFFIX)) {
            return resume(upload, budget);
        }
        return ingest(upload, Optional.empty(), budget);
    }

    private UploadStatus resume(Upload event, TimeBudget budget) {
        Optional<Continuation> continuation = readContinuation(event.key());
        if (continuation.isEmpty()) {
            // Its part is done: an invocation deletes its continuation only once it has written the next one or
            // completed the upload, so this is a repeated delivery.
            return ended(event, "", event.etag().orElse(""), "", UploadStatus.State.SKIPPED, clock.instant());
        }
        UploadStatus status = ingest(continuation.get().upload(), continuation, budget);
        // Not before: a failure above leaves the object, so the retried event still finds it.
        objects.delete(dataBucket, event.key());
        return status;
    }

    private UploadStatus ingest(Upload upload, Optional<Continuation> from, TimeBudget budget) {
        String sourceId = Ids.sourceId(upload.bucket(), upload.key());
        if (FormatRegistry.isAuxiliary(upload.key())) {
            return ended(upload, sourceId, upload.etag().orElse(""), "", UploadStatus.State.SKIPPED,
                    clock.instant());
        }
        // One upload of an object at a time: its manifest is read and its writes done under the object's lease,
        // so a version ingested while another is being ingested sees that one's manifest entry and retracts it,
        // or is refused by it. Taken before the object is opened: a body held open while waiting could time out.
        Lease lease = new Lease(sourceId, leaseToken(upload, from), UUID.randomUUID().toString());
        if (!awaitLease(lease, budget)) {
            Instant now = clock.instant();
            Continuation waiting = from.map(Continuation::waited).orElseGet(() -> new Continuation(upload.bucket(),
                    upload.key(), upload.etag().map(ObjectStore::bareEtag).orElse(""),
                    upload.sequencer().orElse(""), "", segmentItems, 0, 2, now.toString(), 0,
                    Continuation.Progress.NONE));
            objects.put(dataBucket, WarehouseLayout.continuationKey(sourceId, "wait-" + UUID.randomUUID()),
                    waiting.toJson(), "application/json");
            return ended(upload, sourceId, upload.etag().orElse(""), "", UploadStatus.State.PROCESSING, now);
        }
        // An upload starts when it has the lease (so one that waited lists after the one it waited for); a later
        // segment's invocation keeps its upload's first start.
        Instant started = from.filter(c -> c.segment() > 0).map(Continuation::started).orElseGet(clock::instant);
        try {
            return leased(upload, from, budget, lease, started);
        } finally {
            // Left at the end of every invocation: after a failure (the retry re-reads the manifest under the
            // lease, whoever committed in between), and at a hand-over too: a version that commits before the
            // chain goes on retracts the segments applied so far, and the chain then finds itself superseded.
            statuses.releaseSource(sourceId, lease.token(), lease.holder());
        }
    }

    /**
     * The lease of one object as one invocation holds it: the upload's token, shared by every delivery and
     * invocation of that upload, and the invocation's own holder id (the lease is given back when the last
     * holder leaves, so one delivery finishing never frees it under another still writing).
     */
    private record Lease(String sourceId, String token, String holder) {
    }

    /** Thrown when the lease ran out under a holder and another upload took it: nothing more may be written. */
    private static final class LeaseLostException extends IllegalStateException {
        LeaseLostException(String message) {
            super(message);
        }
    }

    /**
     * The upload's id as the lease's token: every delivery and invocation of one upload holds the lease together,
     * so a retry after a crash that left it held goes on at once, and deliveries of one upload, which write the
     * same objects and deltas, need no turns. An event without an ETag (a manual invocation) names the object's
     * current version: its ETag is read first, so that the upload's continuations hold the same token.
     */
    private String leaseToken(Upload upload, Optional<Continuation> from) {
        if (from.isPresent() && !from.get().uploadId().isEmpty()) {
            return from.get().uploadId();
        }
        Optional<String> etag = upload.etag().map(ObjectStore::bareEtag).or(() -> currentEtag(upload));
        return etag.map(e -> Ids.uploadId(upload.bucket(), upload.key(), e, upload.sequencer().orElse(e)))
                .orElseGet(() -> UUID.randomUUID().toString());
    }

    /** The object's ETag now; empty if it is gone (the ingest then finds it gone and stops). */
    private Optional<String> currentEtag(Upload upload) {
        Optional<ObjectStore.ObjectBody> opened = objects.open(upload.bucket(), upload.key());
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (ObjectStore.ObjectBody body = opened.get()) {
            return Optional.of(body.etag());
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + upload.bucket() + "/" + upload.key() + ": " + e.getMessage(), e);
        }
    }

    /** The upload from where {@code from} says (or from its start), under the object's lease {@code token}. */
    private UploadStatus leased(Upload upload, Optional<Continuation> from, TimeBudget budget, Lease lease,
                                Instant started) {
        String sourceId = lease.sourceId();
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
            Optional<UploadManifest.Upload> entry = manifest.uploads().stream()
                    .filter(u -> u.uploadId().equals(uploadId)).findFirst();
            if (from.isPresent() && from.get().segment() > 0 && entry.isEmpty()) {
                // Its first segment put it in the manifest, and only a newer version's completion takes it out.
                return superseded(upload, sourceId, etag, started);
            }
            Optional<UploadStatus> done = finished(sourceId, uploadId);
            if (done.isPresent()) {
                // A repeated delivery of an upload already counted (or already refused): nothing to do.
                return done.get();
            }
            // Where this invocation starts: the continuation it was handed, or the upload's first segment. Every
            // delivery of an upload must cut it into the same segments, or segment ids would name other records:
            // as an earlier delivery did (its manifest entry), else with this function's setting.
            Continuation start = from.filter(c -> c.segment() > 0)
                    .orElseGet(() -> new Continuation(upload.bucket(), upload.key(), etag, sequencer, uploadId,
                            entry.map(IngestService::segmentItemsOf).orElse(segmentItems), 0,
                            from.map(Continuation::invocation).orElse(1), started.toString(), 0,
                            Continuation.Progress.NONE));
            statuses.save(status(sourceId, start, UploadStatus.State.PROCESSING, start.progress(), Optional.empty(),
                    ""));
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
                return process(lease, start, manifest, entry, reader, budget);
            } catch (LeaseLostException e) {
                // The status is the other upload's now: left as it is.
                throw e;
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

    /** The upload's status if it is counted (or refused) already: a repeated delivery has nothing to do. */
    private Optional<UploadStatus> finished(String sourceId, String uploadId) {
        return statuses.status(sourceId).filter(previous -> previous.uploadId().equals(uploadId)
                && (previous.state() == UploadStatus.State.COMPLETE
                || previous.state() == UploadStatus.State.REJECTED));
    }

    /**
     * Takes the object's lease, waiting while another upload of it holds one, as long as the budget allows; false
     * when it runs short (the caller hands over). A holder that died keeps it at most {@link #LEASE}.
     */
    private boolean awaitLease(Lease lease, TimeBudget budget) {
        long pause = 50;
        while (!claim(lease)) {
            if (budget.millisLeft() <= LEASE_WAIT_HANDOVER_MILLIS + pause) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the lease of " + lease.sourceId(), e);
            }
            pause = Math.min(pause * 2, 2_000);
        }
        return true;
    }

    private boolean claim(Lease lease) {
        Instant now = clock.instant();
        return statuses.claimSource(lease.sourceId(), lease.token(), lease.holder(), now, now.plus(LEASE));
    }

    /** Records per segment of an upload the manifest holds; one segment of everything before segments existed. */
    private static long segmentItemsOf(UploadManifest.Upload entry) {
        return entry.segmentItems() > 0 ? entry.segmentItems() : Long.MAX_VALUE;
    }

    /**
     * The segments from {@code from.segment()} on, each applied before the next starts, until the file ends (the
     * upload is complete) or the budget is too short for another (the rest is handed over). {@code entry} is the
     * upload's manifest entry (its first segment) when an earlier invocation or delivery wrote it.
     */
    private UploadStatus process(Lease lease, Continuation from, UploadManifest manifest,
                                 Optional<UploadManifest.Upload> entry, LogReaders.Opened opened, TimeBudget budget)
            throws IOException {
        String sourceId = lease.sourceId();
        LogReader reader = opened.reader();
        String format = opened.format().id();
        List<UploadManifest.Upload> earlier = manifest.uploads().stream()
                .filter(u -> !u.uploadId().equals(from.uploadId())).toList();
        Continuation.Progress progress = from.progress();
        if (from.segment() > 0) {
            // Records cannot be found by byte offset in every format (gzip, JSON arrays, CSV headers), so the
            // records of earlier segments are read again, but neither enriched nor written.
            long t0 = System.nanoTime();
            skip(reader, from.segment() * from.segmentItems());
            progress = progress.plus(timings(Map.of("skip_ms", millisSince(t0))));
        }
        long longest = from.longestSegmentMillis();
        Optional<UploadManifest.Upload> first = entry;
        for (int segment = from.segment(); ; segment++) {
            long t0 = System.nanoTime();
            if (segment > from.segment() && !claim(lease)) {
                // Renewed at every segment, so only a segment longer than the lease loses it (never within
                // Lambda's 15 minutes); the retry waits for it like any other upload.
                throw new LeaseLostException("s3://" + from.bucket() + "/" + from.key() + ": the object's lease "
                        + "ran out and another upload took it; retried");
            }
            Written written = write(sourceId, from, segment, reader);
            long t1 = System.nanoTime();
            String segmentId = Ids.segmentId(from.uploadId(), segment);
            List<UploadManifest.Delta> deltas = UploadManifest.deltas(written.deltas());
            long writes = 0;
            if (segment == 0) {
                first = Optional.of(new UploadManifest.Upload(from.uploadId(), from.etag(), from.sequencer(), false,
                        written.warehouseKeys(), deltas, from.segmentItems()));
                List<UploadManifest.Upload> pending = new ArrayList<>(earlier);
                pending.add(first.get());
                saveManifest(new UploadManifest(sourceId, from.bucket(), from.key(), pending));
                // Every earlier upload is retracted before this one is applied, and its objects go with it, so
                // that the warehouse holds what the rollups hold while the later segments are still to come.
                writes += retract(sourceId, earlier);
                deleteObjectsOf(sourceId, earlier, first.get().warehouseKeys());
            } else {
                // Recorded before any of its deltas is applied, so a crash never leaves deltas unrecorded.
                List<String> keys = new ArrayList<>(written.warehouseKeys());
                written.quarantineKey().ifPresent(keys::add);
                objects.put(dataBucket, WarehouseLayout.segmentKey(sourceId, segmentId),
                        new UploadManifest.Segment(segmentId, keys, deltas).toJson(), "application/json");
            }
            writes += apply(segmentId, written.deltas());
            if (writes > 0) {
                // The API's cached answers are keyed by the rollups' change count: from now on they are
                // computed again. (Not a rollup item: not among the status's rollup writes.)
                rollups.changed();
            }
            long segmentMillis = millisSince(t0);
            longest = Math.max(longest, segmentMillis);
            Map<String, Long> timings = new LinkedHashMap<>(written.timingsMs());
            timings.put("rollup_ms", millisSince(t1));
            timings.put("total_ms", segmentMillis);
            progress = progress.plus(new Continuation.Progress(written.read(), written.kept(), written.bad(),
                    written.errors(), written.quarantineKey().orElse(""), written.deltas().size(), writes, timings));
            if (!reader.hasNext()) {
                return complete(sourceId, from, first.orElseThrow(), progress, format);
            }
            UploadStatus processing = status(sourceId, from, UploadStatus.State.PROCESSING, progress,
                    Optional.empty(), format);
            statuses.save(processing);
            if (budget.millisLeft() <= HANDOVER_FACTOR * longest) {
                // The last write of this invocation: its S3 event starts the next one.
                Continuation next = new Continuation(from.bucket(), from.key(), from.etag(), from.sequencer(),
                        from.uploadId(), from.segmentItems(), segment + 1, from.invocation() + 1, from.startedAt(),
                        longest, progress);
                objects.put(dataBucket, WarehouseLayout.continuationKey(sourceId,
                        Ids.segmentId(from.uploadId(), segment + 1)), next.toJson(), "application/json");
                return processing;
            }
        }
    }

    /** What one segment read and wrote to the warehouse, before anything of it is recorded or applied. */
    private record Written(long read, long kept, long bad, List<String> errors, List<String> warehouseKeys,
                           Optional<String> quarantineKey, Map<RollupKey, Totals> deltas,
                           Map<String, Long> timingsMs) {
    }

    /** The segment's records, at most segmentItems of them: parsed, enriched, aggregated and written. */
    private Written write(String sourceId, Continuation from, int segment, LogReader reader) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Long> timings = new LinkedHashMap<>();
        RollupBuilder rollup = new RollupBuilder();
        List<String> errors = new ArrayList<>();
        long read = 0;
        long kept = 0;
        long bad = 0;
        Path quarantine = Files.createTempFile(scratch, "quarantine-", ".jsonl");
        try (WarehouseWriter warehouse = new WarehouseWriter(scratch, Ids.segmentId(from.uploadId(), segment),
                from.key(), prompts);
             BufferedWriter quarantined = Files.newBufferedWriter(quarantine, StandardCharsets.UTF_8)) {
            while (read < from.segmentItems() && reader.hasNext()) {
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
                String key = WarehouseLayout.recordsKey(day.getKey(), sourceId, from.uploadId(), segment);
                objects.put(dataBucket, key, day.getValue(), "application/x-ndjson");
                warehouseKeys.add(key);
            }
            Optional<String> quarantineKey = Optional.empty();
            if (bad > 0) {
                quarantineKey = Optional.of(WarehouseLayout.quarantineKey(sourceId, from.uploadId(), segment));
                objects.put(dataBucket, quarantineKey.get(), quarantine, "application/x-ndjson");
            } else if (segment == 0) {
                // A previous version of this object may have left one; deleting a missing key is a no-op. A later
                // segment's is named by its upload and deleted with that upload's other objects.
                objects.delete(dataBucket, WarehouseLayout.quarantineKey(sourceId));
            }
            timings.put("warehouse_ms", millisSince(t1));
            return new Written(read, kept, bad, errors, warehouseKeys, quarantineKey, rollup.deltas(), timings);
        } finally {
            Files.deleteIfExists(quarantine);
        }
    }

    /** Every segment of every earlier upload, each undone once; within a segment the writes go out concurrently. */
    private long retract(String sourceId, List<UploadManifest.Upload> earlier) {
        long writes = 0;
        for (UploadManifest.Upload old : earlier) {
            writes += retract(old.uploadId(), old.deltaMap());
            for (String key : segmentKeys(sourceId, old.uploadId())) {
                // Gone since the listing: another invocation deleted it, which it does only after retracting it.
                Optional<UploadManifest.Segment> segment = readSegment(key);
                if (segment.isPresent()) {
                    writes += retract(segment.get().segmentId(), segment.get().deltaMap());
                }
            }
        }
        return writes;
    }

    private long retract(String segmentId, Map<RollupKey, Totals> deltas) {
        List<Supplier<Boolean>> retractions = new ArrayList<>();
        deltas.forEach((key, delta) -> retractions.add(() -> rollups.retractDelta(key, delta, segmentId)));
        return RollupWrites.run(retractions).size();
    }

    /** The writes are independent (each is conditional on its own item), so they go out concurrently. */
    private long apply(String segmentId, Map<RollupKey, Totals> deltas) {
        List<Supplier<Boolean>> applications = new ArrayList<>();
        deltas.forEach((key, delta) -> applications.add(() -> rollups.applyDelta(key, delta, segmentId)));
        return RollupWrites.run(applications).size();
    }

    /**
     * The objects earlier uploads wrote (their warehouse and quarantine objects), but for those this upload's
     * first segment has just rewritten, then their segment records: their deltas are retracted, so nothing needs
     * the records any more. Only segment 0's objects are named by the source object alone; a later segment's name
     * their upload, so what is deleted here is never an object of this upload, whichever invocation of it runs.
     */
    private void deleteObjectsOf(String sourceId, List<UploadManifest.Upload> earlier, List<String> rewritten) {
        Set<String> stale = new HashSet<>();
        List<String> records = new ArrayList<>();
        for (UploadManifest.Upload old : earlier) {
            stale.addAll(old.warehouseKeys());
            for (String key : segmentKeys(sourceId, old.uploadId())) {
                // Gone since the listing: another invocation deleted it, after the objects it names.
                readSegment(key).ifPresent(segment -> stale.addAll(segment.keys()));
                records.add(key);
            }
        }
        rewritten.forEach(stale::remove);
        for (String key : stale) {
            objects.delete(dataBucket, key);
        }
        for (String key : records) {
            objects.delete(dataBucket, key);
        }
    }

    /** The file has ended and every segment is applied: the manifest is reduced to this upload. */
    private UploadStatus complete(String sourceId, Continuation from, UploadManifest.Upload first,
                                  Continuation.Progress progress, String format) {
        long t0 = System.nanoTime();
        saveManifest(new UploadManifest(sourceId, from.bucket(), from.key(), List.of(
                new UploadManifest.Upload(first.uploadId(), first.etag(), first.sequencer(), true,
                        first.warehouseKeys(), first.deltas(), first.segmentItems()))));
        long millis = millisSince(t0);
        Continuation.Progress done = progress.plus(timings(Map.of("rollup_ms", millis, "total_ms", millis)));
        UploadStatus complete = status(sourceId, from, UploadStatus.State.COMPLETE, done,
                Optional.of(clock.instant()), format);
        statuses.save(complete);
        return complete;
    }

    /** The upload's status with what its segments so far counted; it keeps the first invocation's start. */
    private UploadStatus status(String sourceId, Continuation from, UploadStatus.State state,
                                Continuation.Progress p, Optional<Instant> finished, String format) {
        return new UploadStatus(sourceId, from.bucket(), from.key(), from.etag(), from.uploadId(), state,
                p.recordsRead(), p.recordsKept(), p.recordsQuarantined(), p.errors(), p.quarantine(), p.rollupItems(),
                p.rollupWrites(), from.started(), finished, p.timingsMs(), format);
    }

    /** Time spent outside any segment, counted in the status's timings. */
    private static Continuation.Progress timings(Map<String, Long> millis) {
        return new Continuation.Progress(0, 0, 0, List.of(), "", 0, 0, millis);
    }

    /** Passes over the records earlier segments read. */
    private static void skip(LogReader reader, long items) {
        for (long i = 0; i < items; i++) {
            if (!reader.hasNext()) {
                throw new IllegalStateException("the file ended after " + i + " records, but its earlier segments "
                        + "read " + items);
            }
            reader.next();
        }
    }

    /** The segment records of one upload, in key order. */
    private List<String> segmentKeys(String sourceId, String uploadId) {
        return objects.list(dataBucket, WarehouseLayout.segmentsPrefix(sourceId, uploadId)).stream()
                .map(ObjectStore.ObjectSummary::key).toList();
    }

    private Optional<UploadManifest.Segment> readSegment(String key) {
        return readObject(key).map(UploadManifest.Segment::fromJson);
    }

    private Optional<Continuation> readContinuation(String key) {
        return readObject(key).map(Continuation::fromJson);
    }

    private Optional<byte[]> readObject(String key) {
        Optional<ObjectStore.ObjectBody> body = objects.open(dataBucket, key);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        try (ObjectStore.ObjectBody b = body.get()) {
            return Optional.of(b.stream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + dataBucket + "/" + key + ": " + e.getMessage(), e);
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

    private UploadManifest loadManifest(String sourceId, Upload upload) {
        return readObject(WarehouseLayout.manifestKey(sourceId)).map(UploadManifest::fromJson)
                .orElseGet(() -> new UploadManifest(sourceId, upload.bucket(), upload.key(), List.of()));
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
