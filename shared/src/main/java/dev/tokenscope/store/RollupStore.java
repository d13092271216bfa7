package dev.tokenscope.store;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rollup storage port. Every write is conditional on the item itself, so that at-least-once delivery and
 * retries after a crash add each upload exactly once, without transactions.
 */
public interface RollupStore {

    /** Adds an upload's delta unless that upload was already applied to this item. True if it added. */
    boolean applyDelta(RollupKey key, Totals delta, String uploadId);

    /**
     * Subtracts an upload's delta from an item that holds it and has not had it retracted yet. True if it
     * subtracted. Used when a new version of an object replaces the one this upload read.
     */
    boolean retractDelta(RollupKey key, Totals delta, String uploadId);

    /** The rollups of one dimension for the days from..to (inclusive), in key order. */
    List<StoredRollup> query(String dimension, LocalDate from, LocalDate to);

    /**
     * Replaces an item with recomputed totals, if it is still at the revision the recompute saw (or still
     * absent when it saw none). False when an ingest changed it in between: the item is then left as it is.
     */
    boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision);

    /** Deletes an item, if it is still at the revision the recompute saw. */
    boolean delete(RollupKey key, long seenRevision);

    /**
     * A number that grows whenever the rollups change (an upload's deltas applied or retracted, a rebuild): an
     * answer computed from them while it had one value is current as long as it has it. 0 before any change.
     */
    long changes();

    /** Counts a change of the rollups: called after an upload's segment or a rebuild is written. */
    void changed();
}
