package dev.tokenscope.recompute;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final QueryEngine engine;
    private final RollupStore rollups;

    public RecomputeService(QueryEngine engine, RollupStore rollups) {
        this.engine = engine;
        this.rollups = rollups;
    }

    /** What a recompute did. Conflicts are items an ingest changed meanwhile: left as the ingest made them. */
    public record Result(LocalDate from, LocalDate to, int rows, int written, int unchanged, int deleted,
                         int conflicts) {
    }

    public Result recompute(QueryEngine.Window window) {
        Map<RollupKey, StoredRollup> seen = new LinkedHashMap<>();
        for (Dimension dimension : Dimension.values()) {
            for (StoredRollup rollup : rollups.query(dimension.id(), window.from(), window.to())) {
                seen.put(rollup.key(), rollup);
            }
        }
        List<String> days = List.of(window.from().toString(), window.to().toString());
        List<Map<String, String>> rows = engine.query(SqlFiles.load(ROLLUP_SQL), days, window);
        Map<RollupKey, java.util.SortedMap<String, Long>> shapes = shapes(engine.query(SqlFiles.load(SHAPE_SQL), days,
                window));
        int written = 0;
        int unchanged = 0;
        int deleted = 0;
        int conflicts = 0;
        for (Map<String, String> row : rows) {
            RollupKey key = new RollupKey(row.get("dimension"), LocalDate.parse(row.get("day")), row.get("value"));
            Totals totals = totals(row, shapes.getOrDefault(key, new java.util.TreeMap<>()));
            Set<String> uploadIds = uploadIds(row.get("upload_ids"));
            StoredRollup existing = seen.remove(key);
            if (existing != null && existing.totals().sameAs(totals) && existing.applied().containsAll(uploadIds)) {
                unchanged++;
                continue;
            }
            if (rollups.replace(key, totals, uploadIds, Optional.ofNullable(existing).map(StoredRollup::revision))) {
                written++;
            } else {
                conflicts++;
            }
        }
        // What the rollups hold but the warehouse does not: an upload replaced or removed since.
        for (StoredRollup stale : seen.values()) {
            if (rollups.delete(stale.key(), stale.revision())) {
                deleted++;
            } else {
                conflicts++;
            }
        }
        return new Result(window.from(), window.to(), rows.size(), written, unchanged, deleted, conflicts);
    }

    /** The request-shape rows as histograms per category rollup. */
    private static Map<RollupKey, java.util.SortedMap<String, Long>> shapes(List<Map<String, String>> rows) {
        Map<RollupKey, java.util.SortedMap<String, Long>> result = new java.util.HashMap<>();
        for (Map<String, String> row : rows) {
            RollupKey key = new RollupKey(Dimension.CATEGORY.id(), LocalDate.parse(row.get("day")), row.get("category"));
            result.computeIfAbsent(key, k -> new java.util.TreeMap<>()).put(row.get("bucket"), number(row, "requests"));
        }
        return result;
    }

    private static Totals totals(Map<String, String> row, java.util.SortedMap<String, Long> shape) {
        return new Totals(
                number(row, "requests"), number(row, "prompt_tokens"), number(row, "completion_tokens"),
                number(row, "reasoning_tokens"), number(row, "cache_read_tokens"), number(row, "cache_write_tokens"),
                decimal(row.get("cost_usd")),
                number(row, "priced_requests"), number(row, "tool_call_requests"), number(row, "priced_tokens"),
                number(row, "long_prompt_requests"), shape);
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
