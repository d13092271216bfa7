package dev.tokenscope.recompute;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.TokenHistogram;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.store.RecomputeLease;
import dev.tokenscope.store.RetentionStore;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.RollupWrites;
import dev.tokenscope.store.StoredRollup;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Rebuilds the rollups of a window of days from the warehouse tables. Each item is replaced only if no ingest
 * changed it since it was read (its revision), so a concurrent upload is never lost; the rebuilt item lists the
 * uploads it holds, so their deltas are refused if they arrive again. Items already equal are left alone: a
 * second run writes nothing.
 */
public final class RecomputeService {

    static final String ROLLUP_SQL = "rollup_day.sql";
    static final String SHAPE_SQL = "request_shape_day.sql";
    static final String RETENTION_SQL = "retention_cohorts.sql";
    static final String IDENTITY_SQL = "retention_identity.sql";

    /** Retention looks at every day up to the window's end: a cohort is made of users' first months. */
    static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);

    private final QueryEngine engine;
    private final RollupStore rollups;
    private final RetentionStore retention;
    private final Optional<WarehouseCompactor> compactor;
    private final RecomputeLease lease;

    /** A run's lease outlasts Lambda's 15-minute limit, so it never runs out under a live run. */
    static final Duration LEASE = Duration.ofMinutes(16);

    /** Rollups and retention only, the only recompute in this process: the warehouse is not compacted. */
    public RecomputeService(QueryEngine engine, RollupStore rollups, RetentionStore retention) {
        this(engine, rollups, retention, Optional.empty(), RecomputeLease.inProcess(java.time.Clock.systemUTC()));
    }

    public RecomputeService(QueryEngine engine, RollupStore rollups, RetentionStore retention,
                            Optional<WarehouseCompactor> compactor, RecomputeLease lease) {
        this.engine = engine;
        this.rollups = rollups;
        this.retention = retention;
        this.compactor = compactor;
        this.lease = lease;
    }

    /**
     * What a recompute did. Conflicts are items an ingest changed meanwhile: left as the ingest made them.
     * Retention says what became of the cohorts snapshot; compaction, when the service compacts, what it did.
     */
    public record Result(LocalDate from, LocalDate to, int rows, int written, int unchanged, int deleted,
                         int conflicts, RetentionStore.Publication retention,
                         Optional<WarehouseCompactor.Result> compaction) {
        public Result(LocalDate from, LocalDate to, int rows, int written, int unchanged, int deleted, int conflicts,
                      RetentionStore.Publication retention) {
            this(from, to, rows, written, unchanged, deleted, conflicts, retention, Optional.empty());
        }
    }

    /**
     * Rebuilds the rollups and the retention cohorts, then compacts the window's days. The figures first: they
     * are what the API serves, so a failed compaction (which throws, to fail the run) must not hold them back;
     * and they read the raw table, so they do not wait for the Parquet one.
     */
    public Result recompute(QueryEngine.Window window) {
        RecomputeLease.Held held = lease.acquire(LEASE).orElseThrow(() -> new RecomputeBusyException(lease.heldUntil()));
        try {
            Rollups r;
            RetentionStore.Publication published;
            try {
                r = recomputeRollups(window);
                published = retention.publish(cohorts(window.to()));
            } catch (RuntimeException e) {
                // Some writes may have landed before the failure: the API's cached answers go too.
                try {
                    rollups.changed();
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
            if (r.written() + r.deleted() > 0 || published == RetentionStore.Publication.PUBLISHED) {
                // The API's cached answers are keyed by the change count: from now on they are computed again.
                rollups.changed();
            }
            Optional<WarehouseCompactor.Result> compaction = compactor.map(c -> c.compact(window));
            return new Result(window.from(), window.to(), r.rows(), r.written(), r.unchanged(), r.deleted(),
                    r.conflicts(), published, compaction);
        } finally {
            lease.release(held);
        }
    }

    private record Rollups(int rows, int written, int unchanged, int deleted, int conflicts) {
    }

    /** The retention cohorts of every model, from all the data up to the given day. */
    RetentionCohorts cohorts(LocalDate through) {
        QueryEngine.Window history = new QueryEngine.Window(FIRST_DAY, through);
        List<String> parameters = List.of(through.toString());
        List<RetentionCohorts.ActivityRow> rows = new java.util.ArrayList<>();
        for (Map<String, String> row : engine.query(SqlFiles.load(RETENTION_SQL), parameters, history)) {
            int cohort = Math.toIntExact(number(row, "cohort"));
            rows.add(new RetentionCohorts.ActivityRow(row.get("model"),
                    YearMonth.of(cohort / 12, cohort % 12 + 1), Math.toIntExact(number(row, "k")),
                    number(row, "users")));
        }
        Map<String, String> identity = engine.query(SqlFiles.load(IDENTITY_SQL), parameters, history).stream()
                .findFirst().orElse(Map.of());
        return RetentionCohorts.of(through, new RetentionCohorts.IdentityBasis(number(identity, "user_ids"),
                number(identity, "account_ids"), number(identity, "requests_without_id")), rows);
    }

    private Rollups recomputeRollups(QueryEngine.Window window) {
        Map<RollupKey, StoredRollup> seen = new LinkedHashMap<>();
        for (String dimension : Dimension.storedIds()) {
            for (StoredRollup rollup : rollups.query(dimension, window.from(), window.to())) {
                seen.put(rollup.key(), rollup);
            }
        }
        List<String> days = List.of(window.from().toString(), window.to().toString());
        Map<RollupKey, Rebuilt> rebuilt = new LinkedHashMap<>();
        for (Map<String, String> row : engine.query(SqlFiles.load(ROLLUP_SQL), days, window)) {
            rebuilt.put(new RollupKey(row.get("dimension"), LocalDate.parse(row.get("day")), row.get("value")),
                    new Rebuilt(totals(row), uploadIds(row.get("upload_ids"))));
        }
        addShapes(engine.query(SqlFiles.load(SHAPE_SQL), days, window), rebuilt);
        int unchanged = 0;
        List<Supplier<Boolean>> replaces = new ArrayList<>();
        for (Map.Entry<RollupKey, Rebuilt> entry : rebuilt.entrySet()) {
            RollupKey key = entry.getKey();
            Totals totals = entry.getValue().totals();
            Set<String> uploadIds = entry.getValue().uploadIds();
            StoredRollup existing = seen.remove(key);
            if (existing != null && existing.totals().sameAs(totals) && existing.applied().containsAll(uploadIds)) {
                unchanged++;
                continue;
            }
            Optional<Long> seenRevision = Optional.ofNullable(existing).map(StoredRollup::revision);
            replaces.add(() -> rollups.replace(key, totals, uploadIds, seenRevision));
        }
        // What the rollups hold but the warehouse does not: an upload replaced or removed since.
        List<Supplier<Boolean>> deletes = new ArrayList<>();
        for (StoredRollup stale : seen.values()) {
            deletes.add(() -> rollups.delete(stale.key(), stale.revision()));
        }
        // Concurrently, and as safe as one at a time: each write is of its own item (rebuilt keys and stale keys
        // are distinct), so their order does not matter; each is conditional on the revision this run read, so an
        // ingest's delta that lands after the read still makes it a conflict, whatever the order. A write that
        // fails (not a conflict: an error) fails the run after the writes in flight end, as a crash would.
        List<Boolean> replaced = RollupWrites.run(replaces);
        List<Boolean> removed = RollupWrites.run(deletes);
        int written = count(replaced, true);
        int deleted = count(removed, true);
        int conflicts = count(replaced, false) + count(removed, false);
        return new Rollups(rebuilt.size(), written, unchanged, deleted, conflicts);
    }

    private static int count(List<Boolean> results, boolean value) {
        return (int) results.stream().filter(r -> r == value).count();
    }

    /** A rollup item as the warehouse gives it: its totals and the uploads they hold. */
    private record Rebuilt(Totals totals, Set<String> uploadIds) {
    }

    /** The request-shape rows gathered into their items (TokenHistogram.itemKey), as the ingest writes them. */
    private static void addShapes(List<Map<String, String>> rows, Map<RollupKey, Rebuilt> into) {
        Map<RollupKey, java.util.TreeMap<String, Long>> shapes = new java.util.TreeMap<>();
        Map<RollupKey, Set<String>> uploads = new java.util.HashMap<>();
        for (Map<String, String> row : rows) {
            String bucket = row.get("bucket");
            RollupKey key = TokenHistogram.itemKey(LocalDate.parse(row.get("day")), row.get("category"), bucket);
            shapes.computeIfAbsent(key, k -> new java.util.TreeMap<>()).put(bucket, number(row, "requests"));
            uploads.computeIfAbsent(key, k -> new java.util.HashSet<>()).addAll(uploadIds(row.get("upload_ids")));
        }
        shapes.forEach((key, shape) -> into.put(key, new Rebuilt(Totals.ZERO.withShape(shape),
                Set.copyOf(uploads.get(key)))));
    }

    private static Totals totals(Map<String, String> row) {
        return new Totals(
                number(row, "requests"), number(row, "prompt_tokens"), number(row, "completion_tokens"),
                number(row, "reasoning_tokens"), number(row, "cache_read_tokens"), number(row, "cache_write_tokens"),
                decimal(row.get("cost_usd")),
                number(row, "priced_requests"), number(row, "tool_call_requests"), number(row, "priced_tokens"),
                number(row, "long_prompt_requests"));
    }

    private static long number(Map<String, String> row, String column) {
        String value = row.get(column);
        return value == null || value.isEmpty() ? 0L : Long.parseLong(value);
    }

    private static BigDecimal decimal(String value) {
        return value == null || value.isEmpty() ? BigDecimal.ZERO : new BigDecimal(value);
    }

    private static Set<String> uploadIds(String joined) {
        if (joined == null || joined.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
