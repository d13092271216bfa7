package dev.tokenscope.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A handler's bucket-read wiring: built on the first event, once; tried again after a failure. */
class OnFirstEventTest {

    @Test
    void get_shouldBuildOnTheFirstCallOnly_whenCalledAgain() {
        // given
        AtomicInteger builds = new AtomicInteger();
        OnFirstEvent<Object> wiring = new OnFirstEvent<>(() -> {
            builds.incrementAndGet();
            return new Object();
        });

        // when / then: nothing is built before the first event
        assertEquals(0, builds.get());
        Object first = wiring.get();
        assertSame(first, wiring.get());
        assertEquals(1, builds.get());
    }

    @Test
    void get_shouldTryAgain_whenTheFirstBuildFailed() {
        // given: a build that fails once (a broken override file, fixed since)
        AtomicInteger builds = new AtomicInteger();
        OnFirstEvent<String> wiring = new OnFirstEvent<>(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalArgumentException("s3://bucket/config/catalog.json: not a JSON catalog file");
            }
            return "wired";
        });

        // when / then
        assertThrows(IllegalArgumentException.class, wiring::get);
        assertEquals("wired", wiring.get());
        assertEquals(2, builds.get());
    }
}
