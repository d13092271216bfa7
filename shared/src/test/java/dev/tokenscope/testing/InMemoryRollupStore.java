package dev.tokenscope.testing;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * RollupStore in memory with exactly the conditional semantics of DynamoUsageTable: an item's applied set holds
 * upload ids and retraction markers "-id"; applyDelta is refused when the id is in the set, retractDelta unless the
 * id is in it and its marker is not; every write bumps the revision; replace and delete are conditional on the
 * revision seen (replace with none seen: on the item being absent).
 */
public final class InMemoryRollupStore implements RollupStore {

    private final Map<RollupKey, StoredRollup> items = new TreeMap<>();
    private int writes;
    private long changes;

    @Override
    public synchronized boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
        StoredRollup item = items.get(key);
        if (item != null && item.applied().contains(uploadId)) {
            return false;
        }
        add(key, item, delta, uploadId);
        return true;
    }

    @Override
    public synchronized boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
        StoredRollup item = items.get(key);
        String marker = "-" + uploadId;
        if (item == null || !item.applied().contains(uploadId) || item.applied().contains(marker)) {
            return false;
        }
        add(key, item, delta.negate(), marker);
        return true;
    }

    private void add(RollupKey key, StoredRollup item, Totals delta, String marker) {
        Totals base = item == null ? Totals.ZERO : item.totals();
        Set<String> applied = new HashSet<>(item == null ? Set.of() : item.applied());
        applied.add(marker);
        long revision = item == null ? 1 : item.revision() + 1;
        items.put(key, new StoredRollup(key, base.plus(delta), applied, revision));
        writes++;
    }

    @Override
    public synchronized List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
        List<StoredRollup> result = new ArrayList<>();
        for (StoredRollup item : items.values()) {
            RollupKey k = item.key();
            if (k.dimension().equals(dimension) && !k.day().isBefore(from) && !k.day().isAfter(to)) {
                result.add(item);
            }
        }
        return result;
    }

    @Override
    public synchronized boolean replace(RollupKey key, Totals totals, Set<String> uploadIds,
                                        Optional<Long> seenRevision) {
        StoredRollup item = items.get(key);
        boolean allowed = seenRevision.isPresent()
                ? item != null && item.revision() == seenRevision.get()
                : item == null;
        if (!allowed) {
            return false;
        }
        items.put(key, new StoredRollup(key, totals, uploadIds, seenRevision.orElse(0L) + 1));
        writes++;
        return true;
    }

    @Override
    public synchronized boolean delete(RollupKey key, long seenRevision) {
        StoredRollup item = items.get(key);
        if (item == null || item.revision() != seenRevision) {
            return false;
        }
        items.remove(key);
        writes++;
        return true;
    }

    /** Every item, in key order. */
    public synchronized List<StoredRollup> all() {
        return List.copyOf(items.values());
    }

    public synchronized Optional<StoredRollup> item(RollupKey key) {
        return Optional.ofNullable(items.get(key));
    }

    /**
     * The totals of one dimension's items that hold something (a fully retracted item is all zeros), in key
     * order.
     */
    public synchronized Map<RollupKey, Totals> nonZeroTotals(String dimension) {
        Map<RollupKey, Totals> result = new LinkedHashMap<>();
        items.forEach((k, v) -> {
            if (k.dimension().equals(dimension) && !v.totals().isZero()) {
                result.put(k, v.totals());
            }
        });
        return result;
    }

    /** How many writes succeeded (a refused conditional write is not one). */
    public synchronized int writes() {
        return writes;
    }

    /** Every write counts as a change too: tests that write items directly never read a stale cached answer. */
    @Override
    public synchronized long changes() {
        return changes + writes;
    }

    @Override
    public synchronized void changed() {
        changes++;
    }
}
