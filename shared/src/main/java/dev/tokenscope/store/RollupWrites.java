package dev.tokenscope.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a batch of rollup writes (an upload's deltas, a recompute's rebuilt items) a few at a time. Every
 * RollupStore write is conditional on its own item, and a batch writes each item once, so the writes commute:
 * their order does not matter, and a failure part-way leaves what a crash between sequential writes leaves, some
 * items written and the rest for the retry. They are round trips to DynamoDB, so a few in flight cut the wall time
 * several times over.
 */
public final class RollupWrites {

    /**
     * Concurrent writes per JVM: enough to hide round trips, few enough for one Lambda's sockets. The pool is
     * shared, so in the local runner an ingest's writes queue behind those of a recompute running beside it.
     */
    static final int CONCURRENCY = 8;

    private static final ExecutorService WRITERS = Executors.newFixedThreadPool(CONCURRENCY, runnable -> {
        Thread thread = new Thread(runnable, "tokenscope-rollup-write");
        thread.setDaemon(true);
        return thread;
    });

    private RollupWrites() {
    }

    /**
     * Runs every write and gives their results in the writes' order. Once one throws, the writes not started yet
     * are skipped, and the first failure is rethrown when those in flight have ended: a caller is never told that
     * a batch succeeded with writes missing, and (unless the caller is interrupted) nothing of the batch is still
     * writing once this returns.
     */
    public static <T> List<T> run(List<Supplier<T>> writes) {
        if (writes.size() <= 1) {
            return writes.stream().map(Supplier::get).toList();
        }
        // Not Future.cancel: a cancelled future reports done while its write may still be running.
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<T>> futures = new ArrayList<>(writes.size());
        for (Supplier<T> write : writes) {
            futures.add(WRITERS.submit(() -> {
                if (failed.get()) {
                    return null;
                }
                try {
                    return write.get();
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            }));
        }
        List<T> results = new ArrayList<>(writes.size());
        RuntimeException failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("rollup write failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                failed.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing rollups", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}
