package dev.tokenscope.recompute;

import java.time.Instant;
import java.util.Optional;

/** Another recompute holds the lease: this run did nothing, and says until when the other may run. */
public final class RecomputeBusyException extends RuntimeException {

    public RecomputeBusyException(Optional<Instant> heldUntil) {
        super("another recompute is running" + heldUntil.map(u -> " (its lease runs out at " + u + ")").orElse("")
                + "; this run did nothing");
    }
}
