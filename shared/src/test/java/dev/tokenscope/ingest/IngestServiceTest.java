package dev.tokenscope.ingest;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.UploadStatus;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "tokenscope-test";
    private static final String KEY = "logs/2026/11/sample-usage.jsonl";
    private static final String CSV_KEY = "logs/2026/11/sample-usage-with-errors.csv";
    private static final String SEQ_1 = "0055AED6DCD90281E5";
    private static final String SEQ_2 = "0055AED6DCD90281F0";
    private static final Instant NOW = Instant.parse("2026-11-05T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String PROMPT_IN_SAMPLE = "How do I reset my password?";

    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);
    private static final LocalDate NOV_4 = LocalDate.of(2026, 11, 4);

    private static RollupKey key(LocalDate day, String model) {
        return new RollupKey(RollupKey.MODEL, day, model);
    }

    /** events/sample-usage.jsonl worked out by hand: see Fixtures.SAMPLE_JSONL_TOTALS. */
    private static final Map<RollupKey, Totals> SAMPLE_TOTALS = Fixtures.SAMPLE_JSONL_TOTALS;

    /** A second version of KEY: one record on 2026-11-02 and one on 2026-11-04, nothing on 2026-11-03. */
    private static final byte[] VERSION_2 = Fixtures.utf8(
            "{\"request_id\":\"v2-1\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"qwen/qwen3-coder\","
            + "\"prompt_tokens\":100,\"completion_tokens\":10,\"cost_usd\":0.0001,\"prompt\":\"" + PROMPT_IN_SAMPLE
            + "\"}\n"
            + "{\"request_id\":\"v2-2\",\"timestamp\":\"2026-11-04T10:00:00Z\",\"model\":\"OpenAI/GPT-4o-mini\","
            + "\"prompt_tokens\":50,\"completion_tokens\":5,\"cost_usd\":\"0.00002\",\"finish_reason\":\"tool_calls\"}\n");

    /** VERSION_2 by hand: each key holds one record; the second ends in a tool call. */
    private static final Map<RollupKey, Totals> VERSION_2_TOTALS = Map.of(
            key(NOV_2, "qwen/qwen3-coder"), totals(1, 100, 10, 0, 0, 0, "0.0001", 1, 0),
            key(NOV_4, "openai/gpt-4o-mini"), totals(1, 50, 5, 0, 0, 0, "0.00002", 1, 1));

    @TempDir
    Path scratch;
    @TempDir
    Path otherScratch;

    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryStatusStore statuses = new InMemoryStatusStore();
    private final String sourceId = Ids.sourceId(BUCKET, KEY);

    private String put(String key, byte[] bytes) {
        objects.put(BUCKET, key, bytes, "application/octet-stream");
        return InMemoryObjectStore.md5Hex(bytes);
    }

    /** How many rollup items one clean ingest of these bytes makes, in a store of its own. */
    private int itemsOf(byte[] bytes) throws IOException {
        InMemoryObjectStore own = new InMemoryObjectStore();
        own.put(BUCKET, KEY, bytes, "application/octet-stream");
        InMemoryRollupStore store = new InMemoryRollupStore();
        new IngestService(own, store, new InMemoryStatusStore(), BUCKET, Files.createTempDirectory(otherScratch, "own"),
                CLOCK).ingest(new IngestService.Upload(BUCKET, KEY, Optional.empty(), Optional.empty()));
        return store.all().size();
    }

    private UploadStatus ingest(RollupStore store, String key, String etag, String sequencer) {
        return new IngestService(objects, store, statuses, BUCKET, scratch, CLOCK)
                .ingest(new IngestService.Upload(BUCKET, key, Optional.ofNullable(etag),
                        Optional.ofNullable(sequencer)));
    }

    private UploadStatus ingest(String key, String etag, String sequencer) {
        return ingest(rollups, key, etag, sequencer);
    }

    private String dayKey(LocalDate day) {
        return "warehouse/records/day=" + day + "/" + sourceId + ".json.gz";
    }

    private List<JsonNode> warehouseLines(String key) throws IOException {
        String text = Fixtures.gunzip(objects.get(BUCKET, key).orElseThrow().bytes());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private List<String> scratchFiles() throws IOException {
        try (Stream<Path> files = Files.list(scratch)) {
            return files.map(Path::toString).toList();
        }
    }

    // ---- one upload

    @Test
    void ingest_shouldWriteExactRollupsPerDayAndModel_whenSampleJsonlIsUploadedOnce() {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        ingest(KEY, etag, SEQ_1);

        // then
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(rollups.all().size(), rollups.writes(), "one write per rollup item");
    }

    @Test
    void ingest_shouldRollUpByContinentAndToolUse_whenSampleJsonlIsUploadedOnce() {
        // given: the sample by hand: US and DE on Nov 2, IN and BR on Nov 3; of the Claude requests one was
        // offered tools and one called one, the last DeepSeek request called one, the rest offered none
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        ingest(KEY, etag, SEQ_1);

        // then: requests, prompt and completion tokens per value
        assertEquals(Map.of(
                new RollupKey("continent", NOV_2, "north_america"), List.of(2L, 2710L, 405L),
                new RollupKey("continent", NOV_2, "europe"), List.of(2L, 13400L, 3220L),
                new RollupKey("continent", NOV_3, "asia"), List.of(2L, 1340L, 210L),
                new RollupKey("continent", NOV_3, "south_america"), List.of(2L, 4000L, 6000L)),
                tokens(rollups.nonZeroTotals("continent")));
        assertEquals(Map.of(
                new RollupKey("tool_use", NOV_2, "offered"), List.of(1L, 1200L, 310L),
                new RollupKey("tool_use", NOV_2, "called"), List.of(1L, 1510L, 95L),
                new RollupKey("tool_use", NOV_2, "none"), List.of(2L, 13400L, 3220L),
                new RollupKey("tool_use", NOV_3, "none"), List.of(3L, 3440L, 3510L),
                new RollupKey("tool_use", NOV_3, "called"), List.of(1L, 1900L, 2700L)),
                tokens(rollups.nonZeroTotals("tool_use")));
    }

    private static Map<RollupKey, List<Long>> tokens(Map<RollupKey, Totals> totals) {
        Map<RollupKey, List<Long>> result = new TreeMap<>();
        totals.forEach((k, t) -> result.put(k, List.of(t.requests(), t.promptTokens(), t.completionTokens())));
        return result;
    }

    @Test
    void ingest_shouldRecordCountsInTheStatus_whenSampleJsonlIsUploadedOnce() throws IOException {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        UploadStatus status = ingest(KEY, etag, SEQ_1);

        // then: 8 lines read and kept; 4 rollup keys, one write each
        String uploadId = Ids.uploadId(BUCKET, KEY, etag, SEQ_1);
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(sourceId, status.sourceId());
        assertEquals(BUCKET, status.bucket());
        assertEquals(KEY, status.key());
        assertEquals(etag, status.etag());
        assertEquals(uploadId, status.uploadId());
        assertEquals(8, status.recordsRead());
        assertEquals(8, status.recordsKept());
        assertEquals(0, status.recordsQuarantined());
        assertEquals(List.of(), status.errors());
        assertEquals(Optional.empty(), status.quarantineKey());
        assertEquals(rollups.all().size(), status.rollupItems());
        assertEquals(rollups.all().size(), status.rollupWrites());
        assertEquals(NOW, status.startedAt());
        assertEquals(Optional.of(NOW), status.finishedAt());
        assertEquals(Set.of("parse_ms", "warehouse_ms", "rollup_ms", "total_ms"), status.timingsMs().keySet());
        assertEquals(Optional.of(status), statuses.status(sourceId));
        assertEquals(List.of(UploadStatus.State.PROCESSING, UploadStatus.State.COMPLETE),
                statuses.history().stream().map(UploadStatus::state).toList());
        for (StoredRollup item : rollups.all()) {
            assertEquals(Set.of(uploadId), item.applied());
            assertEquals(1, item.revision());
        }
        assertEquals(List.of(), scratchFiles());
    }

    @Test
    void ingest_shouldWriteOneGzipJsonLinesObjectPerUtcDay_whenRecordsSpanTwoDays() throws IOException {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        ingest(KEY, etag, SEQ_1);

        // then
        assertEquals(List.of(dayKey(NOV_2), dayKey(NOV_3)), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        List<JsonNode> day2 = warehouseLines(dayKey(NOV_2));
        List<JsonNode> day3 = warehouseLines(dayKey(NOV_3));
        assertEquals(List.of("req-0001", "req-0002", "req-0003", "req-0004"),
                day2.stream().map(n -> n.get("request_id").asText()).toList());
        assertEquals(List.of("req-0005", "req-0006", "req-0007", "req-0008"),
                day3.stream().map(n -> n.get("request_id").asText()).toList());
    }

    @Test
    void ingest_shouldWriteEveryWarehouseColumn_whenWritingARecord() throws IOException {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        ingest(KEY, etag, SEQ_1);

        // then: the fields are the Glue table's columns, in order
        List<JsonNode> day3 = warehouseLines(dayKey(NOV_3));
        JsonNode req8 = day3.get(3);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = req8.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(WarehouseLayout.COLUMNS.stream().map(WarehouseLayout.Column::name).toList(), names);
        assertEquals(Ids.uploadId(BUCKET, KEY, etag, SEQ_1), req8.get("upload_id").asText());
        assertEquals(KEY, req8.get("source_key").asText());
        assertEquals(8, req8.get("source_line").asLong());
        assertEquals("2026-11-03T10:05:00Z", req8.get("ts").asText());
        assertEquals("deepseek/deepseek-reasoner", req8.get("model").asText());
        assertEquals("DeepSeek/DeepSeek-Reasoner", req8.get("model_raw").asText());
        assertEquals(1900, req8.get("prompt_tokens").asLong());
        assertEquals(2700, req8.get("completion_tokens").asLong());
        assertEquals(2000, req8.get("reasoning_tokens").asLong());
        assertEquals(0, new java.math.BigDecimal("0.006963").compareTo(req8.get("cost_usd").decimalValue()));
        assertEquals("tool_calls", req8.get("finish_reason").asText());
        assertTrue(req8.get("tool_called").asBoolean());
        assertTrue(req8.get("tools_offered").asBoolean());
        assertEquals("BR", req8.get("country").asText());
        assertEquals("south_america", req8.get("continent").asText());
        assertTrue(req8.get("latency_ms").isNull());
        assertTrue(req8.get("account_id").isNull());
        JsonNode req6 = day3.get(1);
        assertEquals("2026-11-03T07:30:00Z", req6.get("ts").asText());
        // no logged cost: the catalog's gpt-4o-mini price, 700 x 0.00000015 + 90 x 0.0000006
        assertEquals(0, new java.math.BigDecimal("0.000159").compareTo(req6.get("cost_usd").decimalValue()));
        assertEquals("catalog", req6.get("cost_source").asText());
        assertEquals("logged", req8.get("cost_source").asText());
        assertEquals("stop", req6.get("finish_reason").asText());
        JsonNode req1 = warehouseLines(dayKey(NOV_2)).get(0);
        assertEquals("support", req1.get("tags").get("team").asText());
        assertEquals("stop", req1.get("finish_reason").asText());
        assertFalse(req1.get("tool_called").asBoolean());
    }

    @Test
    void ingest_shouldWriteTheKeyedHashAndText_whenTheUserTurnedThemOn() throws IOException {
        // given: a hash key and text storage on; the expected HMAC-SHA256 computed outside Java
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        IngestService withPrompts = new IngestService(objects, rollups, statuses, BUCKET, scratch, CLOCK,
                FormatRegistry.standard(Map.of()), Limits.DEFAULT,
                new Enricher(dev.tokenscope.catalog.ModelCatalog.builtIn()),
                PromptStorage.of("test-key-0123456789abcdef", true));

        // when
        withPrompts.ingest(new IngestService.Upload(BUCKET, KEY, Optional.of(etag), Optional.of(SEQ_1)));

        // then: req-0001 has both; a record without a prompt has neither
        JsonNode req1 = warehouseLines(dayKey(NOV_2)).get(0);
        assertEquals("356a59e5c2e8cf99a506e497c999a0aeea8b079cef84fd6693f6e7bb45bec992",
                req1.get("prompt_hash").asText());
        assertEquals(PROMPT_IN_SAMPLE, req1.get("prompt_text").asText());
        JsonNode noPrompt = warehouseLines(dayKey(NOV_3)).get(0);
        assertTrue(noPrompt.get("prompt_hash").isNull());
        assertTrue(noPrompt.get("prompt_text").isNull());
    }

    @Test
    void ingest_shouldNeverWriteThePromptToTheWarehouse_whenRecordsCarryPrompts() throws IOException {
        // given: req-0001 carries the prompt "How do I reset my password?"
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        ingest(KEY, etag, SEQ_1);

        // then
        for (String key : objects.keys(BUCKET, "")) {
            if (key.equals(KEY)) {
                continue;
            }
            byte[] bytes = objects.get(BUCKET, key).orElseThrow().bytes();
            String text = key.endsWith(".gz") ? Fixtures.gunzip(bytes) : new String(bytes);
            assertFalse(text.contains(PROMPT_IN_SAMPLE), key);
            assertFalse(text.contains("\"prompt\""), key);
        }
    }

    // ---- bad lines

    @Test
    void ingest_shouldKeepGoodRowsAndCountBadOnes_whenCsvHasErrors() {
        // given: 5 rows on lines 2..6; line 3 has prompt_tokens 'lots', line 5 has no timestamp
        String etag = put(CSV_KEY, Fixtures.resource(Fixtures.SAMPLE_CSV));

        // when
        UploadStatus status = ingest(CSV_KEY, etag, SEQ_1);

        // then: nova-lite keeps csv-0001 (900/150, 0.000090) and csv-0003 (1100/210, 0.000116):
        // 900+1100=2000, 150+210=360, 0.000090+0.000116=0.000206; gpt-4o-mini keeps csv-0005 (300/40, 0.000069)
        assertSameTotals(Map.of(
                key(NOV_4, "amazon.nova-lite-v1:0"), totals(2, 2000, 360, 0, 0, 0, "0.000206", 2, 0),
                key(NOV_4, "openai/gpt-4o-mini"), totals(1, 300, 40, 0, 0, 0, "0.000069", 1, 0)),
                rollups.nonZeroTotals(RollupKey.MODEL));
        String file = "s3://" + BUCKET + "/" + CSV_KEY;
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(5, status.recordsRead());
        assertEquals(3, status.recordsKept());
        assertEquals(2, status.recordsQuarantined());
        assertEquals(List.of(
                file + ":3: field 'prompt_tokens' must be a whole number, got 'lots'",
                file + ":5: missing field 'timestamp'"), status.errors());
        assertEquals(Optional.of("quarantine/" + Ids.sourceId(BUCKET, CSV_KEY) + ".jsonl"), status.quarantineKey());
        assertEquals(rollups.all().size(), status.rollupItems());
    }

    @Test
    void ingest_shouldWriteOneQuarantineLinePerBadLine_whenLinesAreBad() throws IOException {
        // given
        String etag = put(CSV_KEY, Fixtures.resource(Fixtures.SAMPLE_CSV));

        // when
        UploadStatus status = ingest(CSV_KEY, etag, SEQ_1);

        // then
        String text = objects.get(BUCKET, status.quarantineKey().orElseThrow()).orElseThrow().text();
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        String file = "s3://" + BUCKET + "/" + CSV_KEY;
        assertEquals(JSON.createObjectNode().put("file", file).put("line", 3)
                .put("reason", "field 'prompt_tokens' must be a whole number, got 'lots'"), JSON.readTree(lines[0]));
        assertEquals(JSON.createObjectNode().put("file", file).put("line", 5)
                .put("reason", "missing field 'timestamp'"), JSON.readTree(lines[1]));
    }

    @Test
    void ingest_shouldNotCopyThePromptIntoQuarantine_whenABadLineHoldsAPrompt() throws IOException {
        // given
        String key = "logs/secret.jsonl";
        byte[] content = Fixtures.utf8(
                "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt_tokens\":5,\"prompt\":\"GOOD SECRET\"}\n"
                + "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"m\",\"prompt_tokens\":\"many\","
                + "\"prompt\":\"BAD SECRET\"}\n"
                + "{\"prompt\":\"NO MODEL SECRET\"}\n");
        String etag = put(key, content);

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then
        String quarantine = objects.get(BUCKET, status.quarantineKey().orElseThrow()).orElseThrow().text();
        assertEquals(2, quarantine.split("\n").length);
        assertFalse(quarantine.contains("SECRET"), quarantine);
        assertTrue(quarantine.contains("\"line\":2"), quarantine);
        assertTrue(quarantine.contains("\"line\":3"), quarantine);
        String warehouse = Fixtures.gunzip(objects.get(BUCKET,
                "warehouse/records/day=2026-11-02/" + Ids.sourceId(BUCKET, key) + ".json.gz").orElseThrow().bytes());
        assertEquals(1, warehouse.split("\n").length);
        assertFalse(warehouse.contains("SECRET"), warehouse);
        assertSameTotals(Map.of(key(NOV_2, "m"), totals(1, 5, 0, 0, 0, 0, "0", 0, 0)), rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @Test
    void ingest_shouldCapErrorsInTheStatusButQuarantineAll_whenThereAreManyBadLines() throws IOException {
        // given: 25 lines without a model
        String key = "logs/bad.jsonl";
        String etag = put(key, Fixtures.utf8("{\"timestamp\":\"2026-11-02T10:00:00Z\"}\n".repeat(25)));

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then
        assertEquals(25, status.recordsQuarantined());
        assertEquals(IngestService.ERRORS_IN_STATUS, status.errors().size());
        assertEquals("s3://" + BUCKET + "/" + key + ":20: missing field 'model'", status.errors().get(19));
        assertEquals(25, objects.get(BUCKET, status.quarantineKey().orElseThrow()).orElseThrow().text()
                .split("\n").length);
        assertEquals(List.of(), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        assertEquals(0, status.rollupItems());
    }

    @Test
    void ingest_shouldDeleteTheOldQuarantine_whenNewVersionHasNoBadLines() {
        // given
        String oldEtag = put(CSV_KEY, Fixtures.resource(Fixtures.SAMPLE_CSV));
        String quarantineKey = ingest(CSV_KEY, oldEtag, SEQ_1).quarantineKey().orElseThrow();
        String newEtag = put(CSV_KEY, Fixtures.utf8("timestamp,model\n2026-11-04T00:00:00Z,m\n"));

        // when
        UploadStatus status = ingest(CSV_KEY, newEtag, SEQ_2);

        // then
        assertEquals(Optional.empty(), status.quarantineKey());
        assertEquals(Optional.empty(), objects.get(BUCKET, quarantineKey));
        assertSameTotals(Map.of(key(NOV_4, "m"), totals(1, 0, 0, 0, 0, 0, "0", 0, 0)), rollups.nonZeroTotals(RollupKey.MODEL));
    }

    // ---- exactly once

    @Test
    void ingest_shouldCountOnce_whenTheSameUploadIsDeliveredThreeTimes() {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        UploadStatus first = ingest(KEY, etag, SEQ_1);
        UploadStatus second = ingest(KEY, etag, SEQ_1);
        UploadStatus third = ingest(KEY, etag, SEQ_1);

        // then
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(rollups.all().size(), rollups.writes(), "one write per rollup item");
        assertEquals(UploadStatus.State.COMPLETE, third.state());
        assertEquals(first, second);
        assertEquals(first, third);
        assertEquals(UploadStatus.State.COMPLETE, statuses.status(sourceId).orElseThrow().state());
    }

    @Test
    void ingest_shouldAcceptTheEtag_whenTheEventQuotesIt() {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        UploadStatus status = ingest(KEY, "\"" + etag + "\"", SEQ_1);

        // then
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @ParameterizedTest(name = "crash after {0} of 4 writes")
    @ValueSource(ints = {0, 1, 2, 3})
    void ingest_shouldEqualACleanRun_whenKilledAfterKRollupWritesAndRetried(int k) throws IOException {
        // given: the sample needs 4 rollup writes (4 keys)
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        CrashingRollupStore crashing = new CrashingRollupStore(rollups, k);
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> ingest(crashing, KEY, etag, SEQ_1));
        assertEquals(k, rollups.writes());
        // an exception is recorded as FAILED (a killed process would leave PROCESSING: the retry is the same)
        assertEquals(UploadStatus.State.FAILED, statuses.status(sourceId).orElseThrow().state());

        // when: Lambda retries the event on a fresh instance
        UploadStatus retried = ingest(rollups, KEY, etag, SEQ_1);

        // then
        assertEquals(UploadStatus.State.COMPLETE, retried.state());
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(rollups.all().size(), rollups.writes(), "one write per rollup item");
        assertEquals(List.of(dayKey(NOV_2), dayKey(NOV_3)), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        assertEquals(List.of(), scratchFiles());
    }

    // ---- new versions

    @Test
    void ingest_shouldReplaceTheOldVersion_whenANewVersionOfTheKeyArrives() throws IOException {
        // given
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        String upload1 = ingest(KEY, etag1, SEQ_1).uploadId();
        String etag2 = put(KEY, VERSION_2);

        // when
        UploadStatus status = ingest(KEY, etag2, SEQ_2);

        // then: a retraction per item of version 1, then version 2's deltas
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(itemsOf(Fixtures.resource(Fixtures.SAMPLE_JSONL)) + itemsOf(VERSION_2), status.rollupWrites());
        assertEquals(itemsOf(VERSION_2), status.rollupItems());
        assertSameTotals(VERSION_2_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(Set.of(upload1, "-" + upload1, status.uploadId()),
                rollups.item(key(NOV_2, "qwen/qwen3-coder")).orElseThrow().applied());
        assertEquals(List.of(dayKey(NOV_2), dayKey(NOV_4)), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        assertEquals(List.of("v2-1"), warehouseLines(dayKey(NOV_2)).stream()
                .map(n -> n.get("request_id").asText()).toList());
        UploadManifest manifest = UploadManifest.fromJson(
                objects.get(BUCKET, WarehouseLayout.manifestKey(sourceId)).orElseThrow().bytes());
        assertEquals(1, manifest.uploads().size());
        assertEquals(status.uploadId(), manifest.uploads().get(0).uploadId());
        assertTrue(manifest.uploads().get(0).complete());
    }

    @ParameterizedTest(name = "crash after {0} writes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void ingest_shouldEqualACleanReplacement_whenKilledHalfWayThroughAndRetried(int k) throws IOException {
        // given: version 1 counted; replacing it retracts each of its items and applies version 2's
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        ingest(KEY, etag1, SEQ_1);
        String etag2 = put(KEY, VERSION_2);
        CrashingRollupStore crashing = new CrashingRollupStore(rollups, k);
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> ingest(crashing, KEY, etag2, SEQ_2));

        // when
        UploadStatus retried = ingest(rollups, KEY, etag2, SEQ_2);

        // then
        assertEquals(UploadStatus.State.COMPLETE, retried.state());
        assertSameTotals(VERSION_2_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(2 * itemsOf(Fixtures.resource(Fixtures.SAMPLE_JSONL)) + itemsOf(VERSION_2), rollups.writes());
        assertEquals(List.of(dayKey(NOV_2), dayKey(NOV_4)), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        assertEquals(List.of(), scratchFiles());
    }

    @Test
    void ingest_shouldCountTheNewVersionOnce_whenAThirdVersionArrivesBeforeTheCrashedSecondIsRetried() {
        // given: version 2 crashed after 5 of its 6 writes (all retractions, one of two new deltas)
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        ingest(KEY, etag1, SEQ_1);
        String etag2 = put(KEY, VERSION_2);
        assertThrows(CrashingRollupStore.SimulatedCrash.class,
                () -> ingest(new CrashingRollupStore(rollups, 5), KEY, etag2, SEQ_2));
        byte[] version3 = Fixtures.utf8("{\"timestamp\":\"2026-11-03T01:00:00Z\",\"model\":\"x\",\"prompt_tokens\":7}\n");
        String etag3 = put(KEY, version3);

        // when: version 3's event, then the late retry of version 2's
        UploadStatus third = ingest(KEY, etag3, "0055AED6DCD9028200");
        UploadStatus lateSecond = ingest(KEY, etag2, SEQ_2);

        // then
        assertEquals(UploadStatus.State.COMPLETE, third.state());
        assertEquals(UploadStatus.State.SUPERSEDED, lateSecond.state());
        assertSameTotals(Map.of(key(NOV_3, "x"), totals(1, 7, 0, 0, 0, 0, "0", 0, 0)),
                rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(List.of(dayKey(NOV_3)), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
    }

    @Test
    void ingest_shouldKeepTheTotals_whenTheSameBytesArePutAgain() throws IOException {
        // given: a second PUT of identical bytes is a new upload (new sequencer), same ETag
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        ingest(KEY, etag, SEQ_1);

        // when
        UploadStatus again = ingest(KEY, etag, SEQ_2);

        // then: a retraction and a delta per item, same totals
        assertEquals(UploadStatus.State.COMPLETE, again.state());
        assertEquals(2 * itemsOf(Fixtures.resource(Fixtures.SAMPLE_JSONL)), again.rollupWrites());
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    @Test
    void ingest_shouldReplaceTheOldVersion_whenTheNewVersionsEventComesAfterAnIngestWithoutSequencer() {
        // given: version 1 ingested by a manual invocation (no sequencer: the ETag stands in for it)
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        assertEquals(UploadStatus.State.COMPLETE, ingest(KEY, etag1, null).state());
        String etag2 = put(KEY, VERSION_2);

        // when: S3's event for a new PUT of the key
        UploadStatus status = ingest(KEY, etag2, SEQ_2);

        // then: the new version is counted, not refused as older than an ETag
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertSameTotals(VERSION_2_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    // ---- stale and late events

    @Test
    void ingest_shouldBeSupersededAndChangeNothing_whenTheEventEtagIsNotTheObjectsEtag() {
        // given: version 1 counted, then the object replaced by version 2
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        UploadStatus counted = ingest(KEY, etag1, SEQ_1);
        put(KEY, VERSION_2);
        List<String> keysBefore = objects.keys(BUCKET, "");
        List<StoredRollup> before = rollups.all();

        // when: version 1's event delivered again
        UploadStatus stale = ingest(KEY, etag1, SEQ_1);

        // then
        assertEquals(UploadStatus.State.SUPERSEDED, stale.state());
        assertEquals(etag1, stale.etag());
        assertEquals(0, stale.recordsRead());
        assertEquals(before, rollups.all());
        assertEquals(keysBefore, objects.keys(BUCKET, ""));
        assertEquals(Optional.of(counted), statuses.status(sourceId));
    }

    @Test
    void ingest_shouldBeSupersededAndWriteNothing_whenTheFirstEventIsAlreadyStale() {
        // given: the object was replaced before its first event was handled
        put(KEY, VERSION_2);
        String oldEtag = InMemoryObjectStore.md5Hex(Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        UploadStatus stale = ingest(KEY, oldEtag, SEQ_1);

        // then
        assertEquals(UploadStatus.State.SUPERSEDED, stale.state());
        assertEquals(List.of(), rollups.all());
        assertEquals(List.of(KEY), objects.keys(BUCKET, ""));
        assertEquals(Optional.empty(), statuses.status(sourceId));
    }

    @Test
    void ingest_shouldBeSuperseded_whenALateEventHasAnOlderSequencer() {
        // given: the same bytes PUT twice; the later PUT's event (SEQ_2) is handled first
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        UploadStatus newer = ingest(KEY, etag, SEQ_2);
        int writes = rollups.writes();

        // when: the earlier PUT's event arrives late
        UploadStatus late = ingest(KEY, etag, SEQ_1);

        // then
        assertEquals(UploadStatus.State.SUPERSEDED, late.state());
        assertEquals(writes, rollups.writes());
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(Optional.of(newer), statuses.status(sourceId));
    }

    @Test
    void ingest_shouldBeSuperseded_whenTheObjectNoLongerExists() {
        // given: nothing under the key

        // when
        UploadStatus status = ingest(KEY, "abc", SEQ_1);

        // then
        assertEquals(UploadStatus.State.SUPERSEDED, status.state());
        assertEquals("abc", status.etag());
        assertEquals(List.of(), rollups.all());
    }

    // ---- odd files

    @Test
    void ingest_shouldCompleteWithNothingCounted_whenTheFileIsEmpty() {
        // given
        String key = "logs/empty.jsonl";
        String etag = put(key, new byte[0]);

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then
        assertEquals(UploadStatus.State.COMPLETE, status.state());
        assertEquals(0, status.recordsRead());
        assertEquals(0, status.rollupWrites());
        assertEquals(List.of(), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
    }

    @Test
    void ingest_shouldRejectTheFileWithoutRetrying_whenItsGzipHeaderIsBroken() {
        // given: gzip magic bytes, then garbage (a regression: this threw for Lambda to retry the same bytes, and
        // left the status PROCESSING)
        String key = "logs/broken.jsonl.gz";
        String etag = put(key, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then
        assertEquals(UploadStatus.State.REJECTED, status.state());
        assertEquals(status, statuses.status(status.sourceId()).orElseThrow());
        assertTrue(status.errors().get(0).startsWith("s3://" + BUCKET + "/" + key + ": the file starts as gzip, but"
                + " its gzip header is cut short or corrupt"), status.errors().toString());
        assertEquals(List.of(), rollups.all());
    }

    @Test
    void ingest_shouldReadGzip_whenUploadIsCompressed() {
        // given
        String key = "logs/2026/11/sample-usage.jsonl.gz";
        String etag = put(key, Fixtures.gzip(Fixtures.resource(Fixtures.SAMPLE_JSONL)));

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then
        assertEquals(8, status.recordsKept());
        assertSameTotals(SAMPLE_TOTALS, rollups.nonZeroTotals(RollupKey.MODEL));
    }

    // ---- sequencers

    @Test
    void compareSequencers_shouldCompareAsHexNumbers_whenLengthsDiffer() {
        // given
        String shortHigh = "FF";
        String longLow = "0100";

        // when
        int c = IngestService.compareSequencers(shortHigh, longLow);

        // then: 0xFF < 0x100
        assertTrue(c < 0);
        assertTrue(IngestService.compareSequencers(SEQ_1, SEQ_2) < 0);
        assertTrue(IngestService.compareSequencers(SEQ_2, SEQ_1) > 0);
        assertEquals(0, IngestService.compareSequencers("00AB", "AB"));
    }

    @Test
    void ingest_shouldGiveTheSameRollupsAsSeparateUploads_whenTwoKeysAreIngested() {
        // given: the JSONL and the CSV under two keys add up
        String etag1 = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        String etag2 = put(CSV_KEY, Fixtures.resource(Fixtures.SAMPLE_CSV));

        // when
        ingest(KEY, etag1, SEQ_1);
        ingest(CSV_KEY, etag2, SEQ_1);

        // then
        Map<RollupKey, Totals> expected = new TreeMap<>(SAMPLE_TOTALS);
        expected.put(key(NOV_4, "amazon.nova-lite-v1:0"), totals(2, 2000, 360, 0, 0, 0, "0.000206", 2, 0));
        expected.put(key(NOV_4, "openai/gpt-4o-mini"), totals(1, 300, 40, 0, 0, 0, "0.000069", 1, 0));
        assertSameTotals(expected, rollups.nonZeroTotals(RollupKey.MODEL));
        assertEquals(new TreeSet<>(List.of(dayKey(NOV_2), dayKey(NOV_3),
                "warehouse/records/day=2026-11-04/" + Ids.sourceId(BUCKET, CSV_KEY) + ".json.gz")),
                new TreeSet<>(objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX)));
    }

    // ---- formats

    @Test
    void ingest_shouldRejectTheWholeFileAndCountNothing_whenNoFormatRecognisesIt() {
        // given: prose uploaded under the log prefix
        String key = "logs/notes.txt";
        String etag = put(key, Fixtures.utf8("Meeting notes: tokens went up this week.\n"));

        // when
        UploadStatus status = ingest(key, etag, SEQ_1);

        // then: rejected with the reason, nothing written, and saved for /v1/uploads
        assertEquals(UploadStatus.State.REJECTED, status.state());
        assertTrue(status.errors().get(0).contains("no known format recognises this file"), status.errors().toString());
        assertEquals(0, rollups.writes());
        assertEquals(List.of(), objects.keys(BUCKET, WarehouseLayout.RECORDS_PREFIX));
        assertEquals(UploadStatus.State.REJECTED, statuses.status(Ids.sourceId(BUCKET, key)).orElseThrow().state());
    }

    @Test
    void ingest_shouldSkipWithoutAStatus_whenTheObjectIsABedrockBodyOrPermissionCheck() {
        // given: Bedrock's large-body object and its permission-check object
        String body = "logs/AWSLogs/123456789012/BedrockModelInvocationLogs/us-east-1/2026/11/02/09/data/x.json.gz";
        String check = "logs/AWSLogs/123456789012/BedrockModelInvocationLogs/amazon-bedrock-logs-permission-check";

        // when
        UploadStatus bodyStatus = ingest(body, put(body, Fixtures.utf8("{}")), SEQ_1);
        UploadStatus checkStatus = ingest(check, put(check, Fixtures.utf8("")), SEQ_1);

        // then
        assertEquals(UploadStatus.State.SKIPPED, bodyStatus.state());
        assertEquals(UploadStatus.State.SKIPPED, checkStatus.state());
        assertEquals(Optional.empty(), statuses.status(Ids.sourceId(BUCKET, body)));
        assertEquals(0, rollups.writes());
    }

    @Test
    void ingest_shouldRecordTheFormatItRead_whenTheFileIsCanonical() {
        // given
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));

        // when
        UploadStatus status = ingest(KEY, etag, SEQ_1);

        // then
        assertEquals("canonical", status.format());
    }

    // ---- catalog facts

    @Test
    void ingest_shouldWriteTheCatalogsFactsOfEachModel_whenTheWarehouseRowIsWritten() throws IOException {
        // given: the sample (qwen/qwen3-coder on 2026-11-02) and a model no catalog knows
        String etag = put(KEY, Fixtures.resource(Fixtures.SAMPLE_JSONL));
        String privateKey = "logs/private.jsonl";
        String privateEtag = put(privateKey, Fixtures.utf8(
                "{\"timestamp\":\"2026-11-02T10:00:00Z\",\"model\":\"acme-internal-7\",\"prompt_tokens\":5}\n"));

        // when
        ingest(KEY, etag, SEQ_1);
        ingest(privateKey, privateEtag, SEQ_1);

        // then: Qwen3-Coder is Alibaba's, Chinese, open weights, 480B parameters (large)
        String day = Fixtures.gunzip(objects.get(BUCKET, dayKey(NOV_2)).orElseThrow().bytes());
        String qwen = day.lines().filter(l -> l.contains("\"model\":\"qwen/qwen3-coder\"")).findFirst().orElseThrow();
        assertTrue(qwen.contains("\"model_id\":\"qwen-3-coder\",\"author\":\"alibaba\",\"origin\":\"china\","
                + "\"open_weights\":true,\"size_bucket\":\"large\""), qwen);
        String unknown = Fixtures.gunzip(objects.get(BUCKET, "warehouse/records/day=2026-11-02/"
                + Ids.sourceId(BUCKET, privateKey) + ".json.gz").orElseThrow().bytes());
        assertTrue(unknown.contains("\"model_id\":\"acme-internal-7\",\"author\":\"unknown\",\"origin\":\"unknown\","
                + "\"open_weights\":null,\"size_bucket\":\"unknown\",\"reasoning_model\":null,\"language\":null"),
                unknown);
        // req-0001 asks "How do I reset my password?": English; the text itself is not written
        String first = day.lines().filter(l -> l.contains("\"request_id\":\"req-0001\"")).findFirst().orElseThrow();
        assertTrue(first.contains("\"language\":\"en\""), first);
        assertFalse(first.contains("password"), first);
        // req-0002 logs no prompt: its use case is not guessed
        String second = day.lines().filter(l -> l.contains("\"request_id\":\"req-0002\"")).findFirst().orElseThrow();
        assertTrue(second.contains("\"language\":null,\"category\":\"unclassified\",\"subtag\":null,"
                + "\"category_confidence\":0.0"), second);
    }
}
