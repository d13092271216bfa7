package dev.tokenscope.functions;

import java.util.function.Supplier;

/**
 * What a handler builds on its first event rather than when it starts: what it reads from the data bucket (the
 * user's catalog overrides, the region mapping). With SnapStart the start runs once, when a version is published,
 * and every instance resumes from a snapshot of it; read there, a file changed after the deploy would never
 * apply. Read on the first event, each instance reads it afresh, as without SnapStart. A build that throws is
 * tried again on the next event.
 */
final class OnFirstEvent<T> implements Supplier<T> {

    private final Supplier<T> build;
    private T value;

    OnFirstEvent(Supplier<T> build) {
        this.build = build;
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = build.get();
        }
        return value;
    }
}
