package dev.tokenscope.testing;

import static dev.tokenscope.testing.Fixtures.assertSameTotals;
import static dev.tokenscope.testing.Fixtures.totals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenscope.aggregate.RollupKey;
import dev.tokenscope.aggregate.Totals;
import dev.tokenscope.store.StoredRollup;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fake must keep DynamoUsageTable's conditions, or every test built on it proves nothing. */
class InMemoryRollupStoreTest {

    private static final RollupKey KEY = new RollupKey(RollupKey.MODEL, LocalDate.of(2026, 11, 2), "m");
    private static final Totals DELTA = totals(2, 10, 1, 0, 0, 0, "0.5", 2, 0);

    private final InMemoryRollupStore store = new InMemoryRollupStore();

    @Test
    void applyDelta_shouldAddOnce_whenTheSameUploadIsAppliedTwice() {
        // given
        store.applyDelta(KEY, DELTA, "u1");

        // when
        boolean again = store.applyDelta(KEY, DELTA, "u1");

        // then
        assertFalse(again);
        StoredRollup item = store.item(KEY).orElseThrow();
        assertSameTotals(DELTA, item.totals());
        assertEquals(Set.of("u1"), item.applied());
        assertEquals(1, item.revision());
    }

    @Test
    void retractDelta_shouldSubtractOnceAndNeverBeforeTheApply_whenCalledRepeatedly() {
        // given
        boolean beforeApply = store.retractDelta(KEY, DELTA, "u1");
        store.applyDelta(KEY, DELTA, "u1");

        // when
        boolean first = store.retractDelta(KEY, DELTA, "u1");
        boolean second = store.retractDelta(KEY, DELTA, "u1");
        boolean reapply = store.applyDelta(KEY, DELTA, "u1");

        // then
        assertFalse(beforeApply);
        assertTrue(first);
        assertFalse(second);
        assertFalse(reapply);
        StoredRollup item = store.item(KEY).orElseThrow();
        assertTrue(item.totals().isZero());
        assertEquals(Set.of("u1", "-u1"), item.applied());
        assertEquals(2, item.revision());
    }

    @Test
    void replaceAndDelete_shouldHoldOnlyAtTheSeenRevision_whenCalled() {
        // given
        store.applyDelta(KEY, DELTA, "u1");

        // when
        boolean stale = store.replace(KEY, DELTA, Set.of("u2"), Optional.of(5L));
        boolean absentExpected = store.replace(KEY, DELTA, Set.of("u2"), Optional.empty());
        boolean current = store.replace(KEY, DELTA.plus(DELTA), Set.of("u2"), Optional.of(1L));
        boolean staleDelete = store.delete(KEY, 1);
        boolean delete = store.delete(KEY, 2);

        // then
        assertFalse(stale);
        assertFalse(absentExpected);
        assertTrue(current);
        assertFalse(staleDelete);
        assertTrue(delete);
        assertEquals(List.of(), store.all());
        assertEquals(3, store.writes());
    }

    @Test
    void crashingStore_shouldThrowOnTheWriteAfterK_whenWrapped() {
        // given
        CrashingRollupStore crashing = new CrashingRollupStore(store, 2);
        crashing.applyDelta(KEY, DELTA, "u1");
        crashing.applyDelta(KEY, DELTA, "u1");

        // when
        assertThrows(CrashingRollupStore.SimulatedCrash.class, () -> crashing.delete(KEY, 1));

        // then: the refused second apply still counted as a write
        assertEquals(3, crashing.attempted());
        assertEquals(1, store.writes());
        assertEquals(1, crashing.query(RollupKey.MODEL, KEY.day(), KEY.day()).size());
    }
}
