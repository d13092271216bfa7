package dev.tokenscope.functions;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.ingest.Ids;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import dev.tokenscope.catalog.ModelCatalog;
import dev.tokenscope.ingest.Enricher;
import dev.tokenscope.ingest.FormatRegistry;
import dev.tokenscope.ingest.Limits;
import dev.tokenscope.ingest.PromptStorage;
import dev.tokenscope.store.WarehouseLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

class IngestHandlerTest {

    /** What events/s3-put.json names. */
    private static final String BUCKET = "tokenscope-local";
    private static final String KEY = "logs/2026/11/sample-usage.jsonl";
    private static final String EVENT_ETAG = "0123456789abcdef0123456789abcdef";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-04T12:30:01Z"), ZoneOffset.UTC);

    @TempDir
    Path scratch;

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();

    private IngestHandler handler(RollupStore store) {
        return new IngestHandler(new IngestService(objects, store, statuses, BUCKET, scratch, CLOCK));
    }

    static S3Event event(String eventName, String encodedKey, String etag, String sequencer) {
        var object = new S3EventNotification.S3ObjectEntity(encodedKey, 10L, etag, null, sequencer);
        var bucket = new S3EventNotification.S3BucketEntity(BUCKET,
                new S3EventNotification.UserIdentityEntity("A3NL1KOZZKExample"), "arn:aws:s3:::" + BUCKET);
        var entity = new S3EventNotification.S3Entity("IngestFunctionJsonl", bucket, object, "1.0");
        var record = new S3EventNotification.S3EventNotificationRecord("us-east-1", eventName, "aws:s3",
                "2026-11-04T12:30:00.000Z", "2.1", new S3EventNotification.RequestParametersEntity("203.0.113.10"),
                new S3EventNotification.ResponseElementsEntity("x", "y"), entity,
                new S3EventNotification.UserIdentityEntity("AWS:AIDAEXAMPLEUSER"));
        return new S3Event(List.of(record));
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldIngestTheObjectIntoTheRollups_whenS3ReportsAPut(S3Event event) {
        // given: the object the event names, under the ETag the event carries
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        RecordingContext context = new RecordingContext();

        // when
        String outcome = handler(rollups).handleRequest(event, context);

        // then
        String expected = "s3://tokenscope-local/logs/2026/11/sample-usage.jsonl complete read=8 kept=8"
                + " quarantined=0 rollup_writes=" + rollups.all().size();
        assertEquals(expected, outcome);
        assertEquals(expected + "\n", context.logged());
        assertSameTotals(Fixtures.SAMPLE_JSONL_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        UploadStatus status = statuses.status(Ids.sourceId(BUCKET, KEY)).orElseThrow();
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(Ids.uploadId(BUCKET, KEY, EVENT_ETAG, "0055AED6DCD90281E5"), status.uploadId());
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldCountOnce_whenTheSameEventIsDeliveredTwice(S3Event event) {
        // given
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        IngestHandler handler = handler(rollups);
        handler.handleRequest(event, null);

        // when
        String again = handler.handleRequest(event, null);

        // then: the repeat answers with the first run's status
        assertEquals("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl complete read=8 kept=8"
                + " quarantined=0 rollup_writes=" + rollups.all().size(), again);
        assertSameTotals(Fixtures.SAMPLE_JSONL_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(rollups.all().size(), rollups.writes());
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldReportSuperseded_whenTheObjectHasChangedSinceTheEvent(S3Event event) {
        // given: the object now has other content (its ETag is the MD5 of that content)
        objects.put(BUCKET, KEY, Fixtures.utf8("{\"timestamp\":\"2026-11-04T00:00:00Z\",\"model\":\"m\"}\n"),
                "application/x-ndjson");

        // when
        String outcome = handler(rollups).handleRequest(event, null);

        // then
        assertEquals("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl superseded read=0 kept=0"
                + " quarantined=0 rollup_writes=0", outcome);
        assertEquals(List.of(), rollups.all());
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldThrowSoLambdaRetries_whenTheIngestFails(S3Event event) {
        // given: the function dies after 2 of its rollup writes
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        IngestHandler dying = handler(new CrashingRollupStore(rollups, 2));

        // when
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> dying.handleRequest(event, null));
        String retried = handler(rollups).handleRequest(event, null);

        // then
        assertEquals("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl complete read=8 kept=8"
                + " quarantined=0 rollup_writes=" + rollups.all().size(), retried);
        assertSameTotals(Fixtures.SAMPLE_JSONL_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @Test
    void handleRequest_shouldDecodeTheKey_whenS3UrlEncodesIt() {
        // given: S3 writes "logs/my file(1).jsonl" as "logs/my+file%281%29.jsonl" in the event
        String key = "logs/my file(1).jsonl";
        byte[] content = Fixtures.utf8("{\"timestamp\":\"2026-11-04T00:00:00Z\",\"model\":\"m\",\"prompt_tokens\":3}\n");
        objects.put(BUCKET, key, content, "application/x-ndjson");
        S3Event event = event("ObjectCreated:Put", "logs/my+file%281%29.jsonl", InMemoryObjectStore.md5Hex(content),
                "01");

        // when
        String outcome = handler(rollups).handleRequest(event, null);

        // then
        assertEquals("s3://tokenscope-local/logs/my file(1).jsonl complete read=1 kept=1 quarantined=0"
                + " rollup_writes=" + (Dimension.values().length + 2), outcome); // + its prompt and completion shape
        assertEquals(3, rollups.all().get(0).totals().promptTokens());
    }

    @Test
    void handleRequest_shouldSkipTheRecord_whenTheEventIsNotAnObjectCreation() {
        // given
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        S3Event event = event("ObjectRemoved:Delete", KEY, EVENT_ETAG, "0055AED6DCD90281E5");

        // when
        String outcome = handler(rollups).handleRequest(event, null);

        // then
        assertEquals("", outcome);
        assertEquals(List.of(), rollups.all());
        assertEquals(Map.of(), Map.copyOf(rollups.nonZeroTotals(RollupKey.MODEL)));
    }

    @Test
    void handleRequest_shouldIngest_whenTheEventHasNoEtagOrSequencer() {
        // given: a hand-written event without eTag and sequencer
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        S3Event event = event("ObjectCreated:Put", KEY, "", null);

        // when
        String outcome = handler(rollups).handleRequest(event, null);

        // then
        assertEquals("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl complete read=8 kept=8"
                + " quarantined=0 rollup_writes=" + rollups.all().size(), outcome);
        assertEquals(Ids.uploadId(BUCKET, KEY, EVENT_ETAG, EVENT_ETAG),
                statuses.status(Ids.sourceId(BUCKET, KEY)).orElseThrow().uploadId());
    }

    // ---- files too long for one invocation

    /** The handler over an ingest that cuts files into segments of 3 records: the sample is 3 segments. */
    private IngestHandler segmenting(Optional<Duration> budgetCap) {
        return new IngestHandler(new IngestService(objects, rollups, statuses, BUCKET, scratch, CLOCK,
                FormatRegistry.standard(Map.of()), Limits.DEFAULT, new Enricher(ModelCatalog.builtIn()),
                PromptStorage.NONE, 3), budgetCap);
    }

    /** Delivers the S3 event of every continuation object until none is left; the outcome of each. */
    private List<String> continueToTheEnd(IngestHandler handler, RecordingContext context) {
        List<String> outcomes = new ArrayList<>();
        List<String> keys;
        while (!(keys = objects.keys(BUCKET, WarehouseLayout.CONTINUATIONS_PREFIX)).isEmpty()) {
            outcomes.add(handler.handleRequest(event("ObjectCreated:Put", keys.get(0), "", "02"), context));
        }
        return outcomes;
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldHandOverAndGoOn_whenTheBudgetEndsAfterASegment(S3Event event) {
        // given a budget that ends with the first segment of each invocation
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        IngestHandler handler = segmenting(Optional.of(Duration.ZERO));

        // when S3 delivers the upload's event, then the event of each continuation the function writes
        String first = handler.handleRequest(event, null);
        List<String> rest = continueToTheEnd(handler, null);

        // then three invocations, one segment each, count what one does
        assertEquals("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl processing read=3 kept=3"
                + " quarantined=0 rollup_writes=" + statuses.history().get(1).rollupWrites(), first);
        assertEquals(2, rest.size());
        assertTrue(rest.get(1).startsWith("s3://tokenscope-local/logs/2026/11/sample-usage.jsonl complete read=8"
                + " kept=8 quarantined=0"), rest.get(1));
        assertSameTotals(Fixtures.SAMPLE_JSONL_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @ParameterizedTest
    @Event(value = "events/s3-put.json", type = S3Event.class)
    void handleRequest_shouldHandOver_whenLambdaHasLessTimeLeftThanTheSafetyMargin(S3Event event) {
        // given an invocation with 20 seconds left, 10 less than the margin kept for the last writes
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);
        IngestHandler handler = segmenting(Optional.empty());
        RecordingContext shortOfTime = new RecordingContext(20_000);

        // when
        String first = handler.handleRequest(event, shortOfTime);
        List<String> rest = continueToTheEnd(handler, new RecordingContext());

        // then the first invocation did one segment; with a minute left the next did the other two
        assertTrue(first.contains(" processing read=3 "), first);
        assertEquals(1, rest.size());
        assertTrue(rest.get(0).contains(" complete read=8 "), rest.get(0));
        assertSameTotals(Fixtures.SAMPLE_JSONL_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @Test
    void handleRequest_shouldNotHandOver_whenLambdaHasTimeLeft() {
        // given a minute left (30 seconds after the margin), and a file of three short segments
        objects.putWithEtag(BUCKET, KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL), EVENT_ETAG);

        // when
        String outcome = segmenting(Optional.empty()).handleRequest(event("ObjectCreated:Put", KEY, EVENT_ETAG, "01"),
                new RecordingContext());

        // then
        assertTrue(outcome.contains(" complete read=8 "), outcome);
        assertEquals(List.of(), objects.keys(BUCKET, WarehouseLayout.CONTINUATIONS_PREFIX));
    }
}
