package dev.tokenscope.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One recompute at a time. Two runs at once (the schedule and an on-demand one) would each be correct for the
 * rollups and the cohorts, but their Parquet compactions could flip the same day in an interleaved order and
 * leave the Glue partition and its pointer naming different folders; a lease keeps them apart. It expires on its
 * own, so a run that dies holding it blocks the next one for at most its length.
 */
public interface RecomputeLease {

    /** A lease taken: the token that releases it, and when it runs out. */
    record Held(String token, Instant until) {
    }

    /** Takes the lease for this long, unless another run holds one that has not run out: then empty. */
    Optional<Held> acquire(Duration length);

    /** Gives the lease back, if this token still holds it. */
    void release(Held lease);

    /** When the current holder's lease runs out, if one is held: for the message of a run that found it taken. */
    Optional<Instant> heldUntil();

    /** A lease within one process, for a service that is the only recompute there is (tests, one local JVM). */
    static RecomputeLease inProcess(java.time.Clock clock) {
        AtomicReference<Held> current = new AtomicReference<>();
        return new RecomputeLease() {
            @Override
            public synchronized Optional<Held> acquire(Duration length) {
                Held held = current.get();
                if (held != null && held.until().isAfter(clock.instant())) {
                    return Optional.empty();
                }
                Held taken = new Held(UUID.randomUUID().toString(), clock.instant().plus(length));
                current.set(taken);
                return Optional.of(taken);
            }

            @Override
            public synchronized void release(Held lease) {
                current.compareAndSet(lease, null);
            }

            @Override
            public synchronized Optional<Instant> heldUntil() {
                return Optional.ofNullable(current.get()).map(Held::until).filter(u -> u.isAfter(clock.instant()));
            }
        };
    }
}
