package dev.tokenscope.functions;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.recompute.QueryEngine;
import dev.tokenscope.recompute.RecomputeService;
import dev.tokenscope.recompute.WarehouseCompactor;
import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.WarehouseLayout;
import dev.tokenscope.testing.FakeParquetExport;
import dev.tokenscope.testing.FakeQueryEngine;
import dev.tokenscope.testing.InMemoryObjectStore;
import dev.tokenscope.testing.InMemoryPartitionCatalog;
import dev.tokenscope.testing.InMemoryRetentionStore;
import dev.tokenscope.testing.InMemoryRollupStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;

class RecomputeHandlerTest {

    /** The schedule fires at 03:15 UTC on 2026-11-05. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-05T03:15:00Z"), ZoneOffset.UTC);

    private final InMemoryRollupStore rollups = new InMemoryRollupStore();
    private final InMemoryRetentionStore retention = new InMemoryRetentionStore();

    /** One warehouse row per day of the window, as Athena returns it: text values. */
    private static List<Map<String, String>> rowsFor(QueryEngine.Window window) {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("dimension", "model");
        first.put("day", window.from().toString());
        first.put("value", "qwen/qwen3-coder");
        first.put("requests", "2");
        first.put("prompt_tokens", "13400");
        first.put("completion_tokens", "3220");
        first.put("reasoning_tokens", "0");
        first.put("cache_read_tokens", "0");
        first.put("cache_write_tokens", "0");
        first.put("cost_usd", "0.0052560000");
        first.put("priced_requests", "2");
        first.put("tool_call_requests", "0");
        first.put("priced_tokens", "16620");
        first.put("long_prompt_requests", "0");
        first.put("upload_ids", "u1");
        Map<String, String> last = new LinkedHashMap<>(first);
        last.put("day", window.to().toString());
        last.put("requests", "1");
        return List.of(first, last);
    }

    @ParameterizedTest
    @Event(value = "events/schedule.json", type = ScheduledEvent.class)
    void handleRequest_shouldRecomputeTheLastDays_whenTheScheduleFires(ScheduledEvent event) {
        // given: RECOMPUTE_DAYS 7, today 2026-11-05: the window is 2026-10-30..2026-11-05
        FakeQueryEngine engine = new FakeQueryEngine(RecomputeHandlerTest::rowsFor);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(engine, rollups, retention), 7, CLOCK);
        RecordingContext context = new RecordingContext();

        // when
        String summary = handler.handleRequest(event, context);

        // then
        String expected = "recomputed 2026-10-30..2026-11-05: rows=2 written=2 unchanged=0 deleted=0 conflicts=0 retention=published";
        assertEquals(expected, summary);
        assertEquals(expected + "\n", context.logged());
        assertEquals(List.of("2026-10-30", "2026-11-05"), engine.calls().get(0).parameters());
        assertSameTotals(totals(2, 13400, 3220, 0, 0, 0, "0.005256", 2, 0), rollups.item(
                new RollupKey(RollupKey.MODEL, LocalDate.of(2026, 10, 30), "qwen/qwen3-coder")).orElseThrow().totals());
    }

    @ParameterizedTest
    @Event(value = "events/recompute-window.json", type = ScheduledEvent.class)
    void handleRequest_shouldRecomputeTheNamedWindow_whenTheDetailHasFromAndTo(ScheduledEvent event) {
        // given: detail {"from": "2026-11-01", "to": "2026-11-07"}
        FakeQueryEngine engine = new FakeQueryEngine(RecomputeHandlerTest::rowsFor);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(engine, rollups, retention), 7, CLOCK);

        // when
        String summary = handler.handleRequest(event, null);

        // then
        assertEquals("recomputed 2026-11-01..2026-11-07: rows=2 written=2 unchanged=0 deleted=0 conflicts=0 retention=published",
                summary);
        assertEquals(new QueryEngine.Window(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)),
                engine.calls().get(0).window());
        assertEquals(2, rollups.all().size());
    }

    @ParameterizedTest
    @Event(value = "events/recompute-window.json", type = ScheduledEvent.class)
    void handleRequest_shouldReportTheCompaction_whenTheServiceCompactsTheWarehouse(ScheduledEvent event) {
        // given raw records on 2026-11-03, not compacted yet
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put("data", WarehouseLayout.recordsKey(LocalDate.of(2026, 11, 3), "s1"), new byte[] {1},
                "application/gzip");
        WarehouseCompactor compactor = new WarehouseCompactor(objects, "data", new FakeParquetExport(objects),
                new InMemoryPartitionCatalog(), CLOCK);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(
                new FakeQueryEngine(RecomputeHandlerTest::rowsFor), rollups, retention, Optional.of(compactor),
                RecomputeLease.inProcess(CLOCK)), 7, CLOCK);

        // when
        String first = handler.handleRequest(event, null);
        String second = handler.handleRequest(event, null);

        // then
        assertEquals("recomputed 2026-11-01..2026-11-07: rows=2 written=2 unchanged=0 deleted=0 conflicts=0 "
                + "retention=published; parquet: compacted=1 skipped=0 removed=0 objects_deleted=0", first);
        assertEquals("recomputed 2026-11-01..2026-11-07: rows=2 written=0 unchanged=2 deleted=0 conflicts=0 "
                + "retention=unchanged; parquet: compacted=0 skipped=1 removed=0 objects_deleted=0", second);
    }

    @ParameterizedTest
    @Event(value = "events/recompute-window.json", type = ScheduledEvent.class)
    void handleRequest_shouldSkipWithoutFailing_whenAnotherRecomputeHoldsTheLease(ScheduledEvent event) {
        // given
        RecomputeLease lease = RecomputeLease.inProcess(CLOCK);
        lease.acquire(java.time.Duration.ofMinutes(10)).orElseThrow();
        FakeQueryEngine engine = new FakeQueryEngine(RecomputeHandlerTest::rowsFor);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(engine, rollups, retention,
                Optional.empty(), lease), 7, CLOCK);

        // when
        String summary = handler.handleRequest(event, null);

        // then
        assertEquals("recompute 2026-11-01..2026-11-07 skipped: another recompute is running (its lease runs out at "
                + CLOCK.instant().plusSeconds(600) + "); this run did nothing", summary);
        assertEquals(List.of(), engine.calls());
    }

    @ParameterizedTest
    @Event(value = "events/recompute-window.json", type = ScheduledEvent.class)
    void handleRequest_shouldWriteNothing_whenRunTwiceOverTheSameWindow(ScheduledEvent event) {
        // given
        FakeQueryEngine engine = new FakeQueryEngine(RecomputeHandlerTest::rowsFor);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(engine, rollups, retention), 7, CLOCK);
        handler.handleRequest(event, null);

        // when
        String second = handler.handleRequest(event, null);

        // then
        assertEquals("recomputed 2026-11-01..2026-11-07: rows=2 written=0 unchanged=2 deleted=0 conflicts=0 retention=unchanged",
                second);
    }

    @ParameterizedTest
    @Event(value = "events/recompute-window.json", type = ScheduledEvent.class)
    void handleRequest_shouldThrowAndQueryNothing_whenTheWindowIsBackwards(ScheduledEvent event) {
        // given
        event.setDetail(Map.of("from", "2026-11-07", "to", "2026-11-01"));
        FakeQueryEngine engine = new FakeQueryEngine(RecomputeHandlerTest::rowsFor);
        RecomputeHandler handler = new RecomputeHandler(new RecomputeService(engine, rollups, retention), 7, CLOCK);

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> handler.handleRequest(event, null));

        // then
        assertEquals("recompute window: from 2026-11-07 is after to 2026-11-01", e.getMessage());
        assertEquals(List.of(), engine.calls());
    }
}
