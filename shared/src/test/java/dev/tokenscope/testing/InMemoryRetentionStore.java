package dev.tokenscope.testing;

import dev.tokenscope.figures.RetentionCohorts;
import dev.tokenscope.store.RetentionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A RetentionStore in memory: equal cohorts are not published again, as in DynamoDB. */
public final class InMemoryRetentionStore implements RetentionStore {

    private final List<RetentionCohorts> published = new ArrayList<>();

    @Override
    public synchronized Optional<RetentionCohorts> current() {
        return published.isEmpty() ? Optional.empty() : Optional.of(published.get(published.size() - 1));
    }

    @Override
    public synchronized Publication publish(RetentionCohorts cohorts) {
        if (current().filter(cohorts::equals).isPresent()) {
            return Publication.UNCHANGED;
        }
        published.add(cohorts);
        return Publication.PUBLISHED;
    }

    /** Every snapshot made current, oldest first. */
    public synchronized List<RetentionCohorts> published() {
        return List.copyOf(published);
    }
}
