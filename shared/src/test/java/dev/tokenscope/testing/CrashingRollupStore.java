package dev.tokenscope.testing;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A RollupStore that lets k writes through and throws on the next one: a function killed after k writes.
 * applyDelta, retractDelta, replace and delete each count as a write, whether or not its condition holds; the
 * count is shared by the threads an ingest writes with.
 */
public final class CrashingRollupStore implements RollupStore {

    /** What the simulated crash throws. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(int write) {
            super("simulated crash on write " + write);
        }
    }

    private final RollupStore delegate;
    private final int allowedWrites;
    private int attempted;

    public CrashingRollupStore(RollupStore delegate, int allowedWrites) {
        this.delegate = delegate;
        this.allowedWrites = allowedWrites;
    }

    private synchronized void write() {
        attempted++;
        if (attempted > allowedWrites) {
            throw new SimulatedCrash(attempted);
        }
    }

    @Override
    public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
        write();
        return delegate.applyDelta(key, delta, uploadId);
    }

    @Override
    public boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
        write();
        return delegate.retractDelta(key, delta, uploadId);
    }

    @Override
    public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
        return delegate.query(dimension, from, to);
    }

    @Override
    public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
        write();
        return delegate.replace(key, totals, uploadIds, seenRevision);
    }

    @Override
    public boolean delete(RollupKey key, long seenRevision) {
        write();
        return delegate.delete(key, seenRevision);
    }

    /** Writes attempted so far, including the one that crashed. */
    public int attempted() {
        return attempted;
    }
}
