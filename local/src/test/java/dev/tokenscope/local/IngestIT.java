package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.TokenHistogram;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.store.DynamoUsageTable;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.S3ObjectStore;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.CrashingRollupStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Ingest, exactly once, and recompute, against the real local stack: S3Mock, dynalite and DuckDB. */
class IngestIT {

    private static final String JSONL_KEY = "logs/2026/11/sample-usage.jsonl";
    private static final String CSV_KEY = "logs/2026/11/sample-usage-with-errors.csv";
    private static final LocalDate FROM = LocalDate.parse("2026-11-01");
    private static final LocalDate TO = LocalDate.parse("2026-11-07");

    /**
     * sample-usage.jsonl, summed by hand per (day, model): requests, prompt, completion, reasoning, cache read,
     * cache write, cost, priced requests, tool-call requests.
     */
    private static final Map<String, Totals> SAMPLE_JSONL = Map.of(
            // req-0001 + req-0002: 1200+1510, 310+95, cache 800+1200, 0.00825+0.006; req-0002 ended in tool_use
            "2026-11-02|anthropic.claude-sonnet-4-20250514-v1:0",
            totals(2, 2710, 405, 0, 2000, 0, "0.01425", 2, 1),
            // req-0003 + req-0004 (23:59:59Z is still the 2nd): 5400+8000, 1220+2000, 0.002056+0.0032
            "2026-11-02|qwen/qwen3-coder", totals(2, 13400, 3220, 0, 0, 0, "0.005256", 2, 0),
            // req-0005 + req-0006 (08:30+01:00 is 07:30Z on the 3rd): 640+700, 120+90; req-0006 logs no cost,
            // so the catalog's gpt-4o-mini price gives 700 x 0.00000015 + 90 x 0.0000006 = 0.000159
            "2026-11-03|openai/gpt-4o-mini", totals(2, 1340, 210, 0, 0, 0, "0.000327", 2, 0),
            // req-0007 + req-0008 (model id in another case): 2100+1900, 3300+2700, 2500+2000, 0.008415+0.006963
            "2026-11-03|deepseek/deepseek-reasoner", totals(2, 4000, 6000, 4500, 0, 0, "0.015378", 2, 1));

    /** sample-usage-with-errors.csv: lines 3 and 5 are bad; csv-0001 + csv-0003 and csv-0005 are kept. */
    private static final Map<String, Totals> SAMPLE_CSV = Map.of(
            "2026-11-04|amazon.nova-lite-v1:0", totals(2, 2000, 360, 0, 0, 0, "0.000206", 2, 0),
            "2026-11-04|openai/gpt-4o-mini", totals(1, 300, 40, 0, 0, 0, "0.000069", 1, 0));

    @TempDir
    Path work;

    private LocalStack stack;
    private String name;
    private LocalFunctions functions;

    @BeforeEach
    void setUp() {
        stack = TestStack.get();
        name = TestStack.freshName("ingest");
        functions = LocalFunctions.wire(stack, name, name, work, 7, Clock.systemUTC());
    }

    @Test
    void ingest_shouldStoreExactRollupsWarehouseAndStatus_whenOneUploadArrives() throws IOException {
        // given
        String etag = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));

        // when
        deliver(JSONL_KEY, etag, "0001");

        // then
        assertRollups(SAMPLE_JSONL);
        UploadStatus status = functions.table().status(dev.tokenscope.ingest.Ids.sourceId(name, JSONL_KEY)).orElseThrow();
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(8, status.recordsRead());
        assertEquals(8, status.recordsKept());
        assertEquals(0, status.recordsQuarantined());
        assertEquals(everyDimension(functions.table()).size(), status.rollupItems());
        List<String> warehouse = keys(WarehouseLayout.RECORDS_PREFIX);
        assertEquals(2, warehouse.size(), warehouse.toString());
        String day2 = gunzip(WarehouseLayout.recordsKey(LocalDate.parse("2026-11-02"),
                dev.tokenscope.ingest.Ids.sourceId(name, JSONL_KEY)));
        assertEquals(4, day2.lines().count());
        assertFalse(day2.contains("reset my password"), "the prompt must not be stored");
    }

    @Test
    void objectLease_shouldBeHeldUntilItsLastHolderLeaves_andRefuseAnotherUploadMeanwhile() {
        // given two invocations of one upload holding an object's lease in DynamoDB
        DynamoUsageTable table = functions.table();
        Instant now = Instant.now();
        Instant until = now.plusSeconds(60);
        assertTrue(table.claimSource("object-1", "upload-a", "first", now, until));
        assertTrue(table.claimSource("object-1", "upload-a", "second", now, until), "a second delivery joins");

        // then another upload is refused while either holds it
        assertFalse(table.claimSource("object-1", "upload-b", "other", now, until));
        table.releaseSource("object-1", "upload-a", "first");
        assertFalse(table.claimSource("object-1", "upload-b", "other", now, until), "the second still writes");
        table.releaseSource("object-1", "upload-b", "other");
        assertFalse(table.claimSource("object-1", "upload-b", "other", now, until), "only its own holders leave");

        // when the last holder leaves, the item is gone and another upload takes it
        table.releaseSource("object-1", "upload-a", "second");
        assertEquals(0, leaseItems());
        assertTrue(table.claimSource("object-1", "upload-b", "other", now, until));
        // and a lease that ran out is taken over, whoever holds it
        assertTrue(table.claimSource("object-1", "upload-c", "late", until.plusMillis(1), until.plusSeconds(60)));
    }

    @Test
    void ingest_shouldLeaveNoLease_whenUploadsComplete() {
        // given
        String etag = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));

        // when
        deliver(JSONL_KEY, etag, "0001");
        deliver(JSONL_KEY, etag, "0001");

        // then
        assertEquals(0, leaseItems());
    }

    private long leaseItems() {
        return stack.dynamo().scanPaginator(b -> b.tableName(name)).items().stream()
                .filter(item -> item.get("sk").s().equals("LEASE")).count();
    }

    @Test
    void ingest_shouldCountOnce_whenTheSameEventArrivesThreeTimes() {
        // given
        String etag = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));

        // when
        for (int i = 0; i < 3; i++) {
            deliver(JSONL_KEY, etag, "0001");
        }

        // then
        assertRollups(SAMPLE_JSONL);
        assertEquals(2, keys(WarehouseLayout.RECORDS_PREFIX).size());
    }

    @Test
    void ingest_shouldEndExact_whenItCrashesAfterEachNumberOfRollupWritesAndIsRetried() {
        String etag = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));
        int writes = SAMPLE_JSONL.size();
        for (int k = 0; k < writes; k++) {
            // given a fresh table, and a function that dies after k of its n rollup writes
            String table = TestStack.freshName("crash");
            var real = new dev.tokenscope.store.DynamoUsageTable(stack.dynamo(), table);
            IngestService crashing = new IngestService(new S3ObjectStore(stack.s3()),
                    new CrashingRollupStore(real, k), real, name, work, Clock.systemUTC());
            var upload = new IngestService.Upload(name, JSONL_KEY, Optional.of(etag), Optional.of("0001"));
            assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> crashing.ingest(upload));

            // when the event is delivered again to a healthy function
            new IngestService(new S3ObjectStore(stack.s3()), real, real, name, work, Clock.systemUTC()).ingest(upload);

            // then every number is that of one clean run
            assertEquals(SAMPLE_JSONL, rollups(real), "crash after " + k + " writes");
        }
    }

    @Test
    void ingest_shouldReplaceTheOldContent_whenANewVersionOfTheKeyArrives() {
        // given the JSON Lines sample ingested under one key
        String first = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));
        deliver(JSONL_KEY, first, "0001");

        // when the same key is overwritten with only the 2026-11-03 records
        String onlyThird = new String(TestStack.sample("sample-usage.jsonl"), StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("2026-11-03")).reduce("", (a, b) -> a + b + "\n");
        String second = put(JSONL_KEY, onlyThird.getBytes(StandardCharsets.UTF_8));
        deliver(JSONL_KEY, second, "0002");
        deliver(JSONL_KEY, first, "0001"); // a late duplicate of the first version: superseded

        // then only the new content counts, and the old day's warehouse object is gone
        Map<String, Totals> expected = new TreeMap<>(SAMPLE_JSONL);
        expected.keySet().removeIf(k -> k.startsWith("2026-11-02"));
        assertEquals(expected, rollups(functions.table()));
        assertEquals(List.of(WarehouseLayout.recordsKey(LocalDate.parse("2026-11-03"),
                dev.tokenscope.ingest.Ids.sourceId(name, JSONL_KEY))), keys(WarehouseLayout.RECORDS_PREFIX));
    }

    @Test
    void ingest_shouldQuarantineBadLinesAndKeepTheRest_whenACsvHasErrors() {
        // given
        String etag = put(CSV_KEY, TestStack.sample("sample-usage-with-errors.csv"));

        // when
        deliver(CSV_KEY, etag, "0001");

        // then
        assertRollups(SAMPLE_CSV);
        UploadStatus status = functions.table().status(dev.tokenscope.ingest.Ids.sourceId(name, CSV_KEY)).orElseThrow();
        assertEquals(5, status.recordsRead());
        assertEquals(3, status.recordsKept());
        assertEquals(2, status.recordsQuarantined());
        String quarantine = text(status.quarantineKey().orElseThrow());
        List<String> lines = quarantine.lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"line\":3") && lines.get(0).contains("prompt_tokens"), lines.get(0));
        assertTrue(lines.get(1).contains("\"line\":5") && lines.get(1).contains("timestamp"), lines.get(1));
        assertTrue(lines.get(0).contains("s3://" + name + "/" + CSV_KEY), lines.get(0));
    }

    @Test
    void recompute_shouldEqualTheOnlineRollups_whenRebuiltFromTheWarehouseWithDuckDb() {
        // given both samples ingested online
        deliver(JSONL_KEY, put(JSONL_KEY, TestStack.sample("sample-usage.jsonl")), "0001");
        deliver(CSV_KEY, put(CSV_KEY, TestStack.sample("sample-usage-with-errors.csv")), "0001");
        Map<String, Totals> expected = new TreeMap<>(SAMPLE_JSONL);
        SAMPLE_CSV.forEach((k, v) -> expected.merge(k, v, Totals::plus));
        assertEquals(expected, rollups(functions.table()));
        Map<String, Totals> online = everyDimension(functions.table());
        assertTrue(online.keySet().stream().filter(k -> k.startsWith(TokenHistogram.DIMENSION + "|")).count() > 1,
                "the request-shape items are compared too");
        RecomputeService recompute = functions.recomputeService();
        QueryEngine.Window window = new QueryEngine.Window(FROM, TO);

        // when recomputed over the online state, then with every rollup item deleted
        RecomputeService.Result over = recompute.recompute(window);
        deleteRollupItems();
        RecomputeService.Result rebuilt = recompute.recompute(window);
        RecomputeService.Result again = recompute.recompute(window);

        // then the rebuilt rollups equal the online ones exactly in every dimension, and a second run changes
        // nothing
        assertEquals(online.size(), over.rows());
        assertEquals(online.size(), over.unchanged());
        assertEquals(online.size(), rebuilt.written());
        assertEquals(online, everyDimension(functions.table()));
        assertEquals(0, again.written());
        assertEquals(online.size(), again.unchanged());
    }

    @Test
    void recompute_shouldKeepCountingExactlyOnce_whenAnUploadIsRedeliveredAfterARebuild() {
        // given an upload rebuilt from the warehouse after its rollups were lost
        String etag = put(JSONL_KEY, TestStack.sample("sample-usage.jsonl"));
        deliver(JSONL_KEY, etag, "0001");
        deleteRollupItems();
        functions.recomputeService().recompute(new QueryEngine.Window(FROM, TO));

        // when S3 delivers its event once more
        deleteStatus(JSONL_KEY);
        deliver(JSONL_KEY, etag, "0001");

        // then the rebuilt items refuse the delta they already hold
        assertRollups(SAMPLE_JSONL);
    }

    @Test
    void recent_shouldListEachUploadOnceNewestFirst_whenUploadsAreDeliveredAndRedelivered() {
        // given
        deliver(JSONL_KEY, put(JSONL_KEY, TestStack.sample("sample-usage.jsonl")), "0001");
        String csvEtag = put(CSV_KEY, TestStack.sample("sample-usage-with-errors.csv"));
        deliver(CSV_KEY, csvEtag, "0001");
        deliver(CSV_KEY, csvEtag, "0001");

        // when
        List<UploadStatus> recent = functions.table().recent(10);

        // then
        assertEquals(List.of(CSV_KEY, JSONL_KEY), recent.stream().map(UploadStatus::key).toList());
        assertEquals(2, recent.get(0).recordsQuarantined());
        assertEquals(UploadStatus.State.COMPLETE, recent.get(1).state());
        assertEquals(1, functions.table().recent(1).size());
    }

    // --- helpers ---

    private void assertRollups(Map<String, Totals> expected) {
        assertEquals(new TreeMap<>(expected), rollups(functions.table()));
    }

    /** The non-empty model rollups as "day|model" -> totals, cost compared by value. */
    private static Map<String, Totals> rollups(RollupStore store) {
        Map<String, Totals> result = new TreeMap<>();
        for (StoredRollup r : store.query(RollupKey.MODEL, FROM, TO)) {
            if (!r.totals().isZero()) {
                result.put(r.key().day() + "|" + r.key().value(), byValue(r.totals()));
            }
        }
        return result;
    }

    /** The non-empty rollups of every dimension as "dimension|day|value" -> totals. */
    private static Map<String, Totals> everyDimension(RollupStore store) {
        Map<String, Totals> result = new TreeMap<>();
        for (String dimension : Dimension.storedIds()) {
            for (StoredRollup r : store.query(dimension, FROM, TO)) {
                if (!r.totals().isZero()) {
                    result.put(dimension + "|" + r.key().day() + "|" + r.key().value(), byValue(r.totals()));
                }
            }
        }
        return result;
    }

    private static Totals byValue(Totals t) {
        return new Totals(t.requests(), t.promptTokens(), t.completionTokens(), t.reasoningTokens(),
                t.cacheReadTokens(), t.cacheWriteTokens(), t.costUsd().stripTrailingZeros(), t.pricedRequests(),
                t.toolCallRequests(), t.pricedTokens(), t.longPromptRequests(), t.shape());
    }

    private static Totals totals(long requests, long prompt, long completion, long reasoning, long cacheRead,
                                 long cacheWrite, String cost, long priced, long tools) {
        return byValue(dev.tokenscope.testing.Fixtures.totals(requests, prompt, completion, reasoning, cacheRead,
                cacheWrite, cost, priced, tools));
    }

    private String put(String key, byte[] body) {
        return stack.s3().putObject(b -> b.bucket(name).key(key), RequestBody.fromBytes(body)).eTag()
                .replace("\"", "");
    }

    private void deliver(String key, String etag, String sequencer) {
        functions.ingest().handleRequest(LocalEvents.objectCreated(name, key, 0, etag, sequencer), null);
    }

    private List<String> keys(String prefix) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(name).prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }

    private String text(String key) {
        return stack.s3().getObjectAsBytes(b -> b.bucket(name).key(key)).asUtf8String();
    }

    private String gunzip(String key) throws IOException {
        byte[] gz = stack.s3().getObjectAsBytes(b -> b.bucket(name).key(key)).asByteArray();
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void deleteRollupItems() {
        for (Map<String, AttributeValue> item : stack.dynamo().scanPaginator(b -> b.tableName(name)).items()) {
            if (item.get("pk").s().startsWith("R#")) {
                stack.dynamo().deleteItem(b -> b.tableName(name).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
            }
        }
    }

    private void deleteStatus(String key) {
        stack.dynamo().deleteItem(b -> b.tableName(name).key(Map.of(
                "pk", AttributeValue.builder().s("U#" + dev.tokenscope.ingest.Ids.sourceId(name, key)).build(),
                "sk", AttributeValue.builder().s("STATUS").build())));
    }
}
