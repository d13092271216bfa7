package dev.tokenscope.testing;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import java.util.Optional;
import java.util.Set;

/**
 * A RollupStore that lets k writes through and throws on the next one: a function killed after k writes.
 * applyDelta, retractDelta, replace and delete each count as a write, whether or not its condition holds; the
 * count is shared by the threads an ingest writes with.
 */
public final class CrashingRollupStore extends ForwardingRollupStore {

    /** What the simulated crash throws. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash(int write) {
            super("simulated crash on write " + write);
        }
    }

    private final int allowedWrites;
    private int attempted;

    public CrashingRollupStore(RollupStore delegate, int allowedWrites) {
        super(delegate);
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
    public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
        write();
        return delegate.replace(key, totals, uploadIds, seenRevision);
    }

    @Override
    public boolean delete(RollupKey key, long seenRevision) {
        write();
        return delegate.delete(key, seenRevision);
    }

    @Override
    public void changed() {
        write();
        delegate.changed();
    }

    /** Writes attempted so far, including the one that crashed. */
    public int attempted() {
        return attempted;
    }
}
