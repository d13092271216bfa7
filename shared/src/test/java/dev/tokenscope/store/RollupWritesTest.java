package dev.tokenscope.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RollupWritesTest {

    @Test
    void run_shouldGiveEveryResultInTheWritesOrder_whenAllSucceed() {
        // given
        List<Supplier<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            writes.add(() -> n);
        }

        // when
        List<Integer> results = RollupWrites.run(writes);

        // then
        assertEquals(IntStream.range(0, 100).boxed().toList(), results);
    }

    @Test
    void run_shouldKeepAtMostTheBoundInFlight_whenGivenManyWrites() {
        // given writes that each take a while and note how many run at once
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Supplier<Boolean>> writes = new ArrayList<>();
        for (int i = 0; i < 4 * RollupWrites.CONCURRENCY; i++) {
            writes.add(() -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                sleep(20);
                inFlight.decrementAndGet();
                return true;
            });
        }

        // when
        List<Boolean> results = RollupWrites.run(writes);

        // then
        assertEquals(writes.size(), results.size());
        assertTrue(most.get() > 1, "ran one at a time");
        assertTrue(most.get() <= RollupWrites.CONCURRENCY, most.get() + " in flight");
    }

    @Test
    void run_shouldThrowTheFailureOnceTheWritesInFlightEnd_andStartNoMore_whenOneWriteFails() {
        // given: the first write fails at once; the others each hold their writer thread for a while, so when the
        // failure is seen every thread holds one and the rest are still queued
        RuntimeException down = new IllegalStateException("DynamoDB unavailable");
        CountDownLatch held = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        List<Supplier<Boolean>> writes = new ArrayList<>();
        writes.add(() -> {
            throw down;
        });
        for (int i = 1; i < 1000; i++) {
            writes.add(() -> {
                started.incrementAndGet();
                await(held);
                finished.incrementAndGet();
                return true;
            });
        }
        Thread release = new Thread(() -> {
            sleep(300);
            held.countDown();
        });
        release.start();

        // when
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> RollupWrites.run(writes));

        // then: the caller sees the failure itself, nothing of the batch still runs, and the queued writes never ran
        assertSame(down, thrown);
        assertEquals(started.get(), finished.get());
        assertTrue(started.get() <= RollupWrites.CONCURRENCY, started.get() + " writes started besides the failed one");
    }

    @Test
    void run_shouldRunOnTheCallersThread_whenGivenOneWrite() {
        // when
        List<String> results = RollupWrites.run(List.of(() -> Thread.currentThread().getName()));

        // then
        assertEquals(List.of(Thread.currentThread().getName()), results);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
