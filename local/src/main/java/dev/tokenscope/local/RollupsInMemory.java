package dev.tokenscope.local;

import dev.tokenscope.aggregate.Dimension;
import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every rollup of a span, read once into memory: the API bench's second run answers rollup reads from here, so its
 * latency is what the API costs without the store (the floor a cache or a faster store could reach). Read only.
 */
final class RollupsInMemory implements RollupStore {

    private final Map<String, List<StoredRollup>> byDimension;

    private RollupsInMemory(Map<String, List<StoredRollup>> byDimension) {
        this.byDimension = byDimension;
    }

    static RollupsInMemory copyOf(RollupStore store, LocalDate from, LocalDate to) {
        Map<String, List<StoredRollup>> byDimension = new HashMap<>();
        for (String dimension : Dimension.storedIds()) {
            byDimension.put(dimension, List.copyOf(store.query(dimension, from, to)));
        }
        return new RollupsInMemory(byDimension);
    }

    @Override
    public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
        return byDimension.getOrDefault(dimension, List.of()).stream()
                .filter(r -> !r.key().day().isBefore(from) && !r.key().day().isAfter(to)).toList();
    }

    @Override
    public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
        throw readOnly();
    }

    @Override
    public boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
        throw readOnly();
    }

    @Override
    public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
        throw readOnly();
    }

    @Override
    public boolean delete(RollupKey key, long seenRevision) {
        throw readOnly();
    }

    /** A copy that never changes. */
    @Override
    public long changes() {
        return 0;
    }

    @Override
    public void changed() {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("the bench's rollups in memory are read only");
    }
}
