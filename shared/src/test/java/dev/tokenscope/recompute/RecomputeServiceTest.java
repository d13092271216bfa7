package dev.tokenscope.recompute;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static dev.tokenscope.testing.Fixtures.totals;
import static dev.tokenscope.store.RetentionStore.Publication.PUBLISHED;
import static dev.tokenscope.store.RetentionStore.Publication.UNCHANGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.ingest.IngestService;
import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.StoredRollup;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.CrashingRollupStore;
import dev.tokenscope.testing.FakeQueryEngine;
import dev.tokenscope.testing.Fixtures;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryPartitionCatalog;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.ForwardingRollupStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import dev.tokenscope.testing.InMemoryStatusStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecomputeServiceTest {

    private static final LocalDate NOV_1 = LocalDate.of(2026, 11, 1);
    private static final LocalDate NOV_2 = LocalDate.of(2026, 11, 2);
    private static final LocalDate NOV_3 = LocalDate.of(2026, 11, 3);
    private static final LocalDate NOV_7 = LocalDate.of(2026, 11, 7);
    private static final QueryEngine.Window WINDOW = new QueryEngine.Window(NOV_1, NOV_7);

    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryRetentionStore retention = new InMemoryRetentionStore();

    private static RollupKey key(LocalDate day, String model) {
        return new RollupKey(RollupKey.MODEL, day, model);
    }

    /** A result row as Athena returns it: every value as text. */
    private static Map<String, String> row(LocalDate day, String model, long requests, long prompt, long completion,
                                           long reasoning, long cacheRead, long cacheWrite, String cost, long priced,
                                           long toolCalls, String uploadIds) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("dimension", RollupKey.MODEL);
        row.put("day", day.toString());
        row.put("value", model);
        row.put("requests", Long.toString(requests));
        row.put("prompt_tokens", Long.toString(prompt));
        row.put("completion_tokens", Long.toString(completion));
        row.put("reasoning_tokens", Long.toString(reasoning));
        row.put("cache_read_tokens", Long.toString(cacheRead));
        row.put("cache_write_tokens", Long.toString(cacheWrite));
        row.put("cost_usd", cost);
        row.put("priced_requests", Long.toString(priced));
        row.put("tool_call_requests", Long.toString(toolCalls));
        // every request of these rows is priced (or none), and none has a prompt over 20K tokens
        row.put("priced_tokens", Long.toString(priced == 0 ? 0 : prompt + completion));
        row.put("long_prompt_requests", "0");
        row.put("upload_ids", uploadIds);
        return row;
    }

    /** The sample's rollups as the SQL over its warehouse objects gives them (decimal(38,10) as text). */
    private static List<Map<String, String>> sampleRows(String uploadId) {
        return List.of(
                row(NOV_2, "anthropic.claude-sonnet-4-20250514-v1:0", 2, 2710, 405, 0, 2000, 0, "0.0142500000", 2, 1,
                        uploadId),
                row(NOV_2, "qwen/qwen3-coder", 2, 13400, 3220, 0, 0, 0, "0.0052560000", 2, 0, uploadId),
                row(NOV_3, "deepseek/deepseek-reasoner", 2, 4000, 6000, 4500, 0, 0, "0.0153780000", 2, 1, uploadId),
                row(NOV_3, "openai/gpt-4o-mini", 2, 1340, 210, 0, 0, 0, "0.0003270000", 2, 0, uploadId));
    }

    @Test
    void recompute_shouldWriteEveryRow_whenTheStoreHasNoItems() {
        // given
        FakeQueryEngine engine = new FakeQueryEngine(sampleRows("u1"));
        RecomputeService service = new RecomputeService(engine, rollups, retention);

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 4, 4, 0, 0, 0, PUBLISHED), result);
        StoredRollup claude = rollups.item(key(NOV_2, "anthropic.claude-sonnet-4-20250514-v1:0")).orElseThrow();
        assertSameTotals(totals(2, 2710, 405, 0, 2000, 0, "0.01425", 2, 1), claude.totals());
        assertEquals(Set.of("u1"), claude.applied());
        assertEquals(1, claude.revision());
        assertEquals(4, rollups.all().size());
    }

    @Test
    void recompute_shouldCompactTheWindowAfterTheRollups_whenGivenACompactor() {
        // given raw records on the 2nd, and an export that notes how many rollups exist when it runs
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put("data", WarehouseLayout.recordsKey(NOV_2, "s1"), new byte[] {1}, "application/gzip");
        List<Integer> rollupsAtExport = new java.util.ArrayList<>();
        ParquetExport export = (days, bucket, prefix) -> rollupsAtExport.add(rollups.all().size());
        WarehouseCompactor compactor = new WarehouseCompactor(objects, "data", export, new InMemoryPartitionCatalog(),
                Clock.fixed(Instant.parse("2026-11-08T03:15:00Z"), ZoneOffset.UTC));
        RecomputeService service = new RecomputeService(new FakeQueryEngine(sampleRows("u1")), rollups, retention,
                Optional.of(compactor), RecomputeLease.inProcess(Clock.systemUTC()));

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then
        assertEquals(4, result.written());
        assertEquals(List.of(NOV_2), result.compaction().orElseThrow().compacted());
        assertEquals(List.of(4), rollupsAtExport);
    }

    @Test
    void recompute_shouldRunTheRollupSqlOverTheWindow_whenCalled() {
        // given
        FakeQueryEngine engine = new FakeQueryEngine(List.of());
        RecomputeService service = new RecomputeService(engine, rollups, retention);

        // when
        service.recompute(WINDOW);

        // then
        List<FakeQueryEngine.Call> calls = engine.calls();
        assertEquals(List.of(SqlFiles.load("rollup_day.sql"), SqlFiles.load("request_shape_day.sql"),
                        SqlFiles.load("retention_cohorts.sql"), SqlFiles.load("retention_identity.sql")),
                calls.stream().map(FakeQueryEngine.Call::sql).toList());
        for (FakeQueryEngine.Call call : calls.subList(0, 2)) {
            assertTrue(call.sql().contains("WHERE day BETWEEN ? AND ?"));
            assertEquals(List.of("2026-11-01", "2026-11-07"), call.parameters());
            assertEquals(WINDOW, call.window());
        }
        // retention reads every day up to the window's end: a cohort starts at a user's first month
        for (FakeQueryEngine.Call call : calls.subList(2, 4)) {
            assertTrue(call.sql().contains("WHERE day <= ?"));
            assertEquals(List.of("2026-11-07"), call.parameters());
            assertEquals(new QueryEngine.Window(LocalDate.of(2000, 1, 1), NOV_7), call.window());
        }
    }

    @Test
    void recompute_shouldPublishTheCohortsOfTheRetentionRows_whenTheQueryAnswers() {
        // given: model m, cohort 2026-09 (month number 2026 * 12 + 8) of 4 users: 1 back in October, 3 in November
        FakeQueryEngine engine = new FakeQueryEngine(List.of()).withRetentionRows(List.of(
                Map.of("model", "m", "cohort", "24320", "k", "0", "users", "4"),
                Map.of("model", "m", "cohort", "24320", "k", "1", "users", "1"),
                Map.of("model", "m", "cohort", "24320", "k", "2", "users", "3")),
                Map.of("user_ids", "3", "account_ids", "1", "requests_without_id", "7"));
        RecomputeService service = new RecomputeService(engine, rollups, retention);

        // when
        RecomputeService.Result first = service.recompute(WINDOW);
        RecomputeService.Result second = service.recompute(WINDOW);

        // then
        assertEquals(PUBLISHED, first.retention());
        assertEquals(UNCHANGED, second.retention());
        RetentionCohorts cohorts = retention.current().orElseThrow();
        assertEquals(NOV_7, cohorts.through());
        assertEquals(new RetentionCohorts.IdentityBasis(3, 1, 7), cohorts.identity());
        RetentionCohorts.Cohort september = cohorts.models().get(0).cohorts().get(0);
        assertEquals(java.time.YearMonth.of(2026, 9), september.month());
        assertEquals(List.of(4L, 1L, 3L), september.active());
        assertTrue(september.boomerang());
    }

    @Test
    void recompute_shouldDoNothingAndSaySo_whenAnotherRunHoldsTheLease() {
        // given another run's lease, taken a minute ago
        Clock now = Clock.fixed(Instant.parse("2026-11-08T03:15:00Z"), ZoneOffset.UTC);
        RecomputeLease lease = RecomputeLease.inProcess(now);
        lease.acquire(java.time.Duration.ofMinutes(16)).orElseThrow();
        FakeQueryEngine engine = new FakeQueryEngine(sampleRows("u1"));
        RecomputeService service = new RecomputeService(engine, rollups, retention, Optional.empty(), lease);

        // when
        RecomputeBusyException e = org.junit.jupiter.api.Assertions.assertThrows(RecomputeBusyException.class,
                () -> service.recompute(WINDOW));

        // then
        assertEquals("another recompute is running (its lease runs out at 2026-11-08T03:31:00Z); this run did nothing",
                e.getMessage());
        assertEquals(List.of(), engine.calls());
        assertEquals(0, rollups.all().size());
    }

    @Test
    void recompute_shouldGiveTheLeaseBack_whenItFails() {
        // given an engine that fails
        RecomputeLease lease = RecomputeLease.inProcess(Clock.systemUTC());
        RecomputeService failing = new RecomputeService(new FakeQueryEngine(window -> {
            throw new IllegalStateException("Athena query failed");
        }), rollups, retention, Optional.empty(), lease);

        // when
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> failing.recompute(WINDOW));

        // then the next run may go
        assertTrue(lease.heldUntil().isEmpty());
        assertTrue(lease.acquire(java.time.Duration.ofMinutes(1)).isPresent());
    }

    @Test
    void recompute_shouldFailAndWriteTheRestOnTheNextRun_whenAWriteFailsPartWay() {
        // given a store that takes two writes and then fails (DynamoDB gone part-way through the run)
        RecomputeLease lease = RecomputeLease.inProcess(Clock.systemUTC());
        RecomputeService failing = new RecomputeService(new FakeQueryEngine(sampleRows("u1")),
                new CrashingRollupStore(rollups, 2), retention, Optional.empty(), lease);

        // when
        org.junit.jupiter.api.Assertions.assertThrows(CrashingRollupStore.SimulatedCrash.class,
                () -> failing.recompute(WINDOW));

        // then the run gave no result (it did not claim the rows were written), two of the four items are there,
        // the lease is free, and the next run writes the other two
        assertEquals(2, rollups.all().size());
        assertTrue(lease.heldUntil().isEmpty());
        RecomputeService.Result next = new RecomputeService(new FakeQueryEngine(sampleRows("u1")), rollups, retention,
                Optional.empty(), lease).recompute(WINDOW);
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 4, 2, 2, 0, 0, PUBLISHED), next);
    }

    @Test
    void rollupSql_shouldComputeEveryDimension_whenReadAgainstTheDimensionList() {
        // given
        String sql = SqlFiles.load("rollup_day.sql");

        // then: each dimension is joined in and given its own value column, and nothing else is
        for (dev.tokenscope.aggregate.Dimension d : dev.tokenscope.aggregate.Dimension.values()) {
            assertTrue(sql.contains("('" + d.id() + "')"), d.id());
            assertTrue(sql.contains("WHEN '" + d.id() + "' THEN v_" + d.id() + "\n"), d.id());
        }
        assertEquals(dev.tokenscope.aggregate.Dimension.values().length, sql.split("THEN v_", -1).length - 1);
    }

    @Test
    void recompute_shouldWriteNothing_whenRunASecondTime() {
        // given
        RecomputeService service = new RecomputeService(new FakeQueryEngine(sampleRows("u1,u2")), rollups,
                retention);
        service.recompute(WINDOW);
        int writes = rollups.writes();

        // when
        RecomputeService.Result second = service.recompute(WINDOW);

        // then
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 4, 0, 4, 0, 0, UNCHANGED), second);
        assertEquals(writes, rollups.writes());
    }

    @Test
    void recompute_shouldLeaveIngestedItemsAlone_whenTheWarehouseAgreesWithThem(@TempDir Path scratch) {
        // given: the sample ingested online, and the warehouse rows for it worked out by hand
        InMemoryObjectStore objects = new InMemoryObjectStore();
        byte[] sample = Fixtures.resource(Fixtures.SAMPLE_JSONL);
        objects.put("b", "logs/s.jsonl", sample, "application/x-ndjson");
        String uploadId = new IngestService(objects, rollups, new InMemoryStatusStore(), "b", scratch,
                Clock.fixed(Instant.parse("2026-11-05T00:00:00Z"), ZoneOffset.UTC))
                .ingest(new IngestService.Upload("b", "logs/s.jsonl", Optional.of(InMemoryObjectStore.md5Hex(sample)),
                        Optional.of("01"))).uploadId();
        int writes = rollups.writes();
        // the other dimensions' rows as the ingest stored them (the SQL's own values are checked against the
        // online rollups on DuckDB in the integration tests)
        List<Map<String, String>> rows = new java.util.ArrayList<>(sampleRows(uploadId));
        for (StoredRollup item : rollups.all()) {
            if (!item.key().dimension().equals(RollupKey.MODEL)) {
                Totals t = item.totals();
                Map<String, String> row = row(item.key().day(), item.key().value(), t.requests(), t.promptTokens(),
                        t.completionTokens(), t.reasoningTokens(), t.cacheReadTokens(), t.cacheWriteTokens(),
                        t.costUsd().toPlainString(), t.pricedRequests(), t.toolCallRequests(), uploadId);
                row.put("dimension", item.key().dimension());
                rows.add(row);
            }
        }

        List<Map<String, String>> shapeRows = new java.util.ArrayList<>();
        for (StoredRollup item : rollups.query(dev.tokenscope.aggregate.TokenHistogram.DIMENSION, NOV_1, NOV_7)) {
            item.totals().shape().forEach((bucket, requests) -> shapeRows.add(Map.of("day", item.key().day().toString(),
                    "category", dev.tokenscope.aggregate.TokenHistogram.categoryOf(item.key()), "bucket", bucket,
                    "requests", Long.toString(requests), "upload_ids", uploadId)));
        }

        // when
        RecomputeService.Result result = new RecomputeService(new FakeQueryEngine(rows).withShapeRows(shapeRows),
                rollups, retention).recompute(WINDOW);

        // then
        int items = rollups.all().size();
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, items, 0, items, 0, 0, PUBLISHED), result);
        assertEquals(writes, rollups.writes());
    }

    @Test
    void recompute_shouldReplaceAtTheSeenRevision_whenTotalsDiffer() {
        // given: the online item missed something (e.g. a lost delta)
        RollupKey qwen = key(NOV_2, "qwen/qwen3-coder");
        rollups.applyDelta(qwen, totals(1, 5400, 1220, 0, 0, 0, "0.002056", 1, 0), "u1");
        rollups.applyDelta(qwen, totals(0, 0, 0, 0, 0, 0, "0", 0, 0), "u0");
        RecomputeService service = new RecomputeService(new FakeQueryEngine(List.of(
                row(NOV_2, "qwen/qwen3-coder", 2, 13400, 3220, 0, 0, 0, "0.0052560000", 2, 0, "u1"))),
                rollups, retention);

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then: the item is the warehouse's, lists the warehouse's uploads, and is one revision on
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 1, 1, 0, 0, 0, PUBLISHED), result);
        StoredRollup item = rollups.item(qwen).orElseThrow();
        assertSameTotals(totals(2, 13400, 3220, 0, 0, 0, "0.005256", 2, 0), item.totals());
        assertEquals(Set.of("u1"), item.applied());
        assertEquals(3, item.revision());
    }

    @Test
    void recompute_shouldReplace_whenTotalsAreEqualButAnUploadIsNotListed() {
        // given
        RollupKey qwen = key(NOV_2, "qwen/qwen3-coder");
        rollups.applyDelta(qwen, totals(2, 13400, 3220, 0, 0, 0, "0.005256", 2, 0), "u1");
        RecomputeService service = new RecomputeService(new FakeQueryEngine(List.of(
                row(NOV_2, "qwen/qwen3-coder", 2, 13400, 3220, 0, 0, 0, "0.0052560000", 2, 0, "u1, u2"))),
                rollups, retention);

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then: the item must refuse u2's delta from now on
        assertEquals(1, result.written());
        assertEquals(Set.of("u1", "u2"), rollups.item(qwen).orElseThrow().applied());
        assertEquals(false, rollups.applyDelta(qwen, totals(1, 1, 1, 0, 0, 0, "0", 0, 0), "u2"));
    }

    @Test
    void recompute_shouldDeleteItemsTheWarehouseLacks_whenTheyAreInTheWindow() {
        // given: one stale item, one retracted to zero, and one outside the window
        rollups.applyDelta(key(NOV_3, "old-model"), totals(1, 1, 1, 0, 0, 0, "0.1", 1, 0), "u9");
        Totals retracted = totals(3, 3, 3, 0, 0, 0, "0.3", 3, 0);
        rollups.applyDelta(key(NOV_7, "gone"), retracted, "u8");
        rollups.retractDelta(key(NOV_7, "gone"), retracted, "u8");
        RollupKey outside = key(LocalDate.of(2026, 11, 8), "later");
        rollups.applyDelta(outside, totals(1, 1, 1, 0, 0, 0, "0", 0, 0), "u7");
        RecomputeService service = new RecomputeService(new FakeQueryEngine(sampleRows("u1")), rollups, retention);

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 4, 4, 0, 2, 0, PUBLISHED), result);
        assertEquals(Optional.empty(), rollups.item(key(NOV_3, "old-model")));
        assertEquals(Optional.empty(), rollups.item(key(NOV_7, "gone")));
        assertTrue(rollups.item(outside).isPresent());
    }

    /** A store on which an ingest writes to some items after the recompute has read them. */
    private static final class RacingStore extends ForwardingRollupStore {
        private final List<RollupKey> touchedAfterQuery;

        RacingStore(InMemoryRollupStore delegate, List<RollupKey> touchedAfterQuery) {
            super(delegate);
            this.touchedAfterQuery = touchedAfterQuery;
        }

        @Override
        public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
            List<StoredRollup> snapshot = delegate.query(dimension, from, to);
            for (RollupKey key : touchedAfterQuery) {
                delegate.applyDelta(key, totals(1, 100, 10, 0, 0, 0, "0.01", 1, 0), "concurrent");
            }
            return snapshot;
        }
    }

    @Test
    void recompute_shouldCountAConflictAndKeepTheIngest_whenTheRevisionChangesBetweenReadAndReplace() {
        // given: qwen exists with other totals; claude is new to the store; old-model is stale.
        // An ingest writes to all three right after the recompute has read the store.
        RollupKey qwen = key(NOV_2, "qwen/qwen3-coder");
        RollupKey claude = key(NOV_2, "anthropic.claude-sonnet-4-20250514-v1:0");
        RollupKey stale = key(NOV_3, "old-model");
        rollups.applyDelta(qwen, totals(1, 1, 1, 0, 0, 0, "0", 0, 0), "u0");
        rollups.applyDelta(stale, totals(1, 1, 1, 0, 0, 0, "0", 0, 0), "u0");
        RacingStore racing = new RacingStore(rollups, List.of(qwen, claude, stale));
        RecomputeService service = new RecomputeService(new FakeQueryEngine(sampleRows("u1")), racing, retention);

        // when
        RecomputeService.Result result = service.recompute(WINDOW);

        // then: 4 rows; deepseek and mini written; qwen, claude (replace) and old-model (delete) conflict
        assertEquals(new RecomputeService.Result(NOV_1, NOV_7, 4, 2, 0, 0, 3, PUBLISHED), result);
        assertSameTotals(totals(2, 101, 11, 0, 0, 0, "0.01", 1, 0, 110, 0), rollups.item(qwen).orElseThrow().totals());
        assertSameTotals(totals(1, 100, 10, 0, 0, 0, "0.01", 1, 0), rollups.item(claude).orElseThrow().totals());
        assertSameTotals(totals(2, 101, 11, 0, 0, 0, "0.01", 1, 0, 110, 0), rollups.item(stale).orElseThrow().totals());
        assertEquals(Set.of("u0", "concurrent"), rollups.item(qwen).orElseThrow().applied());
    }

    @Test
    void recompute_shouldReadNullsAsZero_whenAthenaReturnsNullOrEmptyValues() {
        // given: a group of unpriced requests, as Athena could return it
        Map<String, String> row = new HashMap<>(row(NOV_2, "m", 3, 10, 1, 0, 0, 0, "x", 0, 0, "u1"));
        row.put("cost_usd", null);
        row.put("reasoning_tokens", "");
        row.put("upload_ids", null);
        RecomputeService service = new RecomputeService(new FakeQueryEngine(List.of(row)), rollups, retention);

        // when
        service.recompute(WINDOW);

        // then
        StoredRollup item = rollups.item(key(NOV_2, "m")).orElseThrow();
        assertSameTotals(totals(3, 10, 1, 0, 0, 0, "0", 0, 0), item.totals());
        assertEquals(Set.of(), item.applied());
    }
}
