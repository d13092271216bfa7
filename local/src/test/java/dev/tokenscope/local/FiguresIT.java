package dev.tokenscope.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.Granularity;
import dev.tokenscope.figures.Figure;
import dev.tokenscope.figures.FigureService;
import dev.tokenscope.figures.FigureTable;
import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.store.DynamoRecomputeLease;
import dev.tokenscope.store.DynamoRetentionSnapshots;
import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.RetentionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Every figure online and recomputed, on the real local stack (S3Mock, dynalite, DuckDB): the figures the online
 * rollups give equal those of rollups rebuilt from the warehouse, at every granularity; the retention cohorts the
 * recompute publishes are the ones worked out by hand.
 */
class FiguresIT {

    @TempDir
    Path work;

    private LocalStack stack;
    private String name;
    private LocalFunctions functions;
    private FigureService figures;

    @BeforeEach
    void setUp() {
        stack = TestStack.get();
        name = TestStack.freshName("figures");
        functions = LocalFunctions.wire(stack, name, name, work, 7, Clock.systemUTC());
        figures = new FigureService(functions.table(),
                new DynamoRetentionSnapshots(stack.dynamo(), name, Clock.systemUTC()));
    }

    @Test
    void figures_shouldBeTheSameOnlineAndRecomputed_whenTenDaysOfDemoTrafficAreIngested() {
        // given ten days of demo logs across two months and two ISO weeks, ingested online
        LocalDate from = LocalDate.of(2026, 9, 28);
        LocalDate to = LocalDate.of(2026, 10, 7);
        long requests = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            int count = 30 + day.getDayOfMonth() * 2;
            deliver("logs/demo/" + day + ".jsonl.gz", DemoLogs.day(day, count, 11));
            requests += count;
        }
        Map<String, FigureTable> online = everyFigure(figures, from, to);
        assertEquals(requests, ((Number) online.get("request-shape/month").value(
                online.get("request-shape/month").row("period", "2026-10-01", "category", "all"), "requests"))
                .longValue() + ((Number) online.get("request-shape/month").value(
                online.get("request-shape/month").row("period", "2026-09-01", "category", "all"), "requests"))
                .longValue());


        // when the rollups are rebuilt from the warehouse into an empty table
        String rebuiltTable = TestStack.freshName("figures-rebuilt");
        LocalFunctions rebuild = LocalFunctions.wire(stack, name, rebuiltTable, work.resolve("rebuild"), 7,
                Clock.systemUTC());
        RecomputeService.Result rebuilt = rebuild.recomputeService().recompute(new QueryEngine.Window(from, to));

        // then every figure, at every granularity, is exactly what the online rollups gave
        assertTrue(rebuilt.written() > 1000, "rebuilt " + rebuilt.written());
        Map<String, FigureTable> recomputed = everyFigure(new FigureService(rebuild.table(),
                new DynamoRetentionSnapshots(stack.dynamo(), rebuiltTable, Clock.systemUTC())), from, to);
        assertPercentilesNearTheExactOnes(online.get("request-shape/month"), from, to);
        for (String figure : online.keySet()) {
            if (!figure.startsWith("retention/")) {
                assertEquals(online.get(figure), recomputed.get(figure), figure);
                assertFalse(online.get(figure).rows().isEmpty(), figure);
            }
        }
    }

    @Test
    void recompute_shouldPublishTheHandComputedCohorts_andPublishNothingTheSecondTime() {
        // given: gpt-4o-mini first used in January by u1..u4 and account acme (no user); u1 back in February; u1, u2
        // and u3 back in March: 5, 1, 3 active; llama first used in February by u5; one request names nobody
        StringBuilder log = new StringBuilder();
        line(log, "2026-01-05", "openai/gpt-4o-mini", "u1", null);
        line(log, "2026-01-06", "openai/gpt-4o-mini", "u1", null);
        line(log, "2026-01-07", "openai/gpt-4o-mini", "u2", null);
        line(log, "2026-01-08", "openai/gpt-4o-mini", "u3", null);
        line(log, "2026-01-31", "openai/gpt-4o-mini", "u4", null);
        line(log, "2026-01-09", "openai/gpt-4o-mini", null, "acme");
        line(log, "2026-02-10", "openai/gpt-4o-mini", "u1", null);
        line(log, "2026-02-11", "meta-llama/llama-3.1-8b-instruct", "u5", null);
        line(log, "2026-03-01", "openai/gpt-4o-mini", "u1", null);
        line(log, "2026-03-02", "openai/gpt-4o-mini", "u2", null);
        line(log, "2026-03-15", "openai/gpt-4o-mini", "u3", null);
        line(log, "2026-03-16", "openai/gpt-4o-mini", null, null);
        deliver("logs/retention.jsonl", log.toString().getBytes(StandardCharsets.UTF_8));
        RecomputeService recompute = functions.recomputeService();
        QueryEngine.Window march = new QueryEngine.Window(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));

        // when
        RecomputeService.Result first = recompute.recompute(march);
        RecomputeService.Result second = recompute.recompute(march);

        // then
        assertEquals(RetentionStore.Publication.PUBLISHED, first.retention());
        assertEquals(RetentionStore.Publication.UNCHANGED, second.retention());
        FigureTable t = figures.table(Figure.RETENTION, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31),
                Granularity.MONTH);
        List<Object> january = t.row("model", "openai/gpt-4o-mini", "cohort", "2026-01", "k", "0");
        assertEquals(5L, t.value(january, "users"));
        assertEquals(List.of(5L, 1L, 3L), t.rowsWhere("model", "openai/gpt-4o-mini", "cohort", "2026-01").stream()
                .map(r -> t.value(r, "active")).toList());
        assertEquals(0.6, (double) t.value(t.row("model", "openai/gpt-4o-mini", "cohort", "2026-01", "k", "2"),
                "retention"), 1e-12);
        assertEquals(true, t.value(january, "boomerang"));
        assertEquals(List.of(1L, 0L), t.rowsWhere("model", "meta-llama/llama-3.1-8b-instruct").stream()
                .map(r -> t.value(r, "active")).toList());
        assertEquals("users: user_id where the log has one (user, API key or end user), else account_id; 5 user ids, "
                + "1 account ids, 1 requests without either (in no cohort)", t.notes().get(0));
        assertEquals("data through 2026-03-31", t.notes().get(1));
    }

    @Test
    void publish_shouldKeepTheCurrentAndThePreviousSnapshotOnly_whenCohortsChangeThreeTimes() {
        // given
        DynamoRetentionSnapshots store = new DynamoRetentionSnapshots(stack.dynamo(), name, Clock.systemUTC());
        RetentionCohorts a = cohorts(4);
        RetentionCohorts b = cohorts(5);
        RetentionCohorts c = cohorts(6);

        // when / then
        assertEquals(RetentionStore.Publication.PUBLISHED, store.publish(a));
        assertEquals(RetentionStore.Publication.UNCHANGED, store.publish(a));
        assertEquals(a, store.current().orElseThrow());
        assertEquals(RetentionStore.Publication.PUBLISHED, store.publish(b));
        assertEquals(RetentionStore.Publication.PUBLISHED, store.publish(c));
        assertEquals(c, store.current().orElseThrow());
        // two models per snapshot: c's and b's items are there (a reader on b still finds it), a's are gone
        assertEquals(Map.of(2L, 2L), snapshotItems().values().stream()
                .collect(java.util.stream.Collectors.groupingBy(n -> n, java.util.stream.Collectors.counting())));
    }

    @Test
    void lease_shouldLetOneRecomputeInAtATime_andFreeItWhenGivenBackOrRunOut() throws InterruptedException {
        // given
        DynamoRecomputeLease lease = new DynamoRecomputeLease(stack.dynamo(), name, Clock.systemUTC());

        // when / then
        RecomputeLease.Held first = lease.acquire(java.time.Duration.ofMinutes(16)).orElseThrow();
        assertTrue(lease.acquire(java.time.Duration.ofMinutes(16)).isEmpty(), "a second run while the first holds it");
        assertEquals(first.until(), lease.heldUntil().orElseThrow());
        lease.release(first);
        RecomputeLease.Held shortOne = lease.acquire(java.time.Duration.ofMillis(1)).orElseThrow();
        Thread.sleep(20);
        RecomputeLease.Held next = lease.acquire(java.time.Duration.ofMinutes(16)).orElseThrow();
        // the run whose lease ran out cannot give back the next run's
        lease.release(shortOne);
        assertEquals(next.until(), lease.heldUntil().orElseThrow());
    }

    // --- helpers ---

    /**
     * The sketch's percentiles against the exact ones (nearest rank over the warehouse's single-request records,
     * read with DuckDB): within the histogram's 3.1% bucket width.
     */
    private void assertPercentilesNearTheExactOnes(FigureTable shape, LocalDate from, LocalDate to) {
        DuckDbQueryEngine duck = new DuckDbQueryEngine(new WarehouseMirror(
                new dev.tokenscope.store.S3ObjectStore(stack.s3()), name, work.resolve("exact")));
        int checked = 0;
        for (String month : List.of("2026-09", "2026-10")) {
            LocalDate first = LocalDate.parse(month + "-01");
            LocalDate last = first.plusMonths(1).minusDays(1);
            List<Object> row = shape.row("period", first.toString(), "category", "all");
            for (String kind : List.of("prompt", "completion")) {
                List<Long> exact = duck.query("SELECT " + kind + "_tokens AS t FROM records "
                                + "WHERE day BETWEEN ? AND ? AND requests = 1",
                        List.of(first.toString(), last.toString()), new QueryEngine.Window(from, to)).stream()
                        .map(r -> Long.parseLong(r.get("t"))).sorted().toList();
                for (int p : new int[] {50, 90, 99}) {
                    long nearestRank = exact.get((int) Math.ceil(p / 100.0 * exact.size()) - 1);
                    double sketch = ((Number) shape.value(row, kind + "_p" + p)).doubleValue();
                    assertEquals(nearestRank, sketch, nearestRank * 0.031 + 0.5, month + " " + kind + " p" + p);
                    checked++;
                }
            }
        }
        assertEquals(12, checked);
    }

    private static RetentionCohorts cohorts(long users) {
        YearMonth may = YearMonth.of(2026, 5);
        return RetentionCohorts.of(LocalDate.of(2026, 6, 30), new RetentionCohorts.IdentityBasis(users, 0, 0), List.of(
                new RetentionCohorts.ActivityRow("m1", may, 0, users), new RetentionCohorts.ActivityRow("m1", may, 1, 2),
                new RetentionCohorts.ActivityRow("m2", may, 0, 3)));
    }

    /** Items per retention snapshot partition in the table. */
    private Map<String, Long> snapshotItems() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        stack.dynamo().scanPaginator(b -> b.tableName(name)).items().forEach(item -> {
            String pk = item.get("pk").s();
            if (pk.startsWith("F#retention#")) {
                counts.merge(pk, 1L, Long::sum);
            }
        });
        return counts;
    }

    private static Map<String, FigureTable> everyFigure(FigureService figures, LocalDate from, LocalDate to) {
        Map<String, FigureTable> tables = new LinkedHashMap<>();
        for (Figure figure : Figure.values()) {
            for (Granularity granularity : Granularity.values()) {
                tables.put(figure.id() + "/" + granularity.name().toLowerCase(java.util.Locale.ROOT),
                        figures.table(figure, from, to, granularity));
            }
        }
        return tables;
    }

    private static void line(StringBuilder log, String day, String model, String user, String account) {
        log.append("{\"timestamp\":\"").append(day).append("T12:00:00Z\",\"model\":\"").append(model).append('"')
                .append(user == null ? "" : ",\"user_id\":\"" + user + "\"")
                .append(account == null ? "" : ",\"account_id\":\"" + account + "\"")
                .append(",\"prompt_tokens\":100,\"completion_tokens\":10}\n");
    }

    private void deliver(String key, byte[] body) {
        String etag = stack.s3().putObject(b -> b.bucket(name).key(key), RequestBody.fromBytes(body)).eTag()
                .replace("\"", "");
        functions.ingest().handleRequest(LocalEvents.objectCreated(name, key, body.length, etag, "0001"), null);
    }
}
