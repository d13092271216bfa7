package dev.tokenscope.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.ObjectStore;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.ForwardingRollupStore;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file too long for one invocation: cut into segments, handed over to new invocations through continuation
 * objects, and counted exactly as one invocation counts it, whatever is delivered twice or crashes on the way.
 */
class IngestContinuationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "tokenscope-test";
    private static final String KEY = "logs/2026/11/long.jsonl";
    private static final String SEQ_1 = "0055AED6DCD90281E5";
    private static final String SEQ_2 = "0055AED6DCD90281F0";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T12:00:00Z"), ZoneOffset.UTC);
    private static final String SOURCE_ID = Ids.sourceId(BUCKET, KEY);
    /** One for every invocation: loading the catalog and classifier is the slow part of making one. */
    private static final Enricher ENRICHER = new Enricher(dev.tokenscope.catalog.ModelCatalog.builtIn());

    /** Records per segment in these tests: FILE (40 lines) is 7 segments, the last of 4 lines. */
    private static final long SEGMENT = 6;
    private static final byte[] FILE = file(40, "a");
    private static final int SEGMENTS = 7;
    /** A second version of the key: other records over other day boundaries, 6 segments. */
    private static final byte[] VERSION_2 = file(34, "b");

    @TempDir
    Path scratch;

    /**
     * 40 lines in time order over four days and four models: every seventh line has no timestamp (bad), so most
     * segments quarantine one line; the prompts give the use-case and language dimensions values.
     */
    private static byte[] file(int lines, String tag) {
        String[] models = {"qwen/qwen3-coder", "openai/gpt-4o-mini", "deepseek/deepseek-reasoner",
            "anthropic.claude-sonnet-4-20250514-v1:0"};
        String[] prompts = {"Write a python function that sorts a list", "Translate this into German please",
            "Explain the causes of the first world war", "Fix this SQL query: SELECT * FROM"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            if (i % 7 == 6) {
                text.append("{\"request_id\":\"bad-").append(i).append("\",\"model\":\"x\"}\n");
                continue;
            }
            int day = 1 + i * 4 / lines;
            text.append(String.format("{\"request_id\":\"%s-%d\",\"timestamp\":\"2026-11-0%dT%02d:00:00Z\","
                            + "\"model\":\"%s\",\"prompt_tokens\":%d,\"completion_tokens\":%d,\"cost_usd\":0.000%d,"
                            + "\"user_id\":\"user-%d\",\"finish_reason\":\"%s\",\"prompt\":\"%s\"}%n",
                    tag, i, day, i % 24, models[i % 4], 100 + i * 37, 10 + i * 3, 1 + i % 9, i % 5,
                    i % 3 == 0 ? "tool_calls" : "stop", prompts[i % 4]));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- a world: the stores one deployment has, and S3's events on continuation objects

    /**
     * An ObjectStore that queues an S3 event for every PUT under state/continuations/ (a PUT of the same key
     * again is another event, as in S3), can fail the next delete of a continuation once, and can run another
     * invocation just before the next delete of a warehouse object or read of a segment record (two invocations
     * interleaved).
     */
    private static final class NotifyingObjectStore implements ObjectStore {
        final InMemoryObjectStore inner = new InMemoryObjectStore();
        final Deque<String> events = new ArrayDeque<>();
        boolean failNextContinuationDelete;
        Runnable beforeNextWarehouseDelete;
        Runnable beforeNextSegmentRead;

        @Override
        public Optional<ObjectBody> open(String bucket, String key) {
            if (beforeNextSegmentRead != null && key.startsWith(WarehouseLayout.SEGMENTS_PREFIX)) {
                Runnable interleaved = beforeNextSegmentRead;
                beforeNextSegmentRead = null;
                interleaved.run();
            }
            return inner.open(bucket, key);
        }

        @Override
        public void put(String bucket, String key, Path file, String contentType) {
            inner.put(bucket, key, file, contentType);
            notify(key);
        }

        @Override
        public void put(String bucket, String key, byte[] bytes, String contentType) {
            inner.put(bucket, key, bytes, contentType);
            notify(key);
        }

        private void notify(String key) {
            if (key.startsWith(WarehouseLayout.CONTINUATIONS_PREFIX)) {
                events.add(key);
            }
        }

        @Override
        public void delete(String bucket, String key) {
            if (beforeNextWarehouseDelete != null && key.startsWith(WarehouseLayout.RECORDS_PREFIX)) {
                Runnable interleaved = beforeNextWarehouseDelete;
                beforeNextWarehouseDelete = null;
                interleaved.run();
            }
            if (failNextContinuationDelete && key.startsWith(WarehouseLayout.CONTINUATIONS_PREFIX)) {
                failNextContinuationDelete = false;
                throw new IllegalStateException("simulated S3 failure deleting " + key);
            }
            inner.delete(bucket, key);
        }

        @Override
        public List<ObjectSummary> list(String bucket, String prefix) {
            return inner.list(bucket, prefix);
        }
    }

    private final class World {
        final NotifyingObjectStore objects = new NotifyingObjectStore();
        final InMemoryRollupStore rollups = new InMemoryRollupStore();
        final InMemoryStatusStore statuses = new InMemoryStatusStore();
        final Path work;
        /** Every invocation of the ingest function so far: uploads and continuations. */
        int invocations;

        World() {
            try {
                work = Files.createTempDirectory(scratch, "world");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String put(String key, byte[] bytes) {
            objects.put(BUCKET, key, bytes, "application/octet-stream");
            return InMemoryObjectStore.md5Hex(bytes);
        }

        IngestService service(RollupStore store, long segmentItems) {
            return new IngestService(objects, store, statuses, BUCKET, work, CLOCK, FormatRegistry.standard(Map.of()),
                    Limits.DEFAULT, ENRICHER, PromptStorage.NONE,
                    segmentItems);
        }

        IngestService service() {
            return service(rollups, SEGMENT);
        }

        /** One invocation for an S3 event on {@code key} (an upload, or a continuation object). */
        UploadStatus invoke(IngestService service, String key, String etag, String sequencer, TimeBudget budget) {
            invocations++;
            return service.ingest(new IngestService.Upload(BUCKET, key, Optional.ofNullable(etag),
                    Optional.ofNullable(sequencer)), budget);
        }

        /** The next queued continuation event, delivered to a fresh invocation. */
        UploadStatus deliverNext(IngestService service, TimeBudget budget) {
            String key = objects.events.removeFirst();
            // S3's event carries the object's ETag; the handler compares it only for uploads.
            return invoke(service, key, null, null, budget);
        }

        /** Every queued continuation event, and those they cause, until none is left; the last status. */
        UploadStatus drain(Supplier<TimeBudget> budgets) {
            UploadStatus last = null;
            while (!objects.events.isEmpty()) {
                last = deliverNext(service(), budgets.get());
            }
            return last;
        }

        /** Every object of the data bucket but the uploads, by key: the warehouse, quarantine and state. */
        Map<String, String> stored() {
            Map<String, String> result = new TreeMap<>();
            for (String key : objects.inner.keys(BUCKET, "")) {
                if (!key.startsWith("logs/")) {
                    byte[] bytes = objects.inner.get(BUCKET, key).orElseThrow().bytes();
                    result.put(key, key.endsWith(".gz") ? Fixtures.gunzip(bytes)
                            : new String(bytes, StandardCharsets.UTF_8));
                }
            }
            return result;
        }

        UploadStatus status() {
            return statuses.status(SOURCE_ID).orElseThrow();
        }
    }

    /** A budget that lets an invocation start {@code n} segments, then asks it to hand over. */
    private static Supplier<TimeBudget> segmentsPerInvocation(int n) {
        return () -> {
            AtomicInteger asked = new AtomicInteger();
            // The ingest asks after each segment whether to start another.
            return () -> asked.incrementAndGet() < n ? Long.MAX_VALUE : 0;
        };
    }

    /** A clean run: the whole file in one invocation, cut into the same segments. */
    private World cleanRun(byte[] file) {
        return cleanRun(file, SEQ_1);
    }

    private World cleanRun(byte[] file, String sequencer) {
        World clean = new World();
        String etag = clean.put(KEY, file);
        clean.invoke(clean.service(), KEY, etag, sequencer, TimeBudget.UNBOUNDED);
        assertTrue(clean.objects.events.isEmpty(), "an unbounded run hands nothing over");
        return clean;
    }

    /** The world ended exactly as the clean run did: every rollup item, every object, the status's counts. */
    private static void assertSameEnd(World clean, World world) {
        assertEquals(clean.rollups.all(), world.rollups.all(), "rollup items, applied sets and revisions");
        assertEquals(clean.stored(), world.stored(), "warehouse, quarantine, manifest and segment records");
        assertEquals(counts(clean.status()), counts(world.status()));
        assertEquals(UploadStatus.State.COMPLETE, world.status().state());
        assertEquals(List.of(), world.objects.inner.keys(BUCKET, WarehouseLayout.CONTINUATIONS_PREFIX));
    }

    /** A world where FILE's upload event was delivered, to an invocation with time for {@code n} segments. */
    private World firstInvocation(int n) {
        World world = new World();
        world.invoke(world.service(), KEY, world.put(KEY, FILE), SEQ_1, segmentsPerInvocation(n).get());
        return world;
    }

    /** A world where FILE (version 1, 7 segments) is counted, in one invocation. */
    private World versionOneCounted() {
        World world = new World();
        world.invoke(world.service(), KEY, world.put(KEY, FILE), SEQ_1, TimeBudget.UNBOUNDED);
        return world;
    }

    /** A world where VERSION_2 replaced FILE, each in one invocation. */
    private World versionTwoReplacingOne() {
        World world = versionOneCounted();
        world.invoke(world.service(), KEY, world.put(KEY, VERSION_2), SEQ_2, TimeBudget.UNBOUNDED);
        return world;
    }

    /** Every dimension's non-zero totals are the same (items fully retracted hold zeros and markers). */
    private static void assertSameTotals(World expected, World actual) {
        for (String dimension : Dimension.storedIds()) {
            Fixtures.assertSameTotals(expected.rollups.nonZeroTotals(dimension),
                    actual.rollups.nonZeroTotals(dimension));
        }
    }

    /**
     * A status without its timings and write count (the writes the completing chain sent: a second chain finds
     * less to retract): what the records counted.
     */
    private static List<Object> counts(UploadStatus s) {
        return List.of(s.uploadId(), s.state(), s.recordsRead(), s.recordsKept(), s.recordsQuarantined(), s.errors(),
                s.quarantineKey(), s.rollupItems(), s.startedAt(), s.format());
    }

    // ---- segments

    @Test
    void ingest_shouldCountAsOneSegmentDoes_whenTheFileIsCutIntoSegments() throws IOException {
        // given the same file in one world cut into segments of 6 records, in another read whole
        World segmented = cleanRun(FILE);
        World whole = new World();
        String etag = whole.put(KEY, FILE);

        // when
        UploadStatus one = whole.invoke(whole.service(whole.rollups, IngestService.SEGMENT_ITEMS), KEY, etag, SEQ_1,
                TimeBudget.UNBOUNDED);

        // then every dimension's totals are the same, and so are the warehouse rows but for their segment ids
        UploadStatus cut = segmented.status();
        assertSameTotals(whole, segmented);
        assertEquals(rows(whole), rows(segmented));
        assertEquals(List.of(one.recordsRead(), one.recordsKept(), one.recordsQuarantined(), one.errors()),
                List.of(cut.recordsRead(), cut.recordsKept(), cut.recordsQuarantined(), cut.errors()));
        assertEquals(40, cut.recordsRead());
        assertEquals(5, cut.recordsQuarantined());
        assertEquals(quarantined(whole), quarantined(segmented));
        // segment k's deltas are applied under its own id, and its rows carry it
        String uploadId = cut.uploadId();
        assertEquals(SEGMENTS - 1, segmented.objects.inner.keys(BUCKET,
                WarehouseLayout.segmentsPrefix(SOURCE_ID, uploadId)).size());
        assertTrue(segmented.rollups.all().stream().anyMatch(r -> r.applied().contains(uploadId + ".6")));
        assertEquals(List.of(), whole.objects.inner.keys(BUCKET, WarehouseLayout.SEGMENTS_PREFIX),
                "a file of one segment writes no segment record");
    }

    /** Every warehouse row, without its upload_id (a segment id), in source line order. */
    private static List<JsonNode> rows(World world) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String key : world.objects.inner.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX)) {
            for (String line : Fixtures.gunzip(world.objects.inner.get(BUCKET, key).orElseThrow().bytes()).split("\n")) {
                ObjectNode row = (ObjectNode) JSON.readTree(line);
                row.remove("upload_id");
                rows.add(row);
            }
        }
        rows.sort((a, b) -> Long.compare(a.get("source_line").asLong(), b.get("source_line").asLong()));
        return rows;
    }

    /** Every quarantined line of the upload, whichever segment's object holds it, in order. */
    private static List<String> quarantined(World world) {
        return world.objects.inner.keys(BUCKET, WarehouseLayout.QUARANTINE_PREFIX).stream()
                .flatMap(key -> world.objects.inner.get(BUCKET, key).orElseThrow().text().lines())
                .sorted().toList();
    }

    // ---- hand-overs

    @ParameterizedTest(name = "{0} segments per invocation")
    @ValueSource(ints = {1, 2, 3, 7})
    void ingest_shouldEndAsOneInvocationDoes_whenEachInvocationHasTimeForFewSegments(int perInvocation) {
        // given
        World clean = cleanRun(FILE);
        World world = new World();
        String etag = world.put(KEY, FILE);

        // when the upload's invocation, then each continuation it hands over to
        UploadStatus first = world.invoke(world.service(), KEY, etag, SEQ_1,
                segmentsPerInvocation(perInvocation).get());
        UploadStatus last = world.drain(segmentsPerInvocation(perInvocation));

        // then
        int invocations = (SEGMENTS + perInvocation - 1) / perInvocation;
        assertEquals(invocations, world.invocations);
        if (invocations > 1) {
            assertEquals(UploadStatus.State.PROCESSING, first.state());
            assertEquals(perInvocation * SEGMENT, first.recordsRead(), "the status shows the segments done");
            assertEquals(UploadStatus.State.COMPLETE, last.state());
        }
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldKeepItsFirstStartAndOneRecentEntry_whenContinued() {
        // given
        World world = new World();
        String etag = world.put(KEY, FILE);

        // when
        world.invoke(world.service(), KEY, etag, SEQ_1, segmentsPerInvocation(1).get());
        world.drain(segmentsPerInvocation(1));

        // then: every status saved is of one upload, with one start, and the counts only grow
        List<UploadStatus> history = world.statuses.history();
        assertEquals(1, history.stream().map(UploadStatus::startedAt).distinct().count());
        assertEquals(1, world.statuses.recent(10).size());
        long read = 0;
        for (UploadStatus s : history) {
            assertTrue(s.recordsRead() >= read, "counts never go back: " + history);
            read = s.recordsRead();
        }
        assertTrue(world.status().timingsMs().containsKey("skip_ms"), "the re-read records are timed");
    }

    // ---- repeated and crashed invocations

    @Test
    void ingest_shouldChangeNothing_whenEachContinuationIsDeliveredTwice() {
        // given
        World clean = cleanRun(FILE);
        World world = firstInvocation(1);

        // when every continuation event arrives twice in a row
        List<UploadStatus.State> repeats = new ArrayList<>();
        while (!world.objects.events.isEmpty()) {
            String key = world.objects.events.peekFirst();
            world.deliverNext(world.service(), segmentsPerInvocation(1).get());
            repeats.add(world.invoke(world.service(), key, null, null, segmentsPerInvocation(1).get()).state());
        }

        // then the repeat finds its continuation gone (done), and the end is that of one clean run
        assertEquals(SEGMENTS - 1, repeats.size());
        assertTrue(repeats.stream().allMatch(s -> s == UploadStatus.State.SKIPPED), repeats.toString());
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldChangeNothing_whenAContinuationIsRedeliveredAfterTheUploadCompleted() {
        // given a completed upload, and the bytes of one of its continuations
        World clean = cleanRun(FILE);
        World world = firstInvocation(2);
        String key = world.objects.events.peekFirst();
        byte[] continuation = world.objects.inner.get(BUCKET, key).orElseThrow().bytes();
        world.drain(segmentsPerInvocation(2));

        // when it comes back (a late duplicate that still finds its object: written again by a second chain)
        world.objects.inner.put(BUCKET, key, continuation, "application/json");
        UploadStatus late = world.invoke(world.service(), key, null, null, segmentsPerInvocation(1).get());

        // then it sees the upload complete, deletes its object and counts nothing
        assertEquals(UploadStatus.State.COMPLETE, late.state());
        assertSameEnd(clean, world);
    }

    @ParameterizedTest(name = "crash after {0} writes of the continuation")
    @ValueSource(ints = {0, 1, 5, 20, 40})
    void ingest_shouldEqualACleanRun_whenAContinuationCrashesAndIsRetried(int k) {
        // given the second invocation (segment 1) killed after k rollup writes
        World clean = cleanRun(FILE);
        World world = firstInvocation(1);
        String key = world.objects.events.peekFirst();
        CrashingRollupStore crashing = new CrashingRollupStore(world.rollups, k);
        assertThrows(CrashingRollupStore.SimulatedCrash.class,
                () -> world.deliverNext(world.service(crashing, SEGMENT), segmentsPerInvocation(3).get()));
        assertEquals(UploadStatus.State.FAILED, world.status().state());
        assertTrue(world.objects.inner.get(BUCKET, key).isPresent(), "a failed continuation keeps its object");

        // when Lambda retries the event, and the chain goes on
        world.invoke(world.service(), key, null, null, segmentsPerInvocation(1).get());
        world.drain(segmentsPerInvocation(1));

        // then
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldEqualACleanRun_whenAContinuationFailsAfterHandingOverAndTwoChainsRun() {
        // given a continuation that wrote the next one, then failed to delete its own (so Lambda retries it)
        World clean = cleanRun(FILE);
        World world = firstInvocation(1);
        String key = world.objects.events.peekFirst();
        world.objects.failNextContinuationDelete = true;
        assertThrows(IllegalStateException.class,
                () -> world.deliverNext(world.service(), segmentsPerInvocation(2).get()));

        // when the retry redoes its segments and hands over again: two continuation events for one segment
        world.invoke(world.service(), key, null, null, segmentsPerInvocation(2).get());
        assertEquals(2, world.objects.events.size());
        world.drain(segmentsPerInvocation(2));

        // then
        assertSameEnd(clean, world);
    }

    @ParameterizedTest(name = "original event again after {0} continuations")
    @ValueSource(ints = {0, 1, 3, 6})
    void ingest_shouldEqualACleanRun_whenTheUploadEventIsDeliveredAgainDuringTheChain(int continuations) {
        // given a chain some continuations in
        World clean = cleanRun(FILE);
        World world = firstInvocation(1);
        for (int i = 0; i < continuations; i++) {
            world.deliverNext(world.service(), segmentsPerInvocation(1).get());
        }

        // when S3 delivers the upload's event again: a second chain from segment 0, racing the first
        UploadStatus again = world.invoke(world.service(), KEY, InMemoryObjectStore.md5Hex(FILE), SEQ_1,
                segmentsPerInvocation(1).get());
        world.drain(segmentsPerInvocation(1));

        // then (after the last continuation the upload is complete, and the repeat is refused at once)
        assertEquals(continuations == SEGMENTS - 1 ? UploadStatus.State.COMPLETE : UploadStatus.State.PROCESSING,
                again.state());
        assertSameEnd(clean, world);
    }

    @ParameterizedTest(name = "crash after {0} writes of the first invocation")
    @ValueSource(ints = {0, 50, 120})
    void ingest_shouldEqualACleanRun_whenTheFirstInvocationCrashesBetweenSegmentsAndIsRetried(int k) {
        // given the upload's invocation killed after k rollup writes, some segments in
        World clean = cleanRun(FILE);
        World world = new World();
        String etag = world.put(KEY, FILE);
        CrashingRollupStore crashing = new CrashingRollupStore(world.rollups, k);
        assertThrows(CrashingRollupStore.SimulatedCrash.class,
                () -> world.invoke(world.service(crashing, SEGMENT), KEY, etag, SEQ_1, TimeBudget.UNBOUNDED));

        // when Lambda retries the upload's event
        world.invoke(world.service(), KEY, etag, SEQ_1, segmentsPerInvocation(2).get());
        world.drain(segmentsPerInvocation(2));

        // then
        assertSameEnd(clean, world);
    }

    // ---- new versions

    @Test
    void ingest_shouldCountOnlyTheNewVersion_whenItArrivesWhileTheOldOneIsHandedOver() throws IOException {
        // given version 1 three segments in, its next continuation pending
        World world = new World();
        String etag1 = world.put(KEY, FILE);
        world.invoke(world.service(), KEY, etag1, SEQ_1, segmentsPerInvocation(1).get());
        world.deliverNext(world.service(), segmentsPerInvocation(1).get());
        world.deliverNext(world.service(), segmentsPerInvocation(1).get());
        String version1 = world.status().uploadId();

        // when version 2 (4 segments) is put and ingested in one invocation (the lease is free between version
        // 1's invocations), then version 1's continuation arrives
        byte[] file2 = file(22, "b");
        String etag2 = world.put(KEY, file2);
        world.invoke(world.service(), KEY, etag2, SEQ_2, TimeBudget.UNBOUNDED);
        UploadStatus stale = world.deliverNext(world.service(), segmentsPerInvocation(1).get());

        // then version 1 is superseded and wholly retracted, and only version 2 counts
        assertEquals(UploadStatus.State.SUPERSEDED, stale.state());
        World clean = cleanRun(file2, SEQ_2);
        assertSameTotals(clean, world);
        assertEquals(clean.stored(), world.stored());
        UploadStatus a = clean.status();
        UploadStatus b = world.status();
        assertEquals(List.of(a.uploadId(), a.recordsRead(), a.recordsKept(), a.recordsQuarantined(), a.errors(),
                a.quarantineKey(), a.rollupItems()), List.of(b.uploadId(), b.recordsRead(), b.recordsKept(),
                b.recordsQuarantined(), b.errors(), b.quarantineKey(), b.rollupItems()));
        for (StoredRollup item : world.rollups.all()) {
            for (String id : item.applied()) {
                assertTrue(!id.startsWith(version1) || item.applied().contains("-" + id),
                        "every segment of version 1 applied here is retracted: " + item);
            }
        }
    }

    @Test
    void ingest_shouldHoldOnlyTheNewVersionsObjects_whileItsLaterSegmentsAreHandedOver() {
        // given version 1 (7 segments) complete
        World world = versionOneCounted();

        // when version 2's first invocation has done its first segment and handed over
        UploadStatus first = world.invoke(world.service(), KEY, world.put(KEY, VERSION_2), SEQ_2,
                segmentsPerInvocation(1).get());

        // then version 1 is retracted and its objects and segment records gone: the warehouse holds what the
        // rollups hold (version 2's first segment), so a recompute now would rebuild them as they are
        assertEquals(UploadStatus.State.PROCESSING, first.state());
        List<String> objects = world.objects.inner.keys(BUCKET, "").stream()
                .filter(k -> k.startsWith(WarehouseLayout.RECORDS_PREFIX) || k.startsWith(WarehouseLayout.QUARANTINE_PREFIX)
                        || k.startsWith(WarehouseLayout.SEGMENTS_PREFIX)).toList();
        UploadManifest manifest = UploadManifest.fromJson(world.objects.inner.get(BUCKET,
                WarehouseLayout.manifestKey(SOURCE_ID)).orElseThrow().bytes());
        assertEquals(manifest.uploads().get(1).warehouseKeys(), objects);
        for (StoredRollup item : world.rollups.all()) {
            assertTrue(item.applied().stream().noneMatch(id -> !id.startsWith("-") && !id.startsWith(first.uploadId())
                    && !item.applied().contains("-" + id)), "only version 2 counts: " + item);
        }
    }

    @ParameterizedTest(name = "new version's event again after {0} continuations")
    @ValueSource(ints = {0, 2, 5})
    void ingest_shouldEqualACleanReplacement_whenTheNewVersionsEventIsDeliveredAgainDuringItsChain(int continuations) {
        // given version 1 complete, and version 2 replacing it one segment per invocation
        World clean = versionTwoReplacingOne();
        World world = versionOneCounted();
        String etag2 = world.put(KEY, VERSION_2);
        world.invoke(world.service(), KEY, etag2, SEQ_2, segmentsPerInvocation(1).get());
        for (int i = 0; i < continuations; i++) {
            world.deliverNext(world.service(), segmentsPerInvocation(1).get());
        }

        // when version 2's event comes again: a second chain whose first segment deletes version 1's objects
        // again, while the first chain has written later segments of version 2
        world.invoke(world.service(), KEY, etag2, SEQ_2, segmentsPerInvocation(1).get());
        world.drain(segmentsPerInvocation(1));

        // then
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldKeepTheNewVersionsObjects_whenTwoChainsOfItReplaceTheOldOneAtOnce() {
        // given version 1 complete, and two deliveries of version 2's event (6 segments): the first has listed
        // version 1's objects and is about to delete them when the second chain runs all but its last segment
        // (deliveries of one upload join the object's lease under the same token, so they do not wait for each
        // other)
        World clean = versionTwoReplacingOne();
        World world = versionOneCounted();
        String etag2 = world.put(KEY, VERSION_2);
        world.objects.beforeNextWarehouseDelete = () -> {
            world.invoke(world.service(), KEY, etag2, SEQ_2, segmentsPerInvocation(1).get());
            for (int segment = 1; segment < 5; segment++) {
                world.deliverNext(world.service(), segmentsPerInvocation(1).get());
            }
        };

        // when the first hands over after its first segment, the second completes, and the first's continuation
        // then finds the upload complete
        world.invoke(world.service(), KEY, etag2, SEQ_2, segmentsPerInvocation(1).get());
        assertEquals(2, world.objects.events.size());
        world.drain(segmentsPerInvocation(1));

        // then the first chain's deletes hit only version 1's objects: a later segment's objects name their upload,
        // so the second chain's segments 1 to 4 are still there
        assertEquals(null, world.objects.beforeNextWarehouseDelete, "the second chain ran");
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldGoOn_whenTheOldVersionsSegmentRecordsGoBetweenListingAndReadingThem() {
        // given version 1 complete, and two deliveries of version 2's event: the second runs whole after the
        // first listed version 1's segment records and before it read them
        World clean = versionTwoReplacingOne();
        World world = versionOneCounted();
        String etag2 = world.put(KEY, VERSION_2);
        world.objects.beforeNextSegmentRead = () ->
                world.invoke(world.service(), KEY, etag2, SEQ_2, TimeBudget.UNBOUNDED);

        // when
        UploadStatus first = world.invoke(world.service(), KEY, etag2, SEQ_2, TimeBudget.UNBOUNDED);

        // then a record gone is one retracted and cleared by the other invocation: no failure, nothing twice
        assertEquals(UploadStatus.State.COMPLETE, first.state());
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldDeleteTheOldSegmentsObjects_whenAShorterVersionReplacesALongOne() {
        // given version 1 (7 segments) complete
        World world = versionOneCounted();

        // when version 2 of one segment replaces it
        byte[] file2 = file(5, "b");
        world.invoke(world.service(), KEY, world.put(KEY, file2), SEQ_2, TimeBudget.UNBOUNDED);

        // then nothing of version 1 is left: no warehouse or quarantine object, no segment record
        World clean = cleanRun(file2, SEQ_2);
        assertEquals(clean.stored(), world.stored());
        assertSameTotals(clean, world);
    }

    // ---- the object's lease: one upload of an object at a time

    @Test
    void ingest_shouldWaitAndHandOver_whenAnotherUploadHoldsTheObjectsLease() {
        // given another upload of the key holding the object's lease
        World clean = cleanRun(FILE);
        World world = new World();
        String etag = world.put(KEY, FILE);
        Instant now = CLOCK.instant();
        assertTrue(world.statuses.claimSource(SOURCE_ID, "another-upload", "its-invocation", now,
                now.plusSeconds(600)));

        // when the upload's event comes: its invocation waits, and hands over before its time runs out
        UploadStatus waiting = world.invoke(world.service(), KEY, etag, SEQ_1, () -> 5_000);

        // then nothing is read, written or counted, and a continuation waits for its own event
        assertEquals(UploadStatus.State.PROCESSING, waiting.state());
        assertEquals(List.of(), world.rollups.all());
        assertTrue(world.statuses.status(SOURCE_ID).isEmpty(), "the holder's status is left alone");
        assertEquals(1, world.objects.events.size());
        assertTrue(world.objects.events.peekFirst().contains("/wait-"), world.objects.events.toString());

        // when its continuation arrives while the lease is still held, and again once it is given back
        UploadStatus stillWaiting = world.deliverNext(world.service(), () -> 5_000);
        world.statuses.releaseSource(SOURCE_ID, "another-upload", "its-invocation");
        world.drain(() -> TimeBudget.UNBOUNDED);

        // then it waited once more, then counted exactly as a clean run, and gave the lease back
        assertEquals(UploadStatus.State.PROCESSING, stillWaiting.state());
        assertSameEnd(clean, world);
        assertEquals(java.util.Set.of(), world.statuses.leasedSources());
    }

    @Test
    void ingest_shouldTakeTheLease_whenItsHolderDiedAndItRanOut() {
        // given a lease whose holder died: it ran out a second ago
        World clean = cleanRun(FILE);
        World world = new World();
        String etag = world.put(KEY, FILE);
        Instant now = CLOCK.instant();
        assertTrue(world.statuses.claimSource(SOURCE_ID, "dead-upload", "dead-invocation", now.minusSeconds(1200),
                now.minusSeconds(1)));

        // when
        world.invoke(world.service(), KEY, etag, SEQ_1, TimeBudget.UNBOUNDED);

        // then
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldHoldTheLeaseAsItsUploadInEveryInvocation_andLeaveItAtEachHandOver() {
        // given
        World world = firstInvocation(1);
        String uploadId = world.status().uploadId();

        // then the lease is free between the chain's invocations (a newer version may commit there)
        assertEquals(java.util.Set.of(), world.statuses.leasedSources());

        // when the chain completes
        world.drain(segmentsPerInvocation(1));

        // then every invocation held it as the upload, once at its start (one segment each), and left it
        assertTrue(world.statuses.claims().stream().allMatch(c -> c.equals(SOURCE_ID + " " + uploadId)),
                world.statuses.claims().toString());
        assertEquals(SEGMENTS, world.statuses.claims().size());
        assertEquals(java.util.Set.of(), world.statuses.leasedSources());
    }

    @Test
    void ingest_shouldLeaveTheLeaseHeld_whileAnotherDeliveryOfTheSameUploadStillRuns() {
        // given a second delivery of the upload's event holding the lease with it, still writing
        World world = new World();
        String etag = world.put(KEY, FILE);
        String upload = Ids.uploadId(BUCKET, KEY, etag, SEQ_1);
        Instant now = CLOCK.instant();
        assertTrue(world.statuses.claimSource(SOURCE_ID, upload, "second-delivery", now, now.plusSeconds(600)));

        // when the first delivery completes
        UploadStatus done = world.invoke(world.service(), KEY, etag, SEQ_1, TimeBudget.UNBOUNDED);

        // then the lease stays held: another version must not commit while the second delivery still writes
        assertEquals(UploadStatus.State.COMPLETE, done.state());
        assertEquals(java.util.Set.of(SOURCE_ID), world.statuses.leasedSources());
        assertFalse(world.statuses.claimSource(SOURCE_ID, "version-2", "its-invocation", now, now.plusSeconds(60)));

        // when the second delivery leaves too, it is free
        world.statuses.releaseSource(SOURCE_ID, upload, "second-delivery");
        assertEquals(java.util.Set.of(), world.statuses.leasedSources());
    }

    @Test
    void ingest_shouldGoOnWithoutWaiting_whenAnEventWithoutETagIsHandedOver() {
        // given a manual invocation: an event naming the object without ETag or sequencer
        World clean = new World();
        clean.put(KEY, FILE);
        clean.invoke(clean.service(), KEY, null, null, TimeBudget.UNBOUNDED);
        World world = new World();
        world.put(KEY, FILE);

        // when it is handed over segment by segment
        world.invoke(world.service(), KEY, null, null, segmentsPerInvocation(1).get());
        int continuations = 0;
        while (!world.objects.events.isEmpty() && continuations++ < 3 * SEGMENTS) {
            world.deliverNext(world.service(), segmentsPerInvocation(1).get());
        }

        // then each continuation holds the lease as the upload did (no wait), and the end is one clean run's
        assertEquals(SEGMENTS - 1, continuations, "one continuation a segment, none waiting");
        assertSameEnd(clean, world);
    }

    @Test
    void ingest_shouldGiveTheLeaseBack_whenItFails() {
        // given
        World world = new World();
        String etag = world.put(KEY, FILE);

        // when the invocation dies on a write
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> world.invoke(
                world.service(new CrashingRollupStore(world.rollups, 3), SEGMENT), KEY, etag, SEQ_1,
                TimeBudget.UNBOUNDED));

        // then another version need not wait for it to run out (the retry re-reads the manifest under it)
        assertEquals(java.util.Set.of(), world.statuses.leasedSources());
    }

    @Test
    void ingest_shouldCountOnlyTheNewerVersion_whenTwoVersionsAreIngestedAtOnce() throws Exception {
        // given version 1's invocation stopped in the middle of applying its deltas
        World clean = versionTwoReplacingOne();
        World world = new World();
        String etag1 = world.put(KEY, FILE);
        java.util.concurrent.CountDownLatch applying = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
        RollupStore paused = new PausingRollupStore(world.rollups, applying, goOn);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = threads.submit(() -> world.service(paused, SEGMENT).ingest(new IngestService.Upload(
                    BUCKET, KEY, Optional.of(etag1), Optional.of(SEQ_1)), TimeBudget.UNBOUNDED));
            assertTrue(applying.await(30, java.util.concurrent.TimeUnit.SECONDS));

            // when version 2 is put and its event handled meanwhile
            String etag2 = world.put(KEY, VERSION_2);
            var second = threads.submit(() -> world.service().ingest(new IngestService.Upload(BUCKET, KEY,
                    Optional.of(etag2), Optional.of(SEQ_2)), TimeBudget.UNBOUNDED));

            // then version 2 waits for the lease until version 1 is done, and retracts it
            Thread.sleep(300);
            assertFalse(second.isDone(), "version 2 waits while version 1 holds the object's lease");
            goOn.countDown();
            assertEquals(UploadStatus.State.COMPLETE, first.get(60, java.util.concurrent.TimeUnit.SECONDS).state());
            assertEquals(UploadStatus.State.COMPLETE, second.get(60, java.util.concurrent.TimeUnit.SECONDS).state());
        } finally {
            goOn.countDown();
            threads.shutdownNow();
        }
        assertSameTotals(clean, world);
        assertEquals(clean.stored(), world.stored());
        assertEquals(counts(clean.status()), counts(world.status()));
    }

    /** Lets writes through until the first delta is applied, then holds the next until {@code goOn}. */
    private static final class PausingRollupStore extends ForwardingRollupStore {
        private final java.util.concurrent.CountDownLatch applying;
        private final java.util.concurrent.CountDownLatch goOn;

        PausingRollupStore(RollupStore delegate, java.util.concurrent.CountDownLatch applying,
                           java.util.concurrent.CountDownLatch goOn) {
            super(delegate);
            this.applying = applying;
            this.goOn = goOn;
        }

        @Override
        public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
            boolean applied = delegate.applyDelta(key, delta, uploadId);
            applying.countDown();
            try {
                goOn.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return applied;
        }
    }

    // ---- manifests written before segments

    @Test
    void ingest_shouldRetractAnUploadOfAnOldManifest_whenANewVersionArrives() {
        // given version 1 counted whole, its manifest as written before segments existed
        World world = new World();
        world.invoke(world.service(world.rollups, IngestService.SEGMENT_ITEMS), KEY, world.put(KEY, file(12, "a")),
                SEQ_1, TimeBudget.UNBOUNDED);
        asOldManifest(world);

        // when version 2 arrives, cut into segments
        world.invoke(world.service(), KEY, world.put(KEY, FILE), SEQ_2, TimeBudget.UNBOUNDED);

        // then version 1 is gone, whole
        World clean = cleanRun(FILE, SEQ_2);
        assertSameTotals(clean, world);
        assertEquals(clean.stored(), world.stored());
    }

    @Test
    void ingest_shouldReadTheFileWhole_whenRetryingAnUploadAnOldManifestHolds() {
        // given an upload that crashed half-way before segments existed: its manifest entry has no segment size
        World world = new World();
        String etag = world.put(KEY, FILE);
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> world.invoke(world.service(
                new CrashingRollupStore(world.rollups, 30), IngestService.SEGMENT_ITEMS), KEY, etag, SEQ_1,
                TimeBudget.UNBOUNDED));
        asOldManifest(world);

        // when it is retried by a function that cuts files into segments of 6
        world.invoke(world.service(), KEY, etag, SEQ_1, TimeBudget.UNBOUNDED);

        // then the retry reads it whole, as the first attempt did: its deltas are those ids already applied
        World whole = new World();
        whole.invoke(whole.service(whole.rollups, IngestService.SEGMENT_ITEMS), KEY, whole.put(KEY, FILE), SEQ_1,
                TimeBudget.UNBOUNDED);
        assertEquals(whole.rollups.all(), world.rollups.all());
        assertFalse(world.stored().keySet().stream().anyMatch(k -> k.startsWith(WarehouseLayout.SEGMENTS_PREFIX)));
    }

    /** Rewrites the manifest without segment sizes, as manifests were before segments. */
    private static void asOldManifest(World world) {
        String key = WarehouseLayout.manifestKey(SOURCE_ID);
        String json = world.objects.inner.get(BUCKET, key).orElseThrow().text()
                .replaceAll(",\\s*\"segmentItems\"\\s*:\\s*\\d+", "");
        assertFalse(json.contains("segmentItems"));
        world.objects.inner.put(BUCKET, key, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    // ---- the continuation object

    @Test
    void continuation_shouldNameTheUploadAndTheNextSegment_whenAnInvocationHandsOver() throws IOException {
        // given
        World world = new World();
        String etag = world.put(KEY, FILE);

        // when
        UploadStatus first = world.invoke(world.service(), KEY, etag, SEQ_1, segmentsPerInvocation(2).get());

        // then
        String key = WarehouseLayout.continuationKey(SOURCE_ID, first.uploadId() + ".2");
        assertEquals(List.of(key), List.copyOf(world.objects.events));
        JsonNode json = JSON.readTree(world.objects.inner.get(BUCKET, key).orElseThrow().bytes());
        assertEquals(KEY, json.get("key").asText());
        assertEquals(etag, json.get("etag").asText());
        assertEquals(SEQ_1, json.get("sequencer").asText());
        assertEquals(2, json.get("segment").asInt());
        assertEquals(SEGMENT, json.get("segmentItems").asLong());
        assertEquals(2, json.get("invocation").asInt());
        assertEquals(12, json.get("progress").get("recordsRead").asLong());
        assertEquals(first.startedAt().toString(), json.get("startedAt").asText());
    }

    @Test
    void ingest_shouldBeSuperseded_whenTheObjectChangedBeforeItsContinuation() {
        // given a hand-over, then a new PUT of the key whose own event has not come yet
        World world = new World();
        world.invoke(world.service(), KEY, world.put(KEY, FILE), SEQ_1, segmentsPerInvocation(1).get());
        world.put(KEY, file(22, "b"));

        // when
        UploadStatus status = world.deliverNext(world.service(), segmentsPerInvocation(1).get());

        // then the continuation stops (the new version's event will replace the old one's segments) and is gone
        assertEquals(UploadStatus.State.SUPERSEDED, status.state());
        assertEquals(List.of(), world.objects.inner.keys(BUCKET, WarehouseLayout.CONTINUATIONS_PREFIX));
        assertTrue(world.objects.events.isEmpty());
    }
}
