package dev.tokenscope.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs an upload's rollup writes concurrently. Each write is a conditional update of its own item, so their order
 * does not matter and a crash part-way leaves what a crash between sequential writes leaves: some items updated,
 * the rest updated by the retry. An upload's writes are round trips to DynamoDB, so a few at a time cut the wall
 * time of an upload (and of a cold start) several times over.
 */
final class RollupWrites {

    /** Concurrent writes per JVM: enough to hide round trips, few enough for one Lambda's sockets. */
    static final int CONCURRENCY = 8;

    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(CONCURRENCY, runnable -> {
        Thread thread = new Thread(runnable, "tokenscope-rollup-write");
        thread.setDaemon(true);
        return thread;
    });

    private RollupWrites() {
    }

    /** Runs every write and waits for all; the first failure is rethrown once all have ended. */
    static long run(List<Runnable> writes) {
        if (writes.size() <= 1) {
            writes.forEach(Runnable::run);
            return writes.size();
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Runnable write : writes) {
            futures.add(WRITERS.submit(write));
        }
        RuntimeException failure = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("rollup write failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing rollups", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return writes.size();
    }
}
