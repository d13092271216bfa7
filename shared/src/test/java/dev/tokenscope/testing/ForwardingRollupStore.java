package dev.tokenscope.testing;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.RollupStore;
import dev.tokenscope.store.StoredRollup;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A RollupStore that passes every call to another: tests override the calls they watch, stall or break. */
public abstract class ForwardingRollupStore implements RollupStore {

    protected final RollupStore delegate;

    protected ForwardingRollupStore(RollupStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean applyDelta(RollupKey key, Totals delta, String uploadId) {
        return delegate.applyDelta(key, delta, uploadId);
    }

    @Override
    public boolean retractDelta(RollupKey key, Totals delta, String uploadId) {
        return delegate.retractDelta(key, delta, uploadId);
    }

    @Override
    public List<StoredRollup> query(String dimension, LocalDate from, LocalDate to) {
        return delegate.query(dimension, from, to);
    }

    @Override
    public boolean replace(RollupKey key, Totals totals, Set<String> uploadIds, Optional<Long> seenRevision) {
        return delegate.replace(key, totals, uploadIds, seenRevision);
    }

    @Override
    public boolean delete(RollupKey key, long seenRevision) {
        return delegate.delete(key, seenRevision);
    }

    @Override
    public long changes() {
        return delegate.changes();
    }

    @Override
    public void changed() {
        delegate.changed();
    }
}
