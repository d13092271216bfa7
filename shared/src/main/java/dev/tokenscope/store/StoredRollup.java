package dev.tokenscope.store;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.util.Set;

/**
 * A rollup as stored: its totals, the uploads whose deltas it holds (and retractions, as "-id"), and a revision
 * that every write bumps, so a recompute can replace it only if nothing changed it in between.
 */
public record StoredRollup(RollupKey key, Totals totals, Set<String> applied, long revision) {

    public StoredRollup {
        applied = Set.copyOf(applied);
    }
}
