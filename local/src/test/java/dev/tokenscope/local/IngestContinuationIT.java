package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.classify.UseCaseClassifier;
import dev.tokenscope.functions.IngestHandler;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Ids;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.local.generate.GenerateCommand;
import dev.tokenscope.local.generate.SyntheticRequest;
import dev.tokenscope.local.generate.Workload;
import dev.tokenscope.local.generate.WorkloadPlan;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.region.RegionMapping;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A file too long for one invocation, on the local stack: with a forced small time budget each invocation does a
 * segment or two and hands the rest over through a continuation object, which the upload watcher delivers as S3
 * would. Whatever the hand-overs, crashes and repeated deliveries, the DynamoDB items and the data bucket end
 * equal to one unbounded run of the same file.
 */
class IngestContinuationIT {

    private static final String KEY = "logs/2026/long-week.jsonl.gz";
    private static final long RECORDS = 400;
    /** Records per segment: the file's 400 are 8 segments. */
    private static final long SEGMENT = 50;
    private static final int SEGMENTS = 8;
    private static final Enricher ENRICHER = new Enricher(ModelCatalog.builtIn(), UseCaseClassifier.standard(),
            RegionMapping.NONE);

    /** A week of generated traffic in time order (as logs are written), gzip canonical JSON Lines. */
    private static byte[] file;
    /** The file in one unbounded invocation, cut into the same segments: what every test's run must end as. */
    private static Deployment clean;

    @TempDir
    static Path work;

    private static final LocalStack stack = TestStack.get();

    @BeforeAll
    static void generateAndRunOnce() throws IOException {
        WorkloadPlan plan = WorkloadPlan.defaults(RECORDS, 11).with(Map.of("weeks", "1"));
        List<SyntheticRequest> week = new ArrayList<>();
        new Workload(plan, ModelCatalog.builtIn()).week(0).forEachRemaining(week::add);
        week.sort(Comparator.comparing(SyntheticRequest::timestamp));
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        GenerateCommand.writeCanonical(week.iterator(), gzip);
        file = gzip.toByteArray();
        clean = new Deployment(Optional.empty(), SEGMENT);
        clean.upload();
        clean.pollToTheEnd();
        assertEquals(1, clean.invocations);
        assertEquals(UploadStatus.State.COMPLETE, clean.status().state());
    }

    /**
     * One deployment: a bucket and table of its own, the ingest handler with a budget cap per invocation, and the
     * upload watcher delivering S3's events, uploads and continuations, to it. {@code target} is the handler the
     * watcher calls, so a test can swap in a crashing one.
     */
    private static final class Deployment {
        final String name = TestStack.freshName("long");
        final DynamoUsageTable table = new DynamoUsageTable(stack.dynamo(), name);
        final S3ObjectStore objects = new S3ObjectStore(stack.s3());
        final Optional<Duration> budget;
        final long segmentItems;
        final UploadWatcher watcher;
        RequestHandler<S3Event, String> target;
        int invocations;
        /** Read once the upload is complete, by normalise. */
        private String sequencer;
        private String uploadId;

        Deployment(Optional<Duration> budget, long segmentItems) {
            this.budget = budget;
            this.segmentItems = segmentItems;
            this.target = handler(table);
            this.watcher = new UploadWatcher(stack.s3(), name, LocalRunner.LOG_PREFIX, (event, context) -> {
                invocations++;
                return target.handleRequest(event, context);
            }, new PrintStream(OutputStream.nullOutputStream()));
        }

        IngestHandler handler(RollupStore rollups) {
            try {
                Path scratch = Files.createDirectories(work.resolve(name));
                return new IngestHandler(new IngestService(objects, rollups, table, name, scratch, Clock.systemUTC(),
                        FormatRegistry.standard(Map.of()), Limits.DEFAULT, ENRICHER, PromptStorage.NONE, segmentItems),
                        budget);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void upload() {
            stack.s3().putObject(b -> b.bucket(name).key(KEY), RequestBody.fromBytes(file));
        }

        /** One pass of the watcher: what S3 would have delivered by now. */
        int poll() {
            return watcher.poll();
        }

        /** Polls until nothing is left to deliver; how long it took. */
        Duration pollToTheEnd() {
            long t0 = System.nanoTime();
            while (poll() > 0) {
                // each continuation's event is delivered at the next pass, as S3 sends it after the PUT
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        }

        UploadStatus status() {
            return table.status(Ids.sourceId(name, KEY)).orElseThrow();
        }

        List<String> keys(String prefix) {
            return stack.s3().listObjectsV2Paginator(b -> b.bucket(name).prefix(prefix)).contents().stream()
                    .map(S3Object::key).sorted().toList();
        }

        /**
         * What differs between deployments of the same file, named alike: the bucket (a fresh one each), the
         * source and upload ids (hashes of the bucket) and the sequencer (the upload's last-modified time).
         */
        String normalise(String text) {
            if (sequencer == null) {
                S3Object upload = stack.s3().listObjectsV2(b -> b.bucket(name).prefix(KEY)).contents().get(0);
                sequencer = String.format("%016X", upload.lastModified().toEpochMilli());
                uploadId = status().uploadId();
            }
            return text.replace(uploadId, "<upload>").replace(Ids.sourceId(name, KEY), "<source>")
                    .replace(sequencer, "<sequencer>").replace(name, "<bucket>");
        }

        /** Every rollup item, by pk and sk, with every attribute (sets sorted). */
        Map<String, String> rollupItems() {
            Map<String, String> items = new TreeMap<>();
            for (Map<String, AttributeValue> item : stack.dynamo().scanPaginator(b -> b.tableName(name)).items()) {
                if (!item.get("pk").s().startsWith("R#")) {
                    continue;
                }
                Map<String, String> attributes = new TreeMap<>();
                item.forEach((attribute, value) -> attributes.put(attribute,
                        value.hasSs() ? new TreeSet<>(value.ss()).toString() : value.toString()));
                items.put(item.get("pk").s() + " " + item.get("sk").s(), normalise(attributes.toString()));
            }
            return items;
        }

        /** Every object of the bucket but the upload, by key, as a digest of its (uncompressed) content. */
        Map<String, String> objects() {
            Map<String, String> result = new TreeMap<>();
            for (String key : keys("")) {
                if (!key.equals(KEY)) {
                    byte[] bytes = stack.s3().getObjectAsBytes(b -> b.bucket(name).key(key)).asByteArray();
                    String text = key.endsWith(".gz") ? Fixtures.gunzip(bytes)
                            : new String(bytes, StandardCharsets.UTF_8);
                    result.put(normalise(key), md5(normalise(text).getBytes(StandardCharsets.UTF_8)));
                }
            }
            return result;
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSameEnd(Deployment clean, Deployment run) {
        assertEquals(clean.rollupItems(), run.rollupItems(), "every rollup item: measures, applied set, revision");
        assertEquals(clean.objects(), run.objects(), "warehouse, quarantine, manifest and segment records");
        assertEquals(List.of(), run.keys(WarehouseLayout.CONTINUATIONS_PREFIX));
        UploadStatus a = clean.status();
        UploadStatus b = run.status();
        assertEquals(UploadStatus.State.COMPLETE, b.state());
        assertEquals(List.of(a.recordsRead(), a.recordsKept(), a.recordsQuarantined(), a.rollupItems()),
                List.of(b.recordsRead(), b.recordsKept(), b.recordsQuarantined(), b.rollupItems()));
    }

    @Test
    void longFile_shouldEndAsOneUnboundedRun_whenEachInvocationHasTimeForASegmentOrTwo() {
        // given how long a segment takes now (the first run of the JVM was slower: classes loading, code not yet
        // compiled), from a second unbounded run
        Deployment warm = new Deployment(Optional.empty(), SEGMENT);
        warm.upload();
        warm.pollToTheEnd();
        long segmentMillis = Math.max(1, warm.status().timingsMs().get("total_ms") / SEGMENTS);

        // when each invocation may spend three segments' time: after one segment two are left, which is not more
        // than twice the longest so far (the ingest's margin), so it hands over after one, or two when a segment
        // was quicker than the average
        Duration budget = Duration.ofMillis(3 * segmentMillis);
        Deployment run = new Deployment(Optional.of(budget), SEGMENT);
        run.upload();
        Duration took = run.pollToTheEnd();

        // then
        System.out.printf("long file: %,d records in %d segments of %d, %d rollup items, %d rollup writes;"
                        + " unbounded: 1 invocation, %d ms; with %d ms per invocation: %d invocations, %d ms%n",
                run.status().recordsRead(), SEGMENTS, SEGMENT, run.status().rollupItems(),
                run.status().rollupWrites(), warm.status().timingsMs().get("total_ms"), budget.toMillis(),
                run.invocations, took.toMillis());
        assertTrue(run.invocations > 1, "the budget must force hand-overs: " + run.invocations);
        assertEquals(RECORDS, run.status().recordsRead());
        assertEquals(SEGMENTS - 1, run.keys(WarehouseLayout.SEGMENTS_PREFIX).size(), "a record per later segment");
        assertSameEnd(clean, run);
        assertSameEnd(clean, warm);

        // and a recompute from the warehouse finds every item as the segments left it: the rows carry the
        // segment ids the items' applied sets hold
        RecomputeService.Result recomputed = LocalFunctions.wire(stack, run.name, run.name, work.resolve(run.name),
                7, Clock.systemUTC()).recomputeService().recompute(new QueryEngine.Window(
                WorkloadPlan.DEFAULT_END.minusDays(6), WorkloadPlan.DEFAULT_END));
        assertEquals(run.rollupItems().size(), recomputed.rows());
        assertEquals(recomputed.rows(), recomputed.unchanged());
        assertEquals(0, recomputed.written());
    }

    @Test
    void longFile_shouldCountAsOneSegment_whenCutIntoSegments() {
        // given
        Deployment segmented = clean;
        Deployment whole = new Deployment(Optional.empty(), IngestService.SEGMENT_ITEMS);

        // when
        whole.upload();
        whole.pollToTheEnd();

        // then every rollup's measures are the same (only the applied sets name segments), and so are the rows
        assertEquals(measures(whole.rollupItems()), measures(segmented.rollupItems()));
        assertEquals(whole.status().recordsKept(), segmented.status().recordsKept());
        assertEquals(rows(whole), rows(segmented));
        System.out.printf("long file: %d rollup items read whole, %d deltas in %d segments (items that span a"
                + " segment boundary get a delta from each)%n", whole.status().rollupItems(),
                segmented.status().rollupItems(), SEGMENTS);
    }

    /** Every warehouse row without its upload_id (a segment id), sorted. */
    private static List<String> rows(Deployment deployment) {
        List<String> rows = new ArrayList<>();
        for (String key : deployment.keys(WarehouseLayout.RECORDS_PREFIX)) {
            byte[] gz = stack.s3().getObjectAsBytes(b -> b.bucket(deployment.name).key(key)).asByteArray();
            Fixtures.gunzip(gz).lines().map(line -> deployment.normalise(line.replaceFirst(
                    "\"upload_id\":\"[^\"]*\",", ""))).forEach(rows::add);
        }
        rows.sort(null);
        assertEquals(RECORDS, rows.size());
        return rows;
    }

    /** The items' measures and labels: without the applied set (segment ids) and revision (writes). */
    private static Map<String, String> measures(Map<String, String> items) {
        Map<String, String> result = new TreeMap<>();
        items.forEach((key, attributes) -> result.put(key,
                attributes.replaceAll("applied=\\[[^]]*], ", "").replaceAll(", revision=[^,}]*\\)", "")));
        return result;
    }

    @Test
    void longFile_shouldEndAsOneUnboundedRun_whenAContinuationCrashesAndIsRedelivered() {
        // given one segment per invocation, and the invocation of segment 3 killed after 40 rollup writes
        Deployment run = new Deployment(Optional.of(Duration.ZERO), SEGMENT);
        run.upload();
        // a pass delivers the upload, then the continuations listed when it started: the first one's is there
        assertEquals(2, run.poll());
        assertEquals(1, run.poll());
        IngestHandler healthy = (IngestHandler) run.target;
        run.target = run.handler(new CrashingRollupStore(run.table, 40));
        assertEquals(0, run.poll(), "the crashed delivery counts as failed");
        assertEquals(UploadStatus.State.FAILED, run.status().state());

        // when the watcher delivers the event again (as Lambda retries it) to a healthy function
        run.target = healthy;
        run.pollToTheEnd();

        // then
        System.out.printf("long file, crash in a continuation: %d invocations (one crashed) for %d segments%n",
                run.invocations, SEGMENTS);
        assertEquals(SEGMENTS + 1, run.invocations);
        assertSameEnd(clean, run);
    }

    @Test
    void longFile_shouldEndAsOneUnboundedRun_whenContinuationsAndTheUploadEventAreDeliveredTwice() {
        // given one segment per invocation
        Deployment run = new Deployment(Optional.of(Duration.ZERO), SEGMENT);
        IngestHandler handler = (IngestHandler) run.target;
        run.upload();
        run.poll();
        // as the watcher lists it: its sequencer is the listing's last-modified time
        S3Object upload = stack.s3().listObjectsV2(b -> b.bucket(run.name).prefix(KEY)).contents().get(0);

        // when every continuation's event comes twice, and the upload's event again half-way (a second chain)
        int invocations = run.invocations;
        int repeats = 0;
        List<String> pending;
        while (!(pending = run.keys(WarehouseLayout.CONTINUATIONS_PREFIX)).isEmpty()) {
            String key = pending.get(0);
            S3Event event = LocalEvents.objectCreated(run.name, key, 0, "", "01");
            handler.handleRequest(event, null);
            String again = handler.handleRequest(event, null);
            invocations += 2;
            assertTrue(again.contains(" skipped ") || again.contains(" complete "), again);
            if (++repeats == 3) {
                // the watcher's event for this version: the same ETag and sequencer, so the same upload
                handler.handleRequest(LocalEvents.objectCreated(run.name, KEY, 0, upload.eTag().replace("\"", ""),
                        String.format("%016X", upload.lastModified().toEpochMilli())), null);
                invocations++;
            }
        }

        // then
        System.out.printf("long file, every event twice and the upload's again: %d invocations for %d segments%n",
                invocations, SEGMENTS);
        assertSameEnd(clean, run);
    }
}
