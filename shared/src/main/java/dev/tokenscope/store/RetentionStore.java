package dev.tokenscope.store;

import dev.tokenscope.figures.RetentionCohorts;
import java.util.Optional;

/**
 * Where the recompute publishes the retention cohorts (figure 10), which no additive rollup can give. A
 * publication is a whole snapshot made current by one write, so a reader sees the old cohorts or the new ones,
 * never a mix.
 */
public interface RetentionStore {

    /** The current cohorts, if any were published. */
    Optional<RetentionCohorts> current();

    /** Makes these cohorts current, unless they already are. */
    Publication publish(RetentionCohorts cohorts);

    enum Publication {
        /** A new snapshot is current. */
        PUBLISHED,
        /** The current snapshot already holds exactly these cohorts: nothing was written. */
        UNCHANGED,
        /** Another recompute made its snapshot current meanwhile: that one stays, this one was dropped. */
        SUPERSEDED
    }
}
