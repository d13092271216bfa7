package dev.tokenscope.ingest;

/**
 * How long the current invocation may still work on an upload. The ingest asks it between segments: when less is
 * left than a segment may take, it hands the rest of the file over to a new invocation (docs/storage.md).
 */
@FunctionalInterface
public interface TimeBudget {

    /** No limit: the whole file in this invocation (tests, tools, and the local runner unless told otherwise). */
    TimeBudget UNBOUNDED = () -> Long.MAX_VALUE;

    /** Milliseconds this invocation may still spend; zero or less when it should stop at the next segment. */
    long millisLeft();
}
